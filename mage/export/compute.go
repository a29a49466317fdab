package export

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/perftrack/perftrack/mage/stats"
)

// The numbers of an export come from mage/stats, the model behind Compare,
// so the page and `go tool mage compare a,b` agree digit for digit:
//
//   - per comparison, a stats.Build of the base and the target file gives
//     delta, p, significance before and after the Holm correction (the
//     family is every row of that comparison), the change's direction and
//     the bound of an undetected change;
//   - the same reports give each version's n, median, confidence interval
//     and warnings per benchmark: a cell's summary depends on its samples
//     alone, so it is the one a stats.Build of the file alone would give
//     (which is what a platform with one version takes).
//
// Each result file is parsed once (readRun); every stats.Build of it
// reads those records (stats.Input.Records), and the Builds run in
// parallel (Build).
//
// Computed here, because the page needs them and stats does not have
// them: the coefficient of variation, and a geomean per unit over every
// package (stats has one per table, that is per package and unit).

// summary is one benchmark's sample in one unit, summarized.
type summary struct {
	n              int
	median, lo, hi float64 // lo, hi are infinite when the interval is unbounded
	cv             *float64
	warnings       []string
}

// buildStats runs mage/stats on the result files of runs, the first one the
// baseline. stats ignores the toolchain: line by default, so results of
// different versions share tables; it keeps cpu:, so results of different
// machines do not (see comparison).
func buildStats(alpha float64, runs ...*run) (*stats.Report, error) {
	var inputs []stats.Input
	for _, r := range runs {
		in := stats.Input{Name: r.file, Label: r.name, Records: r.records}
		r.manifest.describe(&in, r.name)
		inputs = append(inputs, in)
	}
	rep, err := stats.Build(inputs, stats.Options{Alpha: alpha, Confidence: confidence, DropProcs: true})
	if err != nil {
		return nil, fmt.Errorf("computing statistics: %w", err)
	}
	return rep, nil
}

// statsRows calls f for each row of a report with the benchmark ID it
// maps to (category of the table's pkg, name without -GOMAXPROCS, which
// buildStats leaves off), in the report's order. A second row mapping to
// an ID already seen for a unit (two packages with one category) is
// skipped: the ID has one sample.
func statsRows(rep *stats.Report, mod *module, f func(id, unit string, t *stats.Table, row *stats.Row)) {
	seen := map[[2]string]bool{}
	for _, t := range rep.Tables {
		pkg := ""
		for _, kv := range t.Config {
			if kv.Key == "pkg" {
				pkg = kv.Value
			}
		}
		cat := mod.category(pkg)
		for _, row := range t.Rows {
			id := cat + ":" + row.Name
			if k := [2]string{id, t.Unit}; !seen[k] {
				seen[k] = true
				f(id, t.Unit, t, row)
			}
		}
	}
}

// direction names a change for the page: better or worse when it is
// significant after the Holm correction and the unit's direction is known,
// changed when the direction is unknown, none otherwise.
func direction(c *stats.Comparison) string {
	if !c.SignificantHolm {
		return "none"
	}
	switch c.Change {
	case stats.Better:
		return "better"
	case stats.Worse:
		return "worse"
	case stats.Changed:
		return "changed"
	}
	return "none"
}

// geomean accumulates log ratios of medians per unit.
type geomean struct {
	sum map[string]float64
	n   map[string]int
}

func (g *geomean) add(unit string, base, targ float64) {
	if !(base > 0 && targ > 0) {
		return
	}
	if g.sum == nil {
		g.sum, g.n = map[string]float64{}, map[string]int{}
	}
	g.sum[unit] += math.Log(targ) - math.Log(base)
	g.n[unit]++
}

func (g *geomean) json(units []string) []GeomeanJSON {
	out := []GeomeanJSON{}
	for _, u := range units {
		j := GeomeanJSON{Unit: u, N: g.n[u]}
		if j.N > 0 {
			j.Delta = num(derived(math.Expm1(g.sum[u] / float64(j.N))))
		}
		out = append(out, j)
	}
	return out
}

// cvOf is stats.CV as JSON carries it: nil when it does not exist.
func cvOf(values []float64) *float64 {
	if cv, ok := stats.CV(values); ok {
		return num(cv)
	}
	return nil
}

// measured rounds a sample or a statistic of samples (median, interval
// ends) to 9 significant digits, more than a benchmark prints. It takes
// off the digits of float arithmetic: benchfmt tidies 9.97 ns/op to
// 9.97 * 1e-9 sec/op, which is 9.970000000000001e-9 as a float64, and
// that is how encoding/json writes it. Whole numbers (B/op, allocs/op)
// are written exactly already and are kept whole: 1 GiB/op is
// 1073741824, ten digits.
func measured(f float64) float64 {
	if f == math.Trunc(f) {
		return f
	}
	return roundSig(f, 9)
}

// measuredAll is measured of each sample, in a new slice: the CV and
// the noise class come from the samples as read, as compare's do.
func measuredAll(values []float64) []float64 {
	out := make([]float64, len(values))
	for i, v := range values {
		out[i] = measured(v)
	}
	return out
}

// derived rounds a statistic (a change, a p-value, a CV) to 6
// significant digits, which no reading of it needs more than, so the
// page has less to load: a comparison row is a third shorter.
func derived(f float64) float64 { return roundSig(f, 6) }

// derivedPtr is derived for a statistic that may be missing; the noise
// classes are decided on the unrounded value, as compare decides them.
// Rounding is for what the JSON carries, never for what is computed.
func derivedPtr(f *float64) *float64 {
	if f == nil {
		return nil
	}
	return num(derived(*f))
}

// roundSig rounds f to d significant digits as the float64 nearest the
// rounded decimal (so encoding/json writes at most d digits): an integer
// divided or multiplied by an exact power of ten rounds once.
func roundSig(f float64, d int) float64 {
	if f == 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		return f
	}
	k := d - 1 - int(math.Floor(math.Log10(math.Abs(f)))) // decimal places kept
	switch {
	case k > 0 && k <= 22:
		p := math.Pow10(k)
		return math.Round(f*p) / p
	case k <= 0 && k >= -22:
		p := math.Pow10(-k)
		return math.Round(f/p) * p
	}
	return f
}

// num returns a pointer to f, or nil when f is NaN or infinite (which JSON
// cannot carry).
func num(f float64) *float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return &f
}

// unitOrder sorts rows by ID, then unit in the index's order.
func unitOrder(units []string) func(a, b [2]string) int {
	return func(a, b [2]string) int {
		return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(slices.Index(units, a[1]), slices.Index(units, b[1])))
	}
}
