package export

import (
	"testing"

	"golang.org/x/perf/benchmath"
)

// BenchmarkCompareEqual compares two samples of one repeated value (B/op,
// allocs/op): the U test stops at once.
func BenchmarkCompareEqual(b *testing.B) {
	x := make([]float64, 20)
	y := make([]float64, 20)
	for i := range x {
		x[i], y[i] = 64, 64
	}
	s1 := summarize(x, benchmath.AssumeNothing, 0.05)
	s2 := summarize(y, benchmath.AssumeNothing, 0.05)
	for b.Loop() {
		compareRow("a", "B/op", s1, s2, benchmath.AssumeNothing, -1)
	}
}

// BenchmarkCompareTied compares overlapping samples with ties, the costly
// case of the exact U distribution that dominates an export.
func BenchmarkCompareTied(b *testing.B) {
	x := make([]float64, 20)
	y := make([]float64, 20)
	for i := range x {
		x[i], y[i] = float64(100+i), float64(103+i)
	}
	s1 := summarize(x, benchmath.AssumeNothing, 0.05)
	s2 := summarize(y, benchmath.AssumeNothing, 0.05)
	for b.Loop() {
		compareRow("a", "sec/op", s1, s2, benchmath.AssumeNothing, -1)
	}
}

func BenchmarkSummarize(b *testing.B) {
	x := make([]float64, 20)
	for i := range x {
		x[i] = float64(100 + i)
	}
	for b.Loop() {
		summarize(x, benchmath.AssumeNothing, 0.05)
	}
}
