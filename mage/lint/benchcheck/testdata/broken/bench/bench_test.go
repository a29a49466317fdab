package bench

import "testing"

var sink []byte

// BenchmarkOld is the old suite's defect.
func BenchmarkOld(b *testing.B) {
	for i := 0; i < b.N; i++ {
		_ = make([]byte, 64)
	}
}

func BenchmarkUndocumented(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink = make([]byte, 64)
	}
}

// BenchmarkShared runs the shared body.
func BenchmarkShared(b *testing.B) { Run(b) }
