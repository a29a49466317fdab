package mage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/magefile/mage/mg"

	"github.com/perftrack/perftrack/mage/internal/specs"
	"github.com/perftrack/perftrack/mage/results"
	"github.com/perftrack/perftrack/mage/runinfo"
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
func compare(ctx context.Context, stdout, stderr io.Writer, list string, s Settings, local func(context.Context) (string, error)) error {
	args, err := specs.Resolve(ctx, stderr, list, s.Results, results.Platform(), local)
	if err != nil {
		return mg.Fatalf(2, "compare: %v", err)
	}
	inputs, closeAll, err := stats.OpenFiles(args)
	if err != nil {
		return mg.Fatalf(2, "compare: %v", err)
	}
	defer closeAll()
	for i := range inputs {
		runinfo.DescribeFile(&inputs[i])
	}
	return report(stdout, stderr, inputs, s)
}

// compareRun compares the result files of the run m, which track has
// just collected under root, described by m itself: no spec is parsed
// and no other run can be picked up. Toolchains that recorded no sample
// have no file and are left out; the caller checks that two remain.
func compareRun(stdout, stderr io.Writer, root string, m *results.Manifest, s Settings) error {
	var inputs []stats.Input
	defer func() {
		for _, in := range inputs {
			in.R.(*os.File).Close()
		}
	}()
	for _, t := range m.Toolchains {
		if t.File == "" {
			continue
		}
		f, err := os.Open(filepath.Join(root, filepath.FromSlash(t.File)))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return mg.Fatalf(2, "compare: %v", err)
		}
		in := stats.Input{Name: f.Name(), Label: t.Name, R: f}
		runinfo.Describe(&in, m, t.Name)
		inputs = append(inputs, in)
	}
	return report(stdout, stderr, inputs, s)
}

// report builds the comparison of inputs and writes it in s.Format, with
// compare's exit codes.
func report(stdout, stderr io.Writer, inputs []stats.Input, s Settings) error {
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
