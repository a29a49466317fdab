package main

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/perftrack/perftrack/mage/stats"
)

// factorCases are GOROOT base names and the factor they must give, both in
// factorOf and in the generated module.
var factorCases = []struct {
	name string
	want float64
}{
	{"slow-1050", 1.05},
	{"slow-1000", 1},
	{"slow-0950", 0.95},
	{"slow-2000", 2},
	{"base", 1},
	{"go", 1},
	{"slow-", 1},
	{"slow-0", 1},
	{"slow-10x0", 1},
	{"slow--100", 1},
	{"fast-1100", 1},
}

func TestFactorOf(t *testing.T) {
	for _, c := range factorCases {
		if got := factorOf(c.name); got != c.want {
			t.Errorf("factorOf(%q) = %g, want %g", c.name, got, c.want)
		}
	}
}

func TestSlowName(t *testing.T) {
	for pct, want := range map[float64]string{0: "slow-1000", 2: "slow-1020", 5: "slow-1050", 10: "slow-1100", 2.5: "slow-1025", 0.1: "slow-1001", 100: "slow-2000"} {
		if got := slowName(pct); got != want {
			t.Errorf("slowName(%g) = %q, want %q", pct, got, want)
		}
		if got := factorOf(slowName(pct)); got != 1+pct/100 {
			t.Errorf("factorOf(slowName(%g)) = %g, want %g", pct, got, 1+pct/100)
		}
	}
}

func TestParsePcts(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []float64
		err  string
	}{
		{in: "0,2,5,10", want: []float64{0, 2, 5, 10}},
		{in: " 0, 2.5%,10 ", want: []float64{0, 2.5, 10}},
		{in: "1,", want: []float64{1}},
		{in: "", err: "no percentage"},
		{in: "x", err: "not a number"},
		{in: "-1", err: "outside"},
		{in: "0.05", err: "finer"},
		{in: "5,5.0", err: "twice"},
	} {
		got, err := parsePcts(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("parsePcts(%q): err %v, want one saying %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("parsePcts(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}

func TestProfileEnv(t *testing.T) {
	if got := profileEnv(options{}); len(got) != 0 {
		t.Errorf("no flags: %v, want collect's defaults (nothing set)", got)
	}
	got := profileEnv(options{quick: true, count: "5", benchtime: "50ms", extra: "0"})
	want := []string{"PERF_QUICK=1", "PERF_COUNT=5", "PERF_BENCHTIME=50ms", "PERF_EXTRA=0"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("profileEnv = %v, want %v", got, want)
	}
	env := childEnv([]string{"PATH=/bin", "PERF_RESUME=1", "PERF_COUNT=3", "GOFLAGS=-mod=mod", probeEnv + "=/x"})
	if !reflect.DeepEqual(env, []string{"PATH=/bin", "GOFLAGS=-mod=mod"}) {
		t.Errorf("childEnv kept %v, want PATH and GOFLAGS only", env)
	}
}

// file returns a result file with n samples of each benchmark at the
// given ns/op, each sample a little apart so the medians are clear.
func file(n int, pkgs map[string]float64) string {
	var b strings.Builder
	b.WriteString("goos: linux\ngoarch: amd64\npkg: example.com/sensitivity\ncpu: Test CPU\n")
	for i := range n {
		for _, name := range []string{"Planted01", "Planted02", "Planted03", "Steady01", "Steady02", "Steady03"} {
			fmt.Fprintf(&b, "Benchmark%s-2\t1000\t%.1f ns/op\t0 B/op\t0 allocs/op\n", name, pkgs[name]*(1+0.001*float64(i)))
		}
	}
	return b.String()
}

func TestCount(t *testing.T) {
	base := map[string]float64{"Planted01": 1000, "Planted02": 1000, "Planted03": 1000, "Steady01": 1000, "Steady02": 1000, "Steady03": 1000}
	slow := map[string]float64{
		"Planted01": 1100, // found
		"Planted02": 1200, // found
		"Planted03": 900,  // significant, but better: not found
		"Steady01":  1000, // same
		"Steady02":  1000.5,
		"Steady03":  800, // flagged
	}
	rep, err := stats.Build([]stats.Input{
		{Name: "base.txt", Label: "base", R: strings.NewReader(file(10, base))},
		{Name: "slow.txt", Label: "slow", R: strings.NewReader(file(10, slow))},
	}, stats.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := count(rep)
	want := tally{Planted: 3, Found: 2, PlantedFlagged: 3, Steady: 3, Flagged: 1, PlantedDelta: 0.1}
	if got.PlantedDelta < 0.099 || got.PlantedDelta > 0.101 {
		t.Errorf("PlantedDelta %g, want the median change 0.1", got.PlantedDelta)
	}
	got.PlantedDelta = want.PlantedDelta
	if got != want {
		t.Errorf("count = %+v, want %+v", got, want)
	}
	if f, of := got.unchanged(false); f != 1 || of != 3 {
		t.Errorf("unchanged(false) = %d/%d, want 1/3", f, of)
	}
	if f, of := got.unchanged(true); f != 4 || of != 6 {
		t.Errorf("unchanged(true) = %d/%d, want 4/6 (an A/A run counts the planted ones too)", f, of)
	}
}

func TestCheckProbe(t *testing.T) {
	want := map[string]float64{"/r/base": 1, "/r/slow-1100": 1.1}
	for _, c := range []struct {
		probe, err string
	}{
		{probe: "/r/base 1\n/r/slow-1100 1.1\n/r/base 1\n"},
		{probe: "/r/base 1\n", err: "no test binary ran with GOROOT=/r/slow-1100"},
		{probe: "/r/base 1\n/usr/local/go 1\n/r/slow-1100 1.1\n", err: "not one of the toolchains' links"},
		{probe: "/r/base 1\n/r/slow-1100 1\n", err: "took factor 1, want 1.1"},
		{probe: "/r/base\n", err: "bad line"},
	} {
		err := checkProbe([]byte(c.probe), want)
		if c.err == "" && err != nil || c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("checkProbe(%q): %v, want error %q", c.probe, err, c.err)
		}
	}
}

func TestParseKernels(t *testing.T) {
	if ks, err := parseKernels(defaultKernels); err != nil || len(ks) != 3 || ks[0].name != "hashWork" {
		t.Errorf("parseKernels(%q) = %v, %v", defaultKernels, ks, err)
	}
	if ks, err := parseKernels("all"); err != nil || len(ks) != len(kernels) {
		t.Errorf("parseKernels(all) = %v, %v", ks, err)
	}
	if _, err := parseKernels("hashWork,nope"); err == nil || !strings.Contains(err.Error(), `no kernel "nope"`) {
		t.Errorf("parseKernels(hashWork,nope): %v", err)
	}
}

func TestSuite(t *testing.T) {
	bs := suite(16, 4, kernels)
	var planted, steady int
	kinds := map[string]bool{}
	for _, b := range bs {
		if b.Planted {
			planted++
			kinds[b.Kernel.name] = true
		} else {
			steady++
		}
	}
	if planted != 4 || steady != 12 || bs[0].Name != "Planted01" || bs[4].Name != "Steady01" || bs[15].Name != "Steady12" {
		t.Errorf("suite(16, 4): %d planted, %d steady, names %s %s %s", planted, steady, bs[0].Name, bs[4].Name, bs[15].Name)
	}
	if len(kinds) != 4 {
		t.Errorf("planted benchmarks use %d kinds of work, want 4", len(kinds))
	}
}

// TestModule checks that the generated module is gofmt-clean, passes go vet
// and runs, and that its test binaries take the factor from GOROOT as
// factorOf reads it. It runs the go command on a tiny module: a few seconds.
func TestModule(t *testing.T) {
	dir := t.TempDir()
	mod := filepath.Join(dir, "bench")
	if err := writeModule(mod, suite(6, 2, kernels)); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(mod, "bench_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	if formatted, err := format.Source(src); err != nil || !bytes.Equal(formatted, src) {
		t.Errorf("the generated source is not gofmt-formatted (err %v)", err)
	}

	// The generated parseFactor against factorOf's table.
	var cases strings.Builder
	for _, c := range factorCases {
		fmt.Fprintf(&cases, "\t{%q, %v},\n", c.name, c.want)
	}
	check := "package bench\n\nimport \"testing\"\n\nfunc TestParseFactor(t *testing.T) {\n" +
		"\tfor _, c := range []struct {\n\t\tname string\n\t\twant float64\n\t}{\n" + cases.String() + "\t} {\n" +
		"\t\tif got := parseFactor(c.name); got != c.want {\n\t\t\tt.Errorf(\"parseFactor(%q) = %g, want %g\", c.name, got, c.want)\n\t\t}\n\t}\n}\n"
	if err := os.WriteFile(filepath.Join(mod, "factor_test.go"), []byte(check), 0o644); err != nil {
		t.Fatal(err)
	}

	goroot, _, err := localGo()
	if err != nil {
		t.Fatal(err)
	}
	slow := filepath.Join(dir, "roots", "slow-2000")
	if err := link(goroot, slow); err != nil {
		t.Fatal(err)
	}
	probe := filepath.Join(dir, "probe")
	gocmd := func(args ...string) {
		t.Helper()
		cmd := exec.Command(filepath.Join(slow, "bin", "go"), args...)
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOROOT="+slow, "GOTOOLCHAIN=local", probeEnv+"="+probe)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	gocmd("vet", ".")
	gocmd("test", "-run=TestParseFactor", "-bench=.", "-benchtime=1x", ".")
	b, err := os.ReadFile(probe)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkProbe(b, map[string]float64{slow: 2}); err != nil {
		t.Error(err)
	}
}
