//go:build unix

// Command perfpage measures Export and the docs page on a generated results
// tree (tools/internal/corpus): by default 3 platforms x 10 versions x 300
// benchmarks x 3 units x 20 samples. It prints the export time, the size of the largest data file, and
// the time until the page has drawn its table and charts in headless
// chromium (the page's "perftrack-ready" performance mark, measured from
// navigation start), the time to open one benchmark's release series, and
// the whole-series view (#view=series: every version loaded, the matrix of
// benchmarks by versions drawn; its "perftrack-series-ready" mark), both
// loaded afresh and switched to from the two-version view.
//
// It needs chromium on PATH, unless -browser=false measures the export
// alone. Run it inside the repository, from the tools module:
//
//	(cd tools && go run ./perfpage [-platforms 3] [-versions 10] [-benchmarks 300] [-count 20] [-runs 3] [-browser=false] [-gzip=false])
//
// Figures on a shared machine are noisy: run it more than once.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/perftrack/perftrack/docs"
	"github.com/perftrack/perftrack/mage/export"
	"github.com/perftrack/perftrack/mage/results"
	"github.com/perftrack/perftrack/tools/internal/corpus"
)

func main() {
	platforms := flag.Int("platforms", 3, "platforms")
	versions := flag.Int("versions", 10, "versions per platform")
	benchmarks := flag.Int("benchmarks", 300, "benchmarks per version")
	count := flag.Int("count", 20, "samples per benchmark")
	runs := flag.Int("runs", 3, "repetitions of each measurement")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the exports to this file")
	shot := flag.String("screenshot", "", "save a PNG of the viewport (page top, a series open) to this file")
	browser := flag.Bool("browser", true, "also time the page in headless chromium (false: the export alone)")
	gzip := flag.Bool("gzip", true, "let Serve's handler gzip the data (false: plain bytes, as a static host with precompressed files costs the page)")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "perfpage:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if err := run(*platforms, *versions, *benchmarks, *count, *runs, *shot, *browser, *gzip); err != nil {
		fmt.Fprintln(os.Stderr, "perfpage:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(platforms, versions, benchmarks, count, runs int, shot string, browser, gzipped bool) error {
	dir, err := os.MkdirTemp("", "perfpage-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	root := filepath.Join(dir, "results")
	start := time.Now()
	if err := generate(root, platforms, versions, benchmarks, count); err != nil {
		return err
	}
	fmt.Printf("generated %d platforms x %d versions x %d benchmarks x 3 units x %d samples in %v\n",
		platforms, versions, benchmarks, count, time.Since(start).Round(time.Millisecond))

	data := filepath.Join(dir, "docs", "data")
	var times, cpu []time.Duration
	var rep *export.Report
	for range runs {
		start, cpu0 := time.Now(), cpuTime()
		rep, err = export.Export(context.Background(), export.Options{Results: root, Data: data})
		if err != nil {
			return err
		}
		times = append(times, time.Since(start))
		cpu = append(cpu, cpuTime()-cpu0)
	}
	largest, err := os.ReadFile(filepath.Join(data, filepath.FromSlash(rep.Largest)))
	if err != nil {
		return err
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(largest)
	zw.Close()
	fmt.Printf("export: %s wall, %s CPU (medians of %d: wall %v, CPU %v); %d files; largest %s: %d bytes (%d gzipped, as Serve sends it)\n",
		median(times), median(cpu), runs, round(times), round(cpu), rep.Files, rep.Largest, rep.Size, gz.Len())
	if !browser {
		return nil
	}

	// Note: Serve's handler gzips each file once (it caches by content
	// hash), so only the first load waits for compressing; -gzip=false
	// serves plain bytes, to tell the page's own time from the server's.
	h := docs.Handler(os.DirFS(filepath.Join(dir, "docs")))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !gzipped {
			r.Header.Del("Accept-Encoding")
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	exe, err := exec.LookPath("chromium")
	if err != nil {
		return fmt.Errorf("chromium not found: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(filepath.Join(dir, "profile")), chromedp.WindowSize(1280, 900))
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		return err
	}
	// Times are read from the page's own performance marks (see mark in
	// docs/app.js), so they hold the page's work and not chromedp's polling.
	var ready, loaded, series, matrix, matrixData, toMatrix []time.Duration
	var rows, cells int
	for i := range runs {
		// A new URL each time (the query differs), after about:blank, so
		// every run loads the page and its data again.
		if err := chromedp.Do(bctx, chromedp.Navigate("about:blank"),
			chromedp.Navigate(fmt.Sprintf("%s/?run=%d", srv.URL, i)),
			chromedp.WaitReady(chromedp.CSS(`html[data-ready="1"]`))); err != nil {
			return err
		}
		if err := marks(bctx, &ready, "perftrack-ready", ""); err != nil {
			return err
		}
		if err := marks(bctx, &loaded, "perftrack-data", ""); err != nil {
			return err
		}
		rows, err = chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll("#rows tr").length + 0 * document.querySelectorAll("#deltas svg g.bar").length`))
		if err != nil {
			return err
		}
		// One benchmark's history: every version file loaded.
		if err := chromedp.Do(bctx, chromedp.Evaluate[chromedp.Void](`performance.mark("perfpage-click"); document.querySelector("#rows tr:nth-child(5) button.bench").click()`),
			chromedp.WaitReady(chromedp.CSS(`#series svg.series`))); err != nil {
			return err
		}
		if err := marks(bctx, &series, "perftrack-detail-ready", "perfpage-click"); err != nil {
			return err
		}
		// The whole series, from the two-version view's button (the
		// history stays open and is drawn again).
		if err := chromedp.Do(bctx, chromedp.Evaluate[chromedp.Void](`performance.mark("perfpage-click"); document.getElementById("view-series").click()`),
			chromedp.WaitReady(chromedp.CSS(`html[data-ready="1"] #srows tr`))); err != nil {
			return err
		}
		if err := marks(bctx, &toMatrix, "perftrack-series-ready", "perfpage-click"); err != nil {
			return err
		}
		// And loaded afresh.
		if err := chromedp.Do(bctx, chromedp.Navigate("about:blank"),
			chromedp.Navigate(fmt.Sprintf("%s/?run=%d#view=series", srv.URL, i)),
			chromedp.WaitReady(chromedp.CSS(`html[data-ready="1"]`))); err != nil {
			return err
		}
		if err := marks(bctx, &matrix, "perftrack-series-ready", ""); err != nil {
			return err
		}
		if err := marks(bctx, &matrixData, "perftrack-data", ""); err != nil {
			return err
		}
		cells, err = chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll("#srows td.cell").length`))
		if err != nil {
			return err
		}
	}
	if shot != "" {
		png, err := chromedp.Run(bctx, chromedp.CaptureScreenshot()) // the viewport, PNG
		if err != nil {
			return err
		}
		if err := os.WriteFile(shot, png, 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("page drawn (table of %d rows, delta chart) %s after navigation start, its data loaded at %s (medians of %d: drawn %v, data %v)\n",
		rows, median(ready), median(loaded), runs, round(ready), round(loaded))
	fmt.Printf("release series of one benchmark (all %d versions loaded) %s after the click (median of %d: %v)\n",
		versions, median(series), runs, round(series))
	fmt.Printf("whole-series view (matrix of %d cells) %s after navigation start, its data loaded at %s (medians of %d: drawn %v, data %v); %s after the click from the two-version view, with a history open (median of %d: %v)\n",
		cells, median(matrix), median(matrixData), runs, round(matrix), round(matrixData), median(toMatrix), runs, round(toMatrix))
	return nil
}

// generate writes a results tree with a plausible spread: each benchmark has
// a base time, each version a drift, each sample noise of a few percent.
// Each platform's files carry that platform's goos and goarch and their own
// seed.
func generate(root string, platforms, versions, benchmarks, count int) error {
	plats := []string{"linux-amd64", "linux-arm64", "darwin-arm64", "windows-amd64", "freebsd-amd64"}
	stamp := results.Stamp(time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC))
	for p := range platforms {
		platform := plats[p%len(plats)]
		goos, goarch, _ := strings.Cut(platform, "-")
		if p >= len(plats) {
			platform = fmt.Sprintf("%s%d", platform, p)
		}
		cfg := corpus.Config{
			Toolchains: versions, Benchmarks: benchmarks, Samples: count, Packages: 8,
			Units: []string{corpus.NsPerOp, corpus.BPerOp, corpus.AllocsPerOp},
			Seed:  uint64(p), Noise: 0.012, GOOS: goos, GOARCH: goarch,
		}
		for v := range versions {
			if err := cfg.WriteFile(results.RunFile(root, platform, cfg.Label(v), stamp), v); err != nil {
				return err
			}
		}
	}
	return nil
}

// marks appends to ds the time of the page's newest performance mark
// name, from the newest mark since, or from navigation start when since
// is "".
func marks(ctx context.Context, ds *[]time.Duration, name, since string) error {
	expr := fmt.Sprintf(`performance.getEntriesByName(%q).at(-1).startTime`, name)
	if since != "" {
		expr += fmt.Sprintf(` - performance.getEntriesByName(%q).at(-1).startTime`, since)
	}
	ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](expr))
	if err != nil {
		return fmt.Errorf("reading the mark %s: %w", name, err)
	}
	*ds = append(*ds, time.Duration(ms*float64(time.Millisecond)))
	return nil
}

// cpuTime is the user and system CPU time of this process so far: on a
// shared machine it varies less than the wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2].Round(time.Millisecond)
}

func round(ds []time.Duration) []time.Duration {
	out := make([]time.Duration, len(ds))
	for i, d := range ds {
		out[i] = d.Round(time.Millisecond)
	}
	return out
}
