package export

import "encoding/json"

// SchemaVersion is the version of the data files' schema. It changes when a
// field is removed or changes meaning; adding a field does not change it.
// The page refuses data whose schema_version it does not know.
const SchemaVersion = 1

// The data directory written by Export (PERF_DOCS/data) holds:
//
//	platforms.json               PlatformsJSON: every platform, with a display name
//	<platform>/index.json        IndexJSON: the platform's versions, units and benchmarks
//	<platform>/<version>.json    VersionJSON: one version's summaries, samples and comparisons
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
	SchemaVersion int            `json:"schema_version"`
	Platforms     []PlatformJSON `json:"platforms"` // sorted by ID
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
	Name     string `json:"name"`
	Package  string `json:"package"`  // import path, from the pkg: line of the result file
	Category string `json:"category"` // package directory relative to the benchmark module
	// Description is the first sentence of the Benchmark function's doc
	// comment, "" when the source was not found.
	Description string `json:"description"`
	// Source is the file declaring the Benchmark function, slash-separated
	// and relative to the repository root; "" when not found.
	Source string   `json:"source"`
	Line   int      `json:"line"`  // line of the declaration in Source, 0 when not found
	Units  []string `json:"units"` // units reported, in IndexJSON.Units order
	// Reliability is the benchmark's noise class, the worst over its
	// versions: the class Collect recorded in the run manifest (noise by
	// toolchain) when there is one, else the class of MaxCV with Collect's
	// thresholds: "good" (CV < 5%), "acceptable" (< 10%), "warning"
	// (< 15%), "high" (< 30%), "very high"; "unknown" without either.
	Reliability string `json:"reliability"`
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
	// P is that test's p-value.
	P float64 `json:"p"`
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
