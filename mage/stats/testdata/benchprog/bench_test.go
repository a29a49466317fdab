// Package benchprog is the benchmark program whose real `go test -bench`
// output makes the oracle corpus (see ../gen.go). BENCHPROG_VARIANT
// changes the work some benchmarks do, so that files differ the way two
// toolchains would: some faster, some slower, some the same.
package benchprog

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var variant = os.Getenv("BENCHPROG_VARIANT")

var (
	sink  int
	bsink []byte
)

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func BenchmarkFib(b *testing.B) {
	for _, n := range []int{10, 15} {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			m := n
			if strings.Contains(variant, "slow") {
				m++ // about 1.6x the work
			}
			for range b.N {
				sink += fib(m)
			}
		})
	}
}

func BenchmarkSort(b *testing.B) {
	data := make([]int, 512)
	for i := range data {
		data[i] = (i * 7919) % 512
	}
	buf := make([]int, len(data))
	b.SetBytes(int64(8 * len(data)))
	for range b.N {
		copy(buf, data)
		if strings.Contains(variant, "fast") {
			slices.Sort(buf[:256])
		} else {
			slices.Sort(buf)
		}
	}
}

func BenchmarkAlloc(b *testing.B) {
	b.ReportAllocs()
	n := 16
	if strings.Contains(variant, "slow") {
		n = 64
	}
	for range b.N {
		bsink = make([]byte, n)
	}
	b.ReportMetric(float64(n), "items/op")
}

func BenchmarkZero(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		sink++
	}
	b.ReportMetric(0, "zeros/op")
}

func BenchmarkOnlyOld(b *testing.B) {
	for range b.N {
		sink += fib(5)
	}
}

func BenchmarkOnlyNew(b *testing.B) {
	for range b.N {
		sink += fib(6)
	}
}
