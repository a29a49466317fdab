package mage

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/perftrack/perftrack/mage/collect"
	"github.com/perftrack/perftrack/mage/explain"
	"github.com/perftrack/perftrack/mage/results"
	"github.com/perftrack/perftrack/mage/toolchain"
)

// plantedModule is a benchmark module whose benchmark does more work,
// and allocates, only when the GOROOT it runs under is named "slow": two
// symlinks to the local Go are then two toolchains that differ in one
// function, which the explanation must name first.
const plantedModule = `package bench

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
func steadyWork(n int) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < n; i++ {
		h ^= uint64(i)
		h *= 1099511628211
	}
	return h
}

//go:noinline
func plantedExtraWork(n int) uint64 {
	h := uint64(1)
	for i := 0; i < n; i++ {
		h ^= uint64(i) << 3
		h *= 1099511628211
	}
	return h
}

//go:noinline
func plantedExtraAlloc() []byte { return make([]byte, 4096) }

func BenchmarkPlanted(b *testing.B) {
	for range b.N {
		sink += steadyWork(2000)
		if slow {
			sink += plantedExtraWork(6000)
			sinkBuf = plantedExtraAlloc()
		}
	}
}
`

// TestExplainPlanted collects a short run of the planted module under
// "base" and "slow", explains it, and checks that the planted functions
// top the explanation of time and of allocations, in json (as printed),
// text and markdown (from the explain.json kept in the run).
func TestExplainPlanted(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs benchmarks")
	}
	ctx := context.Background()
	dir := t.TempDir()
	mod := filepath.Join(dir, "mod")
	if err := os.MkdirAll(mod, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{
		"go.mod":        "module example.com/planted\n\ngo 1.23\n",
		"bench_test.go": plantedModule,
	} {
		if err := os.WriteFile(filepath.Join(mod, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	goroot := strings.TrimSpace(string(out))
	var tcs []toolchain.Toolchain
	for _, name := range []string{"base", "slow"} {
		root := filepath.Join(dir, "roots", name)
		if err := os.MkdirAll(filepath.Dir(root), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(goroot, root); err != nil {
			t.Fatal(err)
		}
		v, err := toolchain.GoVersion(ctx, root)
		if err != nil {
			t.Fatal(err)
		}
		tcs = append(tcs, toolchain.Toolchain{Name: name, Version: v, GOROOT: root})
	}
	res := filepath.Join(dir, "results")
	lock := filepath.Join(dir, "lock")
	m, err := collect.Run(ctx, collect.Config{
		Count: 8, Benchtime: 20 * time.Millisecond, Dir: mod, Results: res,
		Extra: 0, Seed: 1, LockFile: lock, LockTimeout: -1,
	}, tcs)
	if err != nil {
		t.Fatal(err)
	}

	s, err := Settings{Results: res, Format: "json", ExplainTime: 400 * time.Millisecond}.resolve(func(string) (string, bool) { return "", false }, dir)
	if err != nil {
		t.Fatal(err)
	}
	got, names, err := explainRunOf(ctx, &bytes.Buffer{}, "base,slow", res, results.Platform(), localName)
	if err != nil || got.Stamp != m.Stamp || strings.Join(names, ",") != "base,slow" {
		t.Fatalf("explainRunOf = %v, %v, %v; want run %s of base,slow", got, names, err, m.Stamp)
	}
	var stdout, stderr bytes.Buffer
	if err := explainRun(ctx, &stdout, &stderr, s, got, names, lock); err != nil {
		t.Fatalf("explainRun: %v\n%s", err, stderr.String())
	}
	var e explain.Explanation
	if err := json.Unmarshal(stdout.Bytes(), &e); err != nil {
		t.Fatalf("json: %v\n%s", err, stdout.String())
	}
	want := map[string]string{
		"sec/op":    "example.com/planted.plantedExtraWork",
		"B/op":      "example.com/planted.plantedExtraAlloc",
		"allocs/op": "example.com/planted.plantedExtraAlloc",
	}
	if len(e.Regressions) != len(want) {
		t.Fatalf("%d regressions explained, want %d (sec/op, B/op, allocs/op):\n%s\n%s", len(e.Regressions), len(want), stdout.String(), stderr.String())
	}
	for _, r := range e.Regressions {
		if r.Error != "" || len(r.Flat) == 0 || r.Flat[0].Name != want[r.Unit] {
			t.Errorf("%s %s: error %q, flat %v; want %s first", r.Benchmark, r.Unit, r.Error, r.Flat, want[r.Unit])
		}
		for _, p := range []string{r.BaseProfile, r.NewProfile} {
			if _, err := os.Stat(filepath.Join(res, p)); err != nil || !strings.HasPrefix(p, filepath.Join(results.Platform(), m.Stamp, "profiles")) {
				t.Errorf("%s %s: profile %q: %v", r.Benchmark, r.Unit, p, err)
			}
		}
		if !strings.Contains(r.Pprof, "-diff_base="+filepath.Join(res, r.BaseProfile)) {
			t.Errorf("pprof command %q does not name the base profile", r.Pprof)
		}
	}

	kept, err := explain.ReadFile(results.ExplanationFile(res, results.Platform(), m.Stamp))
	if err != nil || kept.Status != explain.StatusFinished || len(kept.Regressions) != len(want) {
		t.Fatalf("explain.json: %+v, %v", kept, err)
	}
	for _, format := range []struct {
		name  string
		write func(*explain.Explanation, *bytes.Buffer) error
		row   string // how the first flat row of a section starts
	}{
		{"text", func(e *explain.Explanation, b *bytes.Buffer) error { return e.WriteText(b) }, "  flat (in the function itself):\n"},
		{"markdown", func(e *explain.Explanation, b *bytes.Buffer) error { return e.WriteMarkdown(b) }, "| Flat"},
	} {
		var b bytes.Buffer
		if err := format.write(kept, &b); err != nil {
			t.Fatal(err)
		}
		// Each section's flat table: the line after its header names the planted function.
		sections := strings.Split(b.String(), format.row)[1:]
		if len(sections) != len(want) {
			t.Fatalf("%s: %d flat tables, want %d:\n%s", format.name, len(sections), len(want), b.String())
		}
		for i, sec := range sections {
			lines := strings.Split(sec, "\n")
			first := lines[1] // after the column headers
			if format.name == "markdown" {
				first = lines[2] // after the |---| line
			}
			if w := want[kept.Regressions[i].Unit]; !strings.Contains(first, w) {
				t.Errorf("%s: first flat row of %s is %q, want %s", format.name, kept.Regressions[i].Unit, first, w)
			}
		}
	}
}
