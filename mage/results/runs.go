package results

import (
	"cmp"
	"errors"
	"fmt"
	"go/version"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/perf/benchfmt"
)

// Statuses of a run as Run.Status reports them.
const (
	StatusComplete   = "complete"    // the run finished
	StatusPartial    = "partial"     // the run was interrupted, or is still running
	StatusEmpty      = "empty"       // no sample: the file has no result line, or the manifest says so
	StatusNoManifest = "no manifest" // a run with samples and no manifest (other tools, files saved by hand)
)

// ErrNotRun is returned (wrapped, naming the run) by Remove when there is
// no such run.
var ErrNotRun = errors.New("no such run")

// Run is one result file: every sample of one run under one toolchain.
type Run struct {
	Platform string // platform directory, e.g. linux-amd64
	Name     string // toolchain directory, e.g. go1.27.3
	// File is the result file. It is "" only in List's entries for a
	// toolchain that a manifest names but that wrote no result file.
	File string
	// Stamp is the run stamp when the file is named <stamp>.txt (as
	// Collect names them), "" otherwise.
	Stamp string
	// Time orders runs: the stamp's time, else the file's modification
	// time.
	Time    time.Time
	Samples int // result lines in the file
	// Manifest is the path of the run manifest (<stamp>.json beside the
	// toolchain directories), "" when there is none.
	Manifest string
	// ManifestStatus is the status the manifest records (Collect writes
	// "running", "finished", "interrupted" or ManifestEmpty); "" without
	// a manifest.
	ManifestStatus string
	// ManifestErr says why a manifest that exists could not be read.
	ManifestErr error
	// Toolchains are the toolchain names of the run, as its manifest
	// lists them.
	Toolchains []string
}

// ID names the run within its toolchain directory: its stamp, or the
// file name when the file is not named by a stamp.
func (r Run) ID() string {
	if r.Stamp != "" {
		return r.Stamp
	}
	return filepath.Base(r.File)
}

// Status returns StatusComplete, StatusPartial or StatusEmpty from the
// samples and the manifest, StatusNoManifest when there is none, and for
// a manifest that cannot be read or has a status Collect does not write,
// a phrase saying so.
func (r Run) Status() string {
	switch {
	case r.Samples == 0 || r.ManifestStatus == ManifestEmpty:
		return StatusEmpty
	case r.ManifestErr != nil:
		return "unreadable manifest"
	case r.Manifest == "":
		return StatusNoManifest
	}
	switch r.ManifestStatus {
	case "finished", "complete":
		return StatusComplete
	case "running", "interrupted":
		return StatusPartial
	}
	return fmt.Sprintf("manifest status %q", r.ManifestStatus)
}

// Interleaved returns the other toolchains of the run, as its manifest
// lists them.
func (r Run) Interleaved() []string {
	return slices.DeleteFunc(slices.Clone(r.Toolchains), func(n string) bool { return n == r.Name })
}

// Runs lists the runs of one toolchain, oldest first: every file in its
// directory in Go benchmark format, whatever its name (Collect's
// <stamp>.txt, the files of other tools, go test -bench output saved by
// hand). A file is in benchmark format when benchfmt reads at least one
// result line from it; a <stamp>.txt file is a run even without one, as
// Collect writes its header before the first sample. Every other file is
// a warning naming it, except hidden files and .json files, which are
// perftrack's own (temporary files, .keep). A missing directory has no
// runs; a file that cannot be read is an error naming it.
func Runs(root, platform, name string) ([]Run, []error, error) {
	dir := filepath.Join(root, platform, name)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("listing runs: %w", err)
	}
	var runs []Run
	var warnings []error
	for _, e := range entries {
		fname := e.Name()
		if strings.HasPrefix(fname, ".") || strings.HasSuffix(fname, ".json") {
			continue
		}
		file := filepath.Join(dir, fname)
		// Stat, not the entry's type: a link to a result file is a run.
		info, err := os.Stat(file)
		if err != nil {
			return nil, nil, fmt.Errorf("reading results: %w", err)
		}
		if info.IsDir() {
			continue
		}
		if !info.Mode().IsRegular() {
			warnings = append(warnings, fmt.Errorf("skipping %s: not a regular file", file))
			continue
		}
		r := Run{Platform: platform, Name: name, File: file, Time: info.ModTime()}
		if stamp, ok := strings.CutSuffix(fname, ".txt"); ok {
			if t, err := time.Parse(StampLayout, stamp); err == nil {
				r.Stamp, r.Time = stamp, t
			}
		}
		if r.Samples, err = countSamples(file); err != nil {
			return nil, nil, err
		}
		if r.Samples == 0 && r.Stamp == "" {
			warnings = append(warnings, fmt.Errorf("skipping %s: not in Go benchmark format (no benchmark result line)", file))
			continue
		}
		if r.Stamp != "" {
			r.readManifest(ManifestFile(root, platform, r.Stamp))
		}
		runs = append(runs, r)
	}
	slices.SortFunc(runs, func(a, b Run) int {
		return cmp.Or(a.Time.Compare(b.Time), strings.Compare(a.File, b.File))
	})
	return runs, warnings, nil
}

// countSamples returns the number of result lines benchfmt reads in file.
func countSamples(file string) (int, error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, fmt.Errorf("reading results: %w", err)
	}
	defer f.Close()
	n := 0
	rd := benchfmt.NewReader(f, file)
	for rd.Scan() {
		if _, ok := rd.Result().(*benchfmt.Result); ok {
			n++
		}
	}
	if err := rd.Err(); err != nil {
		return 0, fmt.Errorf("reading results %s: %w", file, err)
	}
	return n, nil
}

// readManifest fills in what the manifest at path says of r's run.
func (r *Run) readManifest(path string) {
	m, err := ReadManifest(path)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	r.Manifest, r.ManifestErr = path, err
	if err != nil {
		return
	}
	r.ManifestStatus = m.Status
	for _, t := range m.Toolchains {
		r.Toolchains = append(r.Toolchains, t.Name)
	}
}

// Choose returns the newest of runs (ordered oldest first, as Runs
// returns them) that has samples, and an error saying why for each newer
// run it skipped: a file without a result line, or a manifest saying the
// run is empty. So an interrupted or filtered-out run never hides a good
// one. ok is false when no run has samples.
func Choose(runs []Run) (chosen Run, skipped []error, ok bool) {
	for _, r := range slices.Backward(runs) {
		switch {
		case r.Samples == 0:
			skipped = append(skipped, fmt.Errorf("skipping %s: no samples", r.File))
		case r.ManifestStatus == ManifestEmpty:
			skipped = append(skipped, fmt.Errorf("skipping %s: its run manifest %s says the run is empty", r.File, r.Manifest))
		default:
			return r, skipped, true
		}
	}
	return Run{}, skipped, false
}

// NewestRun returns the newest run of one toolchain that has samples
// (Runs, then Choose), with the warnings of both: the files that are not
// runs, and the newer runs skipped. Without such a run, the error wraps
// ErrNoResults and names the directory searched.
func NewestRun(root, platform, name string) (Run, []error, error) {
	runs, warnings, err := Runs(root, platform, name)
	if err != nil {
		return Run{}, nil, err
	}
	r, skipped, ok := Choose(runs)
	warnings = append(warnings, skipped...)
	if !ok {
		dir := filepath.Join(root, platform, name)
		if len(runs) > 0 {
			return Run{}, warnings, fmt.Errorf("%w for %s in %s: its %d runs have no samples", ErrNoResults, name, dir, len(runs))
		}
		return Run{}, warnings, fmt.Errorf("%w for %s in %s", ErrNoResults, name, dir)
	}
	return r, warnings, nil
}

// List lists every run under root: the runs of every toolchain directory
// of every platform (Runs), and, for each manifest, the toolchains it
// names that wrote no result file of the run (File "", no samples), so
// runs that recorded nothing can be seen and removed. Platforms come in
// name order, toolchains in Go version order then labels, runs oldest
// first.
func List(root string) ([]Run, []error, error) {
	platforms, err := Platforms(root)
	if err != nil {
		return nil, nil, fmt.Errorf("listing platforms in %s: %w", root, err)
	}
	var all []Run
	var warnings []error
	for _, p := range platforms {
		names, err := Names(root, p)
		if err != nil {
			return nil, nil, fmt.Errorf("listing toolchains in %s: %w", filepath.Join(root, p), err)
		}
		have := map[[2]string]bool{} // {name, stamp} of the result files
		for _, n := range names {
			runs, w, err := Runs(root, p, n)
			if err != nil {
				return nil, nil, err
			}
			warnings = append(warnings, w...)
			for _, r := range runs {
				have[[2]string{n, r.Stamp}] = true
			}
			all = append(all, runs...)
		}
		stamps, err := manifestStamps(root, p)
		if err != nil {
			return nil, nil, err
		}
		for _, stamp := range stamps {
			r := Run{Platform: p, Stamp: stamp}
			r.Time, _ = time.Parse(StampLayout, stamp)
			r.readManifest(ManifestFile(root, p, stamp))
			if r.ManifestErr != nil {
				warnings = append(warnings, fmt.Errorf("reading the run manifest: %w", r.ManifestErr))
			}
			for _, n := range r.Toolchains {
				if !have[[2]string{n, stamp}] && CheckName(n) == nil {
					r.Name = n
					all = append(all, r)
				}
			}
		}
	}
	slices.SortStableFunc(all, func(a, b Run) int {
		return cmp.Or(strings.Compare(a.Platform, b.Platform), compareNames(a.Name, b.Name),
			a.Time.Compare(b.Time), strings.Compare(a.File, b.File))
	})
	return all, warnings, nil
}

// manifestStamps returns the stamps of the manifests of a platform.
func manifestStamps(root, platform string) ([]string, error) {
	dir := filepath.Join(root, platform)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("listing runs: %w", err)
	}
	var stamps []string
	for _, e := range entries {
		stamp, ok := strings.CutSuffix(e.Name(), ".json")
		if _, err := time.Parse(StampLayout, stamp); ok && err == nil && !e.IsDir() {
			stamps = append(stamps, stamp)
		}
	}
	return stamps, nil
}

// compareNames orders toolchain names: Go releases by version, then
// labels by name.
func compareNames(a, b string) int {
	va, vb := version.IsValid(a), version.IsValid(b)
	switch {
	case va && vb:
		return cmp.Or(version.Compare(a, b), strings.Compare(a, b))
	case va:
		return -1
	case vb:
		return 1
	}
	return strings.Compare(a, b)
}

// ParseRef splits a run reference, <platform>/<name>/<id> with id a
// stamp or a result file name (Run.ID), checking each element with
// checkElem (the toolchain with CheckName), so that a reference never
// leads out of the results root.
func ParseRef(ref string) (platform, name, id string, err error) {
	parts := strings.Split(ref, "/")
	if len(parts) != 3 {
		return "", "", "", fmt.Errorf("run %q: want <platform>/<toolchain>/<stamp or file name>, e.g. linux-amd64/go1.27.3/20261203T100000Z", ref)
	}
	for i, p := range parts {
		check := checkElem // a run id may be a stamp
		if i == 1 {
			check = CheckName
		}
		if err := check(p); err != nil {
			return "", "", "", fmt.Errorf("run %q: %w", ref, err)
		}
	}
	return parts[0], parts[1], parts[2], nil
}

// Remove deletes one run's result file: the run id (Run.ID, a stamp or a
// file name) of toolchain name on platform. It then deletes the run's
// manifest when no toolchain has a result file of the run left, and the
// toolchain directory when it is empty. A run that wrote no result file
// of toolchain name (see List) has only its manifest to remove, which it
// does under the same condition. It returns the paths removed; a run
// that does not exist is an error wrapping ErrNotRun.
func Remove(root, platform, name, id string) ([]string, error) {
	for _, p := range []string{platform, id} {
		if err := checkElem(p); err != nil {
			return nil, err
		}
	}
	if err := CheckName(name); err != nil {
		return nil, err
	}
	ref := platform + "/" + name + "/" + id
	dir := filepath.Join(root, platform, name)
	runs, _, err := Runs(root, platform, name)
	if err != nil {
		return nil, err
	}
	var removed []string
	stamp := id
	if i := slices.IndexFunc(runs, func(r Run) bool { return r.ID() == id || filepath.Base(r.File) == id }); i >= 0 {
		if err := os.Remove(runs[i].File); err != nil {
			return nil, fmt.Errorf("removing the run: %w", err)
		}
		removed = append(removed, runs[i].File)
		stamp = runs[i].Stamp
		// The directory goes with its last run; os.Remove fails,
		// harmlessly, on one that is not empty.
		if os.Remove(dir) == nil {
			removed = append(removed, dir)
		}
		if stamp == "" {
			return removed, nil
		}
	} else if _, err := os.Lstat(filepath.Join(dir, id)); err == nil {
		return nil, fmt.Errorf("%w %s: %s is not in Go benchmark format", ErrNotRun, ref, filepath.Join(dir, id))
	} else if _, err := time.Parse(StampLayout, id); err != nil {
		return nil, fmt.Errorf("%w %s: no result file %s in %s", ErrNotRun, ref, id, dir)
	}

	mpath := ManifestFile(root, platform, stamp)
	m, err := ReadManifest(mpath)
	ok := !errors.Is(err, fs.ErrNotExist)
	if removed == nil && (err != nil || !m.Names(name)) {
		return nil, fmt.Errorf("%w %s: no result file %s.txt in %s and no run manifest naming %s", ErrNotRun, ref, id, dir, name)
	}
	if !ok {
		return removed, nil
	}
	names, err := Names(root, platform)
	if err != nil {
		return removed, fmt.Errorf("listing toolchains in %s: %w", filepath.Join(root, platform), err)
	}
	for _, n := range names {
		if _, err := os.Lstat(RunFile(root, platform, n, stamp)); err == nil {
			if removed == nil {
				return nil, fmt.Errorf("%w %s: it has no result file of %s, and the result files of other toolchains keep its manifest %s", ErrNotRun, ref, name, mpath)
			}
			return removed, nil
		}
	}
	if err := os.Remove(mpath); err != nil {
		return removed, fmt.Errorf("removing the run manifest: %w", err)
	}
	removed = append(removed, mpath)
	// The run's explanation and profiles go with its manifest.
	if dir := RunDir(root, platform, stamp); exists(dir) {
		if err := os.RemoveAll(dir); err != nil {
			return removed, fmt.Errorf("removing the run's profiles: %w", err)
		}
		removed = append(removed, dir)
	}
	return removed, nil
}

// exists reports whether path exists.
func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
