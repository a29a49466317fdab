package collect

import (
	"github.com/perftrack/perftrack/mage/toolchain"

	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/perftrack/perftrack/mage/results"
)

// ErrInterrupted is returned (wrapped with the ctx's error) when ctx is
// cancelled: finished samples are kept and the manifest says interrupted.
var ErrInterrupted = errors.New("collect interrupted")

// ErrNoBenchmarks is returned (wrapped, naming the regexp and the
// packages) when no benchmark of Config.Pkgs matches Config.Bench: a
// mistyped regexp or package must not look like a successful run.
var ErrNoBenchmarks = errors.New("no benchmark matches")

// CheckError is returned when Config.Strict is set and system checks failed.
type CheckError struct {
	Failed []results.Check
}

func (e *CheckError) Error() string {
	var s []string
	for _, c := range e.Failed {
		s = append(s, c.Name+": "+c.Detail)
	}
	return "system checks failed (strict): " + strings.Join(s, "; ")
}

// Run collects the benchmarks of the module in cfg.Dir under every
// toolchain, the first being the baseline:
//
//  1. check cfg (a *ConfigError), take the machine lock (one Collect per
//     machine) and run the system checks;
//  2. write the manifest, with this session in it, and keep it current
//     after every sample, so that even a killed run says what it did;
//  3. build each package's test binary once per toolchain (go test -c);
//  4. calibrate each benchmark's iteration count N under the baseline;
//  5. run one discarded warm-up sample per benchmark per toolchain;
//  6. run cfg.Count rounds; each runs every benchmark under every
//     toolchain, in a toolchain order shuffled per round, appending each
//     sample to the toolchain's result file as soon as it is done (the
//     file is created with its first sample: a toolchain without samples
//     has none, and cannot hide an earlier run);
//  7. give benchmarks noisier than cfg.CVMax cfg.Extra more rounds.
//
// It returns the manifest and, when packages or benchmarks failed, a
// *FailuresError (after finishing the others); when no benchmark matches,
// an error wrapping ErrNoBenchmarks; when ctx is cancelled, an error
// wrapping ErrInterrupted; with cfg.Strict and failed checks, a
// *CheckError before anything is written. A run that recorded no sample
// has the manifest status StatusEmpty.
func Run(ctx context.Context, cfg Config, tcs []toolchain.Toolchain) (*results.Manifest, error) {
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

	m        *results.Manifest
	mpath    string
	tcs      []*tcState
	pkgDirs  map[string]string // import path -> directory
	pkgs     []string          // import paths in build order
	listed   int               // top-level benchmarks the test binaries listed
	measured time.Duration
	samples  int // recorded in this session
	prog     *progress
}

// tcState is one toolchain during a run.
type tcState struct {
	toolchain.Toolchain
	env       []string
	modfile   string                  // -modfile argument, if go.mod was rewritten
	loweredGo string                  // the go line written there, if it was lowered
	bins      map[string]string       // import path -> test binary
	file      *resultFile             // nil until the toolchain's first sample
	values    map[sampleKey][]float64 // ns/op of every recorded sample
	failed    map[sampleKey]bool      // benchmarks that failed under this toolchain
}

// runs reports whether tc runs b: it built b's package and b has not
// failed under it.
func (tc *tcState) runs(b *results.BenchmarkRecord) bool {
	return tc.bins[b.Pkg] != "" && !tc.failed[sampleKey{b.Pkg, b.Name}]
}

func (c *collector) run(ctx context.Context, tcs []toolchain.Toolchain, specs []string, lockCheck results.Check) (*results.Manifest, error) {
	cfg := c.cfg
	sys := sysinfo{cfg.sysRoot}
	checks := append(systemChecks(sys, runtime.GOOS, runtime.NumCPU()), lockCheck)
	var failed []results.Check
	for _, ch := range checks {
		fmt.Fprintf(cfg.Out, "collect: %s\n", ch)
		if ch.Status == results.CheckFailed {
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
		c.m = c.newManifest(tcs, specs)
	}
	c.m.Status = results.ManifestRunning
	c.m.Checks = checks
	c.m.Machine = fingerprint(sys, cfg.Hostname)
	c.m.Sessions = append(c.m.Sessions, results.Session{Started: c.started, Status: results.ManifestRunning})
	c.mpath = results.ManifestFile(cfg.Results, c.platform, c.m.Stamp)
	if err := c.save(); err != nil {
		return nil, fmt.Errorf("collect: %w", err)
	}

	err := c.collect(ctx, tcs)
	closeErr := c.closeFiles()
	if ctx.Err() != nil {
		return c.end(results.ManifestInterrupted, errors.Join(fmt.Errorf("%w: %w", ErrInterrupted, context.Cause(ctx)), closeErr))
	}
	if err != nil {
		// An I/O error on the results (not a benchmark failure): the run
		// stopped, and can be resumed like an interrupted one.
		return c.end(results.ManifestInterrupted, errors.Join(err, closeErr))
	}
	// Every sample was synced as it was written, so the run is finished
	// even if closing a file failed; the error says so.
	m, err := c.end(results.ManifestFinished, closeErr)
	if c.listed == 0 && len(m.Benchmarks) == 0 {
		// A *FailuresError would let a caller take the run for one with
		// results; the failures (say, a package that does not exist)
		// are part of the message instead.
		msg := fmt.Sprintf("%q in %s (module %s)", m.Settings.Bench, m.Settings.Pkgs, m.Settings.Dir)
		if len(m.Failures) > 0 {
			msg += "; " + (&FailuresError{Failures: m.Failures}).Error()
		}
		return m, errors.Join(err, fmt.Errorf("%w %s", ErrNoBenchmarks, msg))
	}
	if len(m.Failures) > 0 {
		err = errors.Join(err, &FailuresError{Failures: m.Failures})
	}
	return m, err
}

// newManifest returns the manifest of a new run.
func (c *collector) newManifest(tcs []toolchain.Toolchain, specs []string) *results.Manifest {
	cfg := c.cfg
	seed := cfg.Seed
	for seed == 0 {
		seed = rand.Uint64()
	}
	m := &results.Manifest{
		Stamp:    c.freeStamp(tcs),
		Platform: c.platform,
		Specs:    specs,
		Seed:     seed,
		Settings: results.RunSettings{
			Count: cfg.Count, Benchtime: cfg.Benchtime.String(), Bench: cfg.Bench, Pkgs: cfg.Pkgs,
			Dir: cfg.Dir, CVMax: cfg.CVMax, Extra: cfg.Extra, Strict: cfg.Strict, Quick: cfg.Quick,
		},
	}
	for _, tc := range tcs {
		m.Toolchains = append(m.Toolchains, results.ToolchainRecord{
			Name: tc.Name, Version: tc.Version, GOROOT: tc.GOROOT,
			File: filepath.Join(c.platform, tc.Name, m.Stamp+".txt"),
		})
	}
	return m
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
		if c.cfg.SampleTimeout == defaultSampleTimeout(c.cfg.Benchtime) {
			c.cfg.SampleTimeout = defaultSampleTimeout(bt)
		}
		c.cfg.Benchtime = bt
	}
	c.cfg.CVMax, c.cfg.Extra = s.CVMax, s.Extra
}

// save brings the manifest's session and timing up to date and writes
// it. Run saves it before building and after every sample, so a run
// killed at any moment (kill -9, a power cut) leaves a manifest that
// lists its session and all but the sample in flight.
func (c *collector) save() error {
	m := c.m
	s := &m.Sessions[len(m.Sessions)-1]
	s.Samples = c.samples
	s.Timing = results.NewTiming(time.Since(c.started).Seconds(), c.measured.Seconds())
	var wall, measured float64
	for _, s := range m.Sessions {
		wall += s.Timing.Wall
		measured += s.Timing.Measured
	}
	m.Timing = results.NewTiming(wall, measured)
	if err := results.WriteManifest(c.mpath, m); err != nil {
		return fmt.Errorf("writing the manifest: %w", err)
	}
	return nil
}

// end records how the session ended and writes the manifest. A run that
// holds no sample, in any session, is StatusEmpty whatever the session's
// status, so readers never take it for results.
func (c *collector) end(status string, err error) (*results.Manifest, error) {
	m := c.m
	m.Sessions[len(m.Sessions)-1].Status = status
	m.Status = status
	if c.totalSamples() == 0 {
		m.Status = results.ManifestEmpty
	}
	m.Machine.LoadAfter, _ = sysinfo{c.cfg.sysRoot}.load()
	c.noise()
	if c.prog != nil {
		c.prog.finish()
	}
	if werr := c.save(); werr != nil {
		err = errors.Join(err, werr)
	}
	s := m.Sessions[len(m.Sessions)-1]
	fmt.Fprintf(c.cfg.Out, "collect: %s: %d samples; wall %s, measured %s, efficiency %.0f%%\n",
		status, c.samples, time.Duration(s.Timing.Wall*float64(time.Second)).Round(time.Second),
		c.measured.Round(time.Second), 100*s.Timing.Efficiency)
	return m, err
}

// totalSamples counts the samples of the run, those of earlier sessions
// (read back from the result files) included.
func (c *collector) totalSamples() int {
	n := 0
	for _, tc := range c.tcs {
		for _, vs := range tc.values {
			n += len(vs)
		}
	}
	return n
}

// fail records and prints a failure.
func (c *collector) fail(f results.Failure) {
	c.m.Failures = append(c.m.Failures, f)
	c.prog.clear()
	fmt.Fprintf(c.cfg.Out, "collect: FAIL %s\n", f)
}

// dropFailures removes the recorded failures of the given stages, before
// a resumed run does those stages again.
func (c *collector) dropFailures(stages ...string) {
	c.m.Failures = slices.DeleteFunc(c.m.Failures, func(f results.Failure) bool {
		return slices.Contains(stages, f.Stage)
	})
}

// say prints a phase line on the progress writer.
func (c *collector) say(format string, args ...any) {
	if c.cfg.Progress != nil {
		fmt.Fprintf(c.cfg.Progress, "collect: "+format+"\n", args...)
	}
}

// collect does the work between the first and the last manifest write:
// build, calibrate, warm up, the planned rounds, the extra rounds.
func (c *collector) collect(ctx context.Context, tcs []toolchain.Toolchain) error {
	cfg := c.cfg
	tmp, err := os.MkdirTemp("", "perftrack-collect-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	if cfg.Resume {
		c.dropFailures(results.StageList, results.StageBuild) // recorded again by this build
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
	// run is recorded as uncalibrated, so that a resume calibrates again
	// rather than running a partial set.
	fresh := !cfg.Resume || c.m.Uncalibrated
	if fresh {
		c.m.Benchmarks, c.m.Header = nil, nil
		if cfg.Resume {
			c.dropFailures(results.StageCalibrate) // recorded again by this calibration
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
	} else {
		c.listed = len(c.m.Benchmarks)
	}
	if err := c.openFiles(fresh); err != nil {
		return err
	}
	if err := c.save(); err != nil {
		return err
	}
	if c.m.Uncalibrated {
		return nil
	}

	if err := c.warmup(ctx); err != nil || ctx.Err() != nil {
		return err
	}

	planned := func(*results.BenchmarkRecord) int { return cfg.Count }
	c.prog = newProgress(cfg.Progress, c.remaining(planned), cfg.ProgressInterval)
	if err := c.rounds(ctx, planned); err != nil || ctx.Err() != nil {
		return err
	}

	if !c.m.ExtraDecided {
		c.decideExtra()
		if err := c.save(); err != nil {
			return err
		}
	}
	withExtra := func(b *results.BenchmarkRecord) int {
		if b.Extra {
			return cfg.Count + c.m.Settings.Extra
		}
		return cfg.Count
	}
	c.prog.addTotal(c.remaining(withExtra))
	return c.rounds(ctx, withExtra)
}
