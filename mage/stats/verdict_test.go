package stats

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// enumerateU counts, over every way to choose which n1 of n1+n2 ranked
// positions belong to the first sample, how many give each U (pairs with
// the second sample's value above the first's): the null distribution,
// found directly rather than by the recurrence uCDF uses.
func enumerateU(n1, n2 int) []float64 {
	counts := make([]float64, n1*n2+1)
	var rec func(pos, left int, chosen []int)
	rec = func(pos, left int, chosen []int) {
		if left == 0 {
			u := 0
			for _, c := range chosen { // positions of sample 1, ascending
				u += n2 - (c - slices.Index(chosen, c)) // sample-2 values above c
			}
			counts[u]++
			return
		}
		if pos == n1+n2 {
			return
		}
		rec(pos+1, left-1, append(chosen, pos))
		rec(pos+1, left, chosen)
	}
	rec(0, n1, nil)
	return counts
}

func TestUCDF(t *testing.T) {
	for _, n := range [][2]int{{1, 1}, {2, 3}, {3, 2}, {4, 4}, {5, 5}, {3, 7}, {6, 6}} {
		counts := enumerateU(n[0], n[1])
		var total, run float64
		for _, c := range counts {
			total += c
		}
		cdf := uCDF(n[0], n[1])
		for u, c := range counts {
			run += c
			if math.Abs(cdf[u]-run/total) > 1e-12 {
				t.Fatalf("uCDF(%d, %d)[%d] = %v, enumeration gives %v", n[0], n[1], u, cdf[u], run/total)
			}
		}
	}
}

func TestExcluded(t *testing.T) {
	// Published critical values of the two-sided Mann-Whitney U test at
	// 0.05 (reject when U <= the value), the k of a 95% interval.
	for _, tc := range []struct{ n1, n2, k int }{
		{5, 5, 2}, {6, 6, 5}, {7, 7, 8}, {8, 8, 13}, {10, 10, 23}, {20, 20, 127}, {5, 10, 8},
	} {
		k, ok := excluded(tc.n1, tc.n2, 0.95)
		if !ok || k != tc.k {
			t.Errorf("excluded(%d, %d, 0.95) = %d, %v; want %d", tc.n1, tc.n2, k, ok, tc.k)
		}
	}
	// 2/C(6,3) = 0.1: no bounded 95% interval from 3 and 3 samples.
	if _, ok := excluded(3, 3, 0.95); ok {
		t.Error("excluded(3, 3, 0.95): a bounded interval from 3+3 samples")
	}
	// The normal approximation beyond the exact limit stays close to it.
	kExact, _ := excluded(50, 50, 0.95)
	kNormal, _ := excluded(51, 50, 0.95)
	if kNormal < kExact || kNormal > kExact+60 {
		t.Errorf("excluded(51, 50) = %d next to excluded(50, 50) = %d", kNormal, kExact)
	}
}

func TestRatioInterval(t *testing.T) {
	old := []float64{100, 101, 102, 103, 104, 105}
	// Scaled by exactly 1.1: every shift-model interval holds 10%.
	cur := make([]float64, len(old))
	for i, v := range old {
		cur[i] = v * 1.1
	}
	est, lo, hi := ratioInterval(old, cur, 0.95)
	if !(lo < 0.1 && 0.1 < hi) || lo < 0.05 || hi > 0.15 {
		t.Errorf("interval of a 10%% scaling = [%v, %v]", lo, hi)
	}
	if math.Abs(est-0.1) > 0.005 {
		t.Errorf("estimate of a 10%% scaling = %v", est)
	}
	// Coverage, by a direct count: the 6·6 pairwise ratios sorted, the
	// 95% interval leaves out k=5 at each end.
	var ratios []float64
	for _, y := range cur {
		for _, x := range old {
			ratios = append(ratios, y/x-1)
		}
	}
	slices.Sort(ratios)
	if math.Abs(lo-ratios[5]) > 1e-12 || math.Abs(hi-ratios[len(ratios)-6]) > 1e-12 {
		t.Errorf("interval [%v, %v], want the 6th smallest and largest ratio [%v, %v]", lo, hi, ratios[5], ratios[len(ratios)-6])
	}
	if est, lo, hi := ratioInterval([]float64{1, 2}, []float64{1, 2}, 0.95); !math.IsInf(lo, -1) || !math.IsInf(hi, 1) || est != 0 {
		t.Errorf("2+2 samples: %v [%v, %v], want 0, unbounded", est, lo, hi)
	}
	if est, lo, _ := ratioInterval([]float64{0, 2, 3}, []float64{1, 2, 3}, 0.95); !math.IsNaN(lo) || !math.IsNaN(est) {
		t.Errorf("a zero value: %v, lo = %v, want NaN", est, lo)
	}
}

func TestPower(t *testing.T) {
	if got := minP(5, 5); math.Abs(got-2.0/252) > 1e-12 {
		t.Errorf("minP(5, 5) = %v, want 2/252", got)
	}
	for _, tc := range []struct{ m, n int }{
		{1, 4},   // 2/C(8,4) = 0.029
		{16, 6},  // 16·2/924 = 0.035
		{80, 7},  // 80·2/3432 = 0.047
		{265, 8}, // 265·2/12870 = 0.041
	} {
		if got := countFor(tc.m, 0.05, false); got != tc.n {
			t.Errorf("countFor(%d, 0.05) = %d, want %d", tc.m, got, tc.n)
		}
	}
}

// file builds a result file: for each benchmark name, n samples of the
// values given, cycled.
func file(header string, n int, benches map[string][]float64, units ...string) string {
	var b strings.Builder
	b.WriteString(header)
	names := make([]string, 0, len(benches))
	for k := range benches {
		names = append(names, k)
	}
	slices.Sort(names)
	if len(units) == 0 {
		units = []string{"ns/op"}
	}
	for i := 0; i < n; i++ {
		for _, name := range names {
			vs := benches[name]
			fmt.Fprintf(&b, "Benchmark%s 1000", name)
			for _, u := range units {
				fmt.Fprintf(&b, " %v %s", vs[i%len(vs)], u)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

func build(t *testing.T, opts Options, files ...string) *Report {
	t.Helper()
	var in []Input
	for i, f := range files {
		in = append(in, Input{Name: fmt.Sprintf("f%d.txt", i), Label: fmt.Sprintf("v%d", i), R: strings.NewReader(f), Run: "run1"})
	}
	rep, err := Build(in, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func cellOf(t *testing.T, rep *Report, unit, row string) *Comparison {
	t.Helper()
	for _, tb := range rep.Tables {
		for _, r := range tb.Rows {
			if tb.Unit == unit && r.Name == row {
				return r.Cells[1].Compare
			}
		}
	}
	t.Fatalf("no %s row %s", unit, row)
	return nil
}

func TestExactChange(t *testing.T) {
	// JSONUnmarshal: 76 -> 24 allocs/op at n=5 is a change no U test of
	// that size survives a correction over many rows; as an exact change
	// it needs none.
	steady := map[string][]float64{}
	for i := range 40 {
		steady[fmt.Sprintf("S%02d", i)] = []float64{100, 101, 102, 103, 104}
	}
	old, cur := map[string][]float64{"JSONUnmarshal": {76}}, map[string][]float64{"JSONUnmarshal": {24}}
	for k, v := range steady {
		old[k], cur[k] = v, v
	}
	rep := build(t, Options{FailOn: 0.05}, file("", 5, old, "allocs/op"), file("", 5, cur, "allocs/op"))
	c := cellOf(t, rep, "allocs/op", "JSONUnmarshal")
	if !c.Exact || !c.Significant || !c.SignificantHolm || c.Change != Better || !math.IsNaN(c.PHolm) {
		t.Errorf("76 -> 24: %+v, want an exact, significant, better change", c)
	}
	f := rep.Family("allocs/op")
	if f == nil || f.Tests != 40 || f.Exact != 1 || f.ExactChanged != 1 {
		t.Fatalf("family %+v, want 40 tests and 1 exact change", f)
	}
	var text, md, js bytes.Buffer
	rep.WriteText(&text)
	rep.WriteMarkdown(&md)
	rep.WriteJSON(&js)
	for name, out := range map[string]string{"text": text.String(), "markdown": md.String()} {
		if !strings.Contains(out, "JSONUnmarshal allocs/op 76.00 -&gt; 24.00") && !strings.Contains(out, "JSONUnmarshal allocs/op 76.00 -> 24.00 (-68.42%, v1)") {
			t.Errorf("%s does not name the exact change:\n%s", name, out)
		}
	}
	if !strings.Contains(md.String(), "🟢 -68.42% better (exact n=5+5)") {
		t.Errorf("markdown row does not mark the change exact:\n%s", md.String())
	}
	if !strings.Contains(js.String(), `"test": "exact"`) || !strings.Contains(js.String(), `"exact_changes": [`) {
		t.Errorf("json does not mark the change exact")
	}

	// Equal constants: an exact no change, with a zero bound.
	same := build(t, Options{}, file("", 5, map[string][]float64{"A": {64}}, "B/op"), file("", 5, map[string][]float64{"A": {64}}, "B/op"))
	if c := cellOf(t, same, "B/op", "A"); !c.Exact || c.Significant || c.Bound != 0 {
		t.Errorf("64 = 64: %+v, want an exact no change", c)
	}
	if f := same.Family("B/op"); f.Tests != 0 || f.Exact != 1 {
		t.Errorf("exact no change counted as a test: %+v", f)
	}
}

func TestFamilyPerUnit(t *testing.T) {
	// 4 time benchmarks 10% slower, next to 300 constant B/op rows: the
	// B/op rows are not tests, and do not widen the sec/op family.
	old, cur := map[string][]float64{}, map[string][]float64{}
	for i := range 4 {
		old[fmt.Sprintf("T%d", i)] = []float64{100, 101, 102, 103, 104, 105, 106, 107}
		cur[fmt.Sprintf("T%d", i)] = []float64{110, 111, 112, 113, 114, 115, 116, 117}
	}
	bop := func(v float64) string {
		m := map[string][]float64{}
		for i := range 300 {
			m[fmt.Sprintf("M%03d", i)] = []float64{v}
		}
		return file("", 8, m, "B/op")
	}
	rep := build(t, Options{}, file("", 8, old)+bop(64), file("", 8, cur)+bop(64))
	f := rep.Family("sec/op")
	if f.Tests != 4 || f.SignificantHolm != 4 {
		t.Errorf("sec/op family %+v, want 4 tests, all significant", f)
	}
	if b := rep.Family("B/op"); b.Tests != 0 || b.Exact != 300 {
		t.Errorf("B/op family %+v, want 300 exact", b)
	}
}

func TestPowerStatement(t *testing.T) {
	// n=5 over 80 rows: 80·2/252 > 0.05, nothing can be significant.
	old, cur := map[string][]float64{}, map[string][]float64{}
	for i := range 80 {
		old[fmt.Sprintf("B%02d", i)] = []float64{100, 101, 102, 103, 104}
		cur[fmt.Sprintf("B%02d", i)] = []float64{200, 201, 202, 203, 204}
	}
	rep := build(t, Options{FailOn: 0.05}, file("", 5, old), file("", 5, cur))
	f := rep.Family("sec/op")
	if want := "n=5: no change can be significant over 80 tests; PERF_COUNT>=7 can"; f.Power() != want {
		t.Errorf("Power() = %q, want %q", f.Power(), want)
	}
	if rep.Failed() || rep.GateError() == nil || !strings.HasPrefix(rep.Verdict(), "ERROR: the gate cannot fire: sec/op: n=5") {
		t.Errorf("a gate that cannot fire: Failed %v, GateError %v, Verdict %q", rep.Failed(), rep.GateError(), rep.Verdict())
	}
	var text bytes.Buffer
	rep.WriteText(&text)
	if !strings.Contains(text.String(), "PERF_COUNT>=7 can") {
		t.Errorf("text output does not state the power:\n%s", text.String())
	}
	// 7 samples can: no error, and 100% slower regresses.
	rep = build(t, Options{FailOn: 0.05}, file("", 7, old), file("", 7, cur))
	if !rep.Failed() || rep.GateError() != nil || rep.Family("sec/op").Power() != "" {
		t.Errorf("n=7 over 80: Failed %v, GateError %v", rep.Failed(), rep.GateError())
	}
}

func TestGateNothingCompared(t *testing.T) {
	// A commit: line that differs splits the tables: nothing is compared,
	// and the gate must not pass.
	b := map[string][]float64{"A": {100, 101, 102, 103, 104, 105}}
	rep := build(t, Options{FailOn: 0.05}, file("commit: abc\n", 6, b), file("commit: def\n", 6, b))
	err := rep.GateError()
	if rep.Comparisons != 0 || err == nil || !strings.Contains(err.Error(), "nothing was compared") || !strings.Contains(err.Error(), `commit ("abc" in v0, "def" in v1)`) {
		t.Errorf("split by commit: %d comparisons, GateError %v", rep.Comparisons, err)
	}
	if strings.HasPrefix(rep.Verdict(), "PASS") {
		t.Errorf("Verdict %q passes with nothing compared", rep.Verdict())
	}
	// Different machines: named as such.
	rep = build(t, Options{}, file("cpu: AMD EPYC\n", 6, b), file("cpu: Intel Xeon\n", 6, b))
	if len(rep.Caveats) == 0 || !strings.Contains(strings.Join(rep.Caveats, "\n"), "results of different machines are never compared") {
		t.Errorf("caveats %q do not say the machines differ", rep.Caveats)
	}
}

func TestThresholdRounding(t *testing.T) {
	// 1.3/1 - 1 is 0.30000000000000004: not worse than a 30% gate.
	c := &Comparison{Delta: 1.3/1 - 1, Significant: true, SignificantHolm: true, Change: Worse}
	if Regressed(LowerIsBetter, c, 0.30) {
		t.Error("+30% regresses with a 30% gate")
	}
	if !Regressed(LowerIsBetter, &Comparison{Delta: 0.3001, SignificantHolm: true, Change: Worse}, 0.30) {
		t.Error("+30.01% does not regress with a 30% gate")
	}
}

func TestUngated(t *testing.T) {
	old := file("", 8, map[string][]float64{"A": {100, 101, 102, 103, 104, 105, 106, 107}}, "ns/op", "hits")
	cur := file("", 8, map[string][]float64{"A": {200, 201, 202, 203, 204, 205, 206, 207}}, "ns/op", "hits")
	rep := build(t, Options{FailOn: 0.05}, old, cur)
	if u := rep.Ungated(); !slices.Equal(u, []string{"hits"}) || !strings.Contains(rep.Verdict(), "not gated (direction unknown): hits") {
		t.Errorf("Ungated %q, Verdict %q", u, rep.Verdict())
	}
}

func TestNames(t *testing.T) {
	samples := func(v float64) []float64 { return []float64{v, v + 1, v + 2, v + 3, v + 4, v + 5} }
	for _, tc := range []struct {
		name     string
		old, cur map[string][]float64
		procs    [2]int
		want     []string // row names
	}{
		{
			// GOMAXPROCS=1 on one side: level-1 and level-9 are two
			// benchmarks, never one pooled "Compress/level".
			name: "digits under GOMAXPROCS=1",
			old:  map[string][]float64{"Compress/level-1-8": samples(100), "Compress/level-9-8": samples(200)},
			cur:  map[string][]float64{"Compress/level-1": samples(120), "Compress/level-9": samples(200)},
			want: []string{"Compress/level-1", "Compress/level-9"},
		},
		{
			// -cpu=1,2 in one input: X and X-2 stay apart.
			name: "cpu list",
			old:  map[string][]float64{"X": samples(100), "X-2": samples(60)},
			cur:  map[string][]float64{"X": samples(100), "X-2": samples(60)},
			want: []string{"X", "X-2"},
		},
		{
			name: "same suffix everywhere",
			old:  map[string][]float64{"A-8": samples(100), "B-8": samples(100)},
			cur:  map[string][]float64{"A-8": samples(100), "B-8": samples(100)},
			want: []string{"A-8", "B-8"},
		},
		{
			name: "different machines' suffixes",
			old:  map[string][]float64{"A-8": samples(100), "B-8": samples(100)},
			cur:  map[string][]float64{"A-4": samples(100), "B-4": samples(100)},
			want: []string{"A", "B"},
		},
		{
			// Known GOMAXPROCS=1 (from the manifest): a single name that
			// ends in digits keeps them.
			name:  "known procs",
			old:   map[string][]float64{"Compress/level-9-8": samples(100)},
			cur:   map[string][]float64{"Compress/level-9": samples(100)},
			procs: [2]int{8, 1},
			want:  []string{"Compress/level-9"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := []Input{
				{Name: "a", R: strings.NewReader(file("", 6, tc.old)), Procs: tc.procs[0]},
				{Name: "b", R: strings.NewReader(file("", 6, tc.cur)), Procs: tc.procs[1]},
			}
			rep, err := Build(in, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rep.Tables[0].Rows {
				got = append(got, r.Name)
				if r.Cells[0] == nil || r.Cells[1] == nil || r.Cells[0].N != 6 || r.Cells[1].N != 6 {
					t.Errorf("row %s: cells not each 6 samples of one input", r.Name)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("rows %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCaveats(t *testing.T) {
	b := map[string][]float64{"A": {100, 101, 102, 103, 104, 105}, "B": {10, 11, 12, 13, 14, 15}}
	only := map[string][]float64{"A": {100, 101, 102, 103, 104, 105}}
	in := []Input{
		{Name: "a.txt", Label: "go1.26.8", R: strings.NewReader(file("", 6, b)), Run: "linux-amd64/20261203T100000Z", FailedChecks: []string{"load: 1-minute load 5.1 on 2 cores, want <= 1"}},
		{Name: "b.txt", Label: "go1.27.3", R: strings.NewReader(file("", 6, only)), Run: "linux-amd64/20261203T110000Z"},
	}
	rep, err := Build(in, Options{FailOn: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"failed system check (run linux-amd64/20261203T100000Z): load: 1-minute load 5.1 on 2 cores, want <= 1",
		"the inputs are not one interleaved run (go1.26.8 from run linux-amd64/20261203T100000Z; go1.27.3 from run linux-amd64/20261203T110000Z): drift of the machine between runs can show as changes",
		"1 benchmark missing from go1.27.3, so not compared: B",
	}
	if !slices.Equal(rep.Caveats, want) {
		t.Errorf("Caveats\n%q\nwant\n%q", rep.Caveats, want)
	}
	var text, md, js bytes.Buffer
	rep.WriteText(&text)
	rep.WriteMarkdown(&md)
	rep.WriteJSON(&js)
	for name, out := range map[string]string{"text": text.String(), "markdown": md.String(), "json": js.String()} {
		if !strings.Contains(out, "1-minute load 5.1") || !strings.Contains(out, "not one interleaved run") {
			t.Errorf("%s does not repeat the caveats:\n%s", name, out)
		}
	}
	// The bound, with its level, is in the text output too.
	if !strings.Contains(text.String(), "at 95% confidence") {
		t.Errorf("text output has no bound:\n%s", text.String())
	}
}

// TestRatioIntervalSelect checks the selected order statistics against
// a sort of every pairwise difference, on samples with and without ties.
func TestRatioIntervalSelect(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := range 300 {
		n1, n2 := 1+r.IntN(30), 1+r.IntN(30)
		old, cur := make([]float64, n1), make([]float64, n2)
		for i := range old {
			old[i] = 100 + math.Round(r.NormFloat64()*float64(1+trial%7))
		}
		for i := range cur {
			cur[i] = 101 + math.Round(r.NormFloat64()*float64(1+trial%7))
		}
		var d []float64
		for _, y := range cur {
			for _, x := range old {
				d = append(d, math.Log(y)-math.Log(x))
			}
		}
		slices.Sort(d)
		wantEst := math.Expm1(median(d))
		wantLo, wantHi := math.Inf(-1), math.Inf(1)
		if k, ok := excluded(n1, n2, 0.95); ok {
			wantLo, wantHi = math.Expm1(d[k]), math.Expm1(d[len(d)-1-k])
		}
		est, lo, hi := ratioInterval(old, cur, 0.95)
		if est != wantEst || lo != wantLo || hi != wantHi {
			t.Fatalf("n=%d,%d: ratioInterval = %v [%v, %v], sorting gives %v [%v, %v]", n1, n2, est, lo, hi, wantEst, wantLo, wantHi)
		}
	}
}
