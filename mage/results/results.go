// Package results knows the layout of a results tree, the one contract
// between Collect (which writes it), Compare and Export (which read it):
//
//	<root>/<goos>-<goarch>/<name>/<stamp>.txt   every sample of one run under one toolchain
//	<root>/<goos>-<goarch>/<stamp>.json         the run's manifest (settings, checks, machine)
//	<root>/<goos>-<goarch>/<stamp>/             what was learned of the run afterwards (RunDir):
//	    explain.json                            the explanation of its regressions (ExplanationFile)
//	    profiles/<name>/<benchmark>.<kind>.pb.gz their merged profiles (ProfileFile)
//
// <name> is a Go version (go1.27.3) or a user's label; <stamp> is the run's
// start time in UTC, formatted with StampLayout so names sort by time.
// Collect writes those names, but any file in Go benchmark format under a
// toolchain directory is a run (see Runs): results of other tools, the
// shell scripts perftrack replaces, go test -bench output saved by hand.
package results

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// DefaultRoot is the results root of a repository, slash-separated
// (PERF_RESULTS' default).
const DefaultRoot = "results/stable"

// StampLayout formats run stamps: UTC, sortable as strings, safe in file names.
const StampLayout = "20060102T150405Z"

// ErrNoResults is returned (wrapped, naming the directory) when a toolchain
// has no run with samples.
var ErrNoResults = errors.New("no results")

// Platform returns the platform directory name of this machine, e.g. linux-amd64.
func Platform() string { return runtime.GOOS + "-" + runtime.GOARCH }

// Stamp formats t as a run stamp.
func Stamp(t time.Time) string { return t.UTC().Format(StampLayout) }

// CheckName reports whether name can be used as a toolchain directory:
// non-empty, not "." or "..", no path separators, no leading dot, and not
// a run stamp (the directory of that name holds a run's profiles).
func CheckName(name string) error {
	if err := checkElem(name); err != nil {
		return err
	}
	if _, err := time.Parse(StampLayout, name); err == nil {
		return fmt.Errorf("%q cannot name a results directory: it is a run stamp, the name of a run's own directory", name)
	}
	return nil
}

// RunFile returns the path of the result file of one run under one toolchain.
func RunFile(root, platform, name, stamp string) string {
	return filepath.Join(root, platform, name, stamp+".txt")
}

// ManifestFile returns the path of a run's manifest.
func ManifestFile(root, platform, stamp string) string {
	return filepath.Join(root, platform, stamp+".json")
}

// checkElem reports whether name is one path element inside the results
// root: non-empty, not "." or "..", no path separators, no leading dot.
func checkElem(name string) error {
	if name == "" || name == "." || name == ".." || strings.HasPrefix(name, ".") ||
		strings.ContainsAny(name, `/\`+"\x00") {
		return fmt.Errorf("%q cannot name a results directory: use letters, digits, '-', '_' or '.', not starting with '.'", name)
	}
	return nil
}

// RunDir returns the directory of what perftrack learned of a run after
// collecting it: its explanation and profiles.
func RunDir(root, platform, stamp string) string {
	return filepath.Join(root, platform, stamp)
}

// ExplanationFile returns the path of a run's explanation (JSON).
func ExplanationFile(root, platform, stamp string) string {
	return filepath.Join(RunDir(root, platform, stamp), "explain.json")
}

// ProfileFile returns the path of the merged profile of one benchmark of
// a run under toolchain name; file is the benchmark's file name, such as
// BenchmarkX.cpu.pb.gz.
func ProfileFile(root, platform, stamp, name, file string) string {
	return filepath.Join(RunDir(root, platform, stamp), "profiles", name, file)
}

// Platforms lists the platform directories under root, sorted. A missing
// root is no platforms, not an error.
func Platforms(root string) ([]string, error) {
	return subdirs(root)
}

// Names lists the toolchain directories (versions and labels) of a platform, sorted.
func Names(root, platform string) ([]string, error) {
	return subdirs(filepath.Join(root, platform))
}

// Newest returns the stamp of the run NewestRun chooses, for callers
// that look the run up by stamp (its manifest, the other toolchains'
// files). Its error wraps ErrNoResults, naming the directory, when there
// is no run with samples or the newest one is not named by a stamp.
func Newest(root, platform, name string) (string, error) {
	r, _, err := NewestRun(root, platform, name)
	if err != nil {
		return "", err
	}
	if r.Stamp == "" {
		return "", fmt.Errorf("%w with a stamp for %s: the newest run is %s", ErrNoResults, name, r.File)
	}
	return r.Stamp, nil
}

func subdirs(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() && CheckName(e.Name()) == nil {
			names = append(names, e.Name())
		}
	}
	return names, nil
}
