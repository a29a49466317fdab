package toolchain

import (
	"fmt"
	"go/version"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/perftrack/perftrack/mage/results"
)

// Kind says how a Spec names a toolchain.
type Kind int

const (
	// Exact names one release: go1.27.3, go1.20, go1.21rc1.
	Exact Kind = iota
	// Newest names the newest stable patch release of a minor version (1.27).
	Newest
	// Local names the go command on PATH; it is never downloaded.
	Local
	// Label names a GOROOT given by path, e.g. a Go built from source.
	Label
)

func (k Kind) String() string {
	switch k {
	case Exact:
		return "exact"
	case Newest:
		return "newest"
	case Local:
		return "local"
	case Label:
		return "label"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Spec is one parsed element of a spec list.
type Spec struct {
	Kind Kind
	// Version is the go-prefixed version: the release for Exact (go1.27.3),
	// the minor version for Newest (go1.27). Empty for Local and Label.
	Version string
	// Label is the results name of a Label spec.
	Label string
	// Path is the GOROOT of a Label spec, as given.
	Path string
}

// String returns the spec in the form ParseSpecs accepts.
func (s Spec) String() string {
	switch s.Kind {
	case Newest:
		return strings.TrimPrefix(s.Version, "go")
	case Local:
		return "local"
	case Label:
		return s.Label + "=" + s.Path
	}
	return s.Version
}

// Forms lists the accepted spec forms; every SpecError quotes it.
const Forms = "1.27.3 or go1.27.3 (a release), 1.27 (the newest patch of 1.27), " +
	"go1.20 or go1.20.1 (release names before 1.21), go1.21rc1 or go1.22beta1 (pre-releases), " +
	"local (the go on PATH), label=/path/to/goroot (any GOROOT)"

// SpecError reports a spec that is not one of the accepted forms.
type SpecError struct {
	Spec string // the offending element, as given
	Msg  string // what is wrong with it
}

func (e *SpecError) Error() string {
	return fmt.Sprintf("bad toolchain spec %q: %s; accepted forms: %s", e.Spec, e.Msg, Forms)
}

// ParseSpecs parses a comma-separated spec list (the form of the install,
// collect and compare arguments, since mage has no variadic arguments).
// Blank elements are skipped; an empty list and a toolchain named twice are
// errors, since both are certainly mistakes.
func ParseSpecs(list string) ([]Spec, error) {
	var specs []Spec
	seen := map[string]bool{}
	for part := range strings.SplitSeq(list, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		s, err := ParseSpec(part)
		if err != nil {
			return nil, err
		}
		key := s.Kind.String() + " " + s.String()
		if s.Kind == Label {
			key = "label " + s.Label
		}
		if seen[key] {
			return nil, &SpecError{Spec: part, Msg: "given twice"}
		}
		seen[key] = true
		specs = append(specs, s)
	}
	if len(specs) == 0 {
		return nil, &SpecError{Spec: list, Msg: "no toolchain given"}
	}
	return specs, nil
}

// ParseSpec parses one element of a spec list.
func ParseSpec(s string) (Spec, error) {
	s = strings.TrimSpace(s)
	if s == "local" {
		return Spec{Kind: Local}, nil
	}
	if label, path, ok := strings.Cut(s, "="); ok {
		label, path = strings.TrimSpace(label), strings.TrimSpace(path)
		if err := results.CheckName(label); err != nil {
			return Spec{}, &SpecError{Spec: s, Msg: "bad label: " + err.Error()}
		}
		if label == "local" || isVersionLike(label) {
			return Spec{}, &SpecError{Spec: s, Msg: "a label must not look like a version or be \"local\", so results of different toolchains never share a name"}
		}
		if path == "" {
			return Spec{}, &SpecError{Spec: s, Msg: "no GOROOT after '='"}
		}
		return Spec{Kind: Label, Label: label, Path: filepath.Clean(path)}, nil
	}
	v := s
	if !strings.HasPrefix(v, "go") {
		v = "go" + v
	}
	if !isReleaseName(v) {
		return Spec{}, &SpecError{Spec: s, Msg: "not a Go version"}
	}
	minor, rest := splitMinor(v)
	switch {
	case rest != "":
		// A patch or pre-release: go1.27.3, go1.21rc1, go1.20.1.
		if minor < 21 && rest == ".0" {
			// Before 1.21 the first release of 1.N was named go1.N.
			return Spec{Kind: Exact, Version: strings.TrimSuffix(v, ".0")}, nil
		}
		return Spec{Kind: Exact, Version: v}, nil
	case minor < 21 && strings.HasPrefix(s, "go"):
		// go1.20 is a release name; 1.20 still means its newest patch.
		return Spec{Kind: Exact, Version: v}, nil
	default:
		return Spec{Kind: Newest, Version: v}, nil
	}
}

// versionRE is the shape of a Go release name: go/version alone accepts
// any letters after the minor version (go1.2x) and anything after a dash
// (go1.27.9-/../../1).
var versionRE = regexp.MustCompile(`^go1\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*)|(rc|beta)[1-9][0-9]*)?$`)

// isReleaseName reports whether v is a Go release name: go1.27.3, go1.20,
// go1.21rc1. Specs and the versions of the release list both pass it, since
// a release name becomes a directory name under the SDK root: it has no
// path separator and no dot but the version's own.
func isReleaseName(v string) bool {
	return versionRE.MatchString(v) && version.IsValid(v)
}

// splitMinor splits a valid go1.N... version into N and what follows it.
func splitMinor(v string) (int, string) {
	rest := strings.TrimPrefix(v, "go1.")
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	n, _ := strconv.Atoi(rest[:i])
	return n, rest[i:]
}

// isVersionLike reports whether a label could be mistaken for a version.
func isVersionLike(s string) bool {
	if !strings.HasPrefix(s, "go") {
		s = "go" + s
	}
	return version.IsValid(s)
}
