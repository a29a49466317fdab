package toolchain

import (
	"bufio"
	"errors"
	"fmt"
	"go/version"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Marker is the file golang.org/dl writes in a GOROOT once it is unpacked;
// perftrack writes it last too, so both tools trust each other's installs.
const Marker = ".unpacked-success"

// sourceFile records, inside a GOROOT perftrack installed, where it came
// from; golang.org/dl installs have none.
const sourceFile = ".perftrack-source"

// goroot returns the GOROOT of release v under the SDK root. Every version
// that reaches it passed isReleaseName (in ParseSpec or checkReleases);
// this is the second line of defence, so that no version ever names a
// directory outside the SDK root or deeper inside it.
func (in *Installer) goroot(v string) (string, error) {
	root := filepath.Join(in.SDK, v)
	rel, err := filepath.Rel(in.SDK, root)
	if err != nil || rel != v || rel == "." || !filepath.IsLocal(rel) || filepath.Base(rel) != rel {
		return "", fmt.Errorf("version %q does not name a directory of %s", v, in.SDK)
	}
	return root, nil
}

// Installed is one directory under the SDK root.
type Installed struct {
	Name     string // directory name, e.g. go1.27.3
	GOROOT   string
	Version  string // first line of GOROOT/VERSION, "" if unreadable
	Source   string // e.g. "proxy https://proxy.golang.org", "golang.org/dl", "unknown"
	Complete bool   // the marker is present
}

// ErrNotInstalled is returned (wrapped) when a spec matches no complete
// install under the SDK root.
var ErrNotInstalled = errors.New("not installed")

// List returns every toolchain directory under the SDK root, sorted by
// version. A missing root lists nothing.
func (in *Installer) List() ([]Installed, error) {
	entries, err := os.ReadDir(in.SDK)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list toolchains: %w", err)
	}
	var list []Installed
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		root := filepath.Join(in.SDK, e.Name())
		complete := isComplete(root)
		if _, err := os.Stat(filepath.Join(root, "bin", "go"+exeSuffix())); err != nil && !complete {
			continue // not a GOROOT, e.g. golang.org/dl's gotip checkout
		}
		list = append(list, Installed{
			Name:     e.Name(),
			GOROOT:   root,
			Version:  readVersionFile(root),
			Source:   installSource(root, e.Name()),
			Complete: complete,
		})
	}
	slices.SortFunc(list, func(a, b Installed) int {
		if c := version.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return list, nil
}

// isComplete reports whether root holds a finished install.
func isComplete(root string) bool {
	fi, err := os.Stat(filepath.Join(root, Marker))
	return err == nil && fi.Mode().IsRegular()
}

// readVersionFile returns the first line of root/VERSION, which for a
// release is what "go version" reports (go1.27.3).
func readVersionFile(root string) string {
	f, err := os.Open(filepath.Join(root, "VERSION"))
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if sc.Scan() {
		return strings.TrimSpace(sc.Text())
	}
	return ""
}

// installSource says who installed root.
func installSource(root, name string) string {
	if data, err := os.ReadFile(filepath.Join(root, sourceFile)); err == nil {
		return strings.TrimSpace(string(data))
	}
	// golang.org/dl keeps its archive in the GOROOT.
	if m, _ := filepath.Glob(filepath.Join(root, name+".*-*.*")); len(m) > 0 {
		return "golang.org/dl"
	}
	return "unknown"
}

// completeNames returns the names of the complete installs under the SDK,
// in no order. It reads only the markers, none of what List reports.
func (in *Installer) completeNames() []string {
	entries, _ := os.ReadDir(in.SDK)
	var names []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") && isComplete(filepath.Join(in.SDK, e.Name())) {
			names = append(names, e.Name())
		}
	}
	return names
}

// Remove deletes the install a spec names and returns its GOROOT. An Exact
// spec removes a partial install too; a Newest one picks among complete
// installs. It never touches a Local or
// Label GOROOT, which perftrack did not install.
func (in *Installer) Remove(spec Spec) (string, error) {
	name := ""
	switch spec.Kind {
	case Exact:
		name = spec.Version
	case Newest:
		name = newestStable(in.completeNames(), spec.Version)
	default:
		return "", &SpecError{Spec: spec.String(), Msg: "only toolchains under the SDK root can be removed"}
	}
	if name == "" {
		return "", fmt.Errorf("remove %s: %w under %s", spec, ErrNotInstalled, in.SDK)
	}
	root, err := in.goroot(name)
	if err != nil {
		return "", fmt.Errorf("remove %s: %w", spec, err)
	}
	if _, err := os.Stat(root); err != nil {
		return "", fmt.Errorf("remove %s: %w under %s", spec, ErrNotInstalled, in.SDK)
	}
	if err := removeTree(root); err != nil {
		return "", fmt.Errorf("remove %s: %w", root, err)
	}
	return root, nil
}

// removeTree removes dir: first renamed aside so that a crash halfway never
// leaves something that looks like an install, then deleted. Read-only
// directories (module zips unpack read-only) are made writable first.
func removeTree(dir string) error {
	trash, err := newOwnedDir(filepath.Dir(dir), "trash")
	if err != nil {
		return err
	}
	if err := os.Rename(dir, filepath.Join(trash.Dir, "x")); err != nil {
		trash.remove()
		return err
	}
	return trash.remove()
}

func exeSuffix() string {
	if isWindows() {
		return ".exe"
	}
	return ""
}
