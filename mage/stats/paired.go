package stats

import (
	"math"
	"slices"
	"sync"
)

// The paired comparison.
//
// perftrack interleaves: in round r every toolchain runs each benchmark
// once, back to back. The r-th samples of two toolchains are a pair taken
// seconds apart, so the machine's drift between rounds cancels in their
// ratio. For inputs that are one interleaved run (the same Input.Run,
// with the rounds of their samples known), the comparison is the Wilcoxon
// signed-rank test on the per-round log ratios log(new_r/old_r), and its
// interval is the signed-rank interval of the median log ratio: the
// (k+1)-th smallest and largest of the n(n+1)/2 Walsh averages
// (d_i+d_j)/2, i <= j, with k from the exact null distribution of the
// signed-rank statistic (normal approximation over 50 pairs). Both are
// distribution-free; the test handles ties with midranks and drops zero
// differences (Wilcoxon's rule), exactly for up to 50 pairs by counting
// the sums of the tied ranks.

// pairedLimit is the largest number of pairs handled exactly.
const pairedLimit = 50

// pair returns the per-round log ratios of cur to old: for every round
// that both have a sample of, log(cur/old). Samples of unknown round
// (negative) are left out. ok is false when a value is not positive.
func pair(old, cur []float64, oldRounds, curRounds []int) (d []float64, ok bool) {
	at := make(map[int]float64, len(old))
	for i, r := range oldRounds {
		if r >= 0 && i < len(old) {
			at[r] = old[i]
		}
	}
	for i, r := range curRounds {
		x, found := at[r]
		if r < 0 || !found || i >= len(cur) {
			continue
		}
		y := cur[i]
		if x <= 0 || y <= 0 {
			return nil, false
		}
		d = append(d, math.Log(y)-math.Log(x))
	}
	return d, true
}

// signedRank returns the two-sided p-value of the Wilcoxon signed-rank
// test that the differences d are centered on 0.
func signedRank(d []float64) float64 {
	var nz []float64
	for _, x := range d {
		if x != 0 {
			nz = append(nz, x)
		}
	}
	n := len(nz)
	if n == 0 {
		return 1
	}
	// Midranks of |d|, doubled so that they are integers.
	slices.SortFunc(nz, func(a, b float64) int {
		switch {
		case math.Abs(a) < math.Abs(b):
			return -1
		case math.Abs(a) > math.Abs(b):
			return 1
		}
		return 0
	})
	ranks2 := make([]int, n)
	ties := 0.0 // sum of t³-t over tie groups, for the normal approximation
	for i := 0; i < n; {
		j := i
		for j+1 < n && math.Abs(nz[j+1]) == math.Abs(nz[i]) {
			j++
		}
		for k := i; k <= j; k++ {
			ranks2[k] = i + j + 2 // 2 × the mean of ranks i+1 .. j+1
		}
		t := float64(j - i + 1)
		ties += t*t*t - t
		i = j + 1
	}
	w2 := 0 // 2 × W+, the sum of the ranks of the positive differences
	total2 := 0
	for i, x := range nz {
		total2 += ranks2[i]
		if x > 0 {
			w2 += ranks2[i]
		}
	}
	if n <= pairedLimit {
		// Under the null, each rank is positive with probability 1/2,
		// independently: count the subsets by their sum.
		counts := make([]float64, total2+1)
		counts[0] = 1
		reach := 0
		for _, r := range ranks2 {
			for s := reach; s >= 0; s-- {
				if counts[s] != 0 {
					counts[s+r] += counts[s]
				}
			}
			reach += r
		}
		var lower, upper, all float64
		for s, c := range counts {
			all += c
			if s <= w2 {
				lower += c
			}
			if s >= w2 {
				upper += c
			}
		}
		return math.Min(1, 2*math.Min(lower, upper)/all)
	}
	fn := float64(n)
	mean := fn * (fn + 1) / 4
	sd := math.Sqrt(fn*(fn+1)*(2*fn+1)/24 - ties/48)
	if sd == 0 {
		return 1
	}
	z := (math.Abs(float64(w2)/2-mean) - 0.5) / sd // continuity correction
	return math.Min(1, math.Erfc(math.Max(z, 0)/math.Sqrt2))
}

// pairedInterval returns, from the per-round log ratios d (not empty),
// the estimate est of the relative change exp(median log ratio)-1 (the
// Hodges-Lehmann median of the Walsh averages) and its signed-rank
// confidence interval [lo, hi], which is (-Inf, +Inf) when there are too
// few pairs for the confidence level.
func pairedInterval(d []float64, confidence float64) (est, lo, hi float64) {
	n := len(d)
	w := make([]float64, 0, n*(n+1)/2)
	for i := range d {
		for j := i; j < n; j++ {
			w = append(w, (d[i]+d[j])/2)
		}
	}
	slices.Sort(w)
	est = math.Expm1(median(w))
	k, ok := excludedPaired(n, confidence)
	if !ok {
		return est, math.Inf(-1), math.Inf(1)
	}
	return est, math.Expm1(w[k]), math.Expm1(w[len(w)-1-k])
}

// excludedPaired returns how many Walsh averages the interval at
// confidence leaves out on each side: the largest k with
// 2·P(T <= k) <= 1-confidence for the signed-rank statistic T of n pairs.
// ok is false when even k = 0 is too many (n too small).
func excludedPaired(n int, confidence float64) (k int, ok bool) {
	alpha := 1 - confidence
	if n == 0 {
		return 0, false
	}
	if n > pairedLimit {
		fn := float64(n)
		m := fn * (fn + 1) / 2
		sd := math.Sqrt(fn * (fn + 1) * (2*fn + 1) / 24)
		z := -normalQuantile(alpha / 2)
		k = int(math.Floor(m/2 - z*sd - 0.5))
		return k, k >= 0
	}
	cdf := srCDF(n)
	for k = 0; k < len(cdf) && 2*cdf[k] <= alpha*(1+1e-9); k++ {
	}
	return k - 1, k > 0
}

var srCDFs struct {
	sync.Mutex
	m map[int][]float64
}

// srCDF returns P(T <= t) for t = 0..n(n+1)/2, T the signed-rank
// statistic of n pairs without ties under the null hypothesis.
func srCDF(n int) []float64 {
	srCDFs.Lock()
	defer srCDFs.Unlock()
	if c, ok := srCDFs.m[n]; ok {
		return c
	}
	max := n * (n + 1) / 2
	counts := make([]float64, max+1)
	counts[0] = 1
	for r := 1; r <= n; r++ {
		for s := r * (r - 1) / 2; s >= 0; s-- {
			counts[s+r] += counts[s]
		}
	}
	total := math.Ldexp(1, n)
	cdf := make([]float64, max+1)
	var run float64
	for t, c := range counts {
		run += c
		cdf[t] = run / total
	}
	if srCDFs.m == nil {
		srCDFs.m = make(map[int][]float64)
	}
	srCDFs.m[n] = cdf
	return cdf
}

// minPPaired returns the smallest two-sided p-value of the signed-rank
// test with n pairs: every difference of one sign, 2/2^n.
func minPPaired(n int) float64 {
	if n == 0 {
		return 1
	}
	return math.Min(1, math.Ldexp(2, -n))
}
