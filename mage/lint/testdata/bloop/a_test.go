package bloop

import "testing"

var sink []byte

// BenchmarkLoop uses b.Loop, which needs Go 1.24.
func BenchmarkLoop(b *testing.B) {
	for b.Loop() {
		sink = make([]byte, 64)
	}
}
