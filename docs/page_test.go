package docs

import (
	"context"
	"fmt"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/perftrack/perftrack/mage/export"
)

// Hostile benchmark names: markup and script in names, and a name far
// longer than any screen.
var (
	nameScript = `X/<script>alert(2)</script>`
	nameSVG    = `Y/"><svg/onload=alert(3)>`
	nameLong   = "Long/" + strings.Repeat("abcdefghij", 24) + "/" + strings.Repeat("Segment_", 12) + "end"
)

// hostileSite exports a results tree made for the page's verdict: three
// versions on one platform, the first two from one collect run whose load
// check failed, the third from a run of its own with no manifest; a root
// package benchmark whose time falls from 8.74ms to 4.34ms (the history
// axis that once went negative), one that quadruples (past the chart's
// edge), one with 3 samples (no interval), exact allocation counts, and
// the hostile names.
func hostileSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	bench := filepath.Join(dir, "bench")
	write := func(p, data string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(bench, "go.mod"), "module example.com/hostile/suite\n\ngo 1.23\n")
	write(filepath.Join(bench, "suite_test.go"), "package suite\n\nimport \"testing\"\n\n// BenchmarkRoot measures the root package.\nfunc BenchmarkRoot(b *testing.B) {}\n")
	root := filepath.Join(dir, "results")
	const runA, runB = "20261101T100000Z", "20261201T100000Z"
	write(filepath.Join(root, "linux-amd64", runA+".json"), `{"stamp":"`+runA+`","platform":"linux-amd64",
		"toolchains":[{"name":"go1.25.0"},{"name":"go1.26.0"}],
		"checks":[{"name":"load","status":"failed","detail":"1-minute load 5.1 on 2 cores, want <= 1"}]}`)
	// ns/op of each benchmark in each version.
	type b struct {
		pkg, name string
		ns        [3]float64
		n         int
		noisy     bool
	}
	benches := []b{
		{"example.com/hostile/suite", "Root", [3]float64{8.74e6, 6.541e6, 4.341e6}, 8, false},
		{"example.com/hostile/suite", "Grow", [3]float64{1000, 1005, 4000}, 8, false},
		{"example.com/hostile/suite/codec", "Few", [3]float64{500, 510, 505}, 3, false},
		{"example.com/hostile/suite/codec", "Flat", [3]float64{2000, 2000, 2000}, 8, true},
		{"example.com/hostile/suite/codec", nameScript, [3]float64{300, 300, 300}, 8, true},
		{"example.com/hostile/suite/codec", nameSVG, [3]float64{400, 400, 400}, 8, true},
		{"example.com/hostile/suite/codec", nameLong, [3]float64{600, 600, 600}, 8, true},
	}
	for v, name := range []string{"go1.25.0", "go1.26.0", "go1.27.0"} {
		stamp := runA
		if v == 2 {
			stamp = runB
		}
		var sb strings.Builder
		sb.WriteString("goos: linux\ngoarch: amd64\ncpu: Test CPU\n")
		for _, bn := range benches {
			fmt.Fprintf(&sb, "pkg: %s\n", bn.pkg)
			for i := range bn.n {
				jitter := 0.004 * float64((i*37)%7-3) / 3
				if bn.noisy {
					jitter = 0.03 * float64((i*5+v)%7-3) / 3
				}
				fmt.Fprintf(&sb, "Benchmark%s-8 100 %.1f ns/op 64 B/op 2 allocs/op\n", bn.name, bn.ns[v]*(1+jitter))
			}
		}
		write(filepath.Join(root, "linux-amd64", name, stamp+".txt"), sb.String())
	}
	site := filepath.Join(dir, "site")
	if _, err := export.Export(context.Background(), export.Options{
		Results: root, Data: filepath.Join(site, "data"), Benchmarks: bench, Root: dir,
	}); err != nil {
		t.Fatal(err)
	}
	return site
}

// text returns the visible text of an element.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return eval[string](t, ctx, fmt.Sprintf(`(function () { const e = document.querySelector(%q); return e ? e.innerText : "<none>"; })()`, sel))
}

func navigate(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	run(t, ctx, "navigate "+url, chromedp.Navigate("about:blank"), chromedp.Navigate(url))
	waitReady(t, ctx)
}

// overflow lists elements that reach past the viewport's right edge, for
// an error message; "" when none does.
const overflow = `(function () {
	const w = document.documentElement.clientWidth;
	const bad = Array.from(document.querySelectorAll("body *")).filter(e => e.getClientRects().length && e.getBoundingClientRect().right > w + 1);
	return bad.slice(0, 6).map(e => e.tagName + "." + e.className + "#" + e.id + ":" + Math.round(e.getBoundingClientRect().right)).join(", ");
})()`

// selectsFit says which selects are narrower than their chosen option's
// text: a select that cuts its own text.
const selectsFit = `(function () {
	const out = [];
	for (const s of document.querySelectorAll("#controls select")) {
		if (!s.getClientRects().length) continue;
		const o = s.options[s.selectedIndex];
		const span = document.createElement("span");
		span.textContent = o ? o.textContent : "";
		span.style.font = getComputedStyle(s).font;
		span.style.position = "absolute";
		span.style.whiteSpace = "pre";
		document.body.append(span);
		const need = span.getBoundingClientRect().width;
		span.remove();
		if (s.clientWidth < need + 8) out.push(s.id + ": " + Math.round(s.clientWidth) + "px for " + Math.round(need) + "px of text");
	}
	return out.join("; ");
})()`

func TestBrowserVerdict(t *testing.T) {
	ctx := newBrowser(t)
	srv := httptest.NewServer(Handler(os.DirFS(hostileSite(t))))
	defer srv.Close()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: probe}); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "window size", chromedp.EmulateViewport(1400, 1000))

	// The title comes from the benchmark module, and the root package's
	// category is the module's last path element.
	navigate(t, ctx, srv.URL+"/#base=go1.25.0&target=go1.26.0&unit=sec%2Fop")
	if got := text(t, ctx, "h1"); got != "example.com/hostile/suite across Go releases" {
		t.Errorf("title %q", got)
	}
	if got := eval[string](t, ctx, `document.title`); got != "example.com/hostile/suite across Go releases" {
		t.Errorf("document title %q", got)
	}
	cats := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#category option")).map(o => o.value)`)
	if strings.Join(cats, ",") != ",codec,suite" {
		t.Errorf("categories %q, want codec and suite (the root package), never \".\"", cats)
	}

	// Two versions of one run with a failed load check: the banner says
	// so at the top, and not that they were not interleaved.
	banner := text(t, ctx, "#banner")
	if !strings.Contains(banner, "Failed system checks") || !strings.Contains(banner, "load: 1-minute load 5.1") || strings.Contains(banner, "Not interleaved") {
		t.Errorf("banner for go1.25.0 -> go1.26.0 of one run: %q", banner)
	}
	if above := eval[bool](t, ctx, `document.getElementById("banner").getBoundingClientRect().top < document.getElementById("summary").getBoundingClientRect().top`); !above {
		t.Error("the banner is not above the summary")
	}
	// Verdict marks from stats.
	mark := func(id string) string {
		return text(t, ctx, fmt.Sprintf(`#rows tr[data-id=%q] .mark`, id))
	}
	if got := mark("suite:Root"); !strings.Contains(got, "better") {
		t.Errorf("suite:Root 8.74ms -> 6.54ms marked %q", got)
	}
	if got := mark("codec:Few"); !strings.Contains(got, "cannot tell") {
		t.Errorf("codec:Few (3 samples) marked %q, want cannot tell", got)
	}
	if got := mark("codec:Flat"); !strings.Contains(got, "within ±") {
		t.Errorf("codec:Flat marked %q, want a bound", got)
	}
	few := text(t, ctx, `#rows tr[data-id="codec:Few"]`)
	if !strings.Contains(few, "no interval (n=3)") || !strings.Contains(few, "interval unbounded") {
		t.Errorf("codec:Few row %q does not say in words that it has no interval", few)
	}
	all := text(t, ctx, "body")
	for _, bad := range []string{"±∞", "Reliability", "reliability"} {
		if strings.Contains(all, bad) {
			t.Errorf("the page shows %q", bad)
		}
	}
	// A change significant after the correction: the geomean is emphasized.
	if n := eval[int](t, ctx, `document.querySelectorAll("#summary .geomean strong").length`); n != 1 {
		t.Errorf("sec/op with significant changes: %d emphasized geomeans", n)
	}
	// Counts are exact: no noise class but "exact", and a geomean of
	// nothing significant is not emphasized.
	choose(t, ctx, "unit", "allocs/op")
	badges := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#rows .badge")).map(b => b.textContent)`)
	if len(badges) != 7 {
		t.Errorf("%d noise badges on allocs/op, want 7", len(badges))
	}
	for _, b := range badges {
		if b != "exact" {
			t.Errorf("allocs/op noise %q, want exact", b)
		}
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#summary .geomean strong, #summary .better, #summary .worse").length`); n != 0 {
		t.Errorf("allocs/op without a change: the geomean is emphasized (%s)", text(t, ctx, "#summary"))
	}
	if got := text(t, ctx, "#summary .geomean"); !strings.Contains(got, "no verdict") {
		t.Errorf("quiet geomean says %q", got)
	}
	if got := mark("suite:Root"); !strings.Contains(got, "exact") {
		t.Errorf("suite:Root allocs/op marked %q, want exact", got)
	}

	// Runs that were not interleaved, and the quadrupled benchmark past
	// the chart's edge.
	choose(t, ctx, "unit", "sec/op")
	choose(t, ctx, "base", "go1.26.0")
	choose(t, ctx, "target", "go1.27.0")
	banner = text(t, ctx, "#banner")
	if !strings.Contains(banner, "Not interleaved") || !strings.Contains(banner, "load: 1-minute load") {
		t.Errorf("banner for go1.26.0 -> go1.27.0 of two runs: %q", banner)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#deltas g.bar[data-id="suite:Grow"] polygon.clip').length`); n == 0 {
		t.Error("suite:Grow (+300%) is cut at the chart's edge without a mark")
	}
	if got := text(t, ctx, "#deltas .clip-note"); !strings.Contains(got, "beyond") {
		t.Errorf("clip note %q", got)
	}
	if problems := eval[string](t, ctx, selectsFit); problems != "" {
		t.Errorf("selects cut their text at 1400px: %s", problems)
	}
	if n := eval[int](t, ctx, `Array.from(document.querySelectorAll(".table-wrap")).filter(e => e.getClientRects().length && e.scrollWidth > e.clientWidth + 1).length`); n != 0 {
		t.Errorf("the table scrolls sideways at 1400px (%dpx of %dpx)", eval[int](t, ctx, `document.querySelector(".table-wrap").scrollWidth`), eval[int](t, ctx, `document.querySelector(".table-wrap").clientWidth`))
	}
	screenshot(t, ctx, "wide-compare.png")

	// The history axis: rounded ticks in one unit, never negative, from
	// zero or saying it is not.
	run(t, ctx, "open Root", chromedp.Click(chromedp.CSS(`#rows tr[data-id="suite:Root"] button.bench`)))
	run(t, ctx, "Root history", chromedp.WaitVisible(chromedp.CSS(`#series svg.series`)))
	checkAxis(t, ctx)
	screenshot(t, ctx, "wide-history.png")

	// Hostile names are text: nothing ran, no element was injected.
	for _, name := range []string{nameScript, nameSVG, nameLong} {
		got := eval[string](t, ctx, fmt.Sprintf(`(function () { const r = Array.from(document.querySelectorAll("#rows tr")).find(r => r.getAttribute("data-id") === %q);
			return r ? r.querySelector("button.bench").textContent : "<no row>"; })()`, "codec:"+name))
		if got != name {
			t.Errorf("benchmark %q shows as %q", name, got)
		}
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("script").length + document.querySelectorAll("svg:not(.bars):not(.series)").length`); n != 1 {
		t.Errorf("%d script and stray svg elements, want only app.js", n)
	}
	if n := eval[int](t, ctx, `window.__alerts + window.__violations`); n != 0 {
		t.Errorf("%d alerts or CSP violations: injected markup ran", n)
	}
}

// checkAxis checks the value axis of the open history chart.
func checkAxis(t *testing.T, ctx context.Context) {
	t.Helper()
	ticks := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#series svg .ytick")).map(e => e.textContent)`)
	zero := eval[string](t, ctx, `document.querySelector("#series svg.series").getAttribute("data-zero")`)
	note := eval[int](t, ctx, `document.querySelectorAll("#series svg .axis-note").length`)
	if len(ticks) < 3 {
		t.Fatalf("axis ticks %q", ticks)
	}
	re := regexp.MustCompile(`^(\d+(?:\.\d+)?)([a-zµ/]*)$`)
	var vals []float64
	unit := ""
	for i, tk := range ticks {
		if strings.ContainsAny(tk, "-−") {
			t.Errorf("negative tick %q in %q", tk, ticks)
		}
		m := re.FindStringSubmatch(tk)
		if m == nil {
			t.Fatalf("tick %q of %q is not a number and a unit", tk, ticks)
		}
		if tk != "0" {
			if unit == "" {
				unit = m[2]
			} else if m[2] != unit {
				t.Errorf("ticks %q mix units", ticks)
			}
		}
		v, _ := strconv.ParseFloat(m[1], 64)
		if i > 0 && v <= vals[i-1] {
			t.Errorf("ticks %q do not rise", ticks)
		}
		vals = append(vals, v)
	}
	step := vals[1] - vals[0]
	for i := 2; i < len(vals); i++ {
		if math.Abs(vals[i]-vals[i-1]-step) > step*1e-6 {
			t.Errorf("ticks %q are not evenly spaced", ticks)
		}
	}
	mant := step / math.Pow(10, math.Floor(math.Log10(step)+1e-9))
	if r := math.Round(mant*1e6) / 1e6; r != 1 && r != 2 && r != 5 {
		t.Errorf("tick step %v of %q is not 1, 2 or 5 times a power of ten", step, ticks)
	}
	switch {
	case ticks[0] == "0" && (zero != "1" || note != 0):
		t.Errorf("axis from zero, but data-zero %q and %d notes", zero, note)
	case ticks[0] != "0" && (zero != "0" || note != 1):
		t.Errorf("axis from %s without saying it does not start at zero (%d notes)", ticks[0], note)
	}
}

func TestBrowserSeries(t *testing.T) {
	ctx := newBrowser(t)
	srv := httptest.NewServer(Handler(os.DirFS(hostileSite(t))))
	defer srv.Close()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: probe}); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "window size", chromedp.EmulateViewport(1400, 1000))
	navigate(t, ctx, srv.URL+"/#view=series&unit=sec%2Fop")
	if hidden := eval[bool](t, ctx, `document.getElementById("series-view").hidden || !document.getElementById("compare-table").hidden`); hidden {
		t.Fatal("#view=series does not show the series matrix alone")
	}
	heads := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#shead th.col-version")).map(e => e.innerText.replace(/[▲▼]/g, "").trim())`)
	if strings.Join(heads, ",") != "go1.26.0,go1.27.0" {
		t.Errorf("version columns %q", heads)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#srows tr").length`); n != 7 {
		t.Errorf("%d rows in the matrix, want 7", n)
	}
	cell := func(id string, col int) (class, txt string) {
		sel := fmt.Sprintf(`#srows tr[data-id=%q] td.cell:nth-of-type(%d)`, id, col+2)
		return eval[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).className`, sel)), text(t, ctx, sel)
	}
	if c, txt := cell("suite:Root", 1); !strings.Contains(c, "better") || !strings.Contains(txt, "−25") {
		t.Errorf("suite:Root go1.25.0 -> go1.26.0: class %q, text %q; want better, -25%%", c, txt)
	}
	if c, txt := cell("suite:Grow", 2); !strings.Contains(c, "worse") || !strings.Contains(txt, "+29") {
		t.Errorf("suite:Grow go1.26.0 -> go1.27.0: class %q, text %q; want worse, +298%%", c, txt)
	}
	// Only significant cells have a colour.
	if n := eval[int](t, ctx, `Array.from(document.querySelectorAll("#srows td.cell.better, #srows td.cell.worse")).filter(e => !/significantly/.test(e.title)).length`); n != 0 {
		t.Errorf("%d coloured cells that are not significant after the correction", n)
	}
	if c, _ := cell("codec:Flat", 1); !strings.Contains(c, "quiet") {
		t.Errorf("codec:Flat cell class %q, want quiet", c)
	}
	banner := text(t, ctx, "#banner")
	if !strings.Contains(banner, "go1.26.0 → go1.27.0") || !strings.Contains(banner, "load") {
		t.Errorf("series banner %q", banner)
	}

	// Hostile names are text in the matrix too.
	if got := eval[string](t, ctx, fmt.Sprintf(`(function () { const r = Array.from(document.querySelectorAll("#srows tr")).find(r => r.getAttribute("data-id") === %q);
		return r ? r.querySelector("button.bench").textContent : "<no row>"; })()`, "codec:"+nameSVG)); got != nameSVG {
		t.Errorf("matrix shows %q as %q", nameSVG, got)
	}

	// Sortable: by the change into go1.27.0, largest first.
	run(t, ctx, "sort by go1.27.0", chromedp.Click(chromedp.CSS(`#shead th:nth-child(5) button.sort`)))
	if first := eval[string](t, ctx, `document.querySelector("#srows tr").getAttribute("data-id")`); first != "suite:Grow" {
		t.Errorf("first row sorted by the change into go1.27.0: %s", first)
	}
	if h := eval[string](t, ctx, `location.hash`); !strings.Contains(h, "ssort=go1.27.0") || !strings.Contains(h, "view=series") {
		t.Errorf("URL fragment %q lacks the series sort", h)
	}
	// Filterable by category.
	choose(t, ctx, "category", "suite")
	if ids := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#srows tr")).map(r => r.getAttribute("data-id"))`); strings.Join(ids, ",") != "suite:Grow,suite:Root" {
		t.Errorf("rows in category suite: %q", ids)
	}
	screenshot(t, ctx, "wide-series.png")
	// A row opens the benchmark's history, and the URL keeps both.
	run(t, ctx, "click a row", chromedp.Click(chromedp.CSS(`#srows tr[data-id="suite:Root"] td.col-category`)))
	run(t, ctx, "history", chromedp.WaitVisible(chromedp.CSS(`#series svg.series circle.mid`)))
	if n := eval[int](t, ctx, `document.querySelectorAll("#series svg circle.mid").length`); n != 3 {
		t.Errorf("%d medians in the history, want 3", n)
	}
	checkAxis(t, ctx)
	h := eval[string](t, ctx, `location.hash`)
	navigate(t, ctx, srv.URL+"/"+h)
	if ok := eval[bool](t, ctx, `!document.getElementById("series-view").hidden && !document.getElementById("detail").hidden`); !ok {
		t.Errorf("reloading %s does not restore the series and the history", h)
	}
	// The other view, from its button.
	run(t, ctx, "compare view", chromedp.Click(chromedp.ID("view-compare")))
	waitReady(t, ctx)
	if h := eval[string](t, ctx, `location.hash`); strings.Contains(h, "view=") {
		t.Errorf("after Two versions, the fragment is %q", h)
	}
	if n := eval[int](t, ctx, `window.__alerts + window.__violations`); n != 0 {
		t.Errorf("%d alerts or CSP violations", n)
	}
}

// TestBrowserNarrow uses the page on a 400x900 window: no sideways
// scrolling in either view, whole words in names, selects that fit.
func TestBrowserNarrow(t *testing.T) {
	ctx := newBrowser(t)
	srv := httptest.NewServer(Handler(os.DirFS(hostileSite(t))))
	defer srv.Close()
	run(t, ctx, "narrow window", chromedp.EmulateViewport(400, 900))
	for _, view := range []struct{ name, hash string }{
		{"compare", "#base=go1.26.0&target=go1.27.0&unit=sec%2Fop&bench=suite%3ARoot"},
		{"series", "#view=series&unit=sec%2Fop&bench=suite%3ARoot"},
	} {
		navigate(t, ctx, srv.URL+"/"+view.hash)
		run(t, ctx, "history", chromedp.WaitVisible(chromedp.CSS(`#series svg.series`)))
		if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 400 {
			t.Errorf("%s view is %dpx wide on a 400px window: %s", view.name, w, eval[string](t, ctx, overflow))
		}
		if bad := eval[string](t, ctx, overflow); bad != "" {
			t.Errorf("%s view: elements past the right edge: %s", view.name, bad)
		}
		if n := eval[int](t, ctx, `Array.from(document.querySelectorAll(".table-wrap")).filter(e => e.scrollWidth > e.clientWidth + 1).length`); n != 0 {
			t.Errorf("%s view: %d tables scroll sideways", view.name, n)
		}
		if problems := eval[string](t, ctx, selectsFit); problems != "" {
			t.Errorf("%s view: selects cut their text: %s", view.name, problems)
		}
		// Labels of the history chart keep a readable size: the SVG is
		// drawn at the box's width, not scaled down.
		if px := eval[float64](t, ctx, `Math.min(...Array.from(document.querySelectorAll("svg text")).filter(t => t.getClientRects().length).map(t => t.getBoundingClientRect().height))`); px < 10 {
			t.Errorf("%s view: chart labels %.1fpx high", view.name, px)
		}
		// Names wrap between their parts: the Root name is on one line,
		// the long one breaks at its "/" first.
		rows := "#rows"
		if view.name == "series" {
			rows = "#srows"
		}
		if oneLine := eval[bool](t, ctx, fmt.Sprintf(`(function () { const b = document.querySelector('%s tr[data-id="suite:Root"] button.bench');
			return b.getBoundingClientRect().height < 1.5 * parseFloat(getComputedStyle(b).lineHeight); })()`, rows)); !oneLine {
			t.Errorf("%s view: the name Root breaks across lines", view.name)
		}
		checkAxis(t, ctx)
		screenshot(t, ctx, "narrow-"+view.name+".png")
	}
}
