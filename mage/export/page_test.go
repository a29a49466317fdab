package export

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// TestCategory names categories as the page shows them: the root
// package gets the module's last path element, never ".".
func TestCategory(t *testing.T) {
	named := &module{path: "example.com/org/bench"}
	if err := named.setNames(map[string]string{"internal/codec": "codec", "./": "top"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		mod       *module
		pkg, want string
	}{
		{&module{path: "example.com/org/bench"}, "example.com/org/bench", "bench"},
		{&module{path: "example.com/org/bench"}, "example.com/org/bench/core", "core"},
		{&module{path: "example.com/org/bench"}, "example.com/org/bench/a/b", "a/b"},
		{&module{path: "example.com/org/bench"}, "other.org/x", "other.org/x"},
		{&module{}, "other.org/x", "other.org/x"},
		{&module{}, "", "."},
		{named, "example.com/org/bench", "top"},
		{named, "example.com/org/bench/internal/codec", "codec"},
		{named, "example.com/org/bench/core", "core"},
	} {
		if got := tc.mod.category(tc.pkg); got != tc.want {
			t.Errorf("module %q: category(%q) = %q, want %q", tc.mod.path, tc.pkg, got, tc.want)
		}
	}
}

func TestCategoryNamesRejected(t *testing.T) {
	for _, tc := range []struct {
		names map[string]string
		want  string
	}{
		{map[string]string{"a": ""}, `category name for "a" is empty`},
		{map[string]string{"a": "x:y"}, `contains ":"`},
		{map[string]string{"a": "same", "b": "same"}, `is given to both`},
	} {
		err := (&module{}).setNames(tc.names)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("setNames(%v) = %v, want an error with %q", tc.names, err, tc.want)
		}
	}
	opts := testOptions(t)
	opts.Categories = map[string]string{"core": "a:b"}
	if _, _, err := Build(context.Background(), opts); err == nil || !strings.Contains(err.Error(), "Options.Categories") {
		t.Errorf("Build with a bad category name: %v", err)
	}
}

func TestTitle(t *testing.T) {
	for _, tc := range []struct{ given, module, want string }{
		{"", "", "Go performance across releases"},
		{"", "example.com/bench", "example.com/bench across Go releases"},
		{"  My suite ", "example.com/bench", "My suite"},
	} {
		if got := title(tc.given, tc.module); got != tc.want {
			t.Errorf("title(%q, %q) = %q, want %q", tc.given, tc.module, got, tc.want)
		}
	}
}

func TestNoise(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	for _, tc := range []struct {
		values []float64
		cv     *float64
		want   string
	}{
		{[]float64{3, 3, 3}, f(0), "exact"},
		{[]float64{3}, nil, "unknown"},
		{[]float64{1, 2}, nil, "unknown"},
		{[]float64{100, 101}, f(0.007), "good"},
		{[]float64{1, 3}, f(0.7), "very high"},
	} {
		if got := noise(tc.values, tc.cv); got != tc.want {
			t.Errorf("noise(%v) = %q, want %q", tc.values, got, tc.want)
		}
	}
}

// TestVerdictFields exports two versions of one run whose load check
// failed and a third from a run of its own: the comparisons say which
// were interleaved and repeat the failed check, and each has its Holm
// family and stats' caveats.
func TestVerdictFields(t *testing.T) {
	manifest := `{"stamp":"20261101T100000Z","platform":"linux-amd64",
		"toolchains":[{"name":"go1.25.0"},{"name":"go1.26.0"}],
		"checks":[{"name":"load","status":"failed","detail":"1-minute load 5.1 on 2 cores"},{"name":"governor","status":"ok","detail":"performance"}]}`
	opts := writeResults(t, map[string]string{
		"linux-amd64/20261101T100000Z.json":         manifest,
		"linux-amd64/go1.25.0/20261101T100000Z.txt": samples("m/a", "A", 100),
		"linux-amd64/go1.26.0/20261101T100000Z.txt": samples("m/a", "A", 200),
		"linux-amd64/go1.27.0/20261201T100000Z.txt": samples("m/a", "A", 200),
	})
	site, _, err := Build(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	vs := site.Versions[0]
	prev := vs[1].Comparisons[0]
	if !prev.Interleaved || !slices.Equal(prev.FailedChecks, []string{"run 20261101T100000Z: load: 1-minute load 5.1 on 2 cores"}) {
		t.Errorf("go1.26.0 vs go1.25.0: interleaved %v, failed checks %q", prev.Interleaved, prev.FailedChecks)
	}
	if !slices.ContainsFunc(prev.Caveats, func(c string) bool { return strings.Contains(c, "failed system check") }) {
		t.Errorf("caveats %q lack the failed check", prev.Caveats)
	}
	last := vs[2].Comparisons[0]
	if last.Interleaved || len(last.FailedChecks) != 1 {
		t.Errorf("go1.27.0 vs go1.26.0: interleaved %v, failed checks %q; want not interleaved, the check of go1.26.0's run", last.Interleaved, last.FailedChecks)
	}
	if !slices.ContainsFunc(last.Caveats, func(c string) bool { return strings.Contains(c, "not one interleaved run") }) {
		t.Errorf("caveats %q do not say the runs were not interleaved", last.Caveats)
	}
	if len(prev.Families) != 2 || prev.Families[0].Unit != "sec/op" || prev.Families[0].Tests != 1 || prev.Families[1].Unit != "B/op" || prev.Families[1].Exact != 1 {
		t.Errorf("families %+v, want sec/op with 1 test, then B/op with 1 exact row", prev.Families)
	}
	for _, r := range vs[0].Results {
		if want := map[string]string{"sec/op": "good", "B/op": "exact"}[r.Unit]; r.Noise != want {
			t.Errorf("%s %s: noise %q, want %q", r.ID, r.Unit, r.Noise, want)
		}
	}
	if d := prev.Rows[0]; d.PHolm == nil || d.Estimate == nil {
		t.Errorf("row %+v lacks p_holm or estimate", d)
	}
}

// TestSeries checks the whole-series file: each version's comparison with
// the previous one, the same as in its version file, and none when a
// version's file would have its name.
func TestSeries(t *testing.T) {
	site, _, err := Build(context.Background(), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	for i, idx := range site.Indexes {
		s := site.Series[i]
		if idx.Series != "series.json" || len(s.Steps) != len(idx.Versions)-1 {
			t.Fatalf("%s: series %q with %d steps for %d versions", idx.Platform, idx.Series, len(s.Steps), len(idx.Versions))
		}
		for j, step := range s.Steps {
			v := site.Versions[i][j+1]
			if step.Target != v.Version || step.Base != idx.Versions[j].Name || len(step.Rows) != len(v.Comparisons[0].Rows) {
				t.Errorf("%s step %d: %s vs %s with %d rows; want %s vs %s with %d", idx.Platform, j, step.Target, step.Base, len(step.Rows), v.Version, idx.Versions[j].Name, len(v.Comparisons[0].Rows))
			}
		}
	}
	opts := writeResults(t, map[string]string{
		"linux-amd64/go1.27.0/20261101T100000Z.txt": samples("m/a", "A", 100),
		"linux-amd64/series/20261101T100000Z.txt":   samples("m/a", "A", 100),
	})
	site, warnings, err := Build(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if site.Indexes[0].Series != "" || site.Series[0] != nil {
		t.Errorf("a version named series: index names %q", site.Indexes[0].Series)
	}
	if !slices.ContainsFunc(warnings, func(w error) bool { return strings.Contains(w.Error(), "version series has that file name") }) {
		t.Errorf("warnings %v do not say why there is no series file", warnings)
	}
	files, err := site.Files()
	if err != nil {
		t.Fatal(err)
	}
	if n := slices.IndexFunc(files, func(f File) bool { return f.Name == "linux-amd64/series.json" }); n < 0 || !strings.Contains(string(files[n].Data), `"version":"series"`) {
		t.Error("the version named series was not written as series.json")
	}
}
