package explain

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
)

// SchemaVersion is the version of the explanation's JSON (the "schema"
// field); it changes when a field is removed or changes meaning.
const SchemaVersion = 1

// Statuses of an explanation.
const (
	StatusRunning     = "running"     // in progress, or the process died
	StatusFinished    = "finished"    // every selected regression was explained or failed
	StatusInterrupted = "interrupted" // stopped by ctx; the regressions done are kept
)

// An Explanation is what Run found for the regressions of one run, as
// it is written to the run's explain.json (results.ExplanationFile) and
// printed. See the package documentation for its JSON.
type Explanation struct {
	Schema   int    `json:"schema"`
	Run      string `json:"run"` // platform/stamp
	Baseline string `json:"baseline"`
	Status   string `json:"status"`
	// Budget is the time each toolchain spends profiling one benchmark
	// (per profile kind), in at least Rounds runs (each Result says how
	// many it got).
	Budget Number `json:"budget_seconds"`
	Rounds int    `json:"rounds"`
	Wall   Number `json:"wall_seconds"`
	// Waited is the part of Wall spent waiting for the machine lock.
	Waited Number `json:"waited_seconds"`
	// Skipped are the regressions not explained, each with the reason.
	Skipped []string `json:"skipped"`
	// Regressions are the explained ones, largest first.
	Regressions []*Result `json:"regressions"`
}

// A Result is the explanation of one regression.
type Result struct {
	Pkg       string `json:"pkg"`
	Benchmark string `json:"benchmark"`
	Row       string `json:"row"`
	Unit      string `json:"unit"`
	Baseline  string `json:"baseline"`
	Toolchain string `json:"toolchain"`
	// Delta is the measured relative change (+0.18: 18% worse);
	// MeasuredBase and MeasuredNew are the medians, in Unit.
	Delta        Number `json:"delta"`
	MeasuredBase Number `json:"measured_base"`
	MeasuredNew  Number `json:"measured_new"`

	Profile    Kind   `json:"profile"`     // cpu or mem
	SampleType string `json:"sample_type"` // cpu, alloc_space or alloc_objects (-sample_index)
	ValueUnit  string `json:"value_unit"`  // ns/op, B/op or allocs/op: the unit of every value below
	// Rounds runs of Iterations each, under each toolchain; the
	// operations each side's profile covers (their sum, as the test
	// binaries report them).
	Rounds     int   `json:"rounds"`
	Iterations int64 `json:"iterations"`
	BaseOps    int64 `json:"base_ops"`
	NewOps     int64 `json:"new_ops"`
	MemRate    int   `json:"memprofilerate,omitempty"`
	// BaseSamples and NewSamples are the CPU samples of each side
	// (CPU profiles only).
	BaseSamples int64 `json:"base_samples,omitempty"`
	NewSamples  int64 `json:"new_samples,omitempty"`
	// Base, New and Change are the whole profiles per op and their
	// difference; MeasuredChange is the benchmark's own (the medians'
	// difference), which Change should come near.
	Base           Number `json:"base"`
	New            Number `json:"new"`
	Change         Number `json:"change"`
	MeasuredChange Number `json:"measured_change"`
	// Flat and Cum are the functions with the largest increase per op,
	// in their own code and with their callees; Cum leaves out
	// OmittedCallers functions on (nearly) every stack of both sides.
	Flat           []Func `json:"flat"`
	Cum            []Func `json:"cum"`
	OmittedCallers int    `json:"omitted_callers"`
	// BaseProfile and NewProfile are the merged profiles, relative to
	// the results root; Pprof is the command that shows their
	// difference (in totals over the same number of operations).
	// Ignored is the regexp of the frames whose samples the comparison
	// leaves out (as go tool pprof -ignore): the testing package's
	// first call of the benchmark, with b.N = 1.
	Ignored     string   `json:"ignored,omitempty"`
	BaseProfile string   `json:"base_profile,omitempty"`
	NewProfile  string   `json:"new_profile,omitempty"`
	Pprof       string   `json:"pprof,omitempty"`
	Warnings    []string `json:"warnings"`
	// Error says why the regression could not be explained (a build or
	// a run failed); the fields above it are then zero.
	Error string `json:"error,omitempty"`
}

// Number is a float64 that is null in JSON when it is not finite (an
// undefined share, a change from zero).
type Number float64

// MarshalJSON writes n, or null when n is NaN or infinite.
func (n Number) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

// UnmarshalJSON reads a number, or null as NaN.
func (n *Number) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Number(math.NaN())
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*n = Number(f)
	return nil
}

// ReadFile reads an explanation written by Run.
func ReadFile(path string) (*Explanation, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var e Explanation
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if e.Schema != SchemaVersion {
		return nil, fmt.Errorf("%s: explanation schema %d, want %d", path, e.Schema, SchemaVersion)
	}
	return &e, nil
}
