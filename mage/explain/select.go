package explain

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/perftrack/perftrack/mage/results"
	"github.com/perftrack/perftrack/mage/stats"
)

// Kind is the kind of profile that explains a metric.
type Kind string

// The profile kinds: a CPU profile (-test.cpuprofile) explains time per
// op, an allocation profile (-test.memprofile) bytes and allocations per op.
const (
	CPU Kind = "cpu"
	Mem Kind = "mem"
)

// metric says how a unit of the comparison is explained: the profile
// kind, its sample type (as go tool pprof -sample_index names it) and the
// unit of that sample type's values, per op.
type metric struct {
	kind       Kind
	sampleType string
	valueUnit  string
	// scale turns the unit's value into the sample type's (sec/op is
	// compared in seconds, CPU profiles count nanoseconds).
	scale float64
}

// metrics are the units a profile explains. The others (B/s, custom
// metrics) have no profile: B/s is sec/op seen the other way round.
var metrics = map[string]metric{
	"sec/op":    {CPU, "cpu", "ns/op", 1e9},
	"B/op":      {Mem, "alloc_space", "B/op", 1},
	"allocs/op": {Mem, "alloc_objects", "allocs/op", 1},
}

// A Regression is one change to explain: a comparison significant after
// the correction and worse, of a metric a profile explains, mapped to the
// benchmark of the run that produced it.
type Regression struct {
	Pkg       string  // the benchmark's package (its pkg: line)
	Benchmark string  // full name as collect records it: BenchmarkX/sub, without the -GOMAXPROCS suffix
	Row       string  // the comparison's row label, e.g. X/sub-8
	Unit      string  // sec/op, B/op or allocs/op
	Baseline  string  // the baseline toolchain (column)
	Toolchain string  // the toolchain that regressed (column)
	Delta     float64 // relative change of the medians, +0.18 for 18% worse; NaN from a zero baseline
	// Base and New are the medians of the two columns, in Unit.
	Base, New float64
	// NsPerOp is the larger of the two sec/op medians, in nanoseconds,
	// which sizes the profiling runs; 0 when the report has none.
	NsPerOp float64
	// BytesPerOp is the larger of the two B/op medians, which sets the
	// allocation profile's sampling rate; 0 when the report has none.
	BytesPerOp float64
	// N is the run's calibrated iteration count of the benchmark.
	N int64
}

// String names r as the report shows it, e.g.
// "BenchmarkX sec/op +18.00% (go1.27.3 vs go1.26.8)".
func (r Regression) String() string {
	d := "from 0"
	if !math.IsNaN(r.Delta) {
		d = fmt.Sprintf("%+.2f%%", 100*r.Delta)
	}
	return fmt.Sprintf("%s %s %s (%s vs %s)", r.Benchmark, r.Unit, d, r.Toolchain, r.Baseline)
}

// badness orders regressions, largest first: a change from zero is
// infinitely large.
func (r Regression) badness() float64 {
	if math.IsNaN(r.Delta) {
		return math.Inf(1)
	}
	return math.Abs(r.Delta)
}

// Select returns the regressions of rep to explain, largest first, at
// most max of them (max <= 0: all), mapped to the benchmarks of the run
// m, and a sentence for each regression it leaves out: over the cap, of
// a metric no profile explains, or of a row the run has no benchmark for
// (a row projection other than the benchmark's full name). Regressions
// are rep.Regressions(0): every comparison significant after the
// correction and worse.
func Select(rep *stats.Report, m *results.Manifest, max int) (chosen []Regression, skipped []string) {
	for _, g := range rep.Regressions(0) {
		t := g.Table
		if _, ok := metrics[t.Unit]; !ok {
			skipped = append(skipped, fmt.Sprintf("%s: no profile explains %s", g, t.Unit))
			continue
		}
		pkg := configValue(t.Config, "pkg")
		b, ok := findBenchmark(m, pkg, g.Row)
		if !ok {
			skipped = append(skipped, fmt.Sprintf("%s: run %s has no benchmark %s in package %q", g, m.Stamp, g.Row, pkg))
			continue
		}
		r := Regression{Pkg: b.Pkg, Benchmark: b.Name, Row: g.Row, Unit: t.Unit,
			Baseline: t.Columns[0], Toolchain: g.Column, Delta: g.Delta, N: b.N}
		r.Base, r.New = centers(t, g.Row, g.Column)
		r.NsPerOp = 1e9 * maxCenter(rep, t, "sec/op", g.Row, g.Column)
		r.BytesPerOp = maxCenter(rep, t, "B/op", g.Row, g.Column)
		chosen = append(chosen, r)
	}
	slices.SortStableFunc(chosen, func(a, b Regression) int {
		return cmp.Compare(b.badness(), a.badness())
	})
	if max > 0 && len(chosen) > max {
		var names []string
		for _, r := range chosen[max:] {
			names = append(names, r.String())
		}
		skipped = append(skipped, fmt.Sprintf("%d smaller %s not explained (at most %d): %s",
			len(chosen)-max, plural(len(chosen)-max, "regression", "regressions"), max, strings.Join(names, "; ")))
		chosen = chosen[:max]
	}
	return chosen, skipped
}

// findBenchmark returns the benchmark of m that a comparison row names:
// the row is the benchmark's name without the Benchmark prefix, with or
// without the -GOMAXPROCS suffix of the run.
func findBenchmark(m *results.Manifest, pkg, row string) (results.BenchmarkRecord, bool) {
	procs := "-" + strconv.Itoa(m.Machine.GOMAXPROCS)
	for _, b := range m.Benchmarks {
		if b.Pkg != pkg {
			continue
		}
		name := strings.TrimPrefix(b.Name, "Benchmark")
		if row == name || m.Machine.GOMAXPROCS > 1 && row == name+procs {
			return b, true
		}
	}
	return results.BenchmarkRecord{}, false
}

// configValue returns the value of key in a table's configuration.
func configValue(kvs []stats.KeyValue, key string) string {
	for _, kv := range kvs {
		if kv.Key == key {
			return kv.Value
		}
	}
	return ""
}

// centers returns the medians of row in the baseline column and column.
func centers(t *stats.Table, row, column string) (base, cur float64) {
	ci := slices.Index(t.Columns, column)
	for _, r := range t.Rows {
		if r.Name != row || ci < 0 {
			continue
		}
		if c := r.Cells[0]; c != nil {
			base = c.Center
		}
		if c := r.Cells[ci]; c != nil {
			cur = c.Center
		}
	}
	return base, cur
}

// maxCenter returns the larger median of row in the baseline column and
// column in the table of unit with the same configuration as t; 0 when
// there is none.
func maxCenter(rep *stats.Report, t *stats.Table, unit, row, column string) float64 {
	for _, u := range rep.Tables {
		if u.Unit == unit && slices.Equal(u.Config, t.Config) {
			base, cur := centers(u, row, column)
			return max(base, cur)
		}
	}
	return 0
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
