package deadloop

import "testing"

// BenchmarkSmallAllocation is the old suite's benchmark, whose allocation
// the compiler deletes.
func BenchmarkSmallAllocation(b *testing.B) {
	for i := 0; i < b.N; i++ {
		_ = make([]byte, 64)
	}
}

func BenchmarkUndocumented(b *testing.B) {
	b.ReportAllocs()
}
