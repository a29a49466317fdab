package stats

import (
	"math"
	"slices"

	"golang.org/x/perf/benchmath"
)

// compareNothing is benchmath.AssumeNothing.Compare (benchstat's default
// test: the two-sided Mann-Whitney U test) with the same p-values but
// its exact distributions computed faster: go-moremath builds the tied
// distribution in a map for every call (3.5 ms for 20 samples a side
// with ties, 117 µs without), which was most of export's time. Here the
// untied distribution is cached by sample sizes (uCDF) and the tied one
// is a dense count table, cut at the observed U. Where benchmath would
// warn or fail (samples too small for alpha, all values equal) its own
// Compare runs: those cases are cheap.
func compareNothing(base, cur *benchmath.Sample) benchmath.Comparison {
	x, y := base.Values, cur.Values
	alpha := base.Thresholds.CompareAlpha
	// benchmath warns when p > alpha and both samples are smaller than
	// what alpha needs; 12 a side is enough down to alpha = 1e-6.
	if len(x) <= 12 && len(y) <= 12 || alpha < 1e-6 {
		return benchmath.AssumeNothing.Compare(base, cur)
	}
	p, ok := uTestP(x, y)
	if !ok {
		return benchmath.AssumeNothing.Compare(base, cur)
	}
	return benchmath.Comparison{P: p, N1: len(x), N2: len(y), Alpha: alpha}
}

// uTestP is the two-sided p-value of the Mann-Whitney U test as
// go-moremath's MannWhitneyUTest(x, y, LocationDiffers) computes it:
// exact for samples of at most 50 values without ties or 25 with ties,
// otherwise the normal approximation with tie and continuity
// corrections. ok is false where that function fails (an empty sample,
// every value equal).
func uTestP(x, y []float64) (p float64, ok bool) {
	n1, n2 := len(x), len(y)
	if n1 == 0 || n2 == 0 {
		return 0, false
	}
	x, y = slices.Clone(x), slices.Clone(y)
	slices.Sort(x)
	slices.Sort(y)
	// Walk the merged order, one tie group at a time: twoU1 is twice
	// the U statistic of x (each x value counts the y values below it,
	// and half of those equal to it); ties holds the group sizes.
	var ties []int
	twoU1, i, j, hasTies := 0, 0, 0, false
	for i < n1 || j < n2 {
		v := math.Inf(1)
		if i < n1 {
			v = x[i]
		}
		if j < n2 && y[j] < v {
			v = y[j]
		}
		i0, j0 := i, j
		for i < n1 && x[i] == v {
			i++
		}
		for j < n2 && y[j] == v {
			j++
		}
		twoU1 += (i - i0) * (2*j0 + (j - j0))
		ties = append(ties, i-i0+j-j0)
		hasTies = hasTies || i-i0+j-j0 > 1
	}
	u1 := float64(twoU1) / 2
	u2 := float64(n1*n2) - u1
	if !hasTies && n1 <= exactLimit && n2 <= exactLimit || hasTies && n1 <= tiesExactLimit && n2 <= tiesExactLimit {
		if len(ties) == 1 {
			return 0, false
		}
		if u1 == u2 {
			return 1, true
		}
		small := min(u1, u2)
		if !hasTies {
			return 2 * uCDF(n1, n2)[int(small)], true
		}
		return 2 * tiedUCDF(n1, n2, ties, int(2*small)), true
	}
	n := float64(n1 + n2)
	var t float64
	for _, c := range ties {
		t += float64(c*c*c - c)
	}
	sd := math.Sqrt(float64(n1*n2) * ((n + 1) - t/(n*(n-1))) / 12)
	if sd == 0 {
		return 0, false
	}
	num := u1 - float64(n1*n2)/2
	switch {
	case num > 0:
		num -= 0.5
	case num < 0:
		num += 0.5
	}
	z := num / sd
	cdf := 0.5 * math.Erfc(-z/math.Sqrt2)
	return 2 * min(cdf, 1-cdf), true
}

// tiesExactLimit is the largest sample size for which the U distribution
// with ties is computed exactly, as go-moremath does.
const tiesExactLimit = 25

// tiedUCDF returns P(2U <= twoU) for samples of n1 and n2 values whose
// merged order has tie groups of the given sizes (in value order), under
// the null hypothesis that every assignment of n1 of the positions to
// the first sample is equally likely. rows[k][w] is the number of
// assignments of the groups so far with k positions in the first sample
// and twice their U equal to w; a group of size t with j of them adds
// C(t, j) ways and j·(2·(values of the second sample below) + t - j) to
// 2U. Counts above twoU are dropped: U only grows.
//
// The table is updated in place, rows from the last: row k gains the
// shifted rows k-j, not yet updated, and keeps its own counts as the
// group's j = 0 (a group wholly in the second sample adds nothing), so
// nothing is copied or cleared but the rows that can no longer fill the
// first sample. Each row's nonzero span [lo, hi] bounds the work: early
// groups reach few values.
func tiedUCDF(n1, n2 int, ties []int, twoU int) float64 {
	width := twoU + 1
	cells := make([]float64, (n1+1)*width)
	rows := make([][]float64, n1+1)
	lo, hi := make([]int, n1+1), make([]int, n1+1)
	for k := range rows {
		rows[k] = cells[k*width : (k+1)*width : (k+1)*width]
		lo[k], hi[k] = width, -1
	}
	rows[0][0], lo[0], hi[0] = 1, 0, 0
	seen := 0
	for _, t := range ties {
		for k := min(seen+t, n1); k >= 1; k-- {
			binom := 1.0 // C(t, j)
			for j := 1; j <= t && j <= k; j++ {
				binom = binom * float64(t-j+1) / float64(j)
				src := k - j
				add := j * (2*(seen-src) + t - j)
				first, last := lo[src], min(hi[src], twoU-add)
				if first > last {
					continue
				}
				to := rows[k][first+add:]
				for w, c := range rows[src][first : last+1] {
					to[w] += binom * c
				}
				lo[k], hi[k] = min(lo[k], first+add), max(hi[k], last+add)
			}
		}
		seen += t
		// More than n2 values so far in the second sample: the first
		// cannot be filled from what remains.
		for k := 0; k < min(seen-n2, n1+1); k++ {
			if lo[k] <= hi[k] {
				clear(rows[k][lo[k] : hi[k]+1])
				lo[k], hi[k] = width, -1
			}
		}
	}
	var le float64
	for _, c := range rows[n1] {
		le += c
	}
	return le / choose(n1+n2, n1)
}

// choose is the binomial coefficient C(n, k), as a float64.
func choose(n, k int) float64 {
	c := 1.0
	for i := 1; i <= k; i++ {
		c = c * float64(n-k+i) / float64(i)
	}
	return c
}
