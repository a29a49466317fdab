package results

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/perftrack/perftrack/mage/internal/atomicfile"
)

// Statuses a manifest records (Manifest.Status, Session.Status).
const (
	ManifestRunning     = "running"     // in progress, or the process died (a stale "running" run can be resumed)
	ManifestFinished    = "finished"    // every planned and extra round done
	ManifestInterrupted = "interrupted" // stopped by Ctrl-C or SIGTERM; collect can resume it
	// ManifestEmpty is a run that holds no sample, however it ended
	// (its last session's status says how): interrupted before its first
	// sample, no benchmark matched, every package or benchmark failed. It
	// wrote no result file, so it hides no earlier run.
	ManifestEmpty = "empty"
)

// Manifest is the record of one run, written as <stamp>.json beside the
// toolchain directories (ManifestFile). It is written before the
// first sample and rewritten after every one, so it is current even if
// the process is killed.
type Manifest struct {
	Stamp    string      `json:"stamp"`
	Platform string      `json:"platform"`
	Status   string      `json:"status"`
	Specs    []string    `json:"specs,omitempty"`
	Settings RunSettings `json:"settings"`
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

// Names reports whether m lists a toolchain of that name.
func (m *Manifest) Names(name string) bool {
	return slices.ContainsFunc(m.Toolchains, func(t ToolchainRecord) bool { return t.Name == name })
}

// Resumable reports whether collect may resume the run: it did not
// finish. An empty run that finished (nothing matched, everything
// failed) has nothing to continue; one interrupted or killed has.
func (m *Manifest) Resumable() bool {
	switch m.Status {
	case ManifestFinished:
		return false
	case ManifestEmpty:
		return len(m.Sessions) > 0 && m.Sessions[len(m.Sessions)-1].Status != ManifestFinished
	}
	return true
}

// RunSettings are the settings a run was made with.
type RunSettings struct {
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
	Class   string  `json:"class"` // a noise class of package stats; empty: not enough samples
}

// Session is one call of Run on the run: the first, then each resume. It
// is in the manifest from the session's start, with Status
// ManifestRunning until it ends (and for good if the process was killed).
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

// NewTiming returns the Timing of wall and measured seconds.
func NewTiming(wall, measured float64) Timing {
	t := Timing{Wall: wall, Measured: measured}
	if t.Wall > 0 {
		t.Efficiency = t.Measured / t.Wall
	}
	return t
}

// Statuses of a Check.
const (
	CheckOK          = "ok"
	CheckFailed      = "failed"
	CheckUnavailable = "unavailable"
)

// A Check is one system check made before a run. Failed checks are printed
// and recorded; with Config.Strict they stop the run before it starts.
type Check struct {
	Name   string `json:"name"`   // governor, load, temperature, memory, swap, collect
	Status string `json:"status"` // CheckOK, CheckFailed or CheckUnavailable
	Detail string `json:"detail"` // what was seen, and what was wanted
}

// String formats the check as collect prints it.
func (c Check) String() string { return fmt.Sprintf("check %s: %s: %s", c.Name, c.Status, c.Detail) }

// Machine is the fingerprint of the machine a run was made on.
type Machine struct {
	Hostname   string     `json:"hostname,omitempty"`
	OS         string     `json:"os"`
	Arch       string     `json:"arch"`
	CPU        string     `json:"cpu,omitempty"` // model name
	Cores      int        `json:"cores"`         // runtime.NumCPU
	GOMAXPROCS int        `json:"gomaxprocs"`
	Kernel     string     `json:"kernel,omitempty"`
	Governor   string     `json:"governor,omitempty"`
	MemoryMiB  int64      `json:"memory_mib,omitempty"` // MemTotal
	LoadBefore [3]float64 `json:"load_before"`          // 1, 5, 15 minute load averages
	LoadAfter  [3]float64 `json:"load_after"`
}

// Stages of the work a Failure can happen in.
const (
	StageList      = "list"
	StageBuild     = "build"
	StageCalibrate = "calibrate"
	StageWarmup    = "warmup"
	StageSample    = "sample"
)

// A Failure is one thing that went wrong without stopping the run: a package
// that did not build under a toolchain, a benchmark that panicked, exited
// non-zero or timed out. The other toolchains, packages and benchmarks go on.
type Failure struct {
	Toolchain string `json:"toolchain"`           // the toolchain's Name
	Pkg       string `json:"pkg"`                 // import path
	Benchmark string `json:"benchmark,omitempty"` // empty for list and build failures
	Stage     string `json:"stage"`               // StageBuild, StageSample, ...
	Err       string `json:"err"`                 // what happened, e.g. "exit status 2"
	Output    string `json:"output,omitempty"`    // the tail of the output
}

// String formats the failure with its output's tail, indented.
func (f Failure) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s %s", f.Toolchain, f.Stage, f.Pkg)
	if f.Benchmark != "" {
		fmt.Fprintf(&b, " %s", f.Benchmark)
	}
	fmt.Fprintf(&b, ": %s", f.Err)
	if f.Output != "" {
		fmt.Fprintf(&b, "\n%s", indent(f.Output, "\t"))
	}
	return b.String()
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// WriteManifest writes m to path atomically (a temporary file renamed
// over it), so a reader never sees half a manifest.
func WriteManifest(path string, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "\t")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, append(b, '\n'), 0o644)
}

// ReadManifest reads a manifest; unknown fields are ignored, missing
// ones are zero (manifests of older collectors).
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
