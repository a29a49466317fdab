package explain

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/pprof/profile"

	"github.com/perftrack/perftrack/mage/results"
	"github.com/perftrack/perftrack/mage/stats"
)

func TestPlanRuns(t *testing.T) {
	for _, tt := range []struct {
		name       string
		kind       Kind
		budget     time.Duration
		ns, bytes  float64
		n          int64
		benchtime  time.Duration
		want       plan
		wantReduce bool
	}{
		// 5 runs of the calibrated 1000 x 1µs fit 3s many times over: more rounds, at most 4x.
		{"generous", CPU, 3 * time.Second, 1000, 0, 1000, 0, plan{rounds: 20, iters: 1000}, false},
		// 100 x 1ms = 100ms a run: 3s buys 30, capped at 20.
		{"rounds from budget", CPU, 3 * time.Second, 1e6, 0, 100, 0, plan{rounds: 20, iters: 100}, false},
		// 300ms a run: 3s buys 10 rounds.
		{"ten rounds", CPU, 3 * time.Second, 1e6, 0, 300, 0, plan{rounds: 10, iters: 300}, false},
		// 3s a run (a full benchtime): 5 runs of 600 iterations.
		{"reduced", CPU, 3 * time.Second, 1e6, 0, 3000, 0, plan{rounds: 5, iters: 600, reduced: true}, true},
		// A benchmark slower than the budget still runs once a round.
		{"one iteration", CPU, time.Second, 1e9, 0, 3, 0, plan{rounds: 5, iters: 1, reduced: true}, true},
		// No sec/op in the report: the calibration's time per op.
		{"from calibration", CPU, 3 * time.Second, 0, 0, 3000, 3 * time.Second, plan{rounds: 5, iters: 600, reduced: true}, true},
		// 1000 x 10 KiB a run, 50000 samples: one per 204 bytes.
		{"mem rate", Mem, 3 * time.Second, 1000, 10240, 1000, 0, plan{rounds: 20, iters: 1000, memRate: 204}, false},
		{"mem rate at most default", Mem, 3 * time.Second, 1000, 1e12, 1000, 0, plan{rounds: 20, iters: 1000, memRate: defaultMemRate}, false},
		{"mem rate at least 1", Mem, 3 * time.Second, 1000, 1, 1000, 0, plan{rounds: 20, iters: 1000, memRate: 1}, false},
		{"mem rate unknown", Mem, 3 * time.Second, 1000, 0, 1000, 0, plan{rounds: 20, iters: 1000, memRate: defaultMemRate}, false},
	} {
		got := planRuns(tt.kind, tt.budget, 5, tt.ns, tt.bytes, tt.n, tt.benchtime)
		tt.want.reduced = tt.wantReduce
		if got != tt.want {
			t.Errorf("%s: planRuns = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

// newProfile returns a CPU-like profile with one sample per stack, each
// stack given leaf first, of the value given.
func newProfile(stacks map[string]int64) *profile.Profile {
	p := &profile.Profile{SampleType: []*profile.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}}}
	funcs := map[string]*profile.Function{}
	for stack, v := range stacks {
		s := &profile.Sample{Value: []int64{v / 10, v}}
		for _, name := range strings.Split(stack, ";") {
			f := funcs[name]
			if f == nil {
				f = &profile.Function{ID: uint64(len(funcs) + 1), Name: name}
				funcs[name] = f
				p.Function = append(p.Function, f)
			}
			loc := &profile.Location{ID: uint64(len(p.Location) + 1), Line: []profile.Line{{Function: f}}}
			p.Location = append(p.Location, loc)
			s.Location = append(s.Location, loc)
		}
		p.Sample = append(p.Sample, s)
	}
	return p
}

func TestCompare(t *testing.T) {
	base := newProfile(map[string]int64{
		"work;Bench;main": 900,
		"gc;bg":           100,
	})
	cur := newProfile(map[string]int64{
		"work;Bench;main":                900,
		"extra;helper;Bench;main":        600,
		"helper;Bench;main":              200,
		"gc;bg":                          100,
		"work;recursive;work;Bench;main": 200, // work twice on one stack counts once
	})
	d := compare(perOp(base, 1, 10), perOp(cur, 1, 10), 3)
	if d.base.total != 100 || d.new.total != 200 || d.change() != 100 || d.base.samples != 100 {
		t.Fatalf("totals %v, %v, change %v, samples %d", d.base.total, d.new.total, d.change(), d.base.samples)
	}
	wantFlat := []Func{{"extra", 0, 60, 60, 0.6}, {"helper", 0, 20, 20, 0.2}, {"work", 90, 110, 20, 0.2}}
	if !equalFuncs(d.flat, wantFlat) {
		t.Errorf("flat = %v, want %v", d.flat, wantFlat)
	}
	// Bench and main are on 90% or more of both sides' stacks: left out.
	wantCum := []Func{{"helper", 0, 80, 80, 0.8}, {"extra", 0, 60, 60, 0.6}, {"recursive", 0, 20, 20, 0.2}}
	if !equalFuncs(d.cum, wantCum) || d.omitted != 2 {
		t.Errorf("cum = %v (omitted %d), want %v (omitted 2)", d.cum, d.omitted, wantCum)
	}

	// No increase: no share.
	d = compare(perOp(cur, 1, 10), perOp(base, 1, 10), 3)
	if len(d.flat) != 0 || d.change() >= 0 {
		t.Errorf("reversed: flat %v, change %v; want none and a decrease", d.flat, d.change())
	}
}

func equalFuncs(a, b []Func) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || math.Abs(float64(a[i].Delta-b[i].Delta)) > 1e-9 ||
			math.Abs(float64(a[i].Base-b[i].Base)) > 1e-9 || math.Abs(float64(a[i].Share-b[i].Share)) > 1e-9 {
			return false
		}
	}
	return true
}

// TestSelect builds a report from two result files of one run and
// checks which regressions are chosen, in which order, and why the
// others are not.
func TestSelect(t *testing.T) {
	dir := t.TempDir()
	file := func(name string, ns, bytes []float64) string {
		var b strings.Builder
		b.WriteString("goos: linux\ngoarch: amd64\npkg: example.com/p\n")
		for i := range ns {
			b.WriteString("BenchmarkFast-4 1000 " + ftoa(ns[i]) + " ns/op " + ftoa(bytes[i]) + " B/op\n")
			b.WriteString("BenchmarkSlow/n=1-4 1000 " + ftoa(10*ns[i]) + " ns/op 0 B/op\n")
			b.WriteString("BenchmarkOther-4 1000 " + ftoa(ns[i]) + " ns/op 0 B/op 7 widgets\n")
		}
		p := filepath.Join(dir, name+".txt")
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return name + "=" + p
	}
	seq := func(from float64) []float64 {
		var v []float64
		for i := range 12 {
			v = append(v, from+float64(i))
		}
		return v
	}
	base := file("old", seq(100), make([]float64, 12))
	cur := file("new", seq(150), append(make([]float64, 0, 12), 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64))
	rep, err := stats.ReadFiles([]string{base, cur}, stats.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := &results.Manifest{Stamp: "S", Machine: results.Machine{GOMAXPROCS: 4}, Benchmarks: []results.BenchmarkRecord{
		{Pkg: "example.com/p", Name: "BenchmarkFast", N: 1000},
		{Pkg: "example.com/p", Name: "BenchmarkSlow/n=1", N: 100},
	}}
	got, skipped := Select(rep, m, 2)
	var names []string
	for _, r := range got {
		names = append(names, r.Benchmark+" "+r.Unit)
	}
	// B/op from 0 is the largest; then the +50% sec/op ones, the
	// first seen first. BenchmarkOther is not in the run.
	if strings.Join(names, ", ") != "BenchmarkFast B/op, BenchmarkFast sec/op" {
		t.Errorf("Select = %v", names)
	}
	if r := got[1]; r.Baseline != "old" || r.Toolchain != "new" || r.Row != "Fast-4" || r.N != 1000 ||
		math.Abs(r.NsPerOp-155.5) > 1e-9 || r.BytesPerOp != 64 {
		t.Errorf("sec/op regression = %+v", r)
	}
	all := strings.Join(skipped, "\n")
	for _, want := range []string{"run S has no benchmark Other-4", "1 smaller regression not explained (at most 2): BenchmarkSlow/n=1 sec/op"} {
		if !strings.Contains(all, want) {
			t.Errorf("skipped:\n%s\nwant %q", all, want)
		}
	}
}

func ftoa(f float64) string {
	b, _ := json.Marshal(f)
	return string(b)
}

func TestFileName(t *testing.T) {
	for _, tt := range []struct{ pkg, bench, want string }{
		{"github.com/x/benchmarks/stdlib", "BenchmarkGzip", "stdlib.BenchmarkGzip.cpu.pb.gz"},
		{"p", "BenchmarkX/size=1KB/a b", "p.BenchmarkX_size=1KB_a_b.cpu.pb.gz"},
	} {
		if got := fileName(tt.pkg, tt.bench, CPU); got != tt.want {
			t.Errorf("fileName(%q, %q) = %q, want %q", tt.pkg, tt.bench, got, tt.want)
		}
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"results/stable/a.pb.gz": "results/stable/a.pb.gz",
		"my results/a":           "'my results/a'",
		"it's":                   `'it'\''s'`,
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNumberJSON(t *testing.T) {
	b, err := json.Marshal([]Number{1.5, Number(math.NaN()), Number(math.Inf(1))})
	if err != nil || string(b) != "[1.5,null,null]" {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	var back []Number
	if err := json.Unmarshal(b, &back); err != nil || back[0] != 1.5 || !math.IsNaN(float64(back[1])) {
		t.Fatalf("Unmarshal = %v, %v", back, err)
	}
}

func TestWriteTextWarnsAndSkips(t *testing.T) {
	e := &Explanation{Schema: SchemaVersion, Run: "linux-amd64/S", Baseline: "old", Status: StatusInterrupted,
		Budget: 3, Rounds: 5, Skipped: []string{"X B/s: no profile explains B/s"},
		Regressions: []*Result{
			{Benchmark: "BenchmarkA", Unit: "sec/op", Toolchain: "new", Baseline: "old", Delta: 0.2, Error: "the test binary of p did not build under new"},
			{Benchmark: "BenchmarkB", Unit: "B/op", Toolchain: "new", Baseline: "old", Delta: Number(math.NaN()), Profile: Mem,
				SampleType: "alloc_space", ValueUnit: "B/op", Change: -3, Warnings: []string{"the profiles show no increase"}},
		}}
	var b bytes.Buffer
	if err := e.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"(interrupted)", "not explained: the test binary", "BenchmarkB B/op from 0", "(no function increased)",
		"warning: the profiles show no increase", "skipped: X B/s"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, b.String())
		}
	}
}
