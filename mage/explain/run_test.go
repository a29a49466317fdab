package explain

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/perftrack/perftrack/mage/results"
	"github.com/perftrack/perftrack/mage/toolchain"
)

// twoBenchmarks is a module with one benchmark that computes and one
// that allocates, more of both under a GOROOT named "slow".
const twoBenchmarks = `package bench

import (
	"os"
	"path/filepath"
	"testing"
)

var slow = filepath.Base(os.Getenv("GOROOT")) == "slow"

var (
	sink    uint64
	sinkBuf []byte
)

//go:noinline
func spin(n int) uint64 {
	h := uint64(1)
	for i := 0; i < n; i++ {
		h = h*31 + uint64(i)
	}
	return h
}

func BenchmarkSpin(b *testing.B) {
	for range b.N {
		sink += spin(1000)
		if slow {
			sink += spin(1000)
		}
	}
}

func BenchmarkAlloc(b *testing.B) {
	for range b.N {
		sinkBuf = make([]byte, 64)
		if slow {
			sinkBuf = make([]byte, 1024)
		}
	}
}
`

// TestRunInterrupted explains two regressions of a hand-made run and
// cancels after the first: it is kept, on disk too, with its profiles,
// and the second is named as not explained.
func TestRunInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs benchmarks")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	mod := filepath.Join(dir, "mod")
	if err := os.MkdirAll(mod, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"go.mod": "module example.com/two\n\ngo 1.23\n", "bench_test.go": twoBenchmarks} {
		if err := os.WriteFile(filepath.Join(mod, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	m := &results.Manifest{Stamp: "20261203T100000Z", Platform: results.Platform(), Seed: 1,
		Settings: results.RunSettings{Dir: mod, Benchtime: "10ms"},
		Benchmarks: []results.BenchmarkRecord{
			{Pkg: "example.com/two", Name: "BenchmarkSpin", N: 10000},
			{Pkg: "example.com/two", Name: "BenchmarkAlloc", N: 100000},
		}}
	for _, name := range []string{"base", "slow"} {
		root := filepath.Join(dir, "roots", name)
		if err := os.MkdirAll(filepath.Dir(root), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(strings.TrimSpace(string(out)), root); err != nil {
			t.Fatal(err)
		}
		v, err := toolchain.GoVersion(ctx, root)
		if err != nil {
			t.Fatal(err)
		}
		m.Toolchains = append(m.Toolchains, results.ToolchainRecord{Name: name, Version: v, GOROOT: root})
	}
	regs := []Regression{
		{Pkg: "example.com/two", Benchmark: "BenchmarkSpin", Row: "Spin", Unit: "sec/op", Baseline: "base", Toolchain: "slow",
			Delta: 1, Base: 1e-6, New: 2e-6, NsPerOp: 2000, N: 10000},
		{Pkg: "example.com/two", Benchmark: "BenchmarkAlloc", Row: "Alloc", Unit: "B/op", Baseline: "base", Toolchain: "slow",
			Delta: 15, Base: 64, New: 1024, NsPerOp: 100, BytesPerOp: 1024, N: 100000},
	}
	res := filepath.Join(dir, "results")
	e, err := Run(ctx, Config{Results: res, Manifest: m, Regressions: regs, Budget: 100 * time.Millisecond, Rounds: 2,
		LockFile: filepath.Join(dir, "lock"), afterJob: cancel})
	if !errors.Is(err, ErrInterrupted) || e == nil || e.Status != StatusInterrupted {
		t.Fatalf("Run = %+v, %v; want an interrupted explanation", e, err)
	}
	kept, err := ReadFile(results.ExplanationFile(res, m.Platform, m.Stamp))
	if err != nil {
		t.Fatal(err)
	}
	for _, got := range []*Explanation{e, kept} {
		if got.Status != StatusInterrupted || len(got.Regressions) != 1 || got.Regressions[0].Benchmark != "BenchmarkSpin" ||
			got.Regressions[0].Error != "" || len(got.Skipped) != 1 || !strings.Contains(got.Skipped[0], "BenchmarkAlloc B/op +1500.00% (slow vs base): not explained: interrupted") {
			t.Errorf("explanation %+v, skipped %q; want BenchmarkSpin explained and BenchmarkAlloc skipped", got, got.Skipped)
		}
	}
	r := e.Regressions[0]
	if len(r.Flat) == 0 || r.Flat[0].Name != "example.com/two.spin" {
		t.Errorf("flat = %v, want example.com/two.spin first", r.Flat)
	}
	for _, p := range []string{r.BaseProfile, r.NewProfile} {
		if _, err := os.Stat(filepath.Join(res, p)); err != nil {
			t.Error(err)
		}
	}
}
