package export

import (
	"math"
	"slices"
	"testing"
)

func TestHolm(t *testing.T) {
	for _, tc := range []struct {
		ps    []float64
		alpha float64
		want  []bool
	}{
		{nil, 0.05, []bool{}},
		{[]float64{0.01, 0.01}, 0.05, []bool{true, true}},
		{[]float64{0.01}, 0.05, []bool{true}},
		{[]float64{0.01, 0.04}, 0.05, []bool{true, true}},                           // 0.01 < 0.025, 0.04 < 0.05
		{[]float64{0.04, 0.03}, 0.05, []bool{false, false}},                         // 0.03 >= 0.025 stops it
		{[]float64{0.002, 0.2, 0.012, 0.02}, 0.05, []bool{true, false, true, true}}, // .002<.0125, .012<.0167, .02<.025, .2>=.05
		{[]float64{0.05}, 0.05, []bool{false}},                                      // strictly below alpha
	} {
		got := holm(tc.ps, tc.alpha)
		if !slices.Equal(got, tc.want) {
			t.Errorf("holm(%v, %v) = %v, want %v", tc.ps, tc.alpha, got, tc.want)
		}
	}
}

func TestDirection(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	for _, tc := range []struct {
		sig    bool
		delta  *float64
		better int
		want   string
	}{
		{false, f(-0.5), -1, "none"},
		{true, f(-0.1), -1, "better"},
		{true, f(0.1), -1, "worse"},
		{true, f(0.1), 1, "better"},
		{true, f(-0.1), 1, "worse"},
		{true, f(0.1), 0, "changed"},
		{true, nil, -1, "none"},
		{true, f(0), -1, "none"},
	} {
		if got := direction(tc.sig, tc.delta, tc.better); got != tc.want {
			t.Errorf("direction(%v, %v, %d) = %s, want %s", tc.sig, tc.delta, tc.better, got, tc.want)
		}
	}
}

func TestBoundAndDeltas(t *testing.T) {
	base := summary{median: 100, lo: 98, hi: 102}
	targ := summary{median: 101, lo: 99, hi: 103}
	b := bound(base, targ)
	if b == nil || math.Abs(*b-(103.0/98-1)) > 1e-12 {
		t.Errorf("bound = %v", b)
	}
	d, lo, hi := deltas(base, targ)
	if math.Abs(*d-0.01) > 1e-12 || math.Abs(*lo-(99.0/102-1)) > 1e-12 || math.Abs(*hi-(103.0/98-1)) > 1e-12 {
		t.Errorf("deltas = %v %v %v", *d, *lo, *hi)
	}
	if d, _, _ := deltas(summary{}, targ); d != nil {
		t.Error("a delta from a zero median")
	}
	if bound(summary{}, targ) != nil {
		t.Error("a bound from a zero interval")
	}
}

func TestCV(t *testing.T) {
	for _, tc := range []struct {
		values []float64
		want   float64 // -1: nil
	}{
		{[]float64{1}, -1},
		{[]float64{0, 0}, -1},
		{[]float64{10, 10, 10}, 0},
		{[]float64{9, 11}, math.Sqrt2 / 10},
	} {
		got := cv(tc.values)
		if (got == nil) != (tc.want == -1) || (got != nil && math.Abs(*got-tc.want) > 1e-12) {
			t.Errorf("cv(%v) = %v, want %v", tc.values, got, tc.want)
		}
	}
}

func TestNames(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Alloc-8", "Alloc"},
		{"Alloc", "Alloc"},
		{"Fib/n=10-16", "Fib/n=10"},
		{"Fib/n=10", "Fib/n=10"},
		{"-8", "-8"},
	} {
		if got := stripGOMAXPROCS(tc.in); got != tc.want {
			t.Errorf("stripGOMAXPROCS(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	order := []string{"go1.9", "go1.21rc1", "go1.21.0", "go1.26.8", "go1.27.3", "a-label", "tip"}
	shuffled := []string{"tip", "go1.27.3", "go1.21.0", "a-label", "go1.9", "go1.26.8", "go1.21rc1"}
	slices.SortFunc(shuffled, compareNames)
	if !slices.Equal(shuffled, order) {
		t.Errorf("sorted names %v, want %v", shuffled, order)
	}
	for name, want := range map[string]bool{"Benchmark": true, "BenchmarkX": true, "Benchmark_x": true, "Benchmarkx": false, "Bench": false} {
		if isBenchmarkName(name) != want {
			t.Errorf("isBenchmarkName(%q) = %v", name, !want)
		}
	}
}

func TestClasses(t *testing.T) {
	for cv, want := range map[float64]string{0: "good", 0.049: "good", 0.05: "acceptable", 0.12: "warning", 0.2: "high", 0.3: "very high", 5: "very high"} {
		if got := cvClass(cv); got != want {
			t.Errorf("cvClass(%v) = %q, want %q", cv, got, want)
		}
	}
	if !(classRank("good") < classRank("acceptable") && classRank("high") < classRank("very high") && classRank("very high") < classRank("odd")) {
		t.Error("class ranks out of order")
	}
}
