package go124

import "testing"

var sink []byte

// BenchmarkAlloc measures a 64-byte allocation.
func BenchmarkAlloc(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink = make([]byte, 64)
	}
}
