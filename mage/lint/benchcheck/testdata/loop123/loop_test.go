package loop

import (
	"strconv"
	"testing"
)

// BenchmarkLoopCall uses b.Loop in a go 1.23 module (go vet's stdversion
// reports that); without the 1.24 semantics the discarded call is dead.
func BenchmarkLoopCall(b *testing.B) {
	for b.Loop() { // want `benchmark loop discards`
		_ = strconv.Itoa(42)
	}
}
