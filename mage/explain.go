package mage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/magefile/mage/mg"

	"github.com/perftrack/perftrack/mage/collect"
	"github.com/perftrack/perftrack/mage/explain"
	"github.com/perftrack/perftrack/mage/internal/specs"
	"github.com/perftrack/perftrack/mage/results"
	"github.com/perftrack/perftrack/mage/runinfo"
	"github.com/perftrack/perftrack/mage/stats"
)

// Explain profiles the significant regressions of the newest run of a spec list's toolchains under both sides and reports the functions that grew (PERF_EXPLAIN_TIME, PERF_EXPLAIN_MAX).
//
// Specs name toolchains as for compare, the first being the baseline;
// the run is the newest one with samples of all of them, interleaved.
// Each change significant after the Holm correction and worse, in
// sec/op (a CPU profile), B/op or allocs/op (an allocation profile), is
// explained, the largest first: the run's test binaries are rebuilt, the
// benchmark runs under both toolchains in interleaved rounds with a
// profile, and the merged profiles are compared per op. They are kept in
// the run's directory (<results>/<platform>/<stamp>/profiles), with the
// explanation (explain.json); the report prints the go tool pprof
// command that shows the same difference. Ctrl-C keeps what is done.
// Exit codes: 1 when a regression could not be explained (the others
// are reported), 2 for bad settings, specs or no such run, 4 when a
// collect held the machine too long, 5 when it could not run, 130 when
// interrupted.
func Explain(ctx context.Context, list string) error {
	s, err := settings()
	if err != nil {
		return mg.Fatal(2, err)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	m, names, err := explainRunOf(ctx, os.Stderr, list, s.Results, results.Platform(), localName)
	if err != nil {
		return mg.Fatalf(2, "explain: %v", err)
	}
	return explainRun(ctx, os.Stdout, os.Stderr, s, m, names, "")
}

// explainRunOf returns the newest run on platform with samples of every
// toolchain a spec list names (as compare resolves them), and the
// toolchains' results names, the baseline first.
func explainRunOf(ctx context.Context, stderr io.Writer, list, root, platform string, local func(context.Context) (string, error)) (*results.Manifest, []string, error) {
	var names []string
	for _, spec := range strings.Split(list, ",") {
		spec = strings.TrimSpace(spec)
		if label, path, ok := stats.ParseFileArg(spec); ok {
			if info, err := os.Stat(path); err == nil && info.IsDir() {
				spec = label // label=/path/to/goroot: the label's results
			}
		}
		if spec == "" || strings.ContainsAny(spec, `=/\`) {
			return nil, nil, fmt.Errorf("spec %q: want toolchains of one run, such as 1.26.8,1.27.3 (explain reruns the run's benchmarks, so result files will not do)", spec)
		}
		name, err := specs.ResultsName(ctx, spec, root, platform, local)
		if err != nil {
			return nil, nil, err
		}
		if slices.Contains(names, name) {
			return nil, nil, fmt.Errorf("specs %q name %s twice", list, name)
		}
		names = append(names, name)
	}
	if len(names) < 2 {
		return nil, nil, fmt.Errorf("specs %q: want a baseline and at least one other toolchain", list)
	}
	runs, warnings, err := results.Runs(root, platform, names[0])
	if err != nil {
		return nil, nil, err
	}
	for _, w := range warnings {
		fmt.Fprintf(stderr, "explain: warning: %v\n", w)
	}
	for _, r := range slices.Backward(runs) {
		if r.Stamp == "" || r.Samples == 0 || r.ManifestStatus == results.ManifestEmpty {
			continue
		}
		if !slices.ContainsFunc(names, func(n string) bool {
			_, err := os.Stat(results.RunFile(root, platform, n, r.Stamp))
			return !slices.Contains(r.Toolchains, n) || err != nil
		}) {
			m, err := results.ReadManifest(results.ManifestFile(root, platform, r.Stamp))
			if err != nil {
				return nil, nil, err
			}
			fmt.Fprintf(stderr, "explain: run %s/%s of %s\n", platform, r.Stamp, strings.Join(names, ", "))
			return m, names, nil
		}
	}
	return nil, nil, fmt.Errorf("%w: no run in %s has samples of %s, interleaved", results.ErrNoResults, root+"/"+platform, strings.Join(names, ", "))
}

// trackExplain is Track's explain step (PERF_EXPLAIN=1) on the run it
// collected and the toolchains it compared (with, the baseline first);
// nil when off or when nothing was compared.
func trackExplain(ctx context.Context, s Settings, m *results.Manifest, with []string) error {
	if !s.Explain || len(with) < 2 || len(m.Toolchains) == 0 || with[0] != m.Toolchains[0].Name {
		return nil
	}
	fmt.Printf("track: explain %s\n", strings.Join(with, ","))
	return explainRun(ctx, os.Stdout, os.Stderr, s, m, with, "")
}

// explainRun compares the result files of run m under the toolchains
// names (the baseline first), selects the regressions and explains them,
// printing the explanation in s.Format (text for csv) on stdout and
// progress on stderr. lockFile is the machine lock ("": collect's).
func explainRun(ctx context.Context, stdout, stderr io.Writer, s Settings, m *results.Manifest, names []string, lockFile string) error {
	var args []string
	for _, n := range names {
		args = append(args, n+"="+results.RunFile(s.Results, m.Platform, n, m.Stamp))
	}
	inputs, closeAll, err := stats.OpenFiles(args)
	if err != nil {
		return mg.Fatalf(2, "explain: %v", err)
	}
	defer closeAll()
	for i := range inputs {
		runinfo.Describe(&inputs[i], m, names[i])
	}
	rep, err := stats.Build(inputs, stats.Options{Alpha: s.Alpha, Confidence: s.Confidence, Filter: s.Filter})
	if err != nil {
		return mg.Fatalf(2, "explain: %v", err)
	}
	regs, skipped := explain.Select(rep, m, s.ExplainMax)
	for _, sk := range skipped {
		fmt.Fprintf(stderr, "explain: skipped: %s\n", sk)
	}
	if len(regs) == 0 {
		fmt.Fprintf(stdout, "explain: nothing to explain: no change significant after the Holm correction is worse in a metric a profile explains (%s)\n", rep.Verdict())
		return nil
	}
	e, err := explain.Run(ctx, explain.Config{
		Results: s.Results, Manifest: m, Regressions: regs, Skipped: skipped,
		Budget: s.ExplainTime, Progress: stderr, LockFile: lockFile,
	})
	if e != nil && len(e.Regressions) > 0 {
		var werr error
		switch s.Format {
		case "markdown":
			werr = e.WriteMarkdown(stdout)
		case "json":
			werr = e.WriteJSON(stdout)
		default:
			werr = e.WriteText(stdout)
		}
		if werr != nil {
			return mg.Fatalf(5, "explain: writing the report: %v", werr)
		}
		fmt.Fprintf(stderr, "explain: wrote %s\n", results.ExplanationFile(s.Results, m.Platform, m.Stamp))
	}
	var locked *collect.LockedError
	switch {
	case errors.Is(err, explain.ErrInterrupted), errors.Is(err, collect.ErrInterrupted): // the latter while waiting for the lock
		return mg.Fatalf(130, "explain: %v; what was done is kept", err)
	case errors.As(err, &locked):
		return mg.Fatalf(4, "explain: %v", err)
	case err != nil:
		return mg.Fatalf(5, "explain: %v", err)
	}
	var failed []string
	for _, r := range e.Regressions {
		if r.Error != "" {
			failed = append(failed, r.Benchmark+" "+r.Unit)
		}
	}
	if len(failed) > 0 {
		return mg.Fatalf(1, "explain: %d of %d regressions not explained: %s", len(failed), len(e.Regressions), strings.Join(failed, ", "))
	}
	return nil
}
