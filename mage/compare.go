package mage

import (
	"context"
	"errors"
	"fmt"
	"go/version"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/magefile/mage/mg"

	"github.com/perftrack/perftrack/mage/collect"
	"github.com/perftrack/perftrack/mage/results"
	"github.com/perftrack/perftrack/mage/stats"
	"github.com/perftrack/perftrack/mage/toolchain"
)

// Compare compares the newest results of toolchains or result files, the first spec being the baseline (PERF_FORMAT, PERF_ALPHA, PERF_FAIL_ON).
func Compare(ctx context.Context, specs string) error {
	s, err := settings()
	if err != nil {
		return mg.Fatalf(2, "compare: %v", err)
	}
	return compare(ctx, os.Stdout, os.Stderr, specs, s, localName)
}

// compare is the Compare target with its outputs and the local go's
// version lookup passed in. Exit codes (via mg.Fatalf): 1 when the
// PERF_FAIL_ON gate trips, after the report is printed; 2 when a spec,
// a file or the results cannot be read, before anything is printed, when
// the report cannot be written, and when the gate cannot fire (nothing
// compared, or too few samples for any change to be significant), after
// the report is printed.
func compare(ctx context.Context, stdout, stderr io.Writer, specs string, s Settings, local func(context.Context) (string, error)) error {
	args, err := resolveSpecs(ctx, stderr, specs, s.Results, results.Platform(), local)
	if err != nil {
		return mg.Fatalf(2, "compare: %v", err)
	}
	inputs, closeAll, err := stats.OpenFiles(args)
	if err != nil {
		return mg.Fatalf(2, "compare: %v", err)
	}
	defer closeAll()
	for i := range inputs {
		addRunInfo(&inputs[i])
	}
	rep, err := stats.Build(inputs, stats.Options{
		Alpha: s.Alpha, Confidence: s.Confidence, FailOn: s.FailOn,
		Filter: s.Filter, Row: s.Row, Col: s.Col,
	})
	if rep != nil {
		for _, e := range rep.Errors {
			fmt.Fprintln(stderr, e)
		}
	}
	if err != nil {
		return mg.Fatalf(2, "compare: %v", err)
	}
	switch s.Format {
	case "markdown":
		err = rep.WriteMarkdown(stdout)
	case "csv":
		// csv is benchstat's; what perftrack adds goes with the warnings.
		err = rep.WriteCSV(stdout, stderr)
		for _, l := range rep.Lines() {
			fmt.Fprintln(stderr, l)
		}
	case "json":
		err = rep.WriteJSON(stdout)
	default:
		err = rep.WriteText(stdout)
	}
	if err != nil {
		return mg.Fatalf(2, "compare: writing the report: %v", err)
	}
	if rep.Failed() {
		return mg.Fatalf(1, "compare: %s", rep.Verdict())
	}
	if err := rep.GateError(); err != nil {
		return blindGateError{err}
	}
	return nil
}

// blindGateError is compare's exit 2 for a gate that could not have
// tripped. The report was printed, so track still exports.
type blindGateError struct{ err error }

func (e blindGateError) Error() string   { return "compare: " + e.err.Error() }
func (e blindGateError) Unwrap() error   { return e.err }
func (e blindGateError) ExitStatus() int { return 2 }

// addRunInfo fills in what the run manifest beside a result file says of
// its run: the run (so inputs of one interleaved run are known as such and
// compared round by round), GOMAXPROCS, the rounds of the samples and the
// failed system checks. A file outside a results tree,
// or one its manifest does not list, gets nothing.
func addRunInfo(in *stats.Input) {
	// <root>/<platform>/<name>/<stamp>.txt has <root>/<platform>/<stamp>.json.
	stamp, ok := strings.CutSuffix(filepath.Base(in.Name), ".txt")
	if !ok {
		return
	}
	dir := filepath.Dir(in.Name)
	m, err := collect.ReadManifest(filepath.Join(filepath.Dir(dir), stamp+".json"))
	if err != nil || m.Stamp != stamp {
		return
	}
	m.Describe(in, filepath.Base(dir))
}

// localName returns the results name of the go command on PATH (its
// version, e.g. go1.26.8), resolved as install and collect resolve
// "local": with GOTOOLCHAIN=local, so a go.mod in the working directory
// cannot switch it to another release.
func localName(ctx context.Context) (string, error) {
	tcs, err := (&toolchain.Installer{}).Find(ctx, []toolchain.Spec{{Kind: toolchain.Local}})
	if err != nil {
		return "", err
	}
	return tcs[0].Name, nil
}

// resolveSpecs turns a comma-separated spec list into stats file
// arguments ("label=path"). A spec is a result file ("a.txt" or
// "old=a.txt"), or names a toolchain whose newest run with samples on
// this platform is used (results.NewestRun): "1.27.3" or "go1.27.3"
// (exact), "1.27" (the newest go1.27.x with results), "local" (the
// version of the go on PATH), a bare label, or "label=/path/to/goroot"
// (that label's results). It writes to stderr which run of each
// toolchain it took and what it skipped, since the newest file is not
// always the run used.
func resolveSpecs(ctx context.Context, stderr io.Writer, specs, root, platform string, local func(context.Context) (string, error)) ([]string, error) {
	var args []string
	toolchains := make(map[string]string) // results name -> spec
	for _, spec := range strings.Split(specs, ",") {
		spec = strings.TrimSpace(spec)
		if spec == "" {
			return nil, fmt.Errorf("empty spec in %q: want a comma-separated list such as 1.26.8,1.27.3 or old=a.txt,new=b.txt", specs)
		}
		label, path, labeled := stats.ParseFileArg(spec)
		if labeled {
			info, err := os.Stat(path)
			switch {
			case err != nil:
				return nil, fmt.Errorf("spec %q: %w", spec, err)
			case !info.IsDir():
				args = append(args, spec)
				continue
			}
			// label=/path/to/goroot: the results are under the label.
			spec = label
		} else if info, err := os.Stat(spec); err == nil && !info.IsDir() {
			args = append(args, spec)
			continue
		} else if err != nil && strings.ContainsAny(spec, `/\`) {
			// Not a toolchain name either: report the missing file.
			return nil, fmt.Errorf("spec %q: %w", spec, err)
		}
		name, err := resultsName(ctx, spec, root, platform, local)
		if err != nil {
			return nil, err
		}
		if prev, ok := toolchains[name]; ok {
			return nil, fmt.Errorf("specs %q and %q both name the results of %s", prev, spec, name)
		}
		toolchains[name] = spec
		run, warnings, err := results.NewestRun(root, platform, name)
		for _, w := range warnings {
			fmt.Fprintf(stderr, "compare: warning: %v\n", w)
		}
		if err != nil {
			return nil, fmt.Errorf("spec %q: %w", spec, err)
		}
		fmt.Fprintf(stderr, "compare: %s: run %s (%s)\n", name, run.ID(), run.File)
		args = append(args, name+"="+run.File)
	}
	return args, nil
}

// resultsName maps a toolchain spec, as toolchain.ParseSpec reads it, or
// a bare label to its results directory name.
func resultsName(ctx context.Context, spec, root, platform string, local func(context.Context) (string, error)) (string, error) {
	ts, err := toolchain.ParseSpec(spec)
	if err != nil {
		if err := results.CheckName(spec); err != nil {
			return "", fmt.Errorf("spec %q is not a file, a Go version or a label: %w", spec, err)
		}
		return spec, nil
	}
	switch ts.Kind {
	case toolchain.Local:
		v, err := local(ctx)
		if err != nil {
			return "", fmt.Errorf("spec local: %w", err)
		}
		return v, nil
	case toolchain.Label:
		return ts.Label, nil
	case toolchain.Exact:
		return ts.Version, nil
	}
	// Newest (go1.27): the newest release of it with results.
	names, err := results.Names(root, platform)
	if err != nil {
		return "", fmt.Errorf("spec %q: %w", spec, err)
	}
	names = slices.DeleteFunc(names, func(n string) bool {
		return !version.IsValid(n) || version.Lang(n) != ts.Version
	})
	slices.SortFunc(names, version.Compare)
	for i := len(names) - 1; i >= 0; i-- {
		if _, _, err := results.NewestRun(root, platform, names[i]); err == nil {
			return names[i], nil
		} else if !errors.Is(err, results.ErrNoResults) && !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("spec %q: %w", spec, err)
		}
	}
	return "", fmt.Errorf("spec %q: %w for any %s.x in %s", spec, results.ErrNoResults, ts.Version, filepath.Join(root, platform))
}
