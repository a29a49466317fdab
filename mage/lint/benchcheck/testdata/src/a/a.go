// Package a holds the analyzer's test cases: the benchmarks in a_test.go
// and the helpers they call.
package a

import "testing"

// Square has no side effect: a call whose result is discarded is dead.
func Square(x int) int { return x * x }

// Counter is what Bump increments.
var Counter int

// Bump has a side effect, so a call is never dead.
func Bump() int {
	Counter++
	return Counter
}

// Consume is the classic consumer: it does nothing, but the compiler must
// call it because it may not inline it.
//
//go:noinline
func Consume(x any) {}

// Fib is pure and recursive; the analyzer treats recursion as impure, as
// the compiler cannot inline it away.
func Fib(n int) int {
	if n < 2 {
		return n
	}
	return Fib(n-1) + Fib(n-2)
}

// Panics is not pure: it may panic.
func Panics(x int) int {
	if x < 0 {
		panic("negative")
	}
	return x
}

// Loop is a helper in a non-test file, reached from a benchmark.
func Loop(b *testing.B) {
	for i := 0; i < b.N; i++ { // want `benchmark loop discards every value it computes`
		_ = make([]byte, 64)
	}
}
