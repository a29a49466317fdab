package loop

import (
	"strconv"
	"testing"
)

func square(x int) int { return x * x }

// BenchmarkLoopCall discards a call result: from Go 1.24 the compiler
// keeps it alive in b.Loop.
func BenchmarkLoopCall(b *testing.B) {
	for b.Loop() {
		strconv.Itoa(42)
		_ = square(3)
	}
}

// BenchmarkLoopLocal assigns a named variable: kept alive too.
func BenchmarkLoopLocal(b *testing.B) {
	for b.Loop() {
		x := square(3)
		_ = x
	}
}

// BenchmarkLoopMake discards a make, which is no call: reported.
func BenchmarkLoopMake(b *testing.B) {
	for b.Loop() { // want `benchmark loop discards`
		_ = make([]byte, 64)
	}
}

// BenchmarkLoopN uses b.N, where nothing is kept alive.
func BenchmarkLoopN(b *testing.B) {
	for i := 0; i < b.N; i++ { // want `benchmark loop discards`
		_ = square(i)
	}
}
