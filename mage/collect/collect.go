package collect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/perftrack/perftrack/mage/results"
	"github.com/perftrack/perftrack/mage/stats"
)

// Toolchain is a resolved toolchain: Collect builds and runs the benchmarks
// with the go command in GOROOT/bin.
type Toolchain struct {
	// Name names the results directory: a Go version (go1.27.3) or a
	// user's label. It must pass results.CheckName.
	Name string
	// Version is what the toolchain's go command reports (go env
	// GOVERSION); it is written as the "toolchain:" config line and
	// decides whether the module's go line must be lowered.
	Version string
	// GOROOT is the toolchain's root directory.
	GOROOT string
}

// Config configures Run. The zero value of a field means its default.
type Config struct {
	Count     int           // planned rounds: samples per benchmark per toolchain (default 20)
	Benchtime time.Duration // target time of one sample, calibrated to an iteration count (default 3s)
	Bench     string        // benchmark regexp, as for go test -bench (default ".")
	Pkgs      string        // packages of the benchmark module, space or comma separated (default "./...")
	Dir       string        // the benchmark module's directory (default "benchmarks")
	Results   string        // results root (default "results/stable")
	Strict    bool          // a failed system check stops the run before it starts
	Quick     bool          // recorded only: the caller chose Count and Benchtime from the quick profile
	// Resume continues the newest interrupted run of the same toolchains
	// (same names, same order, same versions) until every benchmark has
	// Count samples; the run's other settings, seed and calibrated
	// iteration counts are kept.
	Resume bool
	CVMax  float64 // coefficient of variation above which a benchmark gets extra rounds (default 0.10)
	// Extra is the budget of extra rounds for noisy benchmarks, fixed in
	// advance. Unlike the other fields, 0 means none (the PERF_EXTRA
	// default of 10 comes from the caller's settings).
	Extra int
	Seed  uint64   // seed of the per-round toolchain order; 0 picks one at random (recorded either way)
	Specs []string // the specs the toolchains were resolved from, recorded in the manifest and the lock

	// Progress receives progress: a bar when it is a terminal, else a
	// plain line every ProgressInterval. Nil shows none.
	Progress         io.Writer
	ProgressInterval time.Duration // default DefaultProgressInterval
	// Out receives findings: system checks, ignored GOFLAGS, failures as
	// they happen, the final timing. Nil discards them.
	Out io.Writer

	LockFile    string        // default DefaultLockFile()
	LockTimeout time.Duration // how long to wait for another Collect (default DefaultLockTimeout; negative: do not wait)
	// SampleTimeout bounds one run of a test binary (default 10 x
	// Benchtime + 1 minute); a sample that takes longer is a failure.
	SampleTimeout time.Duration

	// Test hooks.
	sysRoot     string            // root of /proc and /sys (default "/")
	afterSample func(m *Manifest) // called after each recorded sample
}

// Defaults of Config.
const (
	DefaultCount       = 20
	DefaultBenchtime   = 3 * time.Second
	DefaultCVMax       = 0.10
	DefaultLockTimeout = time.Hour
)

// Note: calibration and warm-up run shorter than a sample. Calibration
// only needs the time per op (the testing package ramps b.N up to the
// target time, so a fifth of it estimates ns/op well); warm-up only needs
// to page in the binary and settle first-run effects. Both are overhead
// that efficiency counts against us.
const (
	calibrateFraction = 5  // calibration runs Benchtime / 5
	warmupFraction    = 10 // warm-up runs N / 10 iterations
)

// ErrInterrupted is returned (wrapped with the ctx's error) when ctx is
// cancelled: finished samples are kept and the manifest says interrupted.
var ErrInterrupted = errors.New("collect interrupted")

// CheckError is returned when Config.Strict is set and system checks failed.
type CheckError struct {
	Failed []Check
}

func (e *CheckError) Error() string {
	var s []string
	for _, c := range e.Failed {
		s = append(s, c.Name+": "+c.Detail)
	}
	return "system checks failed (strict): " + strings.Join(s, "; ")
}

func (c Config) withDefaults() (Config, error) {
	if c.Count == 0 {
		c.Count = DefaultCount
	}
	if c.Benchtime == 0 {
		c.Benchtime = DefaultBenchtime
	}
	if c.Count < 0 || c.Benchtime < 0 {
		return c, fmt.Errorf("collect: Count and Benchtime must be positive")
	}
	if c.Bench == "" {
		c.Bench = "."
	}
	if c.Pkgs == "" {
		c.Pkgs = "./..."
	}
	if c.Dir == "" {
		c.Dir = "benchmarks"
	}
	if c.Results == "" {
		c.Results = filepath.Join("results", "stable")
	}
	if c.CVMax == 0 {
		c.CVMax = DefaultCVMax
	}
	if c.Extra < 0 {
		c.Extra = 0
	}
	if c.ProgressInterval == 0 {
		c.ProgressInterval = DefaultProgressInterval
	}
	if c.Out == nil {
		c.Out = io.Discard
	}
	if c.LockFile == "" {
		p, err := DefaultLockFile()
		if err != nil {
			return c, err
		}
		c.LockFile = p
	}
	if c.LockTimeout == 0 {
		c.LockTimeout = DefaultLockTimeout
	}
	if c.SampleTimeout == 0 {
		c.SampleTimeout = 10*c.Benchtime + time.Minute
	}
	if c.sysRoot == "" {
		c.sysRoot = "/"
	}
	dir, err := filepath.Abs(c.Dir)
	if err != nil {
		return c, err
	}
	c.Dir = dir
	return c, nil
}

// Run collects the benchmarks of the module in cfg.Dir under every
// toolchain, the first being the baseline:
//
//  1. take the machine lock (one Collect per machine) and run the system checks;
//  2. build each package's test binary once per toolchain (go test -c);
//  3. calibrate each benchmark's iteration count N under the baseline;
//  4. run one discarded warm-up sample per benchmark per toolchain;
//  5. run cfg.Count rounds; each runs every benchmark under every
//     toolchain, in a toolchain order shuffled per round, appending each
//     sample to the toolchain's result file as soon as it is done;
//  6. give benchmarks noisier than cfg.CVMax cfg.Extra more rounds;
//  7. record everything in the manifest.
//
// It returns the manifest and, when packages or benchmarks failed, a
// *FailuresError (after finishing the others); when ctx is cancelled, an
// error wrapping ErrInterrupted; with cfg.Strict and failed checks, a
// *CheckError before anything is written.
func Run(ctx context.Context, cfg Config, tcs []Toolchain) (*Manifest, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if len(tcs) == 0 {
		return nil, errors.New("collect: no toolchains")
	}
	seen := map[string]bool{}
	for _, tc := range tcs {
		if err := results.CheckName(tc.Name); err != nil {
			return nil, fmt.Errorf("collect: %w", err)
		}
		if seen[tc.Name] {
			return nil, fmt.Errorf("collect: toolchain %s given twice", tc.Name)
		}
		seen[tc.Name] = true
		if tc.GOROOT == "" {
			return nil, fmt.Errorf("collect: toolchain %s has no GOROOT", tc.Name)
		}
	}
	specs := cfg.Specs
	if len(specs) == 0 {
		for _, tc := range tcs {
			specs = append(specs, tc.Name)
		}
	}
	host, _ := os.Hostname()
	lock, lockCheck, err := acquireLock(ctx, cfg.LockFile, cfg.LockTimeout,
		Holder{PID: os.Getpid(), Started: time.Now(), Specs: specs, Host: host}, cfg.Out)
	if err != nil {
		return nil, err
	}
	defer lock.release()

	c := &collector{cfg: cfg, platform: results.Platform(), procs: runtime.GOMAXPROCS(0), started: time.Now()}
	return c.run(ctx, tcs, specs, lockCheck)
}

// collector is the state of one Run.
type collector struct {
	cfg      Config
	platform string
	procs    int // GOMAXPROCS of the children, for their -procs name suffix
	started  time.Time

	m        *Manifest
	mpath    string
	tcs      []*tcState
	pkgDirs  map[string]string // import path -> directory
	pkgs     []string          // import paths in build order
	header   []string          // file-level config lines from the first test binary output
	measured time.Duration
	samples  int
	prog     *progress
}

// tcState is one toolchain during a run.
type tcState struct {
	Toolchain
	env       []string
	modfile   string            // -modfile argument, if go.mod was rewritten
	loweredGo string            // the go line written there, if it was lowered
	bins      map[string]string // import path -> test binary
	file      *resultFile
	values    map[sampleKey][]float64 // ns/op of every recorded sample
	failed    map[sampleKey]bool      // benchmarks that failed under this toolchain
}

// runs reports whether tc runs b: it built b's package and b has not
// failed under it.
func (tc *tcState) runs(b *BenchmarkRecord) bool {
	return tc.bins[b.Pkg] != "" && !tc.failed[sampleKey{b.Pkg, b.Name}]
}

func (c *collector) run(ctx context.Context, tcs []Toolchain, specs []string, lockCheck Check) (*Manifest, error) {
	cfg := c.cfg
	sys := sysinfo{cfg.sysRoot}
	checks := append(systemChecks(sys, runtime.GOOS, runtime.NumCPU()), lockCheck)
	var failed []Check
	for _, ch := range checks {
		fmt.Fprintf(cfg.Out, "collect: %s\n", ch)
		if ch.Status == CheckFailed {
			failed = append(failed, ch)
		}
	}
	if cfg.Strict && len(failed) > 0 {
		return nil, &CheckError{Failed: failed}
	}

	if cfg.Resume {
		m, err := findResumable(cfg.Results, c.platform, tcs)
		if err != nil {
			return nil, err
		}
		// The result lines carry the children's GOMAXPROCS as a name
		// suffix: under another one, the samples on disk would not be
		// counted as the same benchmarks, nor be comparable.
		if p := m.Machine.GOMAXPROCS; p != 0 && p != c.procs {
			return nil, fmt.Errorf("collect: cannot resume %s: it ran with GOMAXPROCS=%d, this process has GOMAXPROCS=%d (set GOMAXPROCS=%d to resume it)",
				m.Stamp, p, c.procs, p)
		}
		c.m = m
		m.Settings.Count = cfg.Count
		c.useRecorded()
		for i, tc := range tcs {
			m.Toolchains[i].GOROOT = tc.GOROOT // same version, possibly moved
		}
		fmt.Fprintf(cfg.Out, "collect: resuming %s (%d of %d planned rounds done)\n", m.Stamp, m.Rounds, cfg.Count)
	} else {
		seed := cfg.Seed
		for seed == 0 {
			seed = rand.Uint64()
		}
		c.m = &Manifest{
			Stamp:    c.freeStamp(tcs),
			Platform: c.platform,
			Specs:    specs,
			Seed:     seed,
			Settings: Settings{
				Count: cfg.Count, Benchtime: cfg.Benchtime.String(), Bench: cfg.Bench, Pkgs: cfg.Pkgs,
				Dir: cfg.Dir, CVMax: cfg.CVMax, Extra: cfg.Extra, Strict: cfg.Strict, Quick: cfg.Quick,
			},
		}
		for _, tc := range tcs {
			c.m.Toolchains = append(c.m.Toolchains, ToolchainRecord{
				Name: tc.Name, Version: tc.Version, GOROOT: tc.GOROOT,
				File: filepath.Join(c.platform, tc.Name, c.m.Stamp+".txt"),
			})
		}
	}
	c.m.Status = StatusRunning
	c.m.Checks = checks
	c.m.Machine = fingerprint(sys)
	c.mpath = results.ManifestFile(cfg.Results, c.platform, c.m.Stamp)

	err := c.collect(ctx, tcs)
	closeErr := c.closeFiles()
	if ctx.Err() != nil {
		return c.end(StatusInterrupted, errors.Join(fmt.Errorf("%w: %w", ErrInterrupted, context.Cause(ctx)), closeErr))
	}
	if err != nil {
		// An I/O error on the results (not a benchmark failure): the run
		// stopped, and can be resumed like an interrupted one.
		return c.end(StatusInterrupted, errors.Join(err, closeErr))
	}
	// Every sample was synced as it was written, so the run is finished
	// even if closing a file failed; the error says so.
	m, err := c.end(StatusFinished, closeErr)
	if len(m.Failures) > 0 {
		err = errors.Join(err, &FailuresError{Failures: m.Failures})
	}
	return m, err
}

// closeFiles closes the result files and returns their errors, joined.
func (c *collector) closeFiles() error {
	var errs []error
	for _, tc := range c.tcs {
		if tc.file == nil {
			continue
		}
		if err := tc.file.Close(); err != nil {
			errs = append(errs, fmt.Errorf("closing the result file of %s: %w", tc.Name, err))
		}
	}
	return errors.Join(errs...)
}

// useRecorded makes a resumed run use the settings its manifest recorded,
// not the caller's (but for Count): the same module directory, packages,
// benchmark regexp, benchtime (for a calibration interrupted before it
// finished), noise threshold and extra rounds.
func (c *collector) useRecorded() {
	s := c.m.Settings
	if s.Dir != "" {
		c.cfg.Dir = s.Dir
	}
	if s.Pkgs != "" {
		c.cfg.Pkgs = s.Pkgs
	}
	if s.Bench != "" {
		c.cfg.Bench = s.Bench
	}
	if bt, err := time.ParseDuration(s.Benchtime); err == nil && bt > 0 {
		if c.cfg.SampleTimeout == 10*c.cfg.Benchtime+time.Minute { // the default
			c.cfg.SampleTimeout = 10*bt + time.Minute
		}
		c.cfg.Benchtime = bt
	}
	c.cfg.CVMax, c.cfg.Extra = s.CVMax, s.Extra
}

// freeStamp returns the stamp of now, or of a later second if a run with
// that stamp exists (two runs started within one second).
func (c *collector) freeStamp(tcs []Toolchain) string {
	t := c.started
	for {
		stamp := results.Stamp(t)
		free := !exists(results.ManifestFile(c.cfg.Results, c.platform, stamp))
		for _, tc := range tcs {
			free = free && !exists(results.RunFile(c.cfg.Results, c.platform, tc.Name, stamp))
		}
		if free {
			return stamp
		}
		t = t.Add(time.Second)
	}
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// end records the session and writes the manifest, if the run got as far
// as creating its files.
func (c *collector) end(status string, err error) (*Manifest, error) {
	m := c.m
	m.Status = status
	m.Machine.LoadAfter, _ = sysinfo{c.cfg.sysRoot}.load()
	wall := time.Since(c.started)
	m.Sessions = append(m.Sessions, Session{
		Started: c.started, Status: status, Samples: c.samples, Timing: newTiming(wall.Seconds(), c.measured.Seconds()),
	})
	var w, meas float64
	for _, s := range m.Sessions {
		w += s.Timing.Wall
		meas += s.Timing.Measured
	}
	m.Timing = newTiming(w, meas)
	c.noise()
	if c.prog != nil {
		c.prog.finish()
	}
	if c.tcsHaveFiles() {
		if werr := writeManifest(c.mpath, m); werr != nil {
			return m, errors.Join(err, fmt.Errorf("writing the manifest: %w", werr))
		}
	}
	fmt.Fprintf(c.cfg.Out, "collect: %s: %d samples; wall %s, measured %s, efficiency %.0f%%\n",
		status, c.samples, wall.Round(time.Second), c.measured.Round(time.Second), 100*m.Sessions[len(m.Sessions)-1].Timing.Efficiency)
	return m, err
}

func (c *collector) tcsHaveFiles() bool {
	for _, tc := range c.tcs {
		if tc.file != nil {
			return true
		}
	}
	return false
}

// fail records and prints a failure.
func (c *collector) fail(f Failure) {
	c.m.Failures = append(c.m.Failures, f)
	c.prog.clear()
	fmt.Fprintf(c.cfg.Out, "collect: FAIL %s\n", f)
}

// dropFailures removes the recorded failures of the given stages, before
// a resumed run does those stages again.
func (c *collector) dropFailures(stages ...string) {
	c.m.Failures = slices.DeleteFunc(c.m.Failures, func(f Failure) bool {
		return slices.Contains(stages, f.Stage)
	})
}

// say prints a phase line on the progress writer.
func (c *collector) say(format string, args ...any) {
	if c.cfg.Progress != nil {
		fmt.Fprintf(c.cfg.Progress, "collect: "+format+"\n", args...)
	}
}

// collect does the work between the checks and the final manifest.
func (c *collector) collect(ctx context.Context, tcs []Toolchain) error {
	cfg := c.cfg
	tmp, err := os.MkdirTemp("", "perftrack-collect-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	if cfg.Resume {
		c.dropFailures(StageList, StageBuild) // recorded again by this build
	}
	c.say("building %s under %d toolchains", c.m.Settings.Pkgs, len(tcs))
	c.pkgDirs = map[string]string{}
	for i, tc := range tcs {
		env, dropped := ChildEnv(os.Environ(), tc.GOROOT)
		if len(dropped) > 0 && i == 0 {
			fmt.Fprintf(cfg.Out, "collect: ignoring GOFLAGS %s: they would change what is benchmarked\n", strings.Join(dropped, " "))
		}
		st := &tcState{Toolchain: tc, env: env, bins: map[string]string{},
			values: map[sampleKey][]float64{}, failed: map[sampleKey]bool{}}
		c.tcs = append(c.tcs, st)
		if err := c.build(ctx, st, filepath.Join(tmp, fmt.Sprint(i))); err != nil {
			return err
		}
		c.m.Toolchains[i].LoweredGo = st.loweredGo
	}

	// A new run calibrates; so does a resumed one whose calibration was
	// interrupted. If ctx is cancelled before calibration finishes, the
	// run is recorded as uncalibrated (with its empty result files), so
	// that a resume calibrates again rather than running a partial set.
	fresh := !cfg.Resume || c.m.Uncalibrated
	if fresh {
		c.m.Benchmarks = nil
		if cfg.Resume {
			c.dropFailures(StageCalibrate) // recorded again by this calibration
		}
		if ctx.Err() == nil {
			if err := c.calibrate(ctx); err != nil {
				return err
			}
		}
		c.m.Uncalibrated = ctx.Err() != nil
		if c.m.Uncalibrated {
			c.m.Benchmarks = nil // a partial set
		}
	}

	if err := c.openFiles(fresh); err != nil {
		return err
	}
	if err := writeManifest(c.mpath, c.m); err != nil {
		return fmt.Errorf("writing the manifest: %w", err)
	}
	if c.m.Uncalibrated {
		return nil
	}

	c.say("warming up")
	for _, tc := range c.tcs {
		for i := range c.m.Benchmarks {
			b := &c.m.Benchmarks[i]
			if ctx.Err() != nil {
				return nil
			}
			if !tc.runs(b) {
				continue
			}
			if err := c.sample(ctx, tc, b, max(1, b.N/warmupFraction), StageWarmup, -1); err != nil {
				return err
			}
		}
	}

	planned := func(*BenchmarkRecord) int { return cfg.Count }
	c.prog = newProgress(cfg.Progress, c.remaining(planned), cfg.ProgressInterval)
	if err := c.rounds(ctx, planned); err != nil || ctx.Err() != nil {
		return err
	}

	if !c.m.ExtraDecided {
		c.decideExtra()
		if err := writeManifest(c.mpath, c.m); err != nil {
			return fmt.Errorf("writing the manifest: %w", err)
		}
	}
	withExtra := func(b *BenchmarkRecord) int {
		if b.Extra {
			return cfg.Count + c.m.Settings.Extra
		}
		return cfg.Count
	}
	c.prog.addTotal(c.remaining(withExtra))
	return c.rounds(ctx, withExtra)
}

// reconcileRounds makes the recorded rounds of tc's samples match the
// result file a resume found: samples written after the manifest was
// last saved (the process died mid-round) come from the rounds after the
// recorded ones. Round r only ever runs a toolchain that has exactly r
// samples of a benchmark, so each unrecorded sample's round is its index.
func (c *collector) reconcileRounds(tc *tcState) {
	for i := range c.m.Benchmarks {
		b := &c.m.Benchmarks[i]
		have := len(tc.values[sampleKey{b.Pkg, b.Name}])
		rec := b.Rounds[tc.Name]
		if len(rec) > have {
			rec = rec[:have] // a sample the file lost cannot be paired
		}
		for j := len(rec); j < have; j++ {
			rec = append(rec, j)
		}
		if have > 0 {
			if b.Rounds == nil {
				b.Rounds = map[string][]int{}
			}
			b.Rounds[tc.Name] = rec
		}
	}
}

// openFiles creates the result files when fresh, or opens them when
// resuming and reads the samples they already hold. A fresh resume (of a
// run interrupted before calibration finished) replaces the files, which
// hold no samples, so that they get the header of this calibration.
func (c *collector) openFiles(fresh bool) error {
	header := c.header
	if len(header) == 0 {
		header = []string{"goos: " + runtime.GOOS, "goarch: " + runtime.GOARCH}
	}
	for _, tc := range c.tcs {
		path := results.RunFile(c.cfg.Results, c.platform, tc.Name, c.m.Stamp)
		var err error
		if !fresh {
			if tc.file, err = openResultFile(path); err != nil {
				return fmt.Errorf("resuming: %w", err)
			}
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			tc.values, err = readSamples(f, c.procs)
			f.Close()
			if err != nil {
				return fmt.Errorf("reading %s: %w", path, err)
			}
			c.reconcileRounds(tc)
			for _, fl := range c.m.Failures {
				if fl.Toolchain == tc.Name && fl.Benchmark != "" {
					tc.failed[sampleKey{fl.Pkg, fl.Benchmark}] = true
				}
			}
			continue
		}
		if c.cfg.Resume {
			if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
				return fmt.Errorf("resuming: %w", err)
			}
		}
		h := append(append([]string(nil), header...), "toolchain: "+tc.Version)
		if tc.file, err = createResultFile(path, h); err != nil {
			return fmt.Errorf("creating the result file: %w", err)
		}
	}
	return nil
}

// remaining counts the samples still to run to reach target.
func (c *collector) remaining(target func(*BenchmarkRecord) int) int {
	n := 0
	for i := range c.m.Benchmarks {
		b := &c.m.Benchmarks[i]
		for _, tc := range c.tcs {
			k := sampleKey{b.Pkg, b.Name}
			if tc.runs(b) {
				n += max(0, target(b)-len(tc.values[k]))
			}
		}
	}
	return n
}

// rounds runs rounds until every benchmark has target(b) samples under
// every toolchain. Round r runs, for each benchmark, each toolchain that
// has exactly r samples of it, in the order of round r's shuffle; so a
// resumed run first completes the round it was interrupted in.
func (c *collector) rounds(ctx context.Context, target func(*BenchmarkRecord) int) error {
	first, last := math.MaxInt, 0
	for i := range c.m.Benchmarks {
		b := &c.m.Benchmarks[i]
		for _, tc := range c.tcs {
			k := sampleKey{b.Pkg, b.Name}
			if !tc.runs(b) || len(tc.values[k]) >= target(b) {
				continue
			}
			first = min(first, len(tc.values[k]))
			last = max(last, target(b))
		}
	}
	for r := first; r < last; r++ {
		order := c.order(r)
		for i := range c.m.Benchmarks {
			b := &c.m.Benchmarks[i]
			k := sampleKey{b.Pkg, b.Name}
			for _, tc := range order {
				if ctx.Err() != nil {
					return nil
				}
				if !tc.runs(b) || len(tc.values[k]) != r || r >= target(b) {
					continue
				}
				c.prog.describe(r+1, last, tc.Name, b.Pkg)
				if err := c.sample(ctx, tc, b, b.N, StageSample, r); err != nil {
					return err
				}
			}
		}
		if r < c.cfg.Count {
			c.m.Rounds = r + 1
		} else {
			c.m.ExtraRounds = r + 1 - c.cfg.Count
		}
		if ctx.Err() == nil {
			if err := writeManifest(c.mpath, c.m); err != nil {
				return fmt.Errorf("writing the manifest: %w", err)
			}
		}
	}
	return nil
}

// order returns the toolchains in round r's order: a shuffle seeded by
// (Seed, r), so that the order of any round can be replayed.
func (c *collector) order(r int) []*tcState {
	order := append([]*tcState(nil), c.tcs...)
	rng := rand.New(rand.NewPCG(c.m.Seed, uint64(r)))
	rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	return order
}

// decideExtra marks the benchmarks noisier than CVMax under any toolchain
// after the planned rounds.
func (c *collector) decideExtra() {
	c.m.ExtraDecided = true
	if c.m.Settings.Extra <= 0 {
		return
	}
	var extra []string
	for i := range c.m.Benchmarks {
		b := &c.m.Benchmarks[i]
		cvs := map[string]float64{}
		for _, tc := range c.tcs {
			if v, ok := stats.CV(tc.values[sampleKey{b.Pkg, b.Name}]); ok {
				cvs[tc.Name] = v
			}
		}
		if noisy(cvs, c.m.Settings.CVMax) {
			b.Extra, b.PlannedCV = true, cvs
			extra = append(extra, b.Name)
		}
	}
	if len(extra) > 0 {
		c.prog.clear()
		fmt.Fprintf(c.cfg.Out, "collect: %d extra rounds for %d benchmarks noisier than %.0f%%: %s\n",
			c.m.Settings.Extra, len(extra), 100*c.m.Settings.CVMax, strings.Join(extra, ", "))
	}
}

// noise records each benchmark's final spread per toolchain.
func (c *collector) noise() {
	for i := range c.m.Benchmarks {
		b := &c.m.Benchmarks[i]
		ns := map[string]Noise{}
		for _, tc := range c.tcs {
			vs := tc.values[sampleKey{b.Pkg, b.Name}]
			if len(vs) == 0 {
				continue
			}
			n := Noise{Samples: len(vs)}
			if v, ok := stats.CV(vs); ok {
				n.CV, n.Class = v, stats.NoiseClass(v)
			}
			ns[tc.Name] = n
		}
		b.Noise = ns
	}
}
