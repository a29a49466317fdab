package export

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/perftrack/perftrack/mage/explain"
	"github.com/perftrack/perftrack/mage/results"
)

// TestExplanations puts an explanation of go1.27.3's run beside the test
// results and finds its top functions in go1.27.3's version file, and in
// no other.
func TestExplanations(t *testing.T) {
	opts := testOptions(t)
	root := t.TempDir()
	if err := os.CopyFS(root, os.DirFS(opts.Results)); err != nil {
		t.Fatal(err)
	}
	opts.Results = root
	const stamp = "20261101T100000Z"
	var funcs []explain.Func
	for _, name := range []string{"a", "b", "c", "d", "e", "f"} {
		funcs = append(funcs, explain.Func{Name: "example.com/bench/core." + name, Base: 1, New: 2, Delta: 1, Share: 0.1})
	}
	e := &explain.Explanation{Schema: explain.SchemaVersion, Run: "linux-amd64/" + stamp, Baseline: "go1.25.5", Status: explain.StatusFinished,
		Regressions: []*explain.Result{{
			Pkg: "example.com/bench/core", Benchmark: "BenchmarkMap", Row: "Map", Unit: "sec/op", Baseline: "go1.25.5", Toolchain: "go1.27.3",
			ValueUnit: "ns/op", Change: 6, MeasuredChange: 5, Flat: funcs, Pprof: "go tool pprof -top -diff_base=a b",
		}}}
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	file := results.ExplanationFile(root, "linux-amd64", stamp)
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	site, _, err := Build(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, vs := range site.Versions {
		for _, v := range vs {
			if v.Platform != "linux-amd64" || v.Version != "go1.27.3" {
				if len(v.Explanations) > 0 {
					t.Errorf("%s/%s has explanations %v", v.Platform, v.Version, v.Explanations)
				}
				continue
			}
			found++
			if len(v.Explanations) != 1 {
				t.Fatalf("go1.27.3: explanations %+v, want one", v.Explanations)
			}
			x := v.Explanations[0]
			if x.ID != "core:Map" || x.Unit != "sec/op" || x.Base != "go1.25.5" || len(x.Flat) != explainedFuncs ||
				x.Flat[0].Function != "example.com/bench/core.a" || *x.Change != 6 || x.Pprof == "" {
				t.Errorf("explanation %+v", x)
			}
		}
	}
	if found != 1 {
		t.Fatalf("linux-amd64/go1.27.3 exported %d times", found)
	}

	if err := os.WriteFile(file, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Build(context.Background(), opts); err == nil {
		t.Error("a corrupt explain.json was not reported")
	}
}
