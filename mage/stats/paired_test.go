package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// enumerateSigned returns the two-sided signed-rank p-value of d by
// enumerating all 2^n sign assignments of its nonzero differences with
// midranks: a direct count, independent of signedRank's subset sums.
func enumerateSigned(d []float64) float64 {
	var a []float64
	for _, x := range d {
		if x != 0 {
			a = append(a, math.Abs(x))
		}
	}
	n := len(a)
	if n == 0 {
		return 1
	}
	rank := make([]float64, n)
	for i := range a {
		less, same := 0, 0
		for j := range a {
			if a[j] < a[i] {
				less++
			} else if a[j] == a[i] {
				same++
			}
		}
		rank[i] = float64(less) + float64(same+1)/2
	}
	var w float64
	k := 0
	for _, x := range d {
		if x != 0 {
			if x > 0 {
				w += rank[k]
			}
			k++
		}
	}
	var lower, upper int
	for mask := 0; mask < 1<<n; mask++ {
		var s float64
		for i := range n {
			if mask&(1<<i) != 0 {
				s += rank[i]
			}
		}
		if s <= w+1e-9 {
			lower++
		}
		if s >= w-1e-9 {
			upper++
		}
	}
	return math.Min(1, 2*float64(min(lower, upper))/float64(int(1)<<n))
}

func TestSignedRank(t *testing.T) {
	for _, d := range [][]float64{
		{1, 2, 3, 4, 5, 6},
		{-1, 2, 3, 4, 5, 6, 7, 8},
		{0.5, -0.5, 1, 1, 1, -2, 3, 0, 4},       // ties and a zero
		{-3, -1, -2, 5, -4, -6, -7, 8, -9, -10}, // mixed
		{1, 1, 1, 1},
		{0, 0},
	} {
		if got, want := signedRank(d), enumerateSigned(d); math.Abs(got-want) > 1e-12 {
			t.Errorf("signedRank(%v) = %v, enumeration gives %v", d, got, want)
		}
	}
	// Random differences, some tied, against the enumeration.
	rng := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		n := 1 + rng.IntN(12)
		d := make([]float64, n)
		for i := range d {
			d[i] = float64(rng.IntN(7) - 3)
		}
		if got, want := signedRank(d), enumerateSigned(d); math.Abs(got-want) > 1e-12 {
			t.Errorf("signedRank(%v) = %v, enumeration gives %v", d, got, want)
		}
	}
	// The normal approximation beyond 50 pairs: all of one sign is tiny.
	d := make([]float64, 60)
	for i := range d {
		d[i] = float64(i + 1)
	}
	if p := signedRank(d); p > 1e-9 {
		t.Errorf("60 positive differences: p = %v", p)
	}
}

func TestSRCDF(t *testing.T) {
	for n := 1; n <= 10; n++ {
		counts := make([]float64, n*(n+1)/2+1)
		for mask := 0; mask < 1<<n; mask++ {
			s := 0
			for i := range n {
				if mask&(1<<i) != 0 {
					s += i + 1
				}
			}
			counts[s]++
		}
		var run float64
		cdf := srCDF(n)
		for s, c := range counts {
			run += c
			if math.Abs(cdf[s]-run/float64(int(1)<<n)) > 1e-12 {
				t.Fatalf("srCDF(%d)[%d] = %v, enumeration %v", n, s, cdf[s], run/float64(int(1)<<n))
			}
		}
	}
}

func TestExcludedPaired(t *testing.T) {
	// Published critical values of the two-sided signed-rank test at
	// 0.05 (reject when T <= the value): the k of a 95% interval.
	for n, k := range map[int]int{6: 0, 7: 2, 8: 3, 9: 5, 10: 8, 12: 13, 15: 25, 20: 52} {
		if got, ok := excludedPaired(n, 0.95); !ok || got != k {
			t.Errorf("excludedPaired(%d, 0.95) = %d, %v; want %d", n, got, ok, k)
		}
	}
	if _, ok := excludedPaired(5, 0.95); ok {
		t.Error("excludedPaired(5, 0.95): 5 pairs cannot bound a 95% interval (2/32 > 0.05)")
	}
	// The interval of 6 pairs at 95% is the smallest to the largest
	// Walsh average, that is of the differences themselves.
	d := []float64{0.01, 0.02, 0.03, 0.04, 0.05, 0.06}
	est, lo, hi := pairedInterval(d, 0.95)
	if math.Abs(lo-math.Expm1(0.01)) > 1e-12 || math.Abs(hi-math.Expm1(0.06)) > 1e-12 || math.Abs(est-math.Expm1(0.035)) > 1e-12 {
		t.Errorf("pairedInterval = %v [%v, %v]", est, lo, hi)
	}
}

func TestPairHoles(t *testing.T) {
	// Round 2 failed under the new toolchain: its other pairs stay
	// matched round for round, never shifted.
	old := []float64{100, 200, 300, 400, 500}
	cur := []float64{110, 220, 440, 550}
	d, ok := pair(old, cur, []int{0, 1, 2, 3, 4}, []int{0, 1, 3, 4})
	if !ok || len(d) != 4 {
		t.Fatalf("pair = %v, %v; want 4 pairs", d, ok)
	}
	for i, x := range d {
		if math.Abs(x-math.Log(1.1)) > 1e-12 {
			t.Errorf("pair %d: log ratio %v, want log(1.1)", i, x)
		}
	}
	// Unknown rounds (beyond the record) have no pair.
	if d, _ := pair(old, cur, []int{0, 1, 2, 3, 4}, []int{0, -1, -1, -1}); len(d) != 1 {
		t.Errorf("pairs with unknown rounds: %v", d)
	}
}

// drifting returns n samples of base·(1+shift) under a drift common to
// both toolchains of a round: the machine's speed changes from round to
// round by up to ±15%, a little noise on top.
func drifting(rng *rand.Rand, drift []float64, base, shift float64) []float64 {
	out := make([]float64, len(drift))
	for i, d := range drift {
		out[i] = base * (1 + shift) * d * (1 + 0.002*rng.NormFloat64())
	}
	return out
}

func TestPairedVerdict(t *testing.T) {
	// A 2% change under ±15% drift between rounds: the unpaired U test
	// cannot see it, the pairs can; the report says which test decided.
	rng := rand.New(rand.NewPCG(3, 4))
	drift := make([]float64, 20)
	for i := range drift {
		drift[i] = 1 + 0.15*(2*rng.Float64()-1)
	}
	write := func(vs []float64) string {
		var b strings.Builder
		b.WriteString("pkg: example.com/b\n")
		for _, v := range vs {
			fmt.Fprintf(&b, "BenchmarkX-2 1000 %.3f ns/op\n", v)
		}
		return b.String()
	}
	rounds := map[RoundKey][]int{{"example.com/b", "X"}: {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}}
	old, cur := write(drifting(rng, drift, 1000, 0)), write(drifting(rng, drift, 1000, 0.02))
	mk := func(run string) []Input {
		return []Input{
			{Name: "a", Label: "old", R: strings.NewReader(old), Run: run, Procs: 2, Rounds: rounds},
			{Name: "b", Label: "new", R: strings.NewReader(cur), Run: run, Procs: 2, Rounds: rounds},
		}
	}
	paired, err := Build(mk("r1"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := paired.Tables[0].Rows[0].Cells[1].Compare
	if !c.Paired || c.Pairs != 20 || !c.SignificantHolm || c.Change != Worse || c.P < 0.05 || !(c.Lo > 0.01 && c.Hi < 0.03) {
		t.Errorf("paired: %+v; want a paired, significant, worse change with P (unpaired) > 0.05 and an interval around 2%%", c)
	}
	if f := paired.Family("sec/op"); f.Paired != 1 || !strings.Contains(f.String(0.05), "paired by round: Wilcoxon signed-rank") {
		t.Errorf("family %q does not say the test was paired", f.String(0.05))
	}
	lines := strings.Join(paired.Lines(), "\n")
	if !strings.Contains(lines, "change: X-2 sec/op +") || !strings.Contains(lines, "paired p=") {
		t.Errorf("text lines do not list the paired change:\n%s", lines)
	}
	// The same files as two runs: unpaired, not significant, and said so.
	unpaired, err := Build(mk(""), Options{})
	if err != nil {
		t.Fatal(err)
	}
	c = unpaired.Tables[0].Rows[0].Cells[1].Compare
	if c.Paired || c.Significant {
		t.Errorf("unpaired: %+v; want the U test, not significant", c)
	}
	if f := unpaired.Family("sec/op"); !strings.Contains(f.String(0.05), "unpaired: Mann-Whitney U") {
		t.Errorf("family %q does not say the test was unpaired", f.String(0.05))
	}
}
