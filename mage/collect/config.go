package collect

import (
	"github.com/perftrack/perftrack/mage/results"

	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"time"
)

// Config configures Run. The zero value of a field means its default.
type Config struct {
	Count     int           // planned rounds: samples per benchmark per toolchain (default 20)
	Benchtime time.Duration // target time of one sample, calibrated to an iteration count (default 3s, at most MaxBenchtime)
	Bench     string        // benchmark regexp, as for go test -bench (default ".")
	Pkgs      string        // packages of the benchmark module, space or comma separated (default "./...")
	Dir       string        // the benchmark module's directory (default "benchmarks")
	Results   string        // results root (default "results/stable")
	Strict    bool          // a failed system check stops the run before it starts
	Quick     bool          // recorded only: the caller chose Count and Benchtime from the quick profile
	// Hostname records the machine's host name in the manifest's
	// fingerprint; off, because results are shared and published.
	Hostname bool
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
	sysRoot     string                    // root of /proc and /sys (default "/")
	afterSample func(m *results.Manifest) // called after each recorded sample, once the manifest on disk has it
}

// Defaults and limits of Config.
const (
	DefaultCount       = 20
	DefaultBenchtime   = 3 * time.Second
	DefaultBench       = "."
	DefaultPkgs        = "./..."
	DefaultDir         = "benchmarks"
	DefaultCVMax       = 0.10
	DefaultLockTimeout = time.Hour
	// MaxBenchtime bounds Benchtime: a longer sample is a mistake in
	// the settings (a unit forgotten), and the default sample timeout,
	// ten times the benchtime, must not overflow.
	MaxBenchtime = 24 * time.Hour
)

// ConfigError reports a Config field whose value Run does not accept. Run
// returns it before it takes the lock, builds or writes anything.
type ConfigError struct {
	Field string // the Config field, e.g. "CVMax"
	Value string // its value, formatted
	Want  string // what would be accepted
	Err   error  // the underlying error, if any (a regexp's syntax error)
}

// Error names the field, its value and what would be accepted.
func (e *ConfigError) Error() string {
	return fmt.Sprintf("collect: Config.%s = %s: want %s", e.Field, e.Value, e.Want)
}

// Unwrap returns the underlying error.
func (e *ConfigError) Unwrap() error { return e.Err }

// Validate reports the first field of c that Run would not accept, as a
// *ConfigError; zero values, which mean the defaults, are accepted. Run
// calls it first; a caller may call it earlier, before installing
// toolchains, to report bad settings at once.
func (c Config) Validate() error {
	switch {
	case c.Count < 0:
		return &ConfigError{Field: "Count", Value: strconv.Itoa(c.Count), Want: "a number of samples >= 1 (0 for the default)"}
	case c.Benchtime < 0 || c.Benchtime > MaxBenchtime:
		return &ConfigError{Field: "Benchtime", Value: c.Benchtime.String(), Want: "a duration > 0 and <= " + MaxBenchtime.String() + " (0 for the default)"}
	case c.Extra < 0:
		return &ConfigError{Field: "Extra", Value: strconv.Itoa(c.Extra), Want: "a number of extra rounds >= 0"}
	case math.IsNaN(c.CVMax) || math.IsInf(c.CVMax, 0) || c.CVMax < 0:
		// NaN compares false with everything: every benchmark would be
		// quiet, and the extra budget silently unused.
		return &ConfigError{Field: "CVMax", Value: fmt.Sprint(c.CVMax), Want: "a finite fraction > 0, such as 0.10 (0 for the default)"}
	case c.SampleTimeout < 0:
		return &ConfigError{Field: "SampleTimeout", Value: c.SampleTimeout.String(), Want: "a duration > 0 (0 for the default)"}
	case c.Pkgs != "" && len(splitPkgs(c.Pkgs)) == 0:
		return &ConfigError{Field: "Pkgs", Value: strconv.Quote(c.Pkgs), Want: "package patterns separated by spaces or commas"}
	}
	if err := CheckBench(c.Bench); err != nil {
		return &ConfigError{Field: "Bench", Value: strconv.Quote(c.Bench), Want: "a go test -bench regexp (" + err.Error() + ")", Err: err}
	}
	return nil
}

// withDefaults validates c and fills in the defaults.
func (c Config) withDefaults() (Config, error) {
	if err := c.Validate(); err != nil {
		return c, err
	}
	if c.Count == 0 {
		c.Count = DefaultCount
	}
	if c.Benchtime == 0 {
		c.Benchtime = DefaultBenchtime
	}
	if c.Bench == "" {
		c.Bench = DefaultBench
	}
	if c.Pkgs == "" {
		c.Pkgs = DefaultPkgs
	}
	if c.Dir == "" {
		c.Dir = DefaultDir
	}
	if c.Results == "" {
		c.Results = filepath.FromSlash(results.DefaultRoot)
	}
	if c.CVMax == 0 {
		c.CVMax = DefaultCVMax
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
