// Package liars has benchmarks whose output could spoil a results tree:
// lines that look like results, printed by the benchmarks themselves, and
// a result line too long for benchfmt to read back.
package liars

import (
	"flag"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

var sink int

// Each benchmark prints once per process, in its first call (b.N = 1),
// which comes before the testing package prints its name: the real
// result line stays whole.
var printedFake, printedOwn bool

// procs is the -GOMAXPROCS suffix the testing package gives the names.
func procs() string {
	if p := runtime.GOMAXPROCS(0); p != 1 {
		return fmt.Sprintf("-%d", p)
	}
	return ""
}

// BenchmarkFakeLine prints result lines of a benchmark that does not
// exist, one of them longer than benchfmt reads.
func BenchmarkFakeLine(b *testing.B) {
	if !printedFake {
		printedFake = true
		fmt.Println("BenchmarkInjected 1 1 ns/op")
		fmt.Printf("BenchmarkInjected%s 1 1 ns/op\n", procs())
		fmt.Printf("BenchmarkInjected%s 1 1 ns/op 1 %s/op\n", procs(), strings.Repeat("x", 70000))
	}
	for i := 0; i < b.N; i++ {
		sink += i
	}
}

// BenchmarkOwnLine prints a result line of its own name when it runs a
// fixed iteration count (-test.benchtime=Nx): in Collect's warm-up and
// samples, not in its calibration.
func BenchmarkOwnLine(b *testing.B) {
	if f := flag.Lookup("test.benchtime"); !printedOwn && f != nil && strings.HasSuffix(f.Value.String(), "x") {
		printedOwn = true
		fmt.Printf("BenchmarkOwnLine%s 1 1 ns/op\n", procs())
	}
	for i := 0; i < b.N; i++ {
		sink += i
	}
}

// BenchmarkHugeMetric reports a metric whose unit makes its result line
// longer than the 64 KiB benchfmt reads.
func BenchmarkHugeMetric(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink += i
	}
	b.ReportMetric(1, strings.Repeat("u", 70000)+"/op")
}
