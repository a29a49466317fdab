package collect

import (
	"github.com/perftrack/perftrack/mage/toolchain"

	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/perftrack/perftrack/mage/results"
)

// The tests below run the real thing: the local Go (go env GOROOT) under
// two names, on the module in testdata/benchmod, with tiny benchtimes.

const helperEnv = "PERFTRACK_COLLECT_HELPER"

// helperArgs is what the helper process runs: the test's Config and toolchains.
type helperArgs struct {
	Dir, Results, LockFile, Pkgs string
	Count                        int
	Benchtime                    time.Duration
	Bench                        string
	Toolchains                   []toolchain.Toolchain
}

// TestMain runs the helper process when asked: a Collect that stops on
// SIGINT, as the mage target does, and exits 3 when interrupted.
func TestMain(m *testing.M) {
	if path := os.Getenv(lockHelperEnv); path != "" {
		if err := lockHelper(path); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if v := os.Getenv(helperEnv); v != "" {
		var a helperArgs
		if err := json.Unmarshal([]byte(v), &a); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		_, err := Run(ctx, Config{Dir: a.Dir, Results: a.Results, LockFile: a.LockFile, Pkgs: a.Pkgs, Count: a.Count,
			Benchtime: a.Benchtime, Bench: a.Bench, Out: os.Stdout}, a.Toolchains)
		switch {
		case errors.Is(err, ErrInterrupted):
			os.Exit(3)
		case err != nil:
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

var (
	localOnce    sync.Once
	localGOROOT  string
	localVersion string
	localErr     error
)

// local returns the local toolchain under name.
func local(t *testing.T, name string) toolchain.Toolchain {
	t.Helper()
	if testing.Short() {
		t.Skip("runs benchmarks (-short)")
	}
	localOnce.Do(func() {
		out, err := exec.Command("go", "env", "GOROOT", "GOVERSION").Output()
		if err != nil {
			localErr = err
			return
		}
		f := strings.Fields(string(out))
		if len(f) != 2 {
			localErr = fmt.Errorf("go env: %q", out)
			return
		}
		localGOROOT, localVersion = f[0], f[1]
	})
	if localErr != nil {
		t.Skipf("no local go: %v", localErr)
	}
	return toolchain.Toolchain{Name: name, Version: localVersion, GOROOT: localGOROOT}
}

// broken returns a toolchain named "broken" whose go command is a script
// that runs the local one but fails to build package fragile.
func broken(t *testing.T) toolchain.Toolchain {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake toolchain is a shell script")
	}
	l := local(t, "broken")
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	script := fmt.Sprintf(`#!/bin/sh
for a in "$@"; do
	case "$a" in
	*/fragile) echo "fragile/fragile_test.go:9:2: fake compile error from the broken toolchain" >&2; exit 1;;
	esac
done
GOROOT='%s' exec '%s' "$@"
`, l.GOROOT, filepath.Join(l.GOROOT, "bin", "go"))
	if err := os.WriteFile(filepath.Join(root, "bin", "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	l.GOROOT = root
	return l
}

// testConfig is a quick Config writing into a temporary results root.
func testConfig(t *testing.T) Config {
	dir, err := filepath.Abs(filepath.Join("testdata", "benchmod"))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	return Config{
		Count:     3,
		Benchtime: 2 * time.Millisecond,
		Bench:     "Fast|Sub|Fragile",
		// Not ./liars, which only TestRunLiars needs: a package is a
		// build and a link per toolchain. (The suffix keeps any argument
		// from ending in /fragile, which the broken toolchain refuses.)
		Pkgs:     "./fast/... ./fragile/... ./lib/...",
		Dir:      dir,
		Results:  filepath.Join(tmp, "results"),
		LockFile: filepath.Join(tmp, "collect.lock"),
		Out:      &testWriter{t: t},
		Progress: &testWriter{t: t},
	}
}

// testWriter logs each line to the test log.
type testWriter struct {
	t  *testing.T
	mu sync.Mutex
}

func (w *testWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.t.Log(strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

// benchstat runs the pinned benchstat on files (label=path) and returns its output.
func benchstat(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"tool", "benchstat"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("benchstat %v: %v\n%s", args, err, stderr.Bytes())
	}
	return string(out)
}

// counts returns the number of samples per benchmark in a result file.
func counts(t *testing.T, path string) map[string]int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	vals, err := readSamples(f, runtime.GOMAXPROCS(0))
	if err != nil {
		t.Fatal(err)
	}
	c := map[string]int{}
	for k, v := range vals {
		c[strings.TrimPrefix(k.Pkg, "example.com/benchmod/")+"."+k.Name] = len(v)
	}
	return c
}

var allBenchmarks = []string{"fast.BenchmarkFast", "fast.BenchmarkSub/n=1", "fast.BenchmarkSub/n=2", "fragile.BenchmarkFragile"}

func TestRun(t *testing.T) {
	cfg := testConfig(t)
	cfg.CVMax = 1e-9 // every benchmark is "noisy": each gets the extra round
	cfg.Extra = 1
	cfg.Seed = 42
	cfg.Specs = []string{"a=/x", "b=/x"}
	tcs := []toolchain.Toolchain{local(t, "a"), local(t, "b")}
	m, err := Run(context.Background(), cfg, tcs)
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != results.ManifestFinished || m.Rounds != 3 || m.ExtraRounds != 1 || m.Seed != 42 || len(m.Sessions) != 1 {
		t.Errorf("manifest: status %s, rounds %d+%d, seed %d, %d sessions", m.Status, m.Rounds, m.ExtraRounds, m.Seed, len(m.Sessions))
	}
	if m.Toolchains[0].LoweredGo == "" {
		t.Errorf("go 1.99.0 was not lowered: %+v", m.Toolchains[0])
	}
	if m.Timing.Wall <= 0 || m.Timing.Measured <= 0 || m.Timing.Efficiency <= 0 || m.Timing.Efficiency > 1 {
		t.Errorf("timing = %+v", m.Timing)
	}
	if len(m.Benchmarks) != len(allBenchmarks) {
		t.Fatalf("benchmarks = %+v", m.Benchmarks)
	}
	for _, b := range m.Benchmarks {
		if b.N < 1 || !b.Extra || len(b.PlannedCV) != 2 || b.Noise["a"].Samples != 4 || b.Noise["b"].Class == "" {
			t.Errorf("benchmark record %+v", b)
		}
		// Every sample's round, the extra one included, for the pairing.
		for _, tc := range []string{"a", "b"} {
			if r := b.Rounds[tc]; !slices.Equal(r, []int{0, 1, 2, 3}) {
				t.Errorf("%s under %s: rounds %v, want [0 1 2 3]", b.Name, tc, r)
			}
		}
	}
	disk, err := results.ReadManifest(results.ManifestFile(cfg.Results, results.Platform(), m.Stamp))
	if err != nil || disk.Status != results.ManifestFinished || len(disk.Benchmarks[0].Noise) != 2 {
		t.Errorf("manifest on disk: %+v, %v", disk, err)
	}

	var files []string
	for _, tc := range tcs {
		path := results.RunFile(cfg.Results, results.Platform(), tc.Name, m.Stamp)
		got := counts(t, path)
		for _, b := range allBenchmarks {
			if got[b] != 4 {
				t.Errorf("%s: %d samples of %s, want 3 + 1 extra", tc.Name, got[b], b)
			}
		}
		data, _ := os.ReadFile(path)
		for _, line := range []string{"goos: " + runtime.GOOS, "goarch: " + runtime.GOARCH, "toolchain: " + tc.Version,
			"pkg: example.com/benchmod/fast", "pkg: example.com/benchmod/fragile"} {
			if !strings.Contains(string(data), line+"\n") {
				t.Errorf("%s has no line %q:\n%s", path, line, data)
			}
		}
		if strings.Index(string(data), "toolchain:") > strings.Index(string(data), "Benchmark") {
			t.Errorf("config lines after results in %s", path)
		}
		files = append(files, tc.Name+"="+path)
	}
	out := benchstat(t, files...)
	if header := strings.Fields(out[strings.Index(out, "│"):]); len(header) < 4 || header[1] != "a" || header[3] != "b" {
		t.Errorf("benchstat output has no columns a and b:\n%s", out)
	}
	for _, want := range []string{"Fast-", "Sub/n=1-", "Sub/n=2-", "Fragile-", "sec/op", "B/op", "allocs/op"} {
		if !strings.Contains(out, want) {
			t.Errorf("benchstat output has no %q:\n%s", want, out)
		}
	}

	// The same seed replays the same round orders.
	seen := map[int]bool{}
	for r := range 20 {
		o := roundOrder(m.Seed, r, len(tcs))
		seen[o[0]] = true
		if o2 := roundOrder(m.Seed, r, len(tcs)); !slices.Equal(o, o2) {
			t.Fatalf("round %d order not reproducible", r)
		}
	}
	if len(seen) != 2 {
		t.Errorf("20 rounds all started with the same toolchain")
	}
}

func TestRunFailures(t *testing.T) {
	cfg := testConfig(t)
	cfg.Bench = "."
	cfg.Count = 2
	cfg.SampleTimeout = 5 * time.Second // for BenchmarkHang
	tcs := []toolchain.Toolchain{local(t, "good"), broken(t)}
	m, err := Run(context.Background(), cfg, tcs)
	var fe *FailuresError
	if !errors.As(err, &fe) {
		t.Fatalf("Run = %v, want a FailuresError", err)
	}
	var build, panicked, hung bool
	for _, f := range fe.Failures {
		switch {
		case f.Stage == results.StageBuild && f.Toolchain == "broken" && strings.HasSuffix(f.Pkg, "/fragile") &&
			strings.Contains(f.Output, "fake compile error"):
			build = true
		case f.Stage == results.StageCalibrate && f.Toolchain == "good" && f.Benchmark == "BenchmarkPanic" &&
			strings.Contains(f.Output, "panic: this benchmark always panics"):
			panicked = true
		case f.Stage == results.StageCalibrate && f.Toolchain == "good" && f.Benchmark == "BenchmarkHang" &&
			strings.Contains(f.Err, "timed out after 5s"):
			hung = true
		default:
			t.Errorf("unexpected failure %s", f)
		}
	}
	if !build || !panicked || !hung {
		t.Errorf("failures = %v; want the broken build, the panic and the timeout", fe)
	}
	if m == nil || m.Status != results.ManifestFinished || len(m.Failures) != 3 {
		t.Fatalf("manifest = %+v", m)
	}
	for _, b := range m.Benchmarks {
		// A benchmark that failed under one toolchain has no rounds there;
		// the other toolchain's rounds are whole.
		if r := b.Rounds["broken"]; strings.HasSuffix(b.Pkg, "/fragile") && len(r) != 0 {
			t.Errorf("%s under broken: rounds %v, want none", b.Name, r)
		}
		if r := b.Rounds["good"]; b.Name != "BenchmarkPanic" && b.Name != "BenchmarkHang" && !slices.Equal(r, []int{0, 1}) {
			t.Errorf("%s under good: rounds %v, want [0 1]", b.Name, r)
		}
	}
	good := counts(t, results.RunFile(cfg.Results, results.Platform(), "good", m.Stamp))
	bad := counts(t, results.RunFile(cfg.Results, results.Platform(), "broken", m.Stamp))
	for _, b := range allBenchmarks {
		want := 2
		if good[b] != want {
			t.Errorf("good: %d samples of %s, want %d", good[b], b, want)
		}
		if strings.HasPrefix(b, "fragile.") {
			want = 0
		}
		if bad[b] != want {
			t.Errorf("broken: %d samples of %s, want %d", bad[b], b, want)
		}
	}
}

func TestInterruptAndResume(t *testing.T) {
	cfg := testConfig(t)
	cfg.Count = 4
	tcs := []toolchain.Toolchain{local(t, "a"), local(t, "b")}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	samples := 0
	cfg.afterSample = func(m *results.Manifest) {
		// The manifest on disk is current after every sample: a run
		// killed now would lose nothing it recorded.
		samples++
		disk, err := results.ReadManifest(results.ManifestFile(cfg.Results, results.Platform(), m.Stamp))
		if err != nil || disk.Status != results.ManifestRunning || len(disk.Sessions) != 1 ||
			disk.Sessions[0].Status != results.ManifestRunning || disk.Sessions[0].Samples != samples {
			t.Errorf("manifest on disk after sample %d: %+v, %v", samples, disk, err)
			cancel()
		}
		if samples == 11 { // in the middle of round 2
			cancel()
		}
	}
	m, err := Run(ctx, cfg, tcs)
	if !errors.Is(err, ErrInterrupted) || !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want ErrInterrupted", err)
	}
	if m.Status != results.ManifestInterrupted || m.Rounds != 1 {
		t.Errorf("status %s after %d rounds, want interrupted after 1", m.Status, m.Rounds)
	}
	disk, err := results.ReadManifest(results.ManifestFile(cfg.Results, results.Platform(), m.Stamp))
	if err != nil || disk.Status != results.ManifestInterrupted {
		t.Fatalf("manifest on disk: %+v, %v", disk, err)
	}
	total := 0
	for _, tc := range tcs {
		for _, n := range counts(t, results.RunFile(cfg.Results, results.Platform(), tc.Name, m.Stamp)) {
			total += n
		}
	}
	if total != 11 {
		t.Errorf("%d samples on disk, want the 11 finished ones", total)
	}

	cfg.afterSample = nil
	cfg.Resume = true
	cfg.Dir = t.TempDir() // the resume builds the recorded module
	m2, err := Run(context.Background(), cfg, tcs)
	if err != nil {
		t.Fatal(err)
	}
	if m2.Stamp != m.Stamp || m2.Status != results.ManifestFinished || m2.Rounds != 4 || len(m2.Sessions) != 2 || m2.Seed != m.Seed {
		t.Errorf("resumed: stamp %s (was %s), status %s, %d rounds, %d sessions", m2.Stamp, m.Stamp, m2.Status, m2.Rounds, len(m2.Sessions))
	}
	for i, b := range m2.Benchmarks {
		if b.N != m.Benchmarks[i].N {
			t.Errorf("%s: N %d on resume, was %d", b.Name, b.N, m.Benchmarks[i].N)
		}
		// The resumed rounds continue the interrupted ones: the pairing
		// of the whole run holds.
		for _, tc := range []string{"a", "b"} {
			if r := b.Rounds[tc]; !slices.Equal(r, []int{0, 1, 2, 3}) {
				t.Errorf("%s under %s after resume: rounds %v, want [0 1 2 3]", b.Name, tc, r)
			}
		}
	}
	var files []string
	for _, tc := range tcs {
		path := results.RunFile(cfg.Results, results.Platform(), tc.Name, m.Stamp)
		for _, b := range allBenchmarks {
			if n := counts(t, path)[b]; n != 4 {
				t.Errorf("%s: %d samples of %s after resume, want 4", tc.Name, n, b)
			}
		}
		files = append(files, path)
	}
	out := benchstat(t, files...)
	if !strings.Contains(out, "Fragile-") {
		t.Errorf("benchstat after resume:\n%s", out)
	}

	if _, err := Run(context.Background(), cfg, tcs); !errors.Is(err, ErrNothingToResume) {
		t.Errorf("resuming a finished run: %v, want ErrNothingToResume", err)
	}
}

func TestStrict(t *testing.T) {
	cfg := testConfig(t)
	cfg.Strict = true
	cfg.sysRoot = fakeSys(t, map[string]string{"proc/loadavg": "99.0 99.0 99.0 1/1 1\n", "proc/meminfo": quietMeminfo})
	_, err := Run(context.Background(), cfg, []toolchain.Toolchain{local(t, "a")})
	var ce *CheckError
	if !errors.As(err, &ce) || len(ce.Failed) != 1 || ce.Failed[0].Name != "load" {
		t.Fatalf("Run = %v, want a CheckError for load", err)
	}
	if _, err := os.Stat(cfg.Results); !os.IsNotExist(err) {
		t.Errorf("strict failure wrote results: %v", err)
	}
}

func TestRunBadToolchains(t *testing.T) {
	cfg := testConfig(t)
	for _, tcs := range [][]toolchain.Toolchain{
		nil,
		{{Name: "a", GOROOT: "/x"}, {Name: "a", GOROOT: "/y"}},
		{{Name: "../up", GOROOT: "/x"}},
		{{Name: "a"}},
	} {
		if _, err := Run(context.Background(), cfg, tcs); err == nil {
			t.Errorf("Run(%v): no error", tcs)
		}
	}
}

// cancelOn is a progress writer that cancels when a line contains what.
type cancelOn struct {
	testWriter
	what   string
	cancel context.CancelFunc
}

func (w *cancelOn) Write(b []byte) (int, error) {
	if strings.Contains(string(b), w.what) {
		w.cancel()
	}
	return w.testWriter.Write(b)
}

// onLine is a progress writer that calls f with what is written.
type onLine struct {
	testWriter
	f func(line string)
}

func (w *onLine) Write(b []byte) (int, error) {
	w.f(string(b))
	return w.testWriter.Write(b)
}

// TestInterruptCalibration interrupts a run during calibration: the run is
// recorded as uncalibrated, and a resume calibrates again and runs every
// benchmark.
func TestInterruptCalibration(t *testing.T) {
	cfg := testConfig(t)
	cfg.Count = 2
	tcs := []toolchain.Toolchain{local(t, "a"), local(t, "b")}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg.Progress = &cancelOn{testWriter: testWriter{t: t}, what: "calibrating", cancel: cancel}
	m, err := Run(ctx, cfg, tcs)
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("Run = %v, want ErrInterrupted", err)
	}
	// No sample: the run is empty, its session interrupted.
	if m.Status != results.ManifestEmpty || m.Sessions[0].Status != results.ManifestInterrupted || !m.Uncalibrated || len(m.Benchmarks) != 0 {
		t.Fatalf("interrupted in calibration: status %s (session %s), uncalibrated %v, benchmarks %+v",
			m.Status, m.Sessions[0].Status, m.Uncalibrated, m.Benchmarks)
	}

	cfg.Progress = &testWriter{t: t}
	cfg.Resume = true
	cfg.Dir, cfg.Bench = t.TempDir(), "NoSuchBenchmark" // the recorded ones are used
	m2, err := Run(context.Background(), cfg, tcs)
	if err != nil {
		t.Fatal(err)
	}
	if m2.Stamp != m.Stamp || m2.Status != results.ManifestFinished || m2.Uncalibrated || len(m2.Benchmarks) != len(allBenchmarks) {
		t.Fatalf("resumed: stamp %s (was %s), status %s, uncalibrated %v, benchmarks %+v",
			m2.Stamp, m.Stamp, m2.Status, m2.Uncalibrated, m2.Benchmarks)
	}
	for _, tc := range tcs {
		path := results.RunFile(cfg.Results, results.Platform(), tc.Name, m.Stamp)
		got := counts(t, path)
		for _, b := range allBenchmarks {
			if got[b] != cfg.Count {
				t.Errorf("%s: %d samples of %s after resume, want %d", tc.Name, got[b], b, cfg.Count)
			}
		}
		if data, _ := os.ReadFile(path); strings.Count(string(data), "toolchain: ") != 1 {
			t.Errorf("%s: header written more than once:\n%s", path, data)
		}
	}
}

// TestRunAlternatives runs a regexp with top-level alternatives, which the
// testing package treats as alternatives, not as a regexp for each level.
func TestRunAlternatives(t *testing.T) {
	cfg := testConfig(t)
	cfg.Count = 1
	cfg.Bench = "Fast|Sub/n=1"
	m, err := Run(context.Background(), cfg, []toolchain.Toolchain{local(t, "a")})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range m.Benchmarks {
		names = append(names, b.Name)
	}
	if want := []string{"BenchmarkFast", "BenchmarkSub/n=1"}; !slices.Equal(names, want) {
		t.Errorf("benchmarks %q, want %q", names, want)
	}
	got := counts(t, results.RunFile(cfg.Results, results.Platform(), "a", m.Stamp))
	if len(got) != 2 || got["fast.BenchmarkFast"] != 1 || got["fast.BenchmarkSub/n=1"] != 1 {
		t.Errorf("samples %v, want one of Fast and Sub/n=1", got)
	}
}

// TestResumeBuildFailures checks that a resume, which builds again, records
// a build failure once, not once per session.
func TestResumeBuildFailures(t *testing.T) {
	cfg := testConfig(t)
	cfg.Count = 2
	cfg.Bench = "Fast|Fragile"
	tcs := []toolchain.Toolchain{local(t, "good"), broken(t)}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg.afterSample = func(*results.Manifest) { cancel() }
	if _, err := Run(ctx, cfg, tcs); !errors.Is(err, ErrInterrupted) {
		t.Fatalf("Run = %v, want ErrInterrupted", err)
	}
	cfg.afterSample = nil
	cfg.Resume = true
	m, err := Run(context.Background(), cfg, tcs)
	var fe *FailuresError
	if !errors.As(err, &fe) {
		t.Fatalf("resumed Run = %v, want a FailuresError", err)
	}
	if m.Status != results.ManifestFinished || len(m.Failures) != 1 || m.Failures[0].Stage != results.StageBuild || m.Failures[0].Toolchain != "broken" {
		t.Errorf("resumed: status %s, failures %v; want the one build failure", m.Status, m.Failures)
	}
}

// TestResumeOtherGOMAXPROCS checks that a run is not resumed under another
// GOMAXPROCS, which would change the benchmarks' names in the results.
func TestResumeOtherGOMAXPROCS(t *testing.T) {
	cfg := testConfig(t)
	cfg.Resume = true
	tcs := []toolchain.Toolchain{{Name: "a", Version: "go1.26.1", GOROOT: "/nonexistent"}}
	procs := runtime.GOMAXPROCS(0)
	stamp := results.Stamp(time.Now())
	m := &results.Manifest{Stamp: stamp, Platform: results.Platform(), Status: results.ManifestInterrupted,
		Toolchains: []results.ToolchainRecord{{Name: "a", Version: "go1.26.1"}},
		Machine:    results.Machine{GOMAXPROCS: procs + 1}}
	path := results.ManifestFile(cfg.Results, results.Platform(), stamp)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := results.WriteManifest(path, m); err != nil {
		t.Fatal(err)
	}
	_, err := Run(context.Background(), cfg, tcs)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("GOMAXPROCS=%d", procs)) ||
		!strings.Contains(err.Error(), fmt.Sprintf("GOMAXPROCS=%d", procs+1)) {
		t.Fatalf("Run = %v, want an error naming GOMAXPROCS %d and %d", err, procs+1, procs)
	}
}

// TestRunLiars runs benchmarks that print lines looking like results: only
// the line of the benchmark that ran is recorded, once per sample, and
// only if benchfmt can read it back.
func TestRunLiars(t *testing.T) {
	cfg := testConfig(t)
	cfg.Pkgs, cfg.Bench, cfg.Count = "./liars", ".", 2
	tcs := []toolchain.Toolchain{local(t, "a"), local(t, "b")}
	m, err := Run(context.Background(), cfg, tcs)
	var fe *FailuresError
	if !errors.As(err, &fe) {
		t.Fatalf("Run = %v, want a FailuresError", err)
	}
	// BenchmarkHugeMetric fails its calibration under the baseline;
	// BenchmarkOwnLine, printing its own line, its warm-up under both.
	fails := map[string]int{}
	for _, f := range fe.Failures {
		switch {
		case f.Benchmark == "BenchmarkHugeMetric" && f.Stage == results.StageCalibrate && f.Toolchain == "a" &&
			strings.Contains(f.Err, "result line is 70") && strings.Contains(f.Err, fmt.Sprintf("longer than the %d bytes benchfmt reads", maxResultLine)):
			if len(f.Output) > 2*tailLines*tailLineBytes {
				t.Errorf("the failure keeps %d bytes of output", len(f.Output))
			}
		case f.Benchmark == "BenchmarkOwnLine" && f.Stage == results.StageWarmup && strings.Contains(f.Err, "2 result lines for BenchmarkOwnLine"):
		default:
			t.Errorf("unexpected failure %s", f)
			continue
		}
		fails[f.Benchmark]++
	}
	if fails["BenchmarkHugeMetric"] != 1 || fails["BenchmarkOwnLine"] != 2 {
		t.Errorf("failures %v, want BenchmarkHugeMetric once and BenchmarkOwnLine under both toolchains", fails)
	}
	var names []string
	for _, b := range m.Benchmarks {
		names = append(names, b.Name)
	}
	if want := []string{"BenchmarkFakeLine", "BenchmarkOwnLine"}; !slices.Equal(names, want) {
		t.Errorf("benchmarks %q, want %q (no phantom from the printed lines)", names, want)
	}
	var files []string
	for _, tc := range tcs {
		path := results.RunFile(cfg.Results, results.Platform(), tc.Name, m.Stamp)
		if got := counts(t, path); len(got) != 1 || got["liars.BenchmarkFakeLine"] != 2 {
			t.Errorf("%s: samples %v, want 2 of BenchmarkFakeLine alone", tc.Name, got)
		}
		data, _ := os.ReadFile(path)
		if strings.Contains(string(data), "Injected") {
			t.Errorf("%s has a printed line:\n%.500s", path, data)
		}
		files = append(files, tc.Name+"="+path)
	}
	if out := benchstat(t, files...); !strings.Contains(out, "FakeLine") {
		t.Errorf("benchstat:\n%s", out)
	}
}

// TestRunNoBenchmarks: a regexp or a package that selects nothing is an
// error naming both, and the empty run leaves no result file.
func TestRunNoBenchmarks(t *testing.T) {
	for _, tt := range []struct{ bench, pkgs string }{
		{"NoSuch", "./fast"},
		{"Fast", "./nope"},
	} {
		t.Run(tt.pkgs+":"+tt.bench, func(t *testing.T) {
			cfg := testConfig(t)
			cfg.Bench, cfg.Pkgs = tt.bench, tt.pkgs
			m, err := Run(context.Background(), cfg, []toolchain.Toolchain{local(t, "a")})
			if !errors.Is(err, ErrNoBenchmarks) || !strings.Contains(err.Error(), strconv.Quote(tt.bench)) || !strings.Contains(err.Error(), tt.pkgs) {
				t.Fatalf("Run = %v, want ErrNoBenchmarks naming %q and %s", err, tt.bench, tt.pkgs)
			}
			if errors.As(err, new(*FailuresError)) {
				t.Errorf("Run = %v: a FailuresError says the run has results", err)
			}
			checkEmpty(t, cfg, m.Stamp, results.ManifestFinished)
		})
	}
}

// checkEmpty checks that the run stamp recorded no sample: no result
// file, and a manifest saying so, whose last session ended with status.
func checkEmpty(t *testing.T, cfg Config, stamp, status string) {
	t.Helper()
	if files, _ := filepath.Glob(filepath.Join(cfg.Results, "*", "*", stamp+".txt")); len(files) > 0 {
		t.Errorf("an empty run wrote %v", files)
	}
	m, err := results.ReadManifest(results.ManifestFile(cfg.Results, results.Platform(), stamp))
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != results.ManifestEmpty || len(m.Sessions) != 1 || m.Sessions[0].Status != status || m.Sessions[0].Samples != 0 {
		t.Errorf("manifest: status %s, sessions %+v; want empty, one session %s", m.Status, m.Sessions, status)
	}
}

// TestInterruptBeforeFirstSample: a run interrupted before its first
// sample does not hide the run before it, and can still be resumed.
func TestInterruptBeforeFirstSample(t *testing.T) {
	cfg := testConfig(t)
	cfg.Bench, cfg.Count = "Fast", 1
	tcs := []toolchain.Toolchain{local(t, "a")}
	earlier := results.RunFile(cfg.Results, results.Platform(), "a", "20200101T000000Z")
	if err := os.MkdirAll(filepath.Dir(earlier), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(earlier, []byte("pkg: example.com/benchmod/fast\nBenchmarkFast 100 5 ns/op\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var atBuild *results.Manifest // the manifest on disk when the build starts
	cfg.Progress = &onLine{testWriter: testWriter{t: t}, f: func(line string) {
		if strings.Contains(line, "building") {
			ms, _ := filepath.Glob(filepath.Join(cfg.Results, results.Platform(), "*.json"))
			if len(ms) == 1 {
				atBuild, _ = results.ReadManifest(ms[0])
			}
		}
		if strings.Contains(line, "warming up") {
			cancel()
		}
	}}
	m, err := Run(ctx, cfg, tcs)
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("Run = %v, want ErrInterrupted", err)
	}
	if atBuild == nil || len(atBuild.Sessions) != 1 || atBuild.Sessions[0].Status != results.ManifestRunning {
		t.Errorf("manifest on disk before the build: %+v, want one with the session running", atBuild)
	}
	checkEmpty(t, cfg, m.Stamp, results.ManifestInterrupted)
	if stamp, err := results.Newest(cfg.Results, results.Platform(), "a"); err != nil || stamp != "20200101T000000Z" {
		t.Errorf("newest run = %s, %v; want the earlier one", stamp, err)
	}

	cfg.Progress = &testWriter{t: t}
	cfg.Resume = true
	m2, err := Run(context.Background(), cfg, tcs)
	if err != nil || m2.Stamp != m.Stamp || m2.Status != results.ManifestFinished {
		t.Fatalf("resumed: %v, %+v", err, m2)
	}
	if got := counts(t, results.RunFile(cfg.Results, results.Platform(), "a", m.Stamp)); got["fast.BenchmarkFast"] != 1 {
		t.Errorf("resumed run's samples: %v", got)
	}
}
