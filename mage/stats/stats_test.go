package stats

import (
	"errors"
	"io/fs"
	"math"
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"
)

func TestHolm(t *testing.T) {
	for _, tc := range []struct {
		p, want []float64
	}{
		{nil, []float64{}},
		{[]float64{0.01}, []float64{0.01}},
		// Sorted: 0.01*3, 0.02*2, 0.04*1 -> 0.03, 0.04, 0.04 (monotone).
		{[]float64{0.04, 0.01, 0.02}, []float64{0.04, 0.03, 0.04}},
		// Capped at 1, and the running maximum carries over.
		{[]float64{0.5, 0.6, 0.001}, []float64{1, 1, 0.003}},
		{[]float64{0.02, 0.02}, []float64{0.04, 0.04}},
	} {
		got := Holm(tc.p)
		if len(got) != len(tc.want) {
			t.Fatalf("Holm(%v) = %v, want %v", tc.p, got, tc.want)
		}
		for i := range got {
			if math.Abs(got[i]-tc.want[i]) > 1e-12 {
				t.Errorf("Holm(%v) = %v, want %v", tc.p, got, tc.want)
				break
			}
		}
	}
}

func TestBound(t *testing.T) {
	inf := math.Inf(1)
	for _, tc := range []struct {
		lo, hi, want float64
	}{
		{0, 0, 0},
		{-0.02, 0.03, 0.03},
		{-0.05, 0.01, 0.05},
		{0.01, 0.04, 0.04},   // not containing 0: the far end
		{-0.04, -0.01, 0.04}, // same below
		{math.Inf(-1), inf, inf},
		{math.NaN(), math.NaN(), inf},
	} {
		if got := bound(tc.lo, tc.hi); got != tc.want {
			t.Errorf("bound(%v, %v) = %v, want %v", tc.lo, tc.hi, got, tc.want)
		}
	}
}

func TestDirection(t *testing.T) {
	units := benchfmt.UnitMetadataMap{
		{Unit: "items/op", Key: "better"}:  {UnitMetadataKey: benchfmt.UnitMetadataKey{Unit: "items/op", Key: "better"}, Value: "higher"},
		{Unit: "widgets/s", Key: "better"}: {UnitMetadataKey: benchfmt.UnitMetadataKey{Unit: "widgets/s", Key: "better"}, Value: "sideways"},
	}
	for unit, want := range map[string]Direction{
		"sec/op": LowerIsBetter, "B/op": LowerIsBetter, "allocs/op": LowerIsBetter,
		"B/s": HigherIsBetter, "items/op": HigherIsBetter,
		"zeros/op": LowerIsBetter, "ms/op": LowerIsBetter, "ops/s": HigherIsBetter, "GB/s": HigherIsBetter,
		"widgets/s": Unknown, "sec/GC": Unknown, "hit%": Unknown,
	} {
		if got := UnitDirection(units, unit); got != want {
			t.Errorf("UnitDirection(%q) = %v, want %v", unit, got, want)
		}
	}
}

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		dir      Direction
		old, cur float64
		want     Change
	}{
		{LowerIsBetter, 10, 9, Better},
		{LowerIsBetter, 10, 11, Worse},
		{HigherIsBetter, 10, 11, Better},
		{HigherIsBetter, 10, 9, Worse},
		{Unknown, 10, 9, Changed},
		{LowerIsBetter, 10, 10, NoChange},
		{LowerIsBetter, 0, 1, Worse},
	} {
		if got := classify(tc.dir, tc.old, tc.cur); got != tc.want {
			t.Errorf("classify(%v, %v, %v) = %v, want %v", tc.dir, tc.old, tc.cur, got, tc.want)
		}
	}
}

func TestRegressed(t *testing.T) {
	cmp := func(delta float64, holm bool, ch Change) *Comparison {
		return &Comparison{Delta: delta, Significant: true, SignificantHolm: holm, Change: ch}
	}
	for _, tc := range []struct {
		name      string
		dir       Direction
		c         *Comparison
		threshold float64
		want      bool
	}{
		{"slower beyond", LowerIsBetter, cmp(0.08, true, Worse), 0.05, true},
		{"slower within", LowerIsBetter, cmp(0.04, true, Worse), 0.05, false},
		{"exactly at", LowerIsBetter, cmp(0.05, true, Worse), 0.05, false},
		{"not after holm", LowerIsBetter, cmp(0.5, false, Worse), 0.05, false},
		{"faster", LowerIsBetter, cmp(-0.5, true, Better), 0.05, false},
		{"throughput drop", HigherIsBetter, cmp(-0.08, true, Worse), 0.05, true},
		{"throughput gain", HigherIsBetter, cmp(0.5, true, Better), 0.05, false},
		{"unknown unit", Unknown, cmp(0.5, true, Changed), 0.05, false},
		{"zero baseline", LowerIsBetter, cmp(math.NaN(), true, Worse), 0.05, true},
		{"no threshold", LowerIsBetter, cmp(0.001, true, Worse), 0, true},
	} {
		if got := Regressed(tc.dir, tc.c, tc.threshold); got != tc.want {
			t.Errorf("%s: Regressed = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestGate(t *testing.T) {
	for _, tc := range []struct {
		failOn float64
		failed bool
		prefix string
	}{
		{0, false, "7 significant changes after Holm correction: 2 better, 5 worse"},
		{0.05, true, "FAIL: 5 changes worse than 5% after Holm correction: Fib/n=10-2 sec/op +61.88% (new);"},
		{4, false, "PASS: no change worse than 400% after Holm correction"},
		{0.025, true, "FAIL: 5 changes worse than 2.5% after Holm correction"},
	} {
		rep, err := ReadFiles(corpus3[:2], Options{FailOn: tc.failOn})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Failed() != tc.failed || !strings.HasPrefix(rep.Verdict(), tc.prefix) {
			t.Errorf("FailOn %v: Failed %v, Verdict %q; want %v, %q…", tc.failOn, rep.Failed(), rep.Verdict(), tc.failed, tc.prefix)
		}
	}
}

func TestParseFileArg(t *testing.T) {
	for arg, want := range map[string][3]string{
		"a.txt":           {"a.txt", "a.txt", ""},
		"old=a.txt":       {"old", "a.txt", "l"},
		"x=y=z":           {"x", "y=z", "l"},
		"go1.27.3=/r/a b": {"go1.27.3", "/r/a b", "l"},
	} {
		l, p, labeled := ParseFileArg(arg)
		if l != want[0] || p != want[1] || labeled != (want[2] == "l") {
			t.Errorf("ParseFileArg(%q) = %q, %q, %v", arg, l, p, labeled)
		}
	}
}

func TestSplitProcs(t *testing.T) {
	for name, want := range map[string][2]string{
		"Fib-8":          {"Fib", "-8"},
		"Fib/n=10-16":    {"Fib/n=10", "-16"},
		"Fib":            {"Fib", ""},
		"Fib/n=10":       {"Fib/n=10", ""},
		"Fib/size=1-2-4": {"Fib/size=1-2", "-4"},
	} {
		base, procs := splitProcs(benchfmt.Name(name))
		if string(base) != want[0] || string(procs) != want[1] {
			t.Errorf("splitProcs(%q) = %q, %q", name, base, procs)
		}
	}
}

func TestGoTestSuffix(t *testing.T) {
	for _, tc := range []struct {
		procs int
		names []string
		want  string
	}{
		{0, []string{"A-8", "B/x-8"}, "-8"},
		{0, []string{"Compress/level-1", "Compress/level-9"}, ""}, // GOMAXPROCS=1
		{0, []string{"X", "X-2"}, ""},                             // -cpu=1,2
		{0, []string{"A"}, ""},
		{0, nil, ""},
		{1, []string{"Compress/level-9"}, ""},
		{4, []string{"A-4"}, "-4"},
	} {
		if got := GoTestSuffix(tc.procs, tc.names); got != tc.want {
			t.Errorf("GoTestSuffix(%d, %q) = %q, want %q", tc.procs, tc.names, got, tc.want)
		}
	}
}

func TestErrors(t *testing.T) {
	if _, err := ReadFiles([]string{"testdata/corpus/old.txt", "testdata/corpus/missing.txt"}, Options{}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: err = %v, want fs.ErrNotExist", err)
	}
	rep, err := Build([]Input{{Name: "junk.txt", R: strings.NewReader("BenchmarkX 1 notanumber ns/op\nhello\n")}}, Options{})
	if !errors.Is(err, ErrNoResults) {
		t.Errorf("no results: err = %v, want ErrNoResults", err)
	}
	if rep == nil || len(rep.Errors) != 1 || rep.Errors[0].Error() != "junk.txt:1: parsing measurement: invalid syntax" {
		t.Errorf("no results: Errors = %v", rep.Errors)
	}
	if _, err := Build(nil, Options{Filter: "(("}); err == nil {
		t.Error("bad filter: no error")
	}
	if _, err := Build(nil, Options{Alpha: 2}); err == nil {
		t.Error("alpha 2: no error")
	}
	if _, err := ReadFiles([]string{"testdata/corpus/old.txt"}, Options{Filter: ".name:Nothing"}); !errors.Is(err, ErrNoResults) {
		t.Errorf("everything filtered: err = %v, want ErrNoResults", err)
	}
}

func TestBuildInputs(t *testing.T) {
	// In-memory inputs, as Export feeds them: labels name the columns.
	old := "goos: linux\nBenchmarkA-8 10 100 ns/op\nBenchmarkA-8 10 101 ns/op\n"
	cur := "goos: linux\nBenchmarkA-8 10 200 ns/op\nBenchmarkA-8 10 201 ns/op\n"
	rep, err := Build([]Input{{Name: "a.txt", Label: "go1.26.8", R: strings.NewReader(old)}, {Name: "b.txt", Label: "go1.27.3", R: strings.NewReader(cur)}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Tables) != 1 || strings.Join(rep.Tables[0].Columns, ",") != "go1.26.8,go1.27.3" {
		t.Fatalf("tables: %+v", rep.Tables)
	}
	c := rep.Tables[0].Rows[0].Cells[1]
	if c.N != 2 || math.Abs(c.Center-200.5e-9) > 1e-15 || c.Compare == nil || c.Compare.Significant || c.Compare.N1 != 2 {
		t.Errorf("cell = %+v, compare = %+v", c, c.Compare)
	}
}

func TestDropProcs(t *testing.T) {
	in := func() []Input {
		return []Input{
			{Name: "a.txt", Label: "old", R: strings.NewReader("BenchmarkHash/sha-256-8 10 100 ns/op\n")},
			{Name: "b.txt", Label: "new", R: strings.NewReader("BenchmarkHash/sha-256-8 10 110 ns/op\n")},
		}
	}
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{}, "Hash/sha-256-8"},
		{Options{DropProcs: true}, "Hash/sha-256"},
		{Options{DropProcs: true, KeepProcs: true}, "Hash/sha-256-8"},
	} {
		rep, err := Build(in(), tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		if got := rep.Tables[0].Rows[0].Name; got != tc.want {
			t.Errorf("%+v: row %q, want %q", tc.opts, got, tc.want)
		}
	}
}

func TestDuplicateLabels(t *testing.T) {
	in := []Input{
		{Name: "a.txt", Label: "old", R: strings.NewReader("BenchmarkA-8 10 100 ns/op\n")},
		{Name: "b.txt", Label: "old", R: strings.NewReader("BenchmarkA-8 10 200 ns/op\n")},
	}
	_, err := Build(in, Options{FailOn: 0.05})
	if err == nil || !strings.Contains(err.Error(), `a.txt and b.txt are both labeled "old"`) {
		t.Errorf("Build with one label twice: %v, want an error naming both inputs", err)
	}
}
