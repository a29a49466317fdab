package mage

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/magefile/mage/mg"

	"github.com/perftrack/perftrack/mage/results"
)

// Results groups the targets that list and remove the runs under PERF_RESULTS.
type Results mg.Namespace

// List lists the runs under PERF_RESULTS with platform, toolchain, stamp, samples, status and the toolchains run with them.
//
// Every file in Go benchmark format under a toolchain directory is a run,
// whatever its name; other files there are named in warnings on stderr.
func (Results) List(ctx context.Context) error {
	s, err := settings()
	if err != nil {
		return mg.Fatal(2, err)
	}
	return listRuns(os.Stdout, os.Stderr, s.Results)
}

// listRuns writes the table of results:list to w, and its warnings, or
// that there is no run, to errw.
func listRuns(w, errw io.Writer, root string) error {
	runs, warnings, err := results.List(root)
	if err != nil {
		return fmt.Errorf("results:list: %w", err)
	}
	for _, warning := range warnings {
		fmt.Fprintln(errw, "warning:", warning)
	}
	if len(runs) == 0 {
		fmt.Fprintf(errw, "no runs under %s\n", root)
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PLATFORM\tTOOLCHAIN\tRUN\tSAMPLES\tSTATUS\tWITH")
	for _, r := range runs {
		samples := strconv.Itoa(r.Samples)
		if r.File == "" {
			samples = "0 (no file)"
		}
		with := ""
		if others := r.Interleaved(); len(others) > 0 {
			with = "interleaved with " + strings.Join(others, ", ")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Platform, r.Name, r.ID(), samples, r.Status(), with)
	}
	return tw.Flush()
}

// Remove deletes one run under PERF_RESULTS, named <platform>/<toolchain>/<stamp or file name> as results:list shows it.
//
// The run's manifest goes with the last result file of the run, and a
// toolchain directory with its last run.
func (Results) Remove(ctx context.Context, run string) error {
	s, err := settings()
	if err != nil {
		return mg.Fatal(2, err)
	}
	return removeRun(os.Stdout, s.Results, run)
}

// removeRun removes the run named by ref under root and writes each path
// removed to w. A malformed ref exits 2, as a bad argument does.
func removeRun(w io.Writer, root, ref string) error {
	platform, name, id, err := results.ParseRef(ref)
	if err != nil {
		return mg.Fatalf(2, "results:remove: %v", err)
	}
	removed, err := results.Remove(root, platform, name, id)
	for _, p := range removed {
		fmt.Fprintln(w, "removed", p)
	}
	if err != nil {
		return fmt.Errorf("results:remove: %w", err)
	}
	return nil
}
