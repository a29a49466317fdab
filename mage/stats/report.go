package stats

import (
	"fmt"
	"math"
	"strings"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchproc"
)

// Options selects how results are grouped and tested. The zero value is
// perftrack's default. The grouping and test fields map onto benchstat
// flags (see BenchstatArgs); KeepProcs and FailOn have no equivalent.
type Options struct {
	// Alpha is the significance level of each comparison (benchstat
	// -alpha); 0 means 0.05.
	Alpha float64
	// Confidence is the level of the confidence intervals (benchstat
	// -confidence); 0 means 0.95.
	Confidence float64
	// Filter keeps only matching results, in benchstat's filter syntax
	// (go doc golang.org/x/perf/benchproc/syntax); "" means "*".
	Filter string
	// Row is the row projection (benchstat -row); "" means ".fullname".
	Row string
	// Col is the column projection (benchstat -col); "" means ".file",
	// that is one column per input, named by its label.
	Col string
	// Ignore lists further keys whose variation is ignored (benchstat
	// -ignore syntax, comma separated), on top of DefaultIgnore.
	Ignore string
	// KeepConfig keeps the DefaultIgnore key (toolchain) in the table
	// key, as benchstat does by default. Without it, perftrack's result
	// files, which name their toolchain in a toolchain: line, land in one
	// table; benchstat would make each a table of its own.
	KeepConfig bool
	// KeepProcs keeps the -GOMAXPROCS suffix of benchmark names even when
	// it differs between results of the same benchmark (see Report.Notes).
	// The suffix is only ever dropped with the default Row (.fullname)
	// and a Col that names no part of the benchmark name.
	KeepProcs bool
	// DropProcs leaves the -GOMAXPROCS suffix off every row name, even
	// when all results of a benchmark agree on it, so that rows from
	// machines with different CPU counts share names (Export keys
	// benchmarks this way). It is ignored with KeepProcs.
	DropProcs bool
	// FailOn is the gate: a change significant after the Holm correction
	// and worse by more than this fraction (0.05 is 5%) is a regression,
	// named by Verdict. 0 means no gate. benchstat has no equivalent.
	FailOn float64
}

// Defaults of Options.
const (
	// DefaultIgnore are the file keys ignored unless KeepConfig is set
	// (or the row or column projection names them). Only the line
	// perftrack writes: cpu: is kept, so results of different machines
	// land in different tables and are never compared, and files
	// without a toolchain: line group exactly as plain benchstat's.
	DefaultIgnore = "toolchain"

	DefaultAlpha      = 0.05
	DefaultConfidence = 0.95
)

// withDefaults returns o with zero fields set to their defaults.
func (o Options) withDefaults() Options {
	if o.Alpha == 0 {
		o.Alpha = DefaultAlpha
	}
	if o.Confidence == 0 {
		o.Confidence = DefaultConfidence
	}
	if o.Filter == "" {
		o.Filter = "*"
	}
	if o.Row == "" {
		o.Row = ".fullname"
	}
	if o.Col == "" {
		o.Col = ".file"
	}
	return o
}

// ignore returns the -ignore projection of o.
func (o Options) ignore() string {
	var keys []string
	if !o.KeepConfig {
		named := func(key string) bool {
			for _, proj := range []string{o.Row, o.Col} {
				for _, f := range strings.Split(proj, ",") {
					f, _, _ = strings.Cut(strings.TrimSpace(f), "@")
					if f == key {
						return true
					}
				}
			}
			return false
		}
		for _, k := range strings.Split(DefaultIgnore, ",") {
			if !named(k) {
				keys = append(keys, k)
			}
		}
	}
	if s := strings.TrimSpace(o.Ignore); s != "" {
		keys = append(keys, s)
	}
	return strings.Join(keys, ",")
}

// BenchstatArgs returns the benchstat flags that group and test results
// as o does. benchstat then prints the same tables as the text and csv
// renderers, except where Report.Notes says a GOMAXPROCS suffix was
// dropped (benchstat has no flag for that).
func (o Options) BenchstatArgs() []string {
	o = o.withDefaults()
	args := []string{
		"-alpha", fmt.Sprint(o.Alpha),
		"-confidence", fmt.Sprint(o.Confidence),
		"-filter", o.Filter,
		"-row", o.Row,
		"-col", o.Col,
	}
	if ig := o.ignore(); ig != "" {
		args = append(args, "-ignore", ig)
	}
	return args
}

// Direction says which way a unit improves.
type Direction int

// Directions of units.
const (
	// Unknown: the unit has no built-in direction and no "better="
	// metadata. perftrack never guesses.
	Unknown Direction = 0
	// HigherIsBetter units, such as B/s.
	HigherIsBetter Direction = 1
	// LowerIsBetter units, such as sec/op, B/op and allocs/op.
	LowerIsBetter Direction = -1
)

// String returns "higher", "lower" or "unknown".
func (d Direction) String() string {
	switch d {
	case HigherIsBetter:
		return "higher"
	case LowerIsBetter:
		return "lower"
	}
	return "unknown"
}

// UnitDirection returns the direction of a (tidied) unit: from a
// "Unit <unit> better=higher|lower" metadata line if there is one; else
// lower for a per-operation unit (sec/op, B/op, allocs/op, and custom ones
// such as ms/op or compares/op) and higher for a per-second unit (B/s,
// ops/s, GB/s); else Unknown. A better= line with another value leaves
// the unit Unknown.
func UnitDirection(units benchfmt.UnitMetadataMap, unit string) Direction {
	if units.Get(unit, "better") != nil {
		return Direction(units.GetBetter(unit))
	}
	switch {
	case strings.HasSuffix(unit, "/op"):
		return LowerIsBetter
	case strings.HasSuffix(unit, "/s"):
		return HigherIsBetter
	}
	return Unknown
}

// Change classifies one comparison for a reader.
type Change int

// Kinds of Change.
const (
	// NoChange: not significant at alpha, or the centers are equal.
	NoChange Change = iota
	// Better: significant and in the unit's good direction.
	Better
	// Worse: significant and in the unit's bad direction.
	Worse
	// Changed: significant, but the unit's direction is unknown.
	Changed
)

// String returns "none", "better", "worse" or "unknown".
func (c Change) String() string {
	switch c {
	case Better:
		return "better"
	case Worse:
		return "worse"
	case Changed:
		return "unknown"
	}
	return "none"
}

// A Report is the comparison of a set of result files: what benchstat
// prints, plus the Holm correction, directions and detection bounds.
//
// Note: a Report is plain data. Renderers (WriteText, WriteCSV,
// WriteMarkdown, WriteJSON) and Export read it; nothing mutates it after
// Build returns.
type Report struct {
	// Options are the options used, defaults filled in.
	Options Options
	// Inputs are the labels of the inputs, in the order given.
	Inputs []string
	// Tables are the tables, in benchstat's order: sorted by table key
	// (file configuration, then unit in first-observation order).
	Tables []*Table
	// Errors are non-fatal problems while reading, in input order:
	// *benchfmt.SyntaxError values ("file:line: message") and filter
	// errors. The rest of the input was used.
	Errors []error
	// Notes say where perftrack grouped differently from plain
	// benchstat, e.g. a dropped GOMAXPROCS suffix.
	Notes []string
	// Caveats say what undermines the verdict: failed system checks of
	// the runs compared, inputs that are not one interleaved run,
	// benchmarks on one side only, inputs that were not compared at all
	// (different machines), metrics of unknown direction. Every renderer
	// repeats them next to the verdict.
	Caveats []string
	// Families has one entry per metric (unit), in table order: the Holm
	// correction runs over each family's tests separately.
	Families []*Family
	// Comparisons is the number of comparisons in all tables, tests and
	// exact ones.
	Comparisons int
	// Significant counts the tests with P <= Alpha and the exact changes;
	// SignificantHolm the tests still significant after the Holm
	// correction of their family, and the exact changes.
	Significant, SignificantHolm int
}

// A Table holds every result of one unit and one file configuration.
type Table struct {
	// Config is the table's configuration key, without the unit: the
	// file configuration lines the results share (e.g. goos, pkg).
	Config []KeyValue
	// Unit is the tidied unit (sec/op, B/op, B/s, or a custom unit).
	Unit string
	// Direction says which way Unit improves.
	Direction Direction
	// Columns are the column labels (by default the input labels),
	// in first-observation order. Columns[0] is the baseline.
	Columns []string
	// Rows are the benchmarks, in first-observation order (or as the
	// row projection sorts them).
	Rows []*Row
	// Geomean has one entry per column: the geometric mean of the
	// column's centers, and of its ratios to the baseline.
	Geomean []*Geomean

	// key and cols keep the benchproc keys for rendering headers.
	key  benchproc.Key
	cols []benchproc.Key
}

// A KeyValue is one configuration key and its value.
type KeyValue struct {
	Key, Value string
}

// A Row is one benchmark in a table.
type Row struct {
	// Name is the row label: the full benchmark name by default.
	Name string
	// Cells has one entry per table column; nil where the benchmark has
	// no results in that column.
	Cells []*Cell
}

// A Cell summarizes the sample of one benchmark in one column.
type Cell struct {
	// Values is the sample, sorted ascending; N is its length.
	Values []float64
	N      int
	// Center is the median; Lo and Hi bound its confidence interval
	// (infinite when the sample is too small for the confidence level).
	Center, Lo, Hi float64
	// Range is benchstat's ± text for the interval: "3%", "∞" or "?".
	Range string
	// Warnings are benchstat's footnotes for this cell, in its order.
	Warnings []string
	// Compare is the comparison with the baseline cell of the row; nil in
	// the baseline column and where the row has no baseline.
	Compare *Comparison
}

// A Comparison is one cell against its row's baseline cell: the
// Mann-Whitney U test, or, when both samples are one repeated value, an
// exact comparison that needs no test.
type Comparison struct {
	// Delta is the relative change of the center, new/old-1 (0.05 is
	// +5%); 0 when the centers are equal, NaN when old is 0 and new is not.
	Delta float64
	// DeltaText is benchstat's text: "~" when not significant, "+5.00%",
	// "0.00%", or "?".
	DeltaText string
	// P is benchstat's p-value, of the Mann-Whitney U test; N1 and N2
	// are the sample sizes compared.
	P      float64
	N1, N2 int
	// Paired says the comparison was decided pair by pair, round by
	// round, by the Wilcoxon signed-rank test on the per-round ratios
	// (the inputs are one interleaved run); Pairs is the number of pairs.
	Paired bool
	Pairs  int
	// PTest is the p-value of the test that decides: the signed-rank
	// test's when Paired, else P.
	PTest float64
	// Text is benchstat's "p=0.002 n=6" text.
	Text string
	// Exact says both samples are each one value repeated (or the unit
	// is declared assume=exact): the comparison is not a test and not
	// in the Holm family. Significant is then "the values differ".
	Exact bool
	// Significant: PTest <= Alpha; for an Exact comparison, the two
	// values differ. (benchstat's table shows a delta where P <= Alpha.)
	Significant bool
	// PHolm is PTest adjusted by the Holm correction over the tests of
	// the same metric (NaN when Exact); SignificantHolm is PHolm <= Alpha
	// (for an Exact comparison, Significant).
	PHolm           float64
	SignificantHolm bool
	// Change classifies a Significant comparison by the unit's direction.
	Change Change
	// Estimate is the deciding test's estimate of the relative change
	// (Hodges-Lehmann: the median of the pairwise or, when Paired, the
	// per-round log ratios), which its interval surrounds; Delta, the
	// ratio of the medians benchstat shows, can lie outside it. Delta
	// itself when Exact, NaN when a value is not positive.
	Estimate float64
	// Lo and Hi bound the relative change new/old-1 at the confidence
	// level: the interval of the ratio that belongs to the deciding test
	// (ratioInterval, or pairedInterval when Paired); -Inf and +Inf when
	// the samples are too small for any bounded interval, NaN when a
	// value is not positive, Delta itself when Exact.
	Lo, Hi float64
	// Bound, for a comparison that is not Significant, is the largest
	// change in either direction the interval leaves open (0.031: no
	// change larger than ±3.1%, at the confidence level); 0 for an exact
	// no change, +Inf when the interval is unbounded or undefined. NaN
	// when Significant.
	Bound float64
	// Warnings are benchstat's footnotes for this comparison.
	Warnings []string
}

// Test names what decided the comparison: "exact" (no test: both
// samples are one value each), "wilcoxon-paired" (the signed-rank test
// on the per-round ratios) or "mann-whitney" (benchstat's U test).
func (c *Comparison) Test() string {
	switch {
	case c.Exact:
		return "exact"
	case c.Paired:
		return "wilcoxon-paired"
	}
	return "mann-whitney"
}

// TestText describes the deciding test's result: benchstat's "p=0.002
// n=6" for the U test, "paired p=0.0003 n=20" for the signed-rank test,
// "exact n=5+5" for an exact comparison.
func (c *Comparison) TestText() string {
	switch {
	case c.Exact:
		return fmt.Sprintf("exact n=%d+%d", c.N1, c.N2)
	case c.Paired:
		return fmt.Sprintf("paired p=%.2g n=%d", c.PTest, c.Pairs)
	}
	return c.Text
}

// minP is the smallest p-value the comparison's test can give at its
// sample sizes.
func (c *Comparison) minP() float64 {
	if c.Paired {
		return minPPaired(c.Pairs)
	}
	return minP(c.N1, c.N2)
}

// Geomean is the summary row entry of one column.
type Geomean struct {
	// Center is the geometric mean of the column's centers, valid when
	// HasCenter (all centers > 0).
	HasCenter bool
	Center    float64
	// Ratio is the geometric mean of the column's center ratios to the
	// baseline, valid when HasRatio (never for the baseline column).
	HasRatio bool
	Ratio    float64
	// Warnings are benchstat's footnotes for the geomean entry.
	Warnings []string
}

// Delta returns the geomean ratio as a relative change (Ratio-1), or NaN.
func (g *Geomean) Delta() float64 {
	if !g.HasRatio {
		return math.NaN()
	}
	return g.Ratio - 1
}

// Summary returns the one-line significance summary, one clause per
// metric, e.g. "sec/op: 5 significant at alpha=0.05, 3 after Holm
// correction over 90 tests | B/op: 2 exact changes, 88 exactly equal
// (no test needed)".
func (r *Report) Summary() string {
	if len(r.Families) == 0 {
		return "nothing compared"
	}
	parts := make([]string, len(r.Families))
	for i, f := range r.Families {
		parts[i] = f.String(r.Options.Alpha)
	}
	return strings.Join(parts, " | ")
}
