package docs

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/perftrack/perftrack/mage/explain"
	"github.com/perftrack/perftrack/mage/export"
	"github.com/perftrack/perftrack/mage/results"
)

// TestBrowserExplanation exports the test results with an explanation of
// core:Map's regression in go1.27.3 against go1.25.5 and opens its row:
// the detail lists the functions that grew, as text.
func TestBrowserExplanation(t *testing.T) {
	ctx := newBrowser(t)
	td := filepath.Join("..", "mage", "export", "testdata")
	root := t.TempDir()
	if err := os.CopyFS(root, os.DirFS(filepath.Join(td, "results"))); err != nil {
		t.Fatal(err)
	}
	e := &explain.Explanation{Schema: explain.SchemaVersion, Run: "linux-amd64/20261101T100000Z", Baseline: "go1.25.5", Status: explain.StatusFinished,
		Regressions: []*explain.Result{{
			Pkg: "example.com/bench/core", Benchmark: "BenchmarkMap", Unit: "sec/op", Baseline: "go1.25.5", Toolchain: "go1.27.3",
			ValueUnit: "ns/op", Change: 120, MeasuredChange: 100, Pprof: "go tool pprof -top -diff_base=a.pb.gz b.pb.gz",
			Flat: []explain.Func{
				{Name: "runtime.mapassign<img src=x onerror=alert(1)>", Base: 10, New: 110, Delta: 100, Share: 0.83},
				{Name: "example.com/bench/core.hash", Base: 5, New: 25, Delta: 20, Share: 0.17},
			},
			Warnings: []string{"only 50 CPU samples under go1.25.5"},
		}}}
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	file := results.ExplanationFile(root, "linux-amd64", "20261101T100000Z")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := export.Export(context.Background(), export.Options{Results: root, Data: filepath.Join(dir, "data"),
		Benchmarks: filepath.Join(td, "benchmarks"), Root: td}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(Handler(os.DirFS(dir)))
	defer srv.Close()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: probe}); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "navigate", chromedp.Navigate(srv.URL+"/"))
	waitReady(t, ctx)
	choose(t, ctx, "platform", "linux-amd64")
	choose(t, ctx, "base", "go1.25.5")
	choose(t, ctx, "target", "go1.27.3")
	choose(t, ctx, "unit", "sec/op")
	run(t, ctx, "open Map", chromedp.Click(chromedp.CSS(`#rows tr[data-id="core:Map"] button.bench`)))
	run(t, ctx, "explanation", chromedp.WaitVisible(chromedp.CSS(`#series .explanation table.funcs`)))
	funcs := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#series .explanation tbody tr th")).map(th => th.textContent)`)
	if len(funcs) != 2 || funcs[0] != "runtime.mapassign<img src=x onerror=alert(1)>" || funcs[1] != "example.com/bench/core.hash" {
		t.Errorf("functions %q", funcs)
	}
	text := eval[string](t, ctx, `document.querySelector("#series .explanation").textContent`)
	for _, want := range []string{"go1.27.3 against go1.25.5", "only 50 CPU samples", "go tool pprof -top -diff_base=a.pb.gz b.pb.gz", "+100ns"} {
		if !strings.Contains(text, want) {
			t.Errorf("explanation %q lacks %q", text, want)
		}
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#series img").length + window.__alerts`); n != 0 {
		t.Errorf("the function name was parsed as markup (%d)", n)
	}

	// Another baseline: the explanation is not of that comparison.
	run(t, ctx, "leave", chromedp.Navigate("about:blank"))
	run(t, ctx, "Map against go1.26.8", chromedp.Navigate(srv.URL+"/#p=linux-amd64&base=go1.26.8&target=go1.27.3&unit=sec%2Fop&bench=core%3AMap"))
	waitReady(t, ctx)
	run(t, ctx, "series", chromedp.WaitVisible(chromedp.CSS(`#series svg.series`)))
	if n := eval[int](t, ctx, `document.querySelectorAll("#series .explanation").length`); n != 0 {
		t.Errorf("%d explanations shown against go1.26.8, want none", n)
	}
}
