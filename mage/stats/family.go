package stats

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// A Family is every comparison of one metric (unit) in a report: the
// family over which the Holm correction runs, and what it can see.
//
// Note: one family per unit, not one per report, because the metrics are
// different questions: 300 B/op rows whose samples are all one value say
// nothing about time, and must not make a time change harder to find.
// Exact comparisons (both samples one repeated value) are not tests and
// are not in the family either.
type Family struct {
	// Unit is the metric, e.g. sec/op; Direction says which way it improves.
	Unit      string
	Direction Direction
	// Tests counts the comparisons that are tests: the size of the
	// family. Significant counts those with P <= alpha, SignificantHolm
	// those still significant after the correction.
	Tests, Significant, SignificantHolm int
	// Exact counts the exact comparisons; ExactChanged those whose two
	// values differ (significant without a p-value).
	Exact, ExactChanged int
	// Paired counts the tests decided pair by pair (the Wilcoxon
	// signed-rank test on the per-round ratios); the other tests are
	// benchstat's Mann-Whitney U test.
	Paired int
	// N is the largest sample size (the smaller side of a comparison)
	// among the tests. Reachable says some test's sample sizes allow a
	// p-value small enough to survive the correction; when it is false,
	// NeedCount is the number of samples per side at which one could.
	N         int
	Reachable bool
	NeedCount int
	// Unchanged counts the tests that are not significant. Of their
	// bounds (Comparison.Bound), MedianBound is the median and MaxBound
	// the widest, in row MaxBoundRow; both +Inf when a bound is infinite.
	Unchanged             int
	MedianBound, MaxBound float64
	MaxBoundRow           string
}

// String says what the family found and what it could see, e.g.
// "sec/op: 5 significant at alpha=0.05, 3 after Holm correction over 90 tests".
func (f *Family) String(alpha float64) string {
	var parts []string
	if f.Tests > 0 {
		parts = append(parts, fmt.Sprintf("%d significant at alpha=%v, %d after Holm correction over %d %s (%s)",
			f.Significant, alpha, f.SignificantHolm, f.Tests, plural(f.Tests, "test", "tests"), f.tests()))
	}
	switch {
	case f.ExactChanged == 0 && f.Exact > 0:
		parts = append(parts, fmt.Sprintf("%d exactly equal (no test needed)", f.Exact))
	case f.Exact > 0:
		parts = append(parts, fmt.Sprintf("%d exact %s, %d exactly equal (no test needed)",
			f.ExactChanged, plural(f.ExactChanged, "change", "changes"), f.Exact-f.ExactChanged))
	}
	if p := f.Power(); p != "" {
		parts = append(parts, p)
	}
	return f.Unit + ": " + strings.Join(parts, "; ")
}

// tests names the tests that decided.
func (f *Family) tests() string {
	switch f.Paired {
	case f.Tests:
		return "paired by round: Wilcoxon signed-rank"
	case 0:
		return "unpaired: Mann-Whitney U"
	}
	return fmt.Sprintf("%d paired by round, %d unpaired", f.Paired, f.Tests-f.Paired)
}

// Power returns, when no test of the family can be significant after
// the correction, a sentence saying so and naming the sample size that
// could: "n=5: no change can be significant over 80 tests; PERF_COUNT>=8 can".
// It returns "" when some test can.
func (f *Family) Power() string {
	if f.Tests == 0 || f.Reachable {
		return ""
	}
	return fmt.Sprintf("n=%d: no change can be significant over %d %s; PERF_COUNT>=%d can",
		f.N, f.Tests, plural(f.Tests, "test", "tests"), f.NeedCount)
}

// BoundText says how large a change the unchanged rows rule out at the
// confidence level, e.g. "sec/op: unchanged rows rule out changes larger
// than ±2.1% (median of 85), ±8.4% (widest: Fib/n=10), at 95% confidence".
// It returns "" when no row is unchanged.
func (f *Family) BoundText(confidence float64) string {
	if f.Unchanged == 0 {
		return ""
	}
	level := fmt.Sprintf("%.4g%% confidence", confidence*100)
	if math.IsInf(f.MaxBound, 0) && math.IsInf(f.MedianBound, 0) {
		rows := "the unchanged rows bound"
		if f.Unchanged == 1 {
			rows = "the unchanged row (" + f.MaxBoundRow + ") bounds"
		}
		return fmt.Sprintf("%s: %s no change at %s (too few samples, or values not positive)", f.Unit, rows, level)
	}
	median := fmt.Sprintf("±%s (median of %d)", pct(f.MedianBound), f.Unchanged)
	if f.Unchanged == 1 {
		median = fmt.Sprintf("±%s (%s)", pct(f.MedianBound), f.MaxBoundRow)
		return fmt.Sprintf("%s: the unchanged row rules out changes larger than %s at %s", f.Unit, median, level)
	}
	return fmt.Sprintf("%s: unchanged rows rule out changes larger than %s, %s (widest: %s), at %s",
		f.Unit, median, "±"+pct(f.MaxBound), f.MaxBoundRow, level)
}

// pct formats a fraction as a percentage with one decimal ("2.1%"), or
// "∞".
func pct(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return "∞"
	}
	return fmt.Sprintf("%.1f%%", f*100)
}

// correct applies the Holm correction per metric over the comparisons
// that are tests, fills rep.Families and the report's totals.
func correct(rep *Report) {
	alpha := rep.Options.Alpha
	type member struct {
		c   *Comparison
		row string
	}
	byUnit := map[string][]member{}
	var order []string
	dirs := map[string]Direction{}
	for _, t := range rep.Tables {
		if _, ok := byUnit[t.Unit]; !ok {
			order = append(order, t.Unit)
			byUnit[t.Unit] = nil
			dirs[t.Unit] = t.Direction
		}
		for _, r := range t.Rows {
			for _, c := range r.Cells {
				if c != nil && c.Compare != nil {
					byUnit[t.Unit] = append(byUnit[t.Unit], member{c.Compare, r.Name})
				}
			}
		}
	}
	for _, unit := range order {
		f := &Family{Unit: unit, Direction: dirs[unit]}
		var tests []member
		for _, m := range byUnit[unit] {
			rep.Comparisons++
			if m.c.Exact {
				f.Exact++
				m.c.PHolm = math.NaN()
				m.c.SignificantHolm = m.c.Significant
				if m.c.Significant {
					f.ExactChanged++
				}
				continue
			}
			tests = append(tests, m)
		}
		f.Tests = len(tests)
		p := make([]float64, len(tests))
		for i, m := range tests {
			p[i] = m.c.PTest
			if m.c.Paired {
				f.Paired++
			}
		}
		adj := Holm(p)
		var bounds []float64
		for i, m := range tests {
			c := m.c
			c.PHolm = adj[i]
			c.SignificantHolm = c.Significant && !(adj[i] > alpha)
			if c.Significant {
				f.Significant++
			}
			if c.SignificantHolm {
				f.SignificantHolm++
			}
			n := min(c.N1, c.N2)
			if c.Paired {
				n = c.Pairs
			}
			f.N = max(f.N, n)
			if float64(f.Tests)*c.minP() <= alpha*(1+1e-9) {
				f.Reachable = true
			}
			if !c.Significant {
				bounds = append(bounds, c.Bound)
				if len(bounds) == 1 || c.Bound > f.MaxBound {
					f.MaxBound, f.MaxBoundRow = c.Bound, m.row
				}
			}
		}
		if f.Tests > 0 && !f.Reachable {
			f.NeedCount = countFor(f.Tests, alpha, f.Paired > 0)
		}
		if f.Unchanged = len(bounds); f.Unchanged > 0 {
			slices.Sort(bounds)
			f.MedianBound = bounds[(len(bounds)-1)/2]
		}
		rep.Significant += f.Significant + f.ExactChanged
		rep.SignificantHolm += f.SignificantHolm + f.ExactChanged
		rep.Families = append(rep.Families, f)
	}
}

// Family returns the family of unit, or nil.
func (r *Report) Family(unit string) *Family {
	for _, f := range r.Families {
		if f.Unit == unit {
			return f
		}
	}
	return nil
}

// Holm returns the Holm-Bonferroni adjusted p-values of p, in p's order:
// sorted ascending, the i-th smallest (from 0) is multiplied by m-i,
// made monotone and capped at 1. A comparison is significant after the
// correction when its adjusted p-value is <= alpha; this controls the
// chance of any false positive in the family at alpha.
func Holm(p []float64) []float64 {
	m := len(p)
	idx := make([]int, m)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return p[idx[a]] < p[idx[b]] })
	adj := make([]float64, m)
	running := 0.0
	for rank, i := range idx {
		v := math.Min(1, float64(m-rank)*p[i])
		running = math.Max(running, v)
		adj[i] = running
	}
	return adj
}
