package runtime

import (
	"strconv"
	"sync"
	"testing"
)

// deferMu is the lock taken by lockedIncrement.
var deferMu sync.Mutex

// deferCounter is the counter lockedIncrement guards.
var deferCounter int

// lockedIncrement increments deferCounter under deferMu, unlocking with
// defer: the common shape whose cost open-coded defers reduced.
//
//go:noinline
func lockedIncrement() {
	deferMu.Lock()
	defer deferMu.Unlock()
	deferCounter++
}

// BenchmarkDefer measures a call to a function that locks a mutex and
// releases it with defer.
func BenchmarkDefer(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		lockedIncrement()
	}
	sinkInt = deferCounter
}

// shape is the interface of BenchmarkInterfaceCall.
type shape interface {
	area() int
}

type square struct{ side int }

func (s square) area() int { return s.side * s.side }

type rect struct{ w, h int }

func (r *rect) area() int { return r.w * r.h }

// BenchmarkInterfaceCall measures a method call through an interface
// whose dynamic type alternates between two implementations, so the
// compiler cannot devirtualize it.
func BenchmarkInterfaceCall(b *testing.B) {
	b.ReportAllocs()
	shapes := []shape{square{side: 3}, &rect{w: 2, h: 5}}
	sum := 0
	for i := 0; i < b.N; i++ {
		sum += shapes[i&1].area()
	}
	sinkInt = sum
}

// recurse calls itself depth times with a 256-byte frame, so a new
// goroutine's stack has to grow (by copying) several times.
//
//go:noinline
func recurse(depth int) int {
	var frame [32]int
	frame[depth%len(frame)] = depth
	if depth == 0 {
		return frame[0]
	}
	return recurse(depth-1) + frame[depth%len(frame)]
}

// BenchmarkStackGrowth measures running a fresh goroutine whose call depth
// needs its stack to grow from the initial size to about depth x 300
// bytes, and waiting for it.
func BenchmarkStackGrowth(b *testing.B) {
	for _, depth := range []int{100, 10000} {
		b.Run("depth="+strconv.Itoa(depth), func(b *testing.B) {
			b.ReportAllocs()
			results := make(chan int)
			sum := 0
			for i := 0; i < b.N; i++ {
				go func() { results <- recurse(depth) }()
				sum += <-results
			}
			sinkInt = sum
		})
	}
}
