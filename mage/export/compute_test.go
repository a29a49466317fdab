package export

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/perftrack/perftrack/mage/stats"
	"golang.org/x/perf/benchfmt"
)

func TestDirection(t *testing.T) {
	for _, tc := range []struct {
		c    stats.Comparison
		want string
	}{
		{stats.Comparison{SignificantHolm: false, Significant: true, Change: stats.Worse}, "none"},
		{stats.Comparison{SignificantHolm: true, Change: stats.Better}, "better"},
		{stats.Comparison{SignificantHolm: true, Change: stats.Worse}, "worse"},
		{stats.Comparison{SignificantHolm: true, Change: stats.Changed}, "changed"},
		{stats.Comparison{SignificantHolm: true, Change: stats.NoChange}, "none"},
	} {
		if got := direction(&tc.c); got != tc.want {
			t.Errorf("direction(%+v) = %s, want %s", tc.c, got, tc.want)
		}
	}
}

func TestGeomean(t *testing.T) {
	var g geomean
	g.add("sec/op", 100, 50)
	g.add("sec/op", 100, 200)
	g.add("sec/op", 0, 5) // not positive: left out
	g.add("B/op", 10, 11)
	got := g.json([]string{"sec/op", "B/op", "allocs/op"})
	if len(got) != 3 || got[0].N != 2 || math.Abs(*got[0].Delta) > 1e-12 ||
		got[1].N != 1 || math.Abs(*got[1].Delta-0.1) > 1e-12 || got[2].N != 0 || got[2].Delta != nil {
		t.Errorf("geomeans %+v", got)
	}
}

func TestNames(t *testing.T) {
	order := []string{"go1.9", "go1.21rc1", "go1.21.0", "go1.26.8", "go1.27.3", "a-label", "tip"}
	shuffled := []string{"tip", "go1.27.3", "go1.21.0", "a-label", "go1.9", "go1.26.8", "go1.21rc1"}
	slices.SortFunc(shuffled, compareNames)
	if !slices.Equal(shuffled, order) {
		t.Errorf("sorted names %v, want %v", shuffled, order)
	}
	for name, want := range map[string]bool{"Benchmark": true, "BenchmarkX": true, "Benchmark_x": true, "Benchmarkx": false, "Bench": false} {
		if isBenchmarkName(name) != want {
			t.Errorf("isBenchmarkName(%q) = %v", name, !want)
		}
	}
}

func TestClassRank(t *testing.T) {
	if !(classRank("good") < classRank("acceptable") && classRank("high") < classRank("very high") && classRank("very high") < classRank("odd")) {
		t.Error("class ranks out of order")
	}
}

// TestHostname exports the testdata, whose manifest's machine has a
// hostname: left out by default, kept with Options.KeepHostname, the
// rest of the machine object unchanged either way.
func TestHostname(t *testing.T) {
	for _, keep := range []bool{false, true} {
		opts := testOptions(t)
		opts.KeepHostname = keep
		site, _, err := Build(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		machine := string(site.Versions[1][2].Machine)
		want := `{"os":"linux","arch":"amd64","cpu":"Intel Xeon",`
		if keep {
			want = `{"hostname":"ci-runner-7.corp.example","os":"linux","arch":"amd64","cpu":"Intel Xeon",`
		}
		if !strings.HasPrefix(machine, want) || !strings.HasSuffix(machine, `"load_after":[0.4,0.3,0.3]}`) {
			t.Errorf("KeepHostname %v: machine %s, want it to start %s", keep, machine, want)
		}
	}
}

// TestForEach checks that every call runs and that the error reported is
// the lowest index's, however the calls are scheduled.
func TestForEach(t *testing.T) {
	ran := make([]bool, 50)
	err := forEach(context.Background(), len(ran), func(i int) error {
		ran[i] = true
		if i%10 == 7 {
			return fmt.Errorf("job %d", i)
		}
		return nil
	})
	if err == nil || err.Error() != "job 7" {
		t.Errorf("err = %v, want job 7", err)
	}
	if slices.Contains(ran, false) {
		t.Errorf("not every job ran: %v", ran)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := 0
	if err := forEach(ctx, 3, func(int) error { calls++; return nil }); !errors.Is(err, context.Canceled) || calls != 0 {
		t.Errorf("canceled: err %v after %d calls, want context.Canceled and none", err, calls)
	}
}

func TestRoundSig(t *testing.T) {
	for _, c := range []struct {
		f    float64
		d    int
		want string // as encoding/json writes the result
	}{
		{9.97 * 1e-9, 9, "9.97e-9"}, // 9.970000000000001e-9 before
		{1833 * 1e-9, 9, "0.000001833"},
		{0.0032591403631689942, 6, "0.00325914"},
		{-0.012627489072365106, 6, "-0.0126275"},
		{123456789012, 6, "123457000000"},
		{1, 6, "1"},
		{0, 6, "0"},
		{1.5e-300, 6, "1.5e-300"}, // beyond the exact powers of ten: kept
	} {
		b, err := json.Marshal(roundSig(c.f, c.d))
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != c.want {
			t.Errorf("roundSig(%v, %d) = %s, want %s", c.f, c.d, b, c.want)
		}
	}
	for f, want := range map[float64]float64{
		1073741824:   1073741824, // 1 GiB/op, ten digits: whole numbers stay exact
		9.97 * 1e-9:  9.97e-9,
		1234.5678912: 1234.56789,
	} {
		if got := measured(f); got != want {
			t.Errorf("measured(%v) = %v, want %v", f, got, want)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if g := roundSig(f, 6); !(g == f || math.IsNaN(g) && math.IsNaN(f)) {
			t.Errorf("roundSig(%v) = %v", f, g)
		}
	}
}

func TestConfigKey(t *testing.T) {
	cfg := func(kv ...string) []benchfmt.Config {
		var c []benchfmt.Config
		for i := 0; i < len(kv); i += 2 {
			c = append(c, benchfmt.Config{Key: kv[i], Value: []byte(kv[i+1]), File: true})
		}
		return c
	}
	// Configurations that a separator byte would have run together.
	a, b := cfg("pkg", "x\x01\x00pkg\x00y"), cfg("pkg", "x", "pkg", "y")
	if configKey(a) == configKey(b) {
		t.Errorf("configKey(%v) = configKey(%v)", a, b)
	}
	if c, d := cfg("pkg", "x", "goos", "linux"), cfg("pkg", "x", "goos", "linux"); configKey(c) != configKey(d) {
		t.Error("equal configurations have different keys")
	}
}
