package docs

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/perftrack/perftrack/mage/export"
)

var screenshots = flag.String("screenshots", "", "also copy the browser test's screenshots into this directory")

// chromiumPath finds Debian's chromium. Without it the browser tests skip,
// except under CI, where .ci/run installs it and a missing browser fails.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed, and CI is set: .ci/run must install it (apt-get install -y chromium)")
	}
	t.Skip("chromium is not installed (apt-get install -y chromium); skipping the browser test")
	return ""
}

// newBrowser starts a headless chromium with a fresh profile and returns
// a chromedp context for one tab.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	exe := chromiumPath(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 900),
	)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	return bctx
}

// exportedSite exports the export package's testdata into a docs
// directory holding only data/, so the page comes from the embedded copy.
func exportedSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	td := filepath.Join("..", "mage", "export", "testdata")
	_, err := export.Export(context.Background(), export.Options{
		Results:    filepath.Join(td, "results"),
		Data:       filepath.Join(dir, "data"),
		Benchmarks: filepath.Join(td, "benchmarks"),
		Root:       td,
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// probe records alerts and CSP violations before any page script runs, so
// the test can tell whether injected markup tried to execute.
const probe = `window.__alerts = 0; window.alert = function () { window.__alerts++; };
window.__violations = 0; document.addEventListener("securitypolicyviolation", function () { window.__violations++; });`

func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

func run(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// waitReady waits until the page has drawn everything for its state.
func waitReady(t *testing.T, ctx context.Context) {
	t.Helper()
	run(t, ctx, "waiting for the page", chromedp.WaitReady(chromedp.CSS(`html[data-ready]`)))
	if state := eval[string](t, ctx, `document.documentElement.getAttribute("data-ready")`); state != "1" {
		t.Fatalf("page state %q, status %q", state, eval[string](t, ctx, `document.getElementById("status").textContent`))
	}
}

// choose sets a select element's value as a user would, firing change.
func choose(t *testing.T, ctx context.Context, id, value string) {
	t.Helper()
	expr := fmt.Sprintf(`(function () { const s = document.getElementById(%q); s.value = %q;
		if (s.value !== %q) return false; s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`, id, value, value)
	if !eval[bool](t, ctx, expr) {
		t.Fatalf("#%s has no option %q", id, value)
	}
	waitReady(t, ctx)
}

// waitFor polls a JavaScript condition until it holds, for at most 10 s.
func waitFor(t *testing.T, ctx context.Context, cond string) bool {
	t.Helper()
	for range 200 {
		if eval[bool](t, ctx, cond) {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s (%d bytes)", p, len(png))
	if *screenshots != "" {
		if err := os.WriteFile(filepath.Join(*screenshots, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestBrowser(t *testing.T) {
	ctx := newBrowser(t)
	srv := httptest.NewServer(Handler(os.DirFS(exportedSite(t))))
	defer srv.Close()

	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: probe}); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "navigate", chromedp.Navigate(srv.URL+"/"))
	waitReady(t, ctx)

	// Pick the platform, then any two versions and a metric.
	choose(t, ctx, "platform", "linux-amd64")
	choose(t, ctx, "base", "go1.25.5")
	choose(t, ctx, "target", "go1.27.3")
	choose(t, ctx, "unit", "sec/op")

	rows := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#rows tr")).map(r => r.getAttribute("data-id"))`)
	want := []string{"codec:Encode", "codec:X/<img/src=x/onerror=alert(1)>", "core:Alloc", "core:Map", "core:Undocumented"}
	if len(rows) != len(want) {
		t.Fatalf("rows %q, want %q", rows, want)
	}
	for _, id := range want {
		if !strings.Contains(strings.Join(rows, "\n"), id) {
			t.Errorf("no row for %s", id)
		}
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#deltas svg g.bar rect").length`); n != 5 {
		t.Errorf("%d bars in the delta chart, want 5", n)
	}
	if got := eval[string](t, ctx, `document.querySelector('#rows tr[data-id="core:Alloc"] .mark').textContent`); !strings.Contains(got, "better") {
		t.Errorf("core:Alloc go1.25.5 -> go1.27.3 is marked %q, want better", got)
	}
	if got := eval[string](t, ctx, `document.querySelector('#rows tr[data-id="codec:Encode"] .mark').textContent`); !strings.Contains(got, "worse") {
		t.Errorf("codec:Encode go1.25.5 -> go1.27.3 is marked %q, want worse", got)
	}
	if got := eval[string](t, ctx, `document.getElementById("note").textContent`); !strings.Contains(got, "Medians with 95% confidence intervals") {
		t.Errorf("note = %q, want the exported confidence level", got)
	}
	if got := eval[string](t, ctx, `document.getElementById("summary").textContent`); !strings.Contains(got, "Holm") {
		t.Errorf("summary %q does not name the correction", got)
	}

	// The injection-shaped name is shown as text, nothing was parsed as markup.
	name := eval[string](t, ctx, `document.querySelector('#rows tr[data-id="codec:X/<img/src=x/onerror=alert(1)>"] button.bench').textContent`)
	if name != "X/<img/src=x/onerror=alert(1)>" {
		t.Errorf("the XSS-named benchmark shows as %q", name)
	}

	// Sorting works from the keyboard: focus a column header's button, press Enter.
	run(t, ctx, "sort by name with the keyboard", chromedp.Focus(chromedp.CSS(`th.col-name button.sort`)), chromedp.KeyEvent("\r"))
	if got := eval[string](t, ctx, `document.querySelector("th.col-name").getAttribute("aria-sort")`); got != "ascending" {
		t.Errorf("after Enter on the Benchmark header: aria-sort %q", got)
	}
	if first := eval[string](t, ctx, `document.querySelector("#rows tr").getAttribute("data-id")`); first != "core:Alloc" {
		t.Errorf("first row sorted by name: %s", first)
	}

	// Clicking a row opens the release series: one median per version, a
	// confidence band, the samples as dots.
	run(t, ctx, "click a row", chromedp.Click(chromedp.CSS(`#rows tr[data-id="core:Alloc"] td.num`)))
	run(t, ctx, "series chart", chromedp.WaitVisible(chromedp.CSS(`#series svg.series circle.mid`)))
	if n := eval[int](t, ctx, `document.querySelectorAll("#series svg circle.mid").length`); n != 3 {
		t.Errorf("%d medians in the series chart, want 3", n)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#series svg polygon.band").length`); n != 1 {
		t.Errorf("%d confidence bands, want 1", n)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#series svg circle.dot").length`); n != 18 {
		t.Errorf("%d sample dots, want 18 (6 per version)", n)
	}
	hash := eval[string](t, ctx, `location.hash`)
	for _, part := range []string{"p=linux-amd64", "base=go1.25.5", "target=go1.27.3", "bench=core%3AAlloc"} {
		if !strings.Contains(hash, part) {
			t.Errorf("URL fragment %q lacks %s", hash, part)
		}
	}
	screenshot(t, ctx, "light.png")

	// The description with the literal <img src=x onerror=alert(1)> is text too.
	run(t, ctx, "open Encode", chromedp.Click(chromedp.CSS(`#rows tr[data-id="codec:Encode"] button.bench`)))
	run(t, ctx, "Encode detail", chromedp.WaitVisible(chromedp.CSS(`#series svg.series`)))
	if desc := eval[string](t, ctx, `document.getElementById("detail-desc").textContent`); !strings.Contains(desc, "<img src=x onerror=alert(1)>") {
		t.Errorf("description %q", desc)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("img").length`); n != 0 {
		t.Errorf("%d img elements in the page: data was parsed as HTML", n)
	}
	if n := eval[int](t, ctx, `window.__alerts + window.__violations`); n != 0 {
		t.Errorf("%d alerts or CSP violations: injected markup ran", n)
	}

	// A shared URL restores the view.
	run(t, ctx, "reload shared URL", chromedp.Navigate("about:blank"), chromedp.Navigate(srv.URL+"/#p=darwin-arm64&base=go1.26.8&target=go1.27.3&unit=widgets%2Fop&bench=codec%3AEncode"))
	waitReady(t, ctx)
	for id, want := range map[string]string{"platform": "darwin-arm64", "base": "go1.26.8", "target": "go1.27.3", "unit": "widgets/op"} {
		if got := eval[string](t, ctx, fmt.Sprintf(`document.getElementById(%q).value`, id)); got != want {
			t.Errorf("#%s = %q after loading a shared URL, want %q", id, got, want)
		}
	}
	if title := eval[string](t, ctx, `document.getElementById("detail-title").textContent`); title != "Encode" {
		t.Errorf("detail of a shared URL shows %q", title)
	}

	// Dark theme, from the system setting and from the toggle.
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
	}); err != nil {
		t.Fatal(err)
	}
	bg := `getComputedStyle(document.body).backgroundColor`
	if got := eval[string](t, ctx, bg); got != "rgb(21, 23, 27)" {
		t.Errorf("dark system setting: background %s", got)
	}
	// The page hears of the new setting through a change event, which may
	// come after SetEmulatedMedia returns.
	// The button names the theme it switches to.
	if !waitFor(t, ctx, `document.getElementById("theme").textContent === "Light theme"`) {
		t.Errorf("theme button says %q under a dark system setting, want Light theme", eval[string](t, ctx, `document.getElementById("theme").textContent`))
	}
	screenshot(t, ctx, "dark.png")
	run(t, ctx, "toggle theme", chromedp.Click(chromedp.ID("theme")))
	if got := eval[string](t, ctx, bg); got != "rgb(255, 255, 255)" {
		t.Errorf("after toggling to light: background %s", got)
	}
	if got := eval[string](t, ctx, `document.getElementById("theme").textContent`); got != "Dark theme" {
		t.Errorf("theme button says %q in the light theme, want Dark theme", got)
	}

	// A phone-sized viewport: nothing wider than the screen but the table,
	// which scrolls in its own region.
	run(t, ctx, "narrow viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)))
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("page is %dpx wide on a 390px screen: %s", w, eval[string](t, ctx, `window.innerWidth + " " + Array.from(document.querySelectorAll("body *")).filter(e => !e.closest(".table-wrap") && e.getBoundingClientRect().right > 392).slice(0, 8).map(e => e.tagName + "." + e.className + ":" + Math.round(e.getBoundingClientRect().right)).join(", ")`))
	}
	screenshot(t, ctx, "narrow.png")
}

// TestBrowserEmpty checks a fresh clone's page: no data, and the command
// that produces it.
func TestBrowserEmpty(t *testing.T) {
	ctx := newBrowser(t)
	srv := httptest.NewServer(Handler(os.DirFS(t.TempDir())))
	defer srv.Close()
	run(t, ctx, "navigate", chromedp.Navigate(srv.URL+"/"), chromedp.WaitReady(chromedp.CSS(`html[data-ready="empty"]`)))
	text := eval[string](t, ctx, `document.getElementById("empty").innerText`)
	if !strings.Contains(text, "PERF_QUICK=1 go tool mage track local,1.27.3") {
		t.Errorf("empty page says %q", text)
	}
	if hidden := eval[bool](t, ctx, `document.getElementById("controls").hidden`); !hidden {
		t.Error("controls shown without data")
	}
	screenshot(t, ctx, "empty.png")
}

// TestBrowserIframe embeds the page in another site's page, as the old
// docs site did: it must work without being the top window.
func TestBrowserIframe(t *testing.T) {
	ctx := newBrowser(t)
	mux := http.NewServeMux()
	mux.Handle("/perf/", http.StripPrefix("/perf", Handler(os.DirFS(exportedSite(t)))))
	mux.HandleFunc("/host.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><title>host</title><iframe id="f" src="/perf/#unit=B%2Fop" width="900" height="700"></iframe>`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	run(t, ctx, "navigate", chromedp.Navigate(srv.URL+"/host.html"))
	ready := `(function () { const d = document.getElementById("f").contentDocument;
		return d && d.documentElement.getAttribute("data-ready") || ""; })()`
	if !waitFor(t, ctx, ready+` === "1"`) {
		t.Fatalf("the page in an iframe never got ready (state %q)", eval[string](t, ctx, ready))
	}
	inner := `document.getElementById("f").contentDocument`
	if n := eval[int](t, ctx, inner+`.querySelectorAll("#rows tr").length`); n == 0 {
		t.Error("no rows in the iframe")
	}
	if got := eval[string](t, ctx, inner+`.getElementById("unit").value`); got != "B/op" {
		t.Errorf("iframe unit %q, want B/op from its URL", got)
	}
	if got := eval[string](t, ctx, `location.pathname + location.hash`); got != "/host.html" {
		t.Errorf("the page changed its host's URL to %q", got)
	}
}
