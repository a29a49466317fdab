// Command sensitivity measures how well perftrack's collect and compare
// find planted changes under a collection profile, and how often they flag
// benchmarks that did not change.
//
//  1. It generates a benchmark module (go 1.23, one package) of -benchmarks
//     benchmarks doing a fixed amount of CPU work, -planted of which do
//     more work under a "slow" toolchain: their loop counts are multiplied
//     by the factor the GOROOT's base name asks for (slow-1050 is 1.050).
//  2. The toolchains are symlinks to the local Go (go env GOROOT) named
//     roots/base and roots/slow-NNNN, so both are the same Go and only the
//     planted benchmarks differ.
//  3. For each percentage of -pcts (0 is an A/A run, base against
//     slow-1000), -runs times, it runs the collect target (compiled once
//     with go tool mage -compile) on base and slow, timed, under the
//     profile the flags choose (PERF_QUICK, PERF_COUNT, PERF_BENCHTIME,
//     PERF_EXTRA; the PERF_* variables of its own environment are not
//     passed on).
//  4. It compares the two result files with mage/stats twice: paired, as
//     compare does with the run's manifest (the signed-rank test on the
//     per-round ratios decides), and unpaired, as plain files (benchstat's
//     Mann-Whitney test decides). Each way it counts in the sec/op table
//     the planted benchmarks that are significantly worse after the Holm
//     correction (found) and the unchanged ones significant in either
//     direction (flagged).
//
// The figures go to stdout, one line per percentage and run, then the sum
// of the A/A false positives; progress, failed system checks and, with -v,
// collect's whole output go to stderr. The columns:
//
//	planted    the planted slowdown
//	found      planted benchmarks significantly worse after the Holm
//	           correction, paired / unpaired, of the planted ones ("-" in
//	           an A/A run)
//	flagged    unchanged benchmarks significant in either direction after
//	           the correction, paired / unpaired, of the unchanged ones (in
//	           an A/A run, all)
//	planted Δ  the median change of the planted benchmarks' medians: how
//	           much of the planted slowdown the run measured
//	wall s     collect's wall time, building and calibrating included
//	profile    the settings the run recorded, and the extra rounds it spent
//
// Every run checks that the test binaries saw the GOROOT and factor meant
// for them, so a collect that stopped passing the label's path would be an
// error, not a silent 0 found. Run it inside the repository, from the
// tools module, on an otherwise idle machine:
//
//	(cd tools && go run ./sensitivity [-quick] [-count N] [-benchtime D] [-extra N] [-pcts 0,2,5,10] [-runs 1] [-benchmarks 16] [-planted 4] [-keep dir] [-v])
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/perftrack/perftrack/mage/results"
	"github.com/perftrack/perftrack/mage/runinfo"
	"github.com/perftrack/perftrack/mage/stats"
	"github.com/perftrack/perftrack/tools/internal/repo"
)

// options are the command's flags.
type options struct {
	quick                   bool
	count, benchtime, extra string // "" leaves collect's default
	pcts                    []float64
	runs                    int
	benchmarks, planted     int
	kernels                 []kernel
	keep                    string
	verbose                 bool
}

func main() {
	var o options
	flag.BoolVar(&o.quick, "quick", false, "the quick profile (PERF_QUICK=1): its defaults apply to what -count, -benchtime and -extra leave unset")
	flag.StringVar(&o.count, "count", "", "samples per benchmark per toolchain (PERF_COUNT; default collect's)")
	flag.StringVar(&o.benchtime, "benchtime", "", "target time per sample (PERF_BENCHTIME; default collect's)")
	flag.StringVar(&o.extra, "extra", "", "extra rounds for noisy benchmarks (PERF_EXTRA; default collect's)")
	pcts := flag.String("pcts", "0,2,5,10", "planted slowdowns in percent, comma separated; 0 is an A/A run")
	flag.IntVar(&o.runs, "runs", 1, "repetitions of each percentage")
	flag.IntVar(&o.benchmarks, "benchmarks", 16, "benchmarks in the generated module")
	flag.IntVar(&o.planted, "planted", 4, "how many of them are planted")
	ks := flag.String("kernels", defaultKernels, "the kinds of work of the benchmarks, comma separated, or all")
	flag.StringVar(&o.keep, "keep", "", "build the module, toolchain links and results in this directory and keep them")
	flag.BoolVar(&o.verbose, "v", false, "show collect's output (on stderr)")
	flag.Parse()
	var err error
	if o.pcts, err = parsePcts(*pcts); err == nil {
		err = o.check()
	}
	if err == nil {
		o.kernels, err = parseKernels(*ks)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sensitivity:", err)
		flag.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sensitivity:", err)
		os.Exit(1)
	}
}

// check rejects flag values that cannot make an experiment.
func (o options) check() error {
	switch {
	case o.runs < 1:
		return fmt.Errorf("-runs %d: want at least 1", o.runs)
	case o.planted < 1 || o.planted >= o.benchmarks:
		return fmt.Errorf("-planted %d of -benchmarks %d: want at least one planted and one unchanged benchmark", o.planted, o.benchmarks)
	case o.benchmarks > 99:
		return fmt.Errorf("-benchmarks %d: at most 99 (the names have two digits)", o.benchmarks)
	}
	return nil
}

// run does the experiment and writes the figures to out.
func run(ctx context.Context, o options, out io.Writer) error {
	root, err := repo.Root()
	if err != nil {
		return err
	}
	goroot, goversion, err := localGo()
	if err != nil {
		return err
	}
	dir := o.keep
	if dir == "" {
		if dir, err = os.MkdirTemp("", "sensitivity-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	} else if dir, err = filepath.Abs(dir); err != nil {
		return err
	}

	fmt.Fprintf(out, "# %s\n", commandLine(os.Args))
	fmt.Fprintf(out, "# machine: nproc %d, %s %s/%s, load average at start %s\n",
		runtime.NumCPU(), goversion, runtime.GOOS, runtime.GOARCH, loadavg())
	var names []string
	for _, k := range o.kernels {
		names = append(names, k.name)
	}
	fmt.Fprintf(out, "# suite: %d benchmarks, %d planted, kernels %s; toolchains: symlinks to %s\n",
		o.benchmarks, o.planted, strings.Join(names, ","), goroot)

	module := filepath.Join(dir, "bench")
	if err := writeModule(module, suite(o.benchmarks, o.planted, o.kernels)); err != nil {
		return fmt.Errorf("writing the benchmark module: %w", err)
	}
	roots := filepath.Join(dir, "roots")
	base := filepath.Join(roots, "base")
	if err := link(goroot, base); err != nil {
		return err
	}
	for _, p := range o.pcts {
		if err := link(goroot, filepath.Join(roots, slowName(p))); err != nil {
			return err
		}
	}
	perf := filepath.Join(dir, "perf")
	progress("compiling the mage targets")
	compile := exec.CommandContext(ctx, "go", "tool", "mage", "-compile", perf)
	compile.Dir = root // the magefile is the root module's
	if b, err := compile.CombinedOutput(); err != nil {
		return fmt.Errorf("go tool mage -compile: %w\n%s", err, b)
	}

	// Fixed widths rather than a tabwriter: each line is printed as soon
	// as its run is done, minutes apart.
	const row = "%7s  %3s  %11s  %13s  %9s  %6s  %s\n"
	fmt.Fprintf(out, row, "planted", "run", "found p / u", "flagged p / u", "planted Δ", "wall s", "profile")
	var aaFlagged, aaFlaggedU, aaTotal, aaRuns int
	// Every percentage once per round, so slow drift of the machine spreads
	// over all of them instead of hitting the last ones.
	for r := range o.runs {
		for _, p := range o.pcts {
			progress("run %d/%d, planted %+g%%: collecting", r+1, o.runs, p)
			res, err := experiment(ctx, o, perf, module, base, filepath.Join(roots, slowName(p)),
				filepath.Join(dir, "results", fmt.Sprintf("%s-run%d", slowName(p), r+1)))
			if err != nil {
				return fmt.Errorf("planted %g%%, run %d: %w", p, r+1, err)
			}
			t, u := res.paired, res.unpaired
			aa := p == 0
			found := fmt.Sprintf("%d / %d of %d", t.Found, u.Found, t.Planted)
			flagged, unchanged := t.unchanged(aa)
			flaggedU, _ := u.unchanged(aa)
			if aa {
				found = "-" // nothing was planted
				aaRuns, aaFlagged, aaFlaggedU, aaTotal = aaRuns+1, aaFlagged+flagged, aaFlaggedU+flaggedU, aaTotal+unchanged
			}
			fmt.Fprintf(out, row, fmt.Sprintf("%g%%", p), strconv.Itoa(r+1), found, fmt.Sprintf("%d / %d of %d", flagged, flaggedU, unchanged),
				fmt.Sprintf("%+.1f%%", 100*t.PlantedDelta), fmt.Sprintf("%.1f", res.wall.Seconds()), res.profile)
		}
	}
	if aaRuns > 0 {
		fmt.Fprintf(out, "A/A total: %d paired, %d unpaired false positives of %d comparisons over %d runs (sec/op, Holm-corrected)\n",
			aaFlagged, aaFlaggedU, aaTotal, aaRuns)
	} else {
		fmt.Fprintln(out, "A/A total: no A/A run (add 0 to -pcts)")
	}
	fmt.Fprintf(out, "# load average at end %s\n", loadavg())
	if o.keep != "" {
		fmt.Fprintf(out, "# kept in %s\n", dir)
	}
	return nil
}

// outcome is what one collect and its comparisons gave.
type outcome struct {
	paired, unpaired tally // the same samples, compared both ways
	wall             time.Duration
	profile          string // the settings the run recorded
}

// experiment runs one collect of base and slow into resultsDir and
// compares the two result files.
func experiment(ctx context.Context, o options, perf, module, base, slow, resultsDir string) (outcome, error) {
	probe := resultsDir + ".probe"
	env := append(childEnv(os.Environ()), profileEnv(o)...)
	env = append(env, "PERF_BENCHMARKS="+module, "PERF_RESULTS="+resultsDir, probeEnv+"="+probe)
	cmd := exec.CommandContext(ctx, perf, "collect", "base="+base+",slow="+slow)
	cmd.Env = env
	var captured bytes.Buffer
	if o.verbose {
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	} else {
		cmd.Stdout, cmd.Stderr = &captured, &captured
	}
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		os.Stderr.Write(captured.Bytes())
		return outcome{}, fmt.Errorf("collect: %w", err)
	}
	if !o.verbose {
		// A failed system check (load, above all) bears on the figures.
		sc := bufio.NewScanner(&captured)
		for sc.Scan() {
			if line := sc.Text(); strings.HasPrefix(line, "collect: check ") && strings.Contains(line, ": failed") {
				fmt.Fprintln(os.Stderr, line)
			}
		}
	}

	b, err := os.ReadFile(probe)
	if err != nil {
		return outcome{}, fmt.Errorf("the benchmarks recorded no GOROOT: %w", err)
	}
	if err := checkProbe(b, map[string]float64{base: 1, slow: factorOf(filepath.Base(slow))}); err != nil {
		return outcome{}, err
	}

	platform := results.Platform()
	stamp, err := results.Newest(resultsDir, platform, "base")
	if err != nil {
		return outcome{}, err
	}
	m, err := results.ReadManifest(results.ManifestFile(resultsDir, platform, stamp))
	if err != nil {
		return outcome{}, fmt.Errorf("reading the run's manifest: %w", err)
	}
	var res outcome
	for _, paired := range []bool{true, false} {
		t, err := compare(resultsDir, platform, stamp, m, paired)
		if err != nil {
			return outcome{}, err
		}
		if t.Planted != o.planted || t.Steady != o.benchmarks-o.planted {
			return outcome{}, fmt.Errorf("the sec/op table has %d planted and %d unchanged benchmarks with a comparison, want %d and %d",
				t.Planted, t.Steady, o.planted, o.benchmarks-o.planted)
		}
		if paired {
			res.paired = t
		} else {
			res.unpaired = t
		}
	}
	res.wall, res.profile = wall, describe(m)
	return res, nil
}

// compare compares the run's two result files as compare does: paired,
// with what the manifest records (the run, the rounds of the samples), so
// the signed-rank test decides; or unpaired, as plain files, so
// benchstat's Mann-Whitney test decides.
func compare(resultsDir, platform, stamp string, m *results.Manifest, paired bool) (tally, error) {
	inputs, closeAll, err := stats.OpenFiles([]string{
		"base=" + results.RunFile(resultsDir, platform, "base", stamp),
		"slow=" + results.RunFile(resultsDir, platform, "slow", stamp),
	})
	if err != nil {
		return tally{}, err
	}
	defer closeAll()
	if paired {
		for i := range inputs {
			runinfo.Describe(&inputs[i], m, inputs[i].Label)
		}
	}
	rep, err := stats.Build(inputs, stats.Options{})
	if err != nil {
		return tally{}, fmt.Errorf("comparing: %w", err)
	}
	t := count(rep)
	if paired && t.Paired != t.Planted+t.Steady {
		return tally{}, fmt.Errorf("only %d of %d comparisons were paired: the manifest's rounds did not reach stats", t.Paired, t.Planted+t.Steady)
	}
	return t, nil
}

// describe says which profile a run used, from its manifest.
func describe(m *results.Manifest) string {
	s := m.Settings
	extra := 0
	for _, b := range m.Benchmarks {
		if b.Extra {
			extra++
		}
	}
	d := fmt.Sprintf("count %d, benchtime %s, extra %d (%d rounds for %d benchmarks)", s.Count, s.Benchtime, s.Extra, m.ExtraRounds, extra)
	if s.Quick {
		d = "quick: " + d
	}
	return d
}

// profileEnv returns the collect settings the flags choose.
func profileEnv(o options) []string {
	var env []string
	if o.quick {
		env = append(env, "PERF_QUICK=1")
	}
	for _, kv := range [][2]string{{"PERF_COUNT", o.count}, {"PERF_BENCHTIME", o.benchtime}, {"PERF_EXTRA", o.extra}} {
		if kv[1] != "" {
			env = append(env, kv[0]+"="+kv[1])
		}
	}
	return env
}

// childEnv returns environ without the PERF_* variables and the probe:
// the experiment's settings come from the flags alone, so that a
// PERF_RESUME or PERF_BENCH left in the shell cannot change it unseen.
func childEnv(environ []string) []string {
	var env []string
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "PERF_") || k == probeEnv {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// localGo returns the GOROOT and version of the go command on PATH.
func localGo() (goroot, version string, err error) {
	cmd := exec.Command("go", "env", "GOROOT", "GOVERSION")
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	b, err := cmd.Output()
	if err != nil {
		return "", "", fmt.Errorf("go env GOROOT GOVERSION: %w", err)
	}
	f := strings.Fields(string(b))
	if len(f) != 2 {
		return "", "", fmt.Errorf("go env GOROOT GOVERSION: unexpected output %q", b)
	}
	return f[0], f[1], nil
}

// link makes name a symlink to goroot.
func link(goroot, name string) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	// A kept directory may hold the link from an earlier run.
	if err := os.Remove(name); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.Symlink(goroot, name); err != nil {
		return fmt.Errorf("linking a toolchain: %w", err)
	}
	return nil
}

// commandLine quotes the arguments that need it.
func commandLine(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\"'$\\") {
			a = strconv.Quote(a)
		}
		q[i] = a
	}
	q[0] = "sensitivity"
	return strings.Join(q, " ")
}

// loadavg returns the 1, 5 and 15 minute load averages, or "?".
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}

// progress reports what the command is doing, on stderr.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "sensitivity: "+format+"\n", args...)
}
