package stats

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
)

// corpusFiles generates result files of the shape compare is measured
// on (tools/statscompare): files toolchains x benchmarks x 4 units x
// samples, with 2% noise and a few shifted benchmarks per toolchain.
func corpusFiles(files, benchmarks, samples int) [][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([][]byte, files)
	for f := range files {
		var b bytes.Buffer
		fmt.Fprintf(&b, "goos: linux\ngoarch: amd64\npkg: example.com/bench\ncpu: Generated CPU\n")
		for s := range samples {
			for i := range benchmarks {
				shift := 1.0
				if (i+f)%7 == 0 {
					shift = 1 + 0.01*float64(f)
				}
				ns := float64(100+37*i) * shift * (1 + 0.02*rng.NormFloat64())
				fmt.Fprintf(&b, "BenchmarkOp%03d/size=%d-8 \t%8d\t%12.1f ns/op\t%10.2f MB/s\t%6d B/op\t%4d allocs/op\n",
					i, 1<<(i%10), 1000000+s, ns, 1e9/ns*64/1e6, 64*(i%5), i%5)
			}
		}
		out[f] = b.Bytes()
	}
	return out
}

// BenchmarkCompare reads, compares and renders (csv) 10 toolchains x
// 200 benchmarks x 4 units x 20 samples, the corpus.
func BenchmarkCompare(b *testing.B) {
	files := corpusFiles(10, 200, 20)
	size := 0
	for _, f := range files {
		size += len(f)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		inputs := make([]Input, len(files))
		for i, f := range files {
			inputs[i] = Input{Name: fmt.Sprintf("go1.%d.txt", 18+i), R: bytes.NewReader(f)}
		}
		rep, err := Build(inputs, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := rep.WriteCSV(io.Discard, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(10*200*20*b.N)/b.Elapsed().Seconds(), "results/s")
}
