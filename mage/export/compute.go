package export

import (
	"math"
	"slices"

	"golang.org/x/perf/benchmath"
)

// confidence is the level of every confidence interval Export writes, the
// same as benchstat's default.
const confidence = 0.95

// summary is one benchmark's sample in one unit, summarized.
type summary struct {
	n              int
	median, lo, hi float64
	cv             *float64
	warnings       []string
	sample         *benchmath.Sample
}

// summarize computes benchstat's median and confidence interval of values
// under assumption a, and the coefficient of variation.
func summarize(values []float64, a benchmath.Assumption, alpha float64) summary {
	sorted := slices.Clone(values) // NewSample sorts in place
	th := benchmath.Thresholds{CompareAlpha: alpha}
	s := benchmath.NewSample(sorted, &th)
	sum := a.Summary(s, confidence)
	return summary{
		n:        len(values),
		median:   sum.Center,
		lo:       sum.Lo,
		hi:       sum.Hi,
		cv:       cv(values),
		warnings: errorStrings(sum.Warnings),
		sample:   s,
	}
}

// cv returns the coefficient of variation of values (sample standard
// deviation over mean), or nil when it does not exist.
func cv(values []float64) *float64 {
	if len(values) < 2 {
		return nil
	}
	var mean float64
	for _, v := range values {
		mean += v
	}
	mean /= float64(len(values))
	if mean == 0 {
		return nil
	}
	var ss float64
	for _, v := range values {
		ss += (v - mean) * (v - mean)
	}
	return num(math.Sqrt(ss/float64(len(values)-1)) / math.Abs(mean))
}

// num returns a pointer to f, or nil when f is NaN or infinite (which JSON
// cannot carry).
func num(f float64) *float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return &f
}

func errorStrings(errs []error) []string {
	out := []string{}
	for _, e := range errs {
		if !slices.Contains(out, e.Error()) {
			out = append(out, e.Error())
		}
	}
	return out
}

// row is one comparison before the Holm correction is applied.
type row struct {
	id, unit   string
	base, targ summary
	better     int
	p          float64
	warnings   []string
}

// compareRow runs benchstat's test (Mann-Whitney U unless the unit is
// assumed exact) on base and target.
func compareRow(id, unit string, base, targ summary, a benchmath.Assumption, better int) row {
	c := a.Compare(base.sample, targ.sample)
	return row{id: id, unit: unit, base: base, targ: targ, better: better, p: c.P, warnings: errorStrings(c.Warnings)}
}

// holm returns, for each p-value, whether it is significant at level alpha
// after the Holm-Bonferroni correction over all of them: sorted ascending,
// the i-th smallest (0-based) must be below alpha/(m-i), and the first that
// is not stops the procedure.
func holm(ps []float64, alpha float64) []bool {
	order := make([]int, len(ps))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case ps[a] < ps[b]:
			return -1
		case ps[a] > ps[b]:
			return 1
		}
		return 0
	})
	sig := make([]bool, len(ps))
	for rank, i := range order {
		if !(ps[i] < alpha/float64(len(ps)-rank)) {
			break
		}
		sig[i] = true
	}
	return sig
}

// direction names a significant change: better or worse when the unit's
// direction is known, changed when it is not, none when not significant.
func direction(significant bool, delta *float64, better int) string {
	switch {
	case !significant || delta == nil || *delta == 0:
		return "none"
	case better == 0:
		return "changed"
	case (*delta < 0) == (better < 0):
		return "better"
	}
	return "worse"
}

// bound is the largest relative change the two confidence intervals cannot
// rule out, for rows that show no significant change. It needs positive
// interval bounds; otherwise it does not exist.
func bound(base, targ summary) *float64 {
	if !(base.lo > 0 && targ.lo > 0) {
		return nil
	}
	return num(math.Max(math.Abs(targ.hi/base.lo-1), math.Abs(targ.lo/base.hi-1)))
}

// deltas returns the median ratio - 1 and the range the intervals allow.
func deltas(base, targ summary) (d, lo, hi *float64) {
	if base.median == 0 {
		return nil, nil, nil
	}
	d = num(targ.median/base.median - 1)
	if base.lo > 0 && base.hi > 0 {
		lo, hi = num(targ.lo/base.hi-1), num(targ.hi/base.lo-1)
	}
	return d, lo, hi
}

func logRatio(a, b float64) float64 { return math.Log(a) - math.Log(b) }

func expm1(x float64) float64 { return math.Expm1(x) }
