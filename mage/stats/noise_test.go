package stats

import (
	"math"
	"testing"
)

func TestCV(t *testing.T) {
	for _, tt := range []struct {
		xs   []float64
		want float64
		ok   bool
	}{
		{[]float64{1}, 0, false},
		{[]float64{0, 0}, 0, false},
		{[]float64{10, 10, 10}, 0, true},
		{[]float64{9, 11}, math.Sqrt2 / 10, true},
		{[]float64{-9, -11}, math.Sqrt2 / 10, true},
	} {
		got, ok := CV(tt.xs)
		if ok != tt.ok || math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("CV(%v) = %v, %v; want %v, %v", tt.xs, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNoiseClass(t *testing.T) {
	for _, tt := range []struct {
		xs    []float64
		class string
	}{
		{[]float64{100, 100, 100}, NoiseGood},
		{[]float64{95, 105}, NoiseAcceptable},      // cv 7.1%
		{[]float64{90, 110}, NoiseWarning},         // cv 14.1%
		{[]float64{80, 120}, NoiseHigh},            // cv 28.3%
		{[]float64{50, 150}, NoiseVeryHigh},        // cv 70.7%
		{[]float64{100, 100, 100, 160}, NoiseHigh}, // cv 25.5%
	} {
		cv, _ := CV(tt.xs)
		if got := NoiseClass(cv); got != tt.class {
			t.Errorf("class of %v (cv %.3f) = %s, want %s", tt.xs, cv, got, tt.class)
		}
	}
	for cv, want := range map[float64]string{0: NoiseGood, 0.049: NoiseGood, 0.05: NoiseAcceptable, 0.12: NoiseWarning, 0.2: NoiseHigh, 0.3: NoiseVeryHigh, 5: NoiseVeryHigh} {
		if got := NoiseClass(cv); got != want {
			t.Errorf("NoiseClass(%v) = %q, want %q", cv, got, want)
		}
	}
}
