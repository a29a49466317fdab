package export

import (
	"encoding/json"

	"github.com/perftrack/perftrack/mage/stats"
)

// SchemaVersion is the version of the data files' schema. It changes when a
// field is removed or changes meaning; adding a field does not change it.
// The page refuses data whose schema_version it does not know.
const SchemaVersion = 1

// The data directory written by Export (PERF_DOCS/data) holds:
//
//	platforms.json               PlatformsJSON: every platform, with a display name
//	<platform>/index.json        IndexJSON: the platform's versions, units and benchmarks
//	<platform>/<version>.json    VersionJSON: one version's summaries, samples and comparisons
//	<platform>/series.json       SeriesJSON: each version against the previous one, without samples
//
// Every file is UTF-8 JSON with a schema_version field, written compactly
// and deterministically: lists are sorted as documented on each field, maps
// are encoded with sorted keys, no time of export is recorded, and numbers
// that do not exist (a ratio to a zero median, the CV of one sample) are
// null, never NaN or Inf.
//
// Note: the types below are the schema. Field names in JSON are fixed by
// the tags, not by Go identifiers, so Go code can be renamed freely; the
// page (docs/app.js) reads exactly these names.

// PlatformsJSON is platforms.json.
type PlatformsJSON struct {
	SchemaVersion int `json:"schema_version"`
	// Title is the page's title: Options.Title, else one naming Module,
	// else "Go performance across releases".
	Title string `json:"title"`
	// Module is the benchmark module's path from its go.mod; "" when
	// the export was not given the module.
	Module    string         `json:"module"`
	Platforms []PlatformJSON `json:"platforms"` // sorted by ID
}

// PlatformJSON describes one platform directory of the results tree.
type PlatformJSON struct {
	ID       string `json:"id"`       // directory name, e.g. linux-amd64; also the data subdirectory
	Name     string `json:"name"`     // display name, e.g. "Linux x86-64"
	GOOS     string `json:"goos"`     // "" when the directory name is not <goos>-<goarch>
	GOARCH   string `json:"goarch"`   // likewise
	Versions int    `json:"versions"` // number of versions with results
	Newest   string `json:"newest"`   // the last version in IndexJSON.Versions
}

// IndexJSON is <platform>/index.json.
type IndexJSON struct {
	SchemaVersion int    `json:"schema_version"`
	Platform      string `json:"platform"`
	// Alpha is the significance level of the comparisons.
	Alpha float64 `json:"alpha"`
	// Confidence is the level of the median confidence intervals.
	Confidence float64 `json:"confidence"`
	// Correction names the multiple-comparison correction applied to
	// significant_holm: "holm", over all rows of one comparison.
	Correction string `json:"correction"`
	// Versions are sorted oldest first: Go releases by go/version.Compare,
	// then labels (toolchains that are not releases) by name.
	Versions   []VersionRefJSON `json:"versions"`
	Units      []UnitJSON       `json:"units"`      // sec/op, B/op, allocs/op first, then others by name
	Categories []string         `json:"categories"` // sorted
	Benchmarks []BenchmarkJSON  `json:"benchmarks"` // sorted by ID
	// Series is the file name of the platform's SeriesJSON, relative to
	// index.json; "" when a version's file has that name (the page then
	// reads every VersionJSON instead).
	Series string `json:"series"`
}

// SeriesJSON is <platform>/series.json: every version's comparison with
// the previous one, what the page's whole-series view draws, in one file
// a fraction of the size of the version files, which also carry samples
// and the comparisons with the oldest version.
type SeriesJSON struct {
	SchemaVersion int    `json:"schema_version"`
	Platform      string `json:"platform"`
	// Steps has one entry per version after the oldest, in
	// IndexJSON.Versions order: its VersionJSON's "previous" comparison.
	Steps []SeriesStepJSON `json:"steps"`
}

// SeriesStepJSON is one version's comparison with the previous version.
type SeriesStepJSON struct {
	Target string `json:"target"` // the version's name
	ComparisonJSON
}

// VersionRefJSON names one version of a platform and its file.
type VersionRefJSON struct {
	Name       string `json:"name"`       // toolchain directory name, e.g. go1.27.3
	File       string `json:"file"`       // file name of its VersionJSON, relative to index.json
	Release    bool   `json:"release"`    // a Go release name (go/version.IsValid), not a label
	Stamp      string `json:"stamp"`      // the run stamp of the newest run, results.StampLayout
	Date       string `json:"date"`       // the same instant in RFC 3339, UTC
	Benchmarks int    `json:"benchmarks"` // number of benchmarks with results
}

// UnitJSON describes a unit present in the platform's results.
type UnitJSON struct {
	Unit string `json:"unit"` // as tidied by benchfmt: sec/op, B/op, allocs/op, B/s, or a custom unit
	// Label is what the page shows: time/op for sec/op, else the unit.
	Label string `json:"label"`
	// Better is -1 when lower is better, 1 when higher is better, 0 when
	// unknown (a custom unit without "Unit x better=..." metadata).
	Better int `json:"better"`
}

// BenchmarkJSON describes one benchmark across every version of a platform.
type BenchmarkJSON struct {
	// ID is "<category>:<name>", unique within the platform.
	ID string `json:"id"`
	// Name is the benchmark's full name without "Benchmark" and without
	// the -GOMAXPROCS suffix, e.g. Fib/n=10.
	Name    string `json:"name"`
	Package string `json:"package"` // import path, from the pkg: line of the result file
	// Category is the name Options.Categories gives the package, else its
	// directory relative to the benchmark module, or for the module's
	// root package the module path's last element (never "."); the
	// import path for a package outside the module.
	Category string `json:"category"`
	// Description is the first sentence of the Benchmark function's doc
	// comment, "" when the source was not found.
	Description string `json:"description"`
	// Source is the file declaring the Benchmark function, slash-separated
	// and relative to the repository root; "" when not found.
	Source string   `json:"source"`
	Line   int      `json:"line"`  // line of the declaration in Source, 0 when not found
	Units  []string `json:"units"` // units reported, in IndexJSON.Units order
	// Noise is the benchmark's noise class, the worst over its
	// versions: the class Collect recorded in the run manifest (noise by
	// toolchain) when there is one, else the class of MaxCV with Collect's
	// thresholds: "good" (CV < 5%), "acceptable" (< 10%), "warning"
	// (< 15%), "high" (< 30%), "very high"; "unknown" without either.
	Noise string `json:"noise"`
	// MaxCV is the largest coefficient of variation (stddev/mean) of the
	// benchmark over its versions and units; null when none exists.
	MaxCV *float64 `json:"max_cv"`
	// Versions is the number of versions with results for it.
	Versions int `json:"versions"`
}

// VersionJSON is <platform>/<version>.json: the newest run of one
// toolchain on one platform.
type VersionJSON struct {
	SchemaVersion int    `json:"schema_version"`
	Platform      string `json:"platform"`
	Version       string `json:"version"`
	Stamp         string `json:"stamp"`
	Date          string `json:"date"`
	// Source is the result file, slash-separated and relative to the results root.
	Source string `json:"source"`
	// Config is the file-level configuration of the result file (goos,
	// goarch, cpu, toolchain...), the first value seen for each key; pkg
	// is left out (it varies by benchmark: see BenchmarkJSON.Package).
	Config map[string]string `json:"config"`
	// Manifest is the run manifest (<stamp>.json beside the version
	// directories, written by Collect), slash-separated and relative to
	// the results root; "" when the run has none.
	Manifest string `json:"manifest"`
	// Machine and Checks are the manifest's "machine" (the fingerprint:
	// CPU, cores, kernel, governor, memory, load) and "checks" (the system
	// checks) passed through unchanged, except that Machine has no
	// "hostname" unless the export was asked to keep it
	// (Options.KeepHostname); null without a manifest.
	Machine json.RawMessage `json:"machine"`
	Checks  json.RawMessage `json:"checks"`
	// Results are sorted by benchmark ID, then unit in IndexJSON.Units order.
	Results []ResultJSON `json:"results"`
	// Comparisons hold this version against the previous one and against
	// the oldest one (both absent for the oldest version).
	Comparisons []ComparisonJSON `json:"comparisons"`
	// Explanations are the regressions of this version that explain
	// profiled in its run (the run's explain.json), sorted by ID then
	// unit; absent when there are none.
	Explanations []ExplanationJSON `json:"explanations,omitempty"`
}

// ExplanationJSON is where a regression of this version against the
// run's baseline went: the functions that grew most per op, from
// mage/explain.
type ExplanationJSON struct {
	ID        string `json:"id"`         // BenchmarkJSON.ID
	Unit      string `json:"unit"`       // the regressed unit: sec/op, B/op or allocs/op
	Base      string `json:"base"`       // the baseline version it regressed against
	ValueUnit string `json:"value_unit"` // ns/op, B/op or allocs/op: the unit of the values below
	// Change is the whole profiles' growth per op, MeasuredChange the
	// medians' difference in ValueUnit; null when undefined.
	Change         *float64 `json:"change"`
	MeasuredChange *float64 `json:"measured_change"`
	// Flat are the functions that grew most in their own code, at most
	// five, largest first.
	Flat     []FuncJSON `json:"flat"`
	Pprof    string     `json:"pprof"` // the go tool pprof command that shows the same difference
	Warnings []string   `json:"warnings"`
	Error    string     `json:"error,omitempty"` // why it could not be explained
}

// FuncJSON is one function of an explanation, per op in ValueUnit.
type FuncJSON struct {
	Function string   `json:"function"`
	Base     *float64 `json:"base"`
	New      *float64 `json:"new"`
	Delta    *float64 `json:"delta"`
	Share    *float64 `json:"share"` // of the whole profiles' growth; null when they did not grow
}

// ResultJSON summarizes one benchmark in one unit.
type ResultJSON struct {
	ID     string  `json:"id"`     // BenchmarkJSON.ID
	Unit   string  `json:"unit"`   // UnitJSON.Unit
	N      int     `json:"n"`      // number of samples
	Median float64 `json:"median"` // benchstat's center
	// Lo and Hi are the confidence interval of the median (benchstat's);
	// null when it is unbounded (too few samples).
	Lo     *float64  `json:"lo"`
	Hi     *float64  `json:"hi"`
	CV     *float64  `json:"cv"`     // sample stddev / mean; null for n < 2 or mean 0
	Values []float64 `json:"values"` // the samples in file order
	// Noise is the sample's noise class: "exact" when its n >= 2 values
	// are all one value (no spread: counts such as allocs/op), else
	// mage/stats' class of CV ("good" < 5%, "acceptable" < 10%,
	// "warning" < 15%, "high" < 30%, "very high"), "unknown" without a CV.
	Noise string `json:"noise"`
	// Warnings are benchstat's, e.g. "need >= 6 samples for confidence interval at level 0.95".
	Warnings []string `json:"warnings"`
}

// ComparisonJSON compares this version (the target) with a base version.
type ComparisonJSON struct {
	Kind string `json:"kind"` // "previous" or "oldest"
	Base string `json:"base"` // the base version's name
	// Comparisons counts the rows below. The Holm correction runs per
	// unit over the rows that are tests (not Exact).
	Comparisons int `json:"comparisons"`
	// Rows are sorted like VersionJSON.Results; only benchmarks and
	// units present in both versions, in results of one machine (the
	// same cpu: line), have a row. A benchmark missing on one side has no
	// row, never a row with null fields: the page tells "missing" from the
	// two versions' Results (a ResultJSON on one side only), as it lists
	// every benchmark of IndexJSON.Benchmarks.
	Rows []DeltaJSON `json:"rows"`
	// Geomean is per unit, in IndexJSON.Units order: the geometric mean of
	// target/base median ratios over the rows with positive medians.
	Geomean []GeomeanJSON `json:"geomean"`
	// Interleaved says both versions come from one run of Collect,
	// interleaved round by round (their manifest names both); otherwise
	// drift of the machine between runs can show as changes.
	Interleaved bool `json:"interleaved"`
	// FailedChecks are the system checks that failed in the runs of the
	// two versions, "run <stamp>: <check>: <detail>", once per run.
	FailedChecks []string `json:"failed_checks"`
	// Caveats are mage/stats' list of what undermines this comparison's
	// verdict (Report.Caveats), the text Compare prints beside it.
	Caveats []string `json:"caveats"`
	// Families are mage/stats' Holm families, one per unit in IndexJSON.Units
	// order: what the comparison could see.
	Families []stats.FamilyJSON `json:"families"`
}

// DeltaJSON is one row of a comparison.
type DeltaJSON struct {
	ID   string `json:"id"`
	Unit string `json:"unit"`
	// Delta is target median / base median - 1; null when the base median is 0.
	Delta *float64 `json:"delta"`
	// DeltaLo and DeltaHi are mage/stats' confidence interval of the
	// change itself (of target/base - 1, at the export's confidence
	// level, the interval that belongs to the U test); null when the
	// samples are too small for a bounded interval.
	DeltaLo *float64 `json:"delta_lo"`
	DeltaHi *float64 `json:"delta_hi"`
	// Exact says both samples are one value each: no test, the change
	// (or its absence) is exact, and the row is not in the Holm family.
	Exact bool `json:"exact"`
	// Test is the test that decided, as mage/stats names it:
	// "wilcoxon-paired" when both versions are one interleaved run (the
	// signed-rank test on the per-round ratios), "mann-whitney" (benchstat's
	// unpaired U test) otherwise, "exact" for an Exact row.
	Test string `json:"test"`
	// P is that test's p-value; PHolm the Holm-adjusted one (null for an
	// Exact row, which is no test).
	P     float64  `json:"p"`
	PHolm *float64 `json:"p_holm"`
	// Estimate is the deciding test's estimate of the change, which
	// DeltaLo..DeltaHi surrounds (Delta, the ratio of the medians, can lie
	// outside it); null when a value is not positive.
	Estimate *float64 `json:"estimate"`
	// Significant is P <= alpha, or for an Exact row that the values
	// differ; SignificantHolm is the Holm-adjusted P <= alpha over the
	// unit's tests (for an Exact row, Significant). Both come from
	// mage/stats.
	Significant     bool `json:"significant"`
	SignificantHolm bool `json:"significant_holm"`
	// Direction is "better" or "worse" for a change significant after
	// Holm in a unit whose direction is known, "changed" for one in a unit
	// whose direction is unknown, "none" otherwise.
	Direction string `json:"direction"`
	// Bound is, for rows without a significant change, the largest change
	// (as a fraction, positive) the interval of the change leaves open:
	// "no change larger than Bound" (mage/stats' Comparison.Bound). Null
	// for significant rows or when the interval is unbounded.
	Bound    *float64 `json:"bound"`
	Warnings []string `json:"warnings"`
}

// GeomeanJSON is the geometric mean of ratios for one unit.
type GeomeanJSON struct {
	Unit  string   `json:"unit"`
	Delta *float64 `json:"delta"` // geomean ratio - 1; null when no row had positive medians
	N     int      `json:"n"`     // rows that took part
}
