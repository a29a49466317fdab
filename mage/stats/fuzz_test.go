package stats

import (
	"bytes"
	"errors"
	"io"
	"math"
	"testing"
)

// FuzzCompare feeds arbitrary bytes as two result files through Build
// and every renderer. Nothing may panic; the only errors allowed from
// Build are ErrNoResults and a rejected gate threshold.
func FuzzCompare(f *testing.F) {
	f.Add([]byte("BenchmarkA-8 10 100 ns/op\n"), []byte("BenchmarkA-8 10 120 ns/op\n"), 0.05)
	f.Fuzz(func(t *testing.T, a, b []byte, failOn float64) {
		inputs := []Input{{Name: "a", R: bytes.NewReader(a)}, {Name: "b", R: bytes.NewReader(b)}}
		rep, err := Build(inputs, Options{FailOn: failOn})
		if err != nil {
			if !errors.Is(err, ErrNoResults) && failOn >= 0 && !math.IsInf(failOn, 0) {
				t.Fatalf("Build: %v", err)
			}
			return
		}
		for _, write := range []func(io.Writer) error{
			rep.WriteText, rep.WriteMarkdown, rep.WriteJSON,
			func(w io.Writer) error { return rep.WriteCSV(w, w) },
		} {
			if err := write(io.Discard); err != nil {
				t.Fatal(err)
			}
		}
	})
}
