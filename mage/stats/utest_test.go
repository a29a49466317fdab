package stats

import (
	"math"
	"math/rand/v2"
	"testing"

	mstats "github.com/aclements/go-moremath/stats"
)

// TestUTestP checks uTestP against go-moremath's MannWhitneyUTest, which
// benchstat uses, on samples with and without ties, on both sides of its
// exact limits, apart and overlapping.
func TestUTestP(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 600 {
		n1, n2 := 1+r.IntN(30), 1+r.IntN(30)
		if trial%5 == 0 {
			n1, n2 = 40+r.IntN(20), 40+r.IntN(20)
		}
		// grid rounds values: 0 for none (no ties), else coarse to fine.
		grid := []float64{0, 1, 5, 20}[trial%4]
		shift := []float64{0, 0.3, 1, 3}[r.IntN(4)]
		gen := func(n int, mean float64) []float64 {
			v := make([]float64, n)
			for i := range v {
				v[i] = mean + r.NormFloat64()
				if grid > 0 {
					v[i] = math.Round(v[i]*grid) / grid
				}
			}
			return v
		}
		x, y := gen(n1, 10), gen(n2, 10+shift)
		want, err := mstats.MannWhitneyUTest(x, y, mstats.LocationDiffers)
		got, ok := uTestP(x, y)
		if err != nil {
			if ok {
				t.Errorf("n=%d,%d %v %v: p=%g, moremath fails: %v", n1, n2, x, y, got, err)
			}
			continue
		}
		if !ok || math.Abs(got-want.P) > 1e-12*math.Max(1, want.P) {
			t.Errorf("n=%d,%d grid %g: uTestP = %.17g, %v; moremath %.17g\nx=%v\ny=%v", n1, n2, grid, got, ok, want.P, x, y)
		}
	}
}

// TestUTestPEdges: all values equal fails as in moremath; samples
// entirely apart give the exact minimum.
func TestUTestPEdges(t *testing.T) {
	if _, ok := uTestP([]float64{1, 1, 1}, []float64{1, 1}); ok {
		t.Error("all equal: ok, want a failure")
	}
	if _, ok := uTestP(nil, []float64{1}); ok {
		t.Error("empty sample: ok, want a failure")
	}
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	y := []float64{11, 12, 13, 14, 15, 16, 17, 18, 19, 20}
	if p, _ := uTestP(x, y); math.Abs(p-minP(10, 10)) > 1e-15 {
		t.Errorf("apart: p = %g, want %g", p, minP(10, 10))
	}
	// Two constant samples that differ: one group each, U = 0.
	c1, c2 := []float64{3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, []float64{4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4}
	if p, _ := uTestP(c1, c2); math.Abs(p-minP(13, 13)) > 1e-15 {
		t.Errorf("constant: p = %g, want %g", p, minP(13, 13))
	}
}

// BenchmarkUTest times uTestP and go-moremath's test on 20 samples a side,
// with ties (integer values, as go test prints large ns/op) and without.
func BenchmarkUTest(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, ties := range []bool{true, false} {
		x, y := make([]float64, 20), make([]float64, 20)
		for i := range x {
			x[i], y[i] = 1000+10*r.NormFloat64(), 1000+10*r.NormFloat64()
			if ties {
				x[i], y[i] = math.Round(x[i]), math.Round(y[i])
			}
		}
		name := map[bool]string{true: "ties", false: "distinct"}[ties]
		b.Run("perftrack/"+name, func(b *testing.B) {
			for b.Loop() {
				uTestP(x, y)
			}
		})
		b.Run("moremath/"+name, func(b *testing.B) {
			for b.Loop() {
				mstats.MannWhitneyUTest(x, y, mstats.LocationDiffers)
			}
		})
	}
}
