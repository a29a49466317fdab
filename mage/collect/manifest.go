package collect

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/perftrack/perftrack/mage/results"
	"github.com/perftrack/perftrack/mage/stats"

	"github.com/perftrack/perftrack/mage/internal/atomicfile"
)

// Statuses of a run.
const (
	StatusRunning     = "running"     // in progress, or the process died (a stale lock-free "running" run can be resumed)
	StatusFinished    = "finished"    // every planned and extra round done
	StatusInterrupted = "interrupted" // stopped by ctx (Ctrl-C, SIGTERM); Config.Resume continues it
	// StatusEmpty is a run that holds no sample, however it ended
	// (its last session's status says how): interrupted before its first
	// sample, no benchmark matched, every package or benchmark failed. It
	// wrote no result file, so it hides no earlier run. One interrupted
	// can be resumed.
	StatusEmpty = results.ManifestEmpty
)

// Manifest is the record of one run, written as <stamp>.json beside the
// toolchain directories (results.ManifestFile). It is written before the
// first sample and rewritten after every one, so it is current even if
// the process is killed.
type Manifest struct {
	Stamp    string   `json:"stamp"`
	Platform string   `json:"platform"`
	Status   string   `json:"status"`
	Specs    []string `json:"specs,omitempty"`
	Settings Settings `json:"settings"`
	// Seed is the seed of the per-round toolchain order: round r shuffles
	// the toolchains with a PCG seeded (Seed, r), so a run can be replayed.
	Seed       uint64            `json:"seed"`
	Toolchains []ToolchainRecord `json:"toolchains"`
	Benchmarks []BenchmarkRecord `json:"benchmarks"`
	// Header is the file-level config lines (goos, goarch, cpu) each
	// result file starts with, before its "toolchain:" line; a resume
	// gives them to a file it creates.
	Header []string `json:"header,omitempty"`
	// Uncalibrated says the run was interrupted before calibration
	// finished: Benchmarks is incomplete, the result files hold no
	// samples, and a resume calibrates again.
	Uncalibrated bool `json:"uncalibrated,omitempty"`
	// ExtraDecided says the noise decision after the planned rounds was made.
	ExtraDecided bool      `json:"extra_decided"`
	Rounds       int       `json:"rounds"`       // planned rounds done
	ExtraRounds  int       `json:"extra_rounds"` // extra rounds done
	Checks       []Check   `json:"checks"`       // of the latest session
	Machine      Machine   `json:"machine"`      // of the latest session
	Sessions     []Session `json:"sessions"`     // the first run and each resume
	Timing       Timing    `json:"timing"`       // over all sessions
	Failures     []Failure `json:"failures,omitempty"`
}

// Settings are the settings a run was made with.
type Settings struct {
	Count     int     `json:"count"`
	Benchtime string  `json:"benchtime"`
	Bench     string  `json:"bench"`
	Pkgs      string  `json:"pkgs"`
	Dir       string  `json:"dir"`
	CVMax     float64 `json:"cv_max"`
	Extra     int     `json:"extra"`
	Strict    bool    `json:"strict"`
	Quick     bool    `json:"quick"`
}

// ToolchainRecord is one toolchain of a run.
type ToolchainRecord struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	GOROOT  string `json:"goroot"`
	// File is the result file, relative to the results root. It exists
	// once the toolchain has a sample.
	File string `json:"file"`
	// LoweredGo is the go line the module was built with when it had to
	// be lowered for this toolchain (via -modfile); empty otherwise.
	LoweredGo string `json:"lowered_go,omitempty"`
}

// BenchmarkRecord is one benchmark of a run.
type BenchmarkRecord struct {
	Pkg  string `json:"pkg"`
	Name string `json:"name"` // full name without the -GOMAXPROCS suffix
	// N is the calibrated iteration count every sample runs (-test.benchtime=Nx).
	N int64 `json:"n"`
	// CalibratedBy names the toolchain N was calibrated under: the
	// baseline, unless the package did not build under it.
	CalibratedBy string `json:"calibrated_by"`
	// Extra says the benchmark got the extra rounds; PlannedCV holds, per
	// toolchain, the coefficients of variation after the planned rounds
	// that decided it.
	Extra     bool               `json:"extra,omitempty"`
	PlannedCV map[string]float64 `json:"planned_cv,omitempty"`
	// Noise is, per toolchain name, the spread of the final samples.
	Noise map[string]Noise `json:"noise,omitempty"`
	// Rounds is, per toolchain name, the round (from 0) of each sample
	// in the result file, in file order: the i-th samples of two
	// toolchains with the same round were taken back to back and are
	// compared as a pair. A failed or missing sample leaves a hole in
	// its toolchain's list; it never shifts the others.
	Rounds map[string][]int `json:"rounds,omitempty"`
}

// Noise is the spread of a benchmark's sec/op samples under one toolchain.
// With fewer than two samples, or a zero mean, the spread is not known:
// CV is 0 and Class is empty.
type Noise struct {
	Samples int     `json:"samples"`
	CV      float64 `json:"cv"`
	Class   string  `json:"class"` // stats.NoiseGood ... stats.NoiseVeryHigh; empty: not enough samples
}

// Describe fills in what m knows of the result file of its toolchain
// name, for a comparison: the run (platform/stamp; inputs of one run
// compare pair by pair), GOMAXPROCS, the rounds of each benchmark's
// samples and the failed system checks. It leaves in as it is when m
// has no toolchain of that name.
func (m *Manifest) Describe(in *stats.Input, name string) {
	if !slices.ContainsFunc(m.Toolchains, func(t ToolchainRecord) bool { return t.Name == name }) {
		return
	}
	in.Run = m.Platform + "/" + m.Stamp
	in.Procs = m.Machine.GOMAXPROCS
	for _, b := range m.Benchmarks {
		if r, ok := b.Rounds[name]; ok {
			if in.Rounds == nil {
				in.Rounds = map[stats.RoundKey][]int{}
			}
			in.Rounds[stats.RoundKey{Pkg: b.Pkg, Name: strings.TrimPrefix(b.Name, "Benchmark")}] = r
		}
	}
	for _, c := range m.Checks {
		if c.Status == CheckFailed {
			in.FailedChecks = append(in.FailedChecks, c.Name+": "+c.Detail)
		}
	}
}

// Session is one call of Run on the run: the first, then each resume. It
// is in the manifest from the session's start, with Status
// StatusRunning until it ends (and for good if the process was killed).
type Session struct {
	Started time.Time `json:"started"`
	Status  string    `json:"status"`
	Samples int       `json:"samples"`
	Timing  Timing    `json:"timing"`
}

// Timing compares the time spent measuring with the wall time.
type Timing struct {
	// Wall is the time from taking the lock to the end, in seconds.
	Wall float64 `json:"wall_seconds"`
	// Measured is the sum of iterations x time per op over every recorded
	// sample, in seconds: the time the benchmarks were actually timed.
	Measured float64 `json:"measured_seconds"`
	// Efficiency is Measured / Wall: what building, calibrating, warming
	// up, starting processes and the benchmarks' own setup cost.
	Efficiency float64 `json:"efficiency"`
}

// newTiming returns the Timing of wall and measured seconds.
func newTiming(wall, measured float64) Timing {
	t := Timing{Wall: wall, Measured: measured}
	if t.Wall > 0 {
		t.Efficiency = t.Measured / t.Wall
	}
	return t
}

// writeManifest writes m to path atomically (a temporary file renamed over it).
func writeManifest(path string, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "\t")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, append(b, '\n'), 0o644)
}

// ReadManifest reads a manifest written by Run.
func ReadManifest(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &m, nil
}

// resumable reports whether Config.Resume may continue m: it did not
// finish. An empty run that finished (nothing matched, everything
// failed) has nothing to continue; one interrupted or killed has.
func (m *Manifest) resumable() bool {
	switch m.Status {
	case StatusFinished:
		return false
	case StatusEmpty:
		return len(m.Sessions) > 0 && m.Sessions[len(m.Sessions)-1].Status != StatusFinished
	}
	return true
}

// ErrNothingToResume is returned (wrapped) by Run with Config.Resume when
// no interrupted run of the same toolchains exists.
var ErrNothingToResume = errors.New("no interrupted run to resume")

// findResumable returns the newest run under root for this platform that
// did not finish and has the same toolchain names, in the same order.
// Its toolchains must still report the versions it recorded.
func findResumable(root, platform string, tcs []Toolchain) (*Manifest, error) {
	paths, err := filepath.Glob(filepath.Join(root, platform, "*.json"))
	if err != nil {
		return nil, err
	}
	slices.Sort(paths)
	var names []string
	for _, tc := range tcs {
		names = append(names, tc.Name)
	}
	for _, p := range slices.Backward(paths) {
		stamp := strings.TrimSuffix(filepath.Base(p), ".json")
		if _, err := time.Parse(results.StampLayout, stamp); err != nil {
			continue
		}
		m, err := ReadManifest(p)
		if err != nil || !m.resumable() {
			continue
		}
		var got []string
		for _, t := range m.Toolchains {
			got = append(got, t.Name)
		}
		if !slices.Equal(got, names) {
			continue
		}
		for i, t := range m.Toolchains {
			if t.Version != tcs[i].Version {
				return nil, fmt.Errorf("cannot resume %s: %s was %s and is now %s", p, t.Name, t.Version, tcs[i].Version)
			}
		}
		return m, nil
	}
	return nil, fmt.Errorf("%w of %s in %s", ErrNothingToResume, strings.Join(names, ","), filepath.Join(root, platform))
}
