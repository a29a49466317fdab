package collect

import (
	"fmt"
	"io"
	"path/filepath"
	"time"
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

// withDefaults fills in the defaults.
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
		c.LockFile = DefaultLockFile()
	}
	if c.LockTimeout == 0 {
		c.LockTimeout = DefaultLockTimeout
	}
	if c.SampleTimeout == 0 {
		c.SampleTimeout = defaultSampleTimeout(c.Benchtime)
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

// defaultSampleTimeout is the SampleTimeout of a benchtime: generous,
// because a benchmark's setup is not part of its benchtime.
func defaultSampleTimeout(benchtime time.Duration) time.Duration {
	return 10*benchtime + time.Minute
}
