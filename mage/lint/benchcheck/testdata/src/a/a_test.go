package a

import (
	"bytes"
	"crypto/sha256"
	"math"
	"strconv"
	"strings"
	"testing"
)

var (
	sinkBytes []byte
	sinkInt   int
	sinkAny   any
)

// BenchmarkOldSuite is the old suite's broken benchmark.
func BenchmarkOldSuite(b *testing.B) {
	for i := 0; i < b.N; i++ { // want `benchmark loop discards every value it computes`
		_ = make([]byte, 64)
	}
}

// BenchmarkPureStdlib calls a pure function and drops its result.
func BenchmarkPureStdlib(b *testing.B) {
	for i := range b.N { // want `benchmark loop discards`
		strconv.Itoa(i)
	}
}

// BenchmarkUnusedLocal stores into a local that nothing reads.
func BenchmarkUnusedLocal(b *testing.B) {
	for i := 0; i < b.N; i++ { // want `benchmark loop discards`
		x := math.Sqrt(float64(i))
		y := x * 2
		_ = y
	}
}

// BenchmarkOuterLocal assigns a local declared outside the loop and only
// discards it afterwards.
func BenchmarkOuterLocal(b *testing.B) {
	var s string
	for i := 0; i < b.N; i++ { // want `benchmark loop discards`
		s = strings.ToUpper("abc")
	}
	_ = s
}

// BenchmarkAccumulateDiscarded sums into a local that is never used.
func BenchmarkAccumulateDiscarded(b *testing.B) {
	sum := 0
	for i := 0; i < b.N; i++ { // want `benchmark loop discards`
		for j := 0; j < 10; j++ {
			if j%2 == 0 {
				sum += Square(j)
			}
		}
	}
	_ = sum
}

// BenchmarkPureLocal drops the results of pure local functions.
func BenchmarkPureLocal(b *testing.B) {
	for i := 0; i < b.N; i++ { // want `benchmark loop discards`
		_ = Square(i)
		_ = string([]byte("conversion"))
		_ = sha256.Sum256(nil)
	}
}

// BenchmarkSubAndParallel has dead loops in a sub-benchmark and in a
// RunParallel body.
func BenchmarkSubAndParallel(b *testing.B) {
	b.Run("sub", func(b *testing.B) {
		for i := 0; i < b.N; i++ { // want `benchmark loop discards`
			_ = new(int)
		}
	})
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() { // want `benchmark loop discards`
			_ = len("abc")
		}
	})
}

func BenchmarkNoDoc(b *testing.B) { // want `BenchmarkNoDoc has no doc comment`
	for i := 0; i < b.N; i++ {
		sinkInt = i
	}
}

//go:noinline
func BenchmarkDirectiveOnly(b *testing.B) { // want `BenchmarkDirectiveOnly has no doc comment`
	Loop(b)
}

// Not reported from here on.

// BenchmarkSink keeps its result in a package-level sink.
func BenchmarkSink(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sinkBytes = make([]byte, 64)
	}
}

// BenchmarkSinkAfterLoop accumulates and stores the total once.
func BenchmarkSinkAfterLoop(b *testing.B) {
	sum := 0
	for i := 0; i < b.N; i++ {
		sum += Square(i)
	}
	sinkInt = sum
}

// BenchmarkNoinlineConsumer passes the result to a //go:noinline consumer.
func BenchmarkNoinlineConsumer(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Consume(strconv.Itoa(i))
	}
}

type holder struct{ v []byte }

// BenchmarkPointerAndField stores through a pointer and into a field.
func BenchmarkPointerAndField(b *testing.B) {
	var h holder
	p := new(int)
	for i := 0; i < b.N; i++ {
		*p = Square(i)
		h.v = make([]byte, 8)
	}
	sinkAny = h
}

// BenchmarkPointerNotRead stores through a pointer nobody reads; stores
// to memory count as kept.
func BenchmarkPointerNotRead(b *testing.B) {
	p := new(int)
	for i := 0; i < b.N; i++ {
		*p = Square(i)
	}
}

// BenchmarkReturned keeps its result by returning it from a helper.
func BenchmarkReturned(b *testing.B) {
	sinkInt = returned(b)
}

func returned(b *testing.B) int {
	x := 0
	for i := 0; i < b.N; i++ {
		x = Square(i)
	}
	return x
}

// BenchmarkMetric reports what it computed.
func BenchmarkMetric(b *testing.B) {
	n := 0
	for i := 0; i < b.N; i++ {
		n += len(strconv.Itoa(i))
	}
	b.ReportMetric(float64(n)/float64(b.N), "bytes/op")
}

// BenchmarkSetBytes uses the size in b.SetBytes inside the loop.
func BenchmarkSetBytes(b *testing.B) {
	for i := 0; i < b.N; i++ {
		s := strconv.Itoa(i)
		b.SetBytes(int64(len(s)))
	}
}

// BenchmarkSideEffects calls methods with side effects.
func BenchmarkSideEffects(b *testing.B) {
	h := sha256.New()
	var buf bytes.Buffer
	ch := make(chan int, 1)
	data := []byte("data")
	for i := 0; i < b.N; i++ {
		h.Write(data)
		buf.WriteString("x")
		ch <- i
		<-ch
	}
}

// BenchmarkImpureCalls calls local functions with effects.
func BenchmarkImpureCalls(b *testing.B) {
	for i := 0; i < b.N; i++ {
		_ = Bump()
		_ = Panics(i)
		_ = Fib(10) // recursion is never inlined whole: the call stays
	}
}

// BenchmarkMapWrite writes into a map that is never read; the runtime
// call stays.
func BenchmarkMapWrite(b *testing.B) {
	m := make(map[int]int)
	for i := 0; i < b.N; i++ {
		m[i%8] = i
	}
}

// BenchmarkMapRead reads a map and iterates over it; the runtime calls
// stay even though the values are discarded.
func BenchmarkMapRead(b *testing.B) {
	m := map[int]int{1: 2}
	for i := 0; i < b.N; i++ {
		_ = m[i]
		for k, v := range m {
			_ = k + v
		}
	}
}

// BenchmarkChain keeps its result through a chain of locals.
func BenchmarkChain(b *testing.B) {
	prev := 0
	for i := 0; i < b.N; i++ {
		cur := Square(prev + i)
		next := cur
		prev = next
	}
	sinkInt = prev
}

// BenchmarkGoroutine starts a goroutine per iteration.
func BenchmarkGoroutine(b *testing.B) {
	done := make(chan int)
	for i := 0; i < b.N; i++ {
		go func() { done <- Square(i) }()
		<-done
	}
}

// BenchmarkEmpty measures the loop itself, on purpose.
func BenchmarkEmpty(b *testing.B) {
	for i := 0; i < b.N; i++ {
	}
}

// BenchmarkBreak stops early depending on a computed value.
func BenchmarkBreak(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if Square(i) < 0 {
			break
		}
	}
}

// BenchmarkClosureReads keeps a local alive through a closure that stores
// it in a sink.
func BenchmarkClosureReads(b *testing.B) {
	x := 0
	defer func() { sinkInt = x }()
	for i := 0; i < b.N; i++ {
		x = Square(i)
	}
}

// BenchmarkAddressTaken reads the local through a pointer passed on.
func BenchmarkAddressTaken(b *testing.B) {
	var x int
	for i := 0; i < b.N; i++ {
		x = Square(i)
	}
	Consume(&x)
}

func Benchmarkhelper(b *testing.B) {} // not a benchmark: lower case after the prefix

func helperLoop(n int) {
	for i := 0; i < n; i++ { // not a benchmark loop
		_ = make([]byte, 1)
	}
}
