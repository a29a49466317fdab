package stats

import (
	"math"
	"slices"
	"sync"
)

// The interval of a change.
//
// A comparison's interval is a confidence interval of the ratio new/old
// itself, not the corner of two medians' intervals (both of which must
// hold, so the corner's guaranteed level is only about confidence², and it
// is wide). It is the interval that belongs to the Mann-Whitney U test
// benchstat runs: under the model that the new sample is the old one
// scaled by a factor r, the set of r that the test would not reject at
// level 1-confidence. In log space that is the classic distribution-free
// interval of a shift: the (k+1)-th smallest and largest of the n1·n2
// pairwise differences log(new_j) - log(old_i), with k taken from the
// exact null distribution of U (normal approximation for samples over
// 50), so it covers the true ratio with at least the stated confidence
// whatever the distribution of the samples. Its estimate is the median of
// the pairwise ratios (Hodges-Lehmann).
//
// Note: the Go performance dashboard (x/perf/benchseries) bootstraps the
// ratio of medians instead. A percentile bootstrap of a median has few
// distinct values at the 5 to 20 samples perftrack takes and covers less
// than it claims there; this interval is exact, deterministic, agrees
// with the test that decides significance (it is bounded exactly when the
// test can reach 1-confidence), and costs one sort of n1·n2 numbers.

// ratioInterval returns the Hodges-Lehmann estimate est of the relative
// change new/old-1 of two samples, each sorted ascending, and its
// confidence interval [lo, hi]. The interval is (-Inf, +Inf) when the
// samples are too small for the confidence level; all three are NaN when
// a value is not positive (the ratio is not defined).
func ratioInterval(old, cur []float64, confidence float64) (est, lo, hi float64) {
	if len(old) == 0 || len(cur) == 0 || old[0] <= 0 || cur[0] <= 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	lx := make([]float64, len(old))
	for i, x := range old {
		lx[i] = math.Log(x)
	}
	d := make([]float64, 0, len(old)*len(cur))
	for _, y := range cur {
		ly := math.Log(y)
		for _, l := range lx {
			d = append(d, ly-l)
		}
	}
	// The three order statistics are selected, not sorted for: a sort
	// of the n1·n2 differences was a tenth of an export's time.
	n, m := len(d), len(d)/2
	selectNth(d, m)
	mid := d[m]
	if n%2 == 0 {
		mid = (slices.Max(d[:m]) + mid) / 2
	}
	est = math.Expm1(mid)
	k, ok := excluded(len(old), len(cur), confidence)
	if !ok {
		return est, math.Inf(-1), math.Inf(1)
	}
	// k < n/2 for any level above 0, so d[k] is among the m smallest
	// and d[n-1-k] among those above d[m].
	selectNth(d[:m], k)
	selectNth(d[m+1:], n-1-k-(m+1))
	return est, math.Expm1(d[k]), math.Expm1(d[n-1-k])
}

// selectNth reorders a so that a[k] is the value a sorted a would have
// there, with nothing greater before it and nothing smaller after it
// (Hoare's selection, the pivot a median of three).
func selectNth(a []float64, k int) {
	lo, hi := 0, len(a)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		if a[mid] < a[lo] {
			a[mid], a[lo] = a[lo], a[mid]
		}
		if a[hi] < a[lo] {
			a[hi], a[lo] = a[lo], a[hi]
		}
		if a[hi] < a[mid] {
			a[hi], a[mid] = a[mid], a[hi]
		}
		pivot := a[mid]
		i, j := lo, hi
		for i <= j {
			for a[i] < pivot {
				i++
			}
			for a[j] > pivot {
				j--
			}
			if i <= j {
				a[i], a[j] = a[j], a[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return // a[j+1:i] are all the pivot
		}
	}
}

// median returns the median of sorted, a non-empty sorted slice.
func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// excluded returns how many of the n1·n2 pairwise differences the interval
// at confidence leaves out on each side: the largest k with
// 2·P(U <= k) <= 1-confidence under the null hypothesis. ok is false when
// even k = 0 is too many, that is when the samples are too small for any
// bounded interval at that level.
func excluded(n1, n2 int, confidence float64) (k int, ok bool) {
	alpha := 1 - confidence
	if n1 > exactLimit || n2 > exactLimit {
		mn := float64(n1 * n2)
		sd := math.Sqrt(mn * float64(n1+n2+1) / 12)
		z := -normalQuantile(alpha / 2)
		k = int(math.Floor(mn/2 - z*sd - 0.5))
		return k, k >= 0
	}
	cdf := uCDF(n1, n2)
	// Note: a small tolerance, so that 2/C(n1+n2, n1) that equals alpha
	// in exact arithmetic is not refused for a rounding error.
	for k = 0; k < len(cdf) && 2*cdf[k] <= alpha*(1+1e-9); k++ {
	}
	return k - 1, k > 0
}

// exactLimit is the largest sample size for which the U distribution is
// computed exactly, as go-moremath's Mann-Whitney test does.
const exactLimit = 50

var uCDFs struct {
	sync.Mutex
	m map[[2]int][]float64
}

// uCDF returns P(U <= u) for u = 0..n1·n2 under the null hypothesis (no
// ties), from the number of arrangements of n1 and n2 values with each U:
// the coefficients of the Gaussian binomial, by the recurrence
// f(i, j)[u] = f(i-1, j)[u-j] + f(i, j-1)[u].
func uCDF(n1, n2 int) []float64 {
	if n1 > n2 {
		n1, n2 = n2, n1 // U's distribution is symmetric in the sizes
	}
	key := [2]int{n1, n2}
	uCDFs.Lock()
	defer uCDFs.Unlock()
	if c, ok := uCDFs.m[key]; ok {
		return c
	}
	// row[j] is f(i, j) for the current i.
	row := make([][]float64, n2+1)
	for j := range row {
		row[j] = []float64{1}
	}
	for i := 1; i <= n1; i++ {
		next := make([][]float64, n2+1)
		next[0] = []float64{1}
		for j := 1; j <= n2; j++ {
			f := make([]float64, i*j+1)
			for u, c := range row[j] { // f(i-1, j) shifted by j
				f[u+j] += c
			}
			for u, c := range next[j-1] { // f(i, j-1)
				f[u] += c
			}
			next[j] = f
		}
		row = next
	}
	counts := row[n2]
	var total float64
	for _, c := range counts {
		total += c
	}
	cdf := make([]float64, len(counts))
	var run float64
	for u, c := range counts {
		run += c
		cdf[u] = run / total
	}
	if uCDFs.m == nil {
		uCDFs.m = make(map[[2]int][]float64)
	}
	uCDFs.m[key] = cdf
	return cdf
}

// minP returns the smallest two-sided p-value the Mann-Whitney U test can
// give for samples of n1 and n2 values: 2/C(n1+n2, n1), both samples
// entirely apart and without ties. No correction can find a change
// significant when its threshold is below this.
func minP(n1, n2 int) float64 {
	if n1 == 0 || n2 == 0 {
		return 1
	}
	lc, _ := math.Lgamma(float64(n1 + n2 + 1))
	l1, _ := math.Lgamma(float64(n1 + 1))
	l2, _ := math.Lgamma(float64(n2 + 1))
	return math.Min(1, 2*math.Exp(-(lc-l1-l2)))
}

// countFor returns the smallest sample size n per side (pairs, when
// paired) whose smallest possible p-value, multiplied by m tests (Holm's
// first step), is at most alpha; that is the PERF_COUNT at which a change
// can be significant at all after the correction.
func countFor(m int, alpha float64, paired bool) int {
	p := func(n int) float64 { return minP(n, n) }
	if paired {
		p = minPPaired
	}
	n := 2
	for float64(m)*p(n) > alpha*(1+1e-9) {
		n++
	}
	return n
}

// normalQuantile returns the p-quantile of the standard normal.
func normalQuantile(p float64) float64 {
	return -math.Sqrt2 * math.Erfcinv(2*p)
}
