package mage

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/magefile/mage/mg"

	"github.com/perftrack/perftrack/mage/collect"
	"github.com/perftrack/perftrack/mage/results"
	"github.com/perftrack/perftrack/mage/toolchain"
)

// Collect runs the benchmark suite under every toolchain of a spec list, interleaved, and writes the result files.
//
// Specs are comma separated, the first is the baseline: 1.27.3, 1.27,
// local, or label=/path/to/goroot; missing toolchains are installed first.
// Ctrl-C keeps every finished round (PERF_RESUME=1 continues the run).
// Exit codes: 1 when benchmarks failed (the rest are recorded), 2 for bad
// settings or specs, or when no benchmark matches PERF_BENCH in PERF_PKGS,
// 3 when PERF_STRICT stopped the run on a failed system check, 4 when
// another Collect held the machine too long, 5 when it could not run
// (e.g. no benchmark module), 130 when interrupted.
func Collect(ctx context.Context, specs string) error {
	s, err := settings()
	if err != nil {
		return mg.Fatal(2, err)
	}
	// Options set in a magefile are checked too, before installing.
	if err := collectConfig(s, specs).Validate(); err != nil {
		return mg.Fatal(2, err)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	tcs, err := installSpecs(ctx, s, specs)
	if err != nil {
		return err
	}
	_, err = collectRun(ctx, s, specs, tcs)
	return collectExit(err)
}

// installSpecs parses a spec list and installs what is missing.
func installSpecs(ctx context.Context, s Settings, specs string) ([]toolchain.Toolchain, error) {
	list, err := toolchain.ParseSpecs(specs)
	if err != nil {
		return nil, mg.Fatal(2, err)
	}
	tcs, err := newInstaller(s).Install(ctx, list)
	if err != nil {
		return nil, fmt.Errorf("install: %w", err)
	}
	return tcs, nil
}

// collectRun runs Collect over installed toolchains and prints the files
// it wrote. Its error is Run's; collectExit maps it to an exit code.
func collectRun(ctx context.Context, s Settings, specs string, tcs []toolchain.Toolchain) (*results.Manifest, error) {
	m, err := collect.Run(ctx, collectConfig(s, specs), tcs)
	if m != nil && m.Stamp != "" {
		files := []string{results.ManifestFile(s.Results, m.Platform, m.Stamp)}
		for _, t := range tcs {
			files = append(files, results.RunFile(s.Results, m.Platform, t.Name, m.Stamp))
		}
		for _, f := range files {
			// A run that failed before its first sample has no files.
			if _, statErr := os.Stat(f); statErr == nil {
				fmt.Printf("collect: wrote %s\n", f)
			}
		}
	}
	return m, err
}

// collectConfig returns the collect.Config of the settings and a spec list.
func collectConfig(s Settings, specs string) collect.Config {
	var recorded []string
	for _, spec := range strings.Split(specs, ",") {
		recorded = append(recorded, strings.TrimSpace(spec))
	}
	return collect.Config{
		Count:     s.Count,
		Benchtime: s.Benchtime,
		Bench:     s.Bench,
		Pkgs:      s.Pkgs,
		Dir:       s.Benchmarks,
		Results:   s.Results,
		Strict:    s.Strict,
		Quick:     s.Quick,
		Hostname:  s.Hostname,
		Resume:    s.Resume,
		CVMax:     s.CVMax,
		Extra:     s.Extra,
		Specs:     recorded,
		Progress:  os.Stderr,
		Out:       os.Stdout,
	}
}

// collectExit maps an error of collect.Run to the exit codes Collect documents.
func collectExit(err error) error {
	var (
		failures *collect.FailuresError
		checks   *collect.CheckError
		locked   *collect.LockedError
		config   *collect.ConfigError
	)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, collect.ErrInterrupted):
		return mg.Fatalf(130, "collect: %v; PERF_RESUME=1 continues the run", err)
	case errors.As(err, &config):
		return mg.Fatal(2, err)
	case errors.Is(err, collect.ErrNoBenchmarks):
		// Before failures: a package that does not exist is both, and
		// is a bad setting rather than a failed benchmark.
		return mg.Fatalf(2, "collect: %v", err)
	case errors.As(err, &failures):
		return mg.Fatalf(1, "collect: %v", err)
	case errors.As(err, &checks):
		return mg.Fatalf(3, "collect: %v (unset PERF_STRICT to run anyway; the checks are recorded)", err)
	case errors.As(err, &locked):
		return mg.Fatalf(4, "collect: %v", err)
	case errors.Is(err, collect.ErrNothingToResume):
		return mg.Fatalf(2, "collect: %v", err)
	default:
		return mg.Fatalf(5, "collect: %v", err)
	}
}
