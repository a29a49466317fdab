package mage

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/magefile/mage/mg"

	"github.com/perftrack/perftrack/mage/collect"
)

// Track runs the main job: install the toolchains of a spec list, collect, compare and export.
//
// Specs are as for install, the first is the baseline. The comparison is
// printed in PERF_FORMAT; every PERF_* setting applies. Exit codes: 1 when
// PERF_FAIL_ON trips (after exporting) or benchmarks failed (the rest are
// compared and exported); 2 when the gate cannot fire (after exporting);
// otherwise those of collect and compare.
func Track(ctx context.Context, specs string) error {
	s, err := settings()
	if err != nil {
		return mg.Fatal(2, err)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	fmt.Printf("track: install %s\n", specs)
	tcs, err := installSpecs(ctx, s, specs)
	if err != nil {
		return err
	}
	for _, t := range tcs {
		fmt.Printf("track: %s is %s at %s\n", t.Name, t.Version, t.GOROOT)
	}

	fmt.Printf("track: collect into %s\n", s.Results)
	m, collectErr := collectRun(ctx, s, specs, tcs)
	var failures *collect.FailuresError
	if collectErr != nil && !errors.As(collectErr, &failures) || m == nil {
		// Nothing to compare: interrupted, refused, or no run at all.
		// Failed benchmarks leave the others to compare.
		return collectExit(collectErr)
	}

	// Compare exactly this run, as its manifest records it. A toolchain
	// that recorded no sample has no file.
	var with, without []string
	for _, t := range m.Toolchains {
		if _, err := os.Stat(filepath.Join(s.Results, filepath.FromSlash(t.File))); t.File == "" || err != nil {
			without = append(without, t.Name)
			continue
		}
		with = append(with, t.Name)
	}
	var compareErr error
	if len(with) < 2 || slices.Contains(without, tcs[0].Name) { // none, or no baseline
		msg := fmt.Sprintf("nothing to compare: no sample under %s", strings.Join(without, ", "))
		fmt.Printf("track: %s\n", msg)
		if s.FailOn > 0 {
			compareErr = blindGateError{errors.New("the gate cannot fire: " + msg)}
		}
	} else {
		fmt.Printf("track: compare run %s/%s of %s\n", m.Platform, m.Stamp, strings.Join(with, ", "))
		compareErr = compareRun(os.Stdout, os.Stderr, s.Results, m, s)
	}
	explainErr := trackExplain(ctx, s, m, with) // PERF_EXPLAIN=1; kept in the run for export
	// A tripped or blind gate still exports what was measured.
	if compareErr != nil && mg.ExitStatus(compareErr) != 1 && !errors.As(compareErr, new(blindGateError)) {
		return compareErr
	}

	fmt.Printf("track: export to %s\n", s.Docs)
	if err := exportData(ctx, s); err != nil {
		return err
	}
	fmt.Printf("track: done; `go tool mage %s` shows the page\n", targetName(os.Args, "track", "serve"))
	// The gate first: it is the verdict a CI job is waiting for.
	if compareErr != nil {
		return compareErr
	}
	return cmp.Or(collectExit(collectErr), explainErr)
}
