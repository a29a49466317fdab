package core

import "testing"

// Sinks keep benchmark results reachable so the compiler cannot delete the
// work that produced them. They are package-level so escape analysis must
// put every allocation on the heap.
var (
	sinkBytes []byte
	sinkMap   map[int]int
	sinkInts  []int
)

// BenchmarkSmallAllocation measures one 64-byte heap allocation.
func BenchmarkSmallAllocation(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		sinkBytes = make([]byte, 64)
	}
}

// BenchmarkLargeAllocation measures one 1 MiB heap allocation, which the
// runtime serves from a dedicated large-object span.
func BenchmarkLargeAllocation(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		sinkBytes = make([]byte, 1<<20)
	}
}

// BenchmarkMapAllocation measures making a map and filling it with 100 entries.
func BenchmarkMapAllocation(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		m := make(map[int]int)
		for k := 0; k < 100; k++ {
			m[k] = k
		}
		sinkMap = m
	}
}

// BenchmarkSliceAppend measures 1000 appends to a slice that starts empty,
// including every regrowth of its backing array.
func BenchmarkSliceAppend(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var s []int
		for k := 0; k < 1000; k++ {
			s = append(s, k)
		}
		sinkInts = s
	}
}

// gcLive is the bounded live set of BenchmarkGCPressure: each iteration
// replaces one slot, so the heap churns while the live size stays at
// len(gcLive) * 1 KiB.
var gcLive [4096][]byte

// BenchmarkGCPressure measures allocation churn with a bounded live set: each
// iteration allocates 1 KiB and drops the oldest of 4096 live buffers, so the
// garbage collector runs continuously against a 4 MiB heap.
func BenchmarkGCPressure(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		gcLive[i%len(gcLive)] = make([]byte, 1024)
	}
}
