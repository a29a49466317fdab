package docs

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// site is a docs directory with only data/ (the fallback case) plus
// hidden files and a file that is not part of the site.
func site() fstest.MapFS {
	return fstest.MapFS{
		"data/platforms.json":          {Data: []byte(`{"schema_version":1,"platforms":[]}` + "\n")},
		"data/linux-amd64/index.json":  {Data: bytes.Repeat([]byte(`{"a":1}`), 200)},
		"data/.secret":                 {Data: []byte("hidden")},
		".git/config":                  {Data: []byte("hidden")},
		"extra.txt":                    {Data: []byte("from disk")},
		"data/notes.txt":               {Data: []byte("from disk")},
		"data/linux-amd64/go1.27.json": {Data: []byte(`{}`)},
	}
}

func do(t *testing.T, h http.Handler, method, target string, hdr map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, "http://127.0.0.1/", nil)
	req.URL.Path = target // unparsed, so traversal attempts reach the handler as sent
	req.URL.RawPath = ""
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w.Result()
}

func body(t *testing.T, r *http.Response) string {
	t.Helper()
	rd := r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			t.Fatal(err)
		}
		rd = zr
	}
	b, err := io.ReadAll(rd)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestHandler(t *testing.T) {
	h := Handler(site())
	index, _ := FS.ReadFile("index.html")
	for _, tc := range []struct {
		method, path string
		status       int
		ctype        string
		contains     string
	}{
		{"GET", "/", 200, "text/html; charset=utf-8", string(index[:40])},
		{"GET", "/index.html", 200, "text/html; charset=utf-8", "<title>"},
		{"GET", "/app.js", 200, "text/javascript; charset=utf-8", "textContent"},
		{"GET", "/style.css", 200, "text/css; charset=utf-8", "prefers-color-scheme"},
		{"GET", "/data/platforms.json", 200, "application/json", `"schema_version":1`},
		{"GET", "/extra.txt", 404, "", ""},
		{"GET", "/data/notes.txt", 200, "text/plain; charset=utf-8", "from disk"},
		{"HEAD", "/data/platforms.json", 200, "application/json", ""},
		{"GET", "/data/", 404, "", ""},
		{"GET", "/data", 404, "", ""},
		{"GET", "/data/linux-amd64/", 404, "", ""},
		{"GET", "/missing.json", 404, "", ""},
		{"GET", "/data/.secret", 404, "", ""},
		{"GET", "/.git/config", 404, "", ""},
		{"GET", "/../etc/passwd", 400, "", ""},
		{"GET", "/data/../../etc/passwd", 400, "", ""},
		{"GET", "/data/./platforms.json", 400, "", ""},
		{"GET", "//etc/passwd", 400, "", ""},
		{"GET", `/data\..\x`, 400, "", ""},
		{"GET", "/data/x\x00", 400, "", ""},
		{"GET", "relative", 400, "", ""},
		{"POST", "/", 405, "", ""},
		{"PUT", "/data/platforms.json", 405, "", ""},
		{"DELETE", "/data/platforms.json", 405, "", ""},
		{"OPTIONS", "/", 405, "", ""},
	} {
		r := do(t, h, tc.method, tc.path, nil)
		if r.StatusCode != tc.status {
			t.Errorf("%s %q: status %d, want %d", tc.method, tc.path, r.StatusCode, tc.status)
			continue
		}
		if tc.status == 405 && r.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s %q: Allow = %q", tc.method, tc.path, r.Header.Get("Allow"))
		}
		if tc.status != 200 {
			continue
		}
		if got := r.Header.Get("Content-Type"); got != tc.ctype {
			t.Errorf("%s %q: Content-Type %q, want %q", tc.method, tc.path, got, tc.ctype)
		}
		if r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Cache-Control") != "no-cache" {
			t.Errorf("%s %q: headers %v", tc.method, tc.path, r.Header)
		}
		b := body(t, r)
		if tc.method == "HEAD" {
			if b != "" || r.Header.Get("Content-Length") == "" {
				t.Errorf("HEAD %q: body %q, Content-Length %q", tc.path, b, r.Header.Get("Content-Length"))
			}
			continue
		}
		if !strings.Contains(b, tc.contains) {
			t.Errorf("%s %q: body lacks %q", tc.method, tc.path, tc.contains)
		}
	}
}

// TestFallback checks the page comes from disk when the docs directory has
// it and from the embedded copy when it does not.
func TestFallback(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "data"), 0o755)
	os.WriteFile(filepath.Join(dir, "data", "platforms.json"), []byte(`{}`), 0o644)
	h := Handler(os.DirFS(dir))
	embedded, _ := FS.ReadFile("app.js")
	if got := body(t, do(t, h, "GET", "/app.js", nil)); got != string(embedded) {
		t.Error("app.js not served from the embedded copy when the docs directory lacks it")
	}
	os.WriteFile(filepath.Join(dir, "app.js"), []byte("// edited on disk"), 0o644)
	if got := body(t, do(t, h, "GET", "/app.js", nil)); got != "// edited on disk" {
		t.Errorf("app.js on disk not preferred: %q", got)
	}
	if r := do(t, Handler(nil), "GET", "/data/platforms.json", nil); r.StatusCode != 404 {
		t.Errorf("no site: data status %d", r.StatusCode)
	}
	if r := do(t, Handler(nil), "GET", "/", nil); r.StatusCode != 200 {
		t.Errorf("no site: page status %d", r.StatusCode)
	}
}

func TestGzipAndETag(t *testing.T) {
	h := Handler(site())
	plain := do(t, h, "GET", "/data/linux-amd64/index.json", nil)
	if plain.Header.Get("Content-Encoding") != "" || plain.Header.Get("Vary") != "Accept-Encoding" {
		t.Errorf("without Accept-Encoding: %v", plain.Header)
	}
	want := body(t, plain)
	for _, ae := range []string{"gzip", "deflate, gzip;q=1.0, br", "GZIP"} {
		r := do(t, h, "GET", "/data/linux-amd64/index.json", map[string]string{"Accept-Encoding": ae})
		if r.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("Accept-Encoding %q: not gzipped", ae)
			continue
		}
		if got := body(t, r); got != want {
			t.Errorf("Accept-Encoding %q: gunzipped body differs", ae)
		}
	}
	if r := do(t, h, "GET", "/data/linux-amd64/index.json", map[string]string{"Accept-Encoding": "gzip;q=0"}); r.Header.Get("Content-Encoding") != "" {
		t.Error("gzip;q=0 got gzip")
	}
	small := do(t, h, "GET", "/data/linux-amd64/go1.27.json", map[string]string{"Accept-Encoding": "gzip"})
	if small.Header.Get("Content-Encoding") != "" {
		t.Error("a tiny file was gzipped")
	}
	etag := plain.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if r := do(t, h, "GET", "/data/linux-amd64/index.json", map[string]string{"If-None-Match": etag}); r.StatusCode != 304 {
		t.Errorf("If-None-Match with the current ETag: status %d", r.StatusCode)
	}
	if r := do(t, h, "GET", "/data/linux-amd64/index.json", map[string]string{"If-None-Match": `"old"`}); r.StatusCode != 200 {
		t.Errorf("If-None-Match with another ETag: status %d", r.StatusCode)
	}
	if csp := do(t, h, "GET", "/", nil).Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "frame-ancestors") {
		t.Errorf("CSP %q: want self only, embeddable in an iframe", csp)
	}
}

// TestOverHTTP runs the handler behind a real listener, where the client
// and server parse the URL: encoded traversal must still be refused.
func TestOverHTTP(t *testing.T) {
	srv := httptest.NewServer(Handler(site()))
	defer srv.Close()
	for path, want := range map[string]int{
		"/":                     200,
		"/data/platforms.json":  200,
		"/%2e%2e/etc/passwd":    400,
		"/data/%2e%2e/%2e%2e/x": 400,
		"/data%2f..%2f..%2fx":   400,
	} {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.URL.Opaque = path // send exactly this path
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != want {
			t.Errorf("GET %s: status %d, want %d", path, r.StatusCode, want)
		}
	}
}

func TestAcceptsGzip(t *testing.T) {
	for h, want := range map[string]bool{"": false, "gzip": true, "br, gzip": true, "gzip; q=0": false, "x-gzip": false, "identity": false} {
		if acceptsGzip(h) != want {
			t.Errorf("acceptsGzip(%q) = %v", h, !want)
		}
	}
}

// TestGzipCache: a file is compressed once and served from the cache
// after; a file whose content changes (a new export) is compressed anew,
// never served stale.
func TestGzipCache(t *testing.T) {
	fsys := fstest.MapFS{"data/big.json": {Data: []byte(strings.Repeat(`{"a":1},`, 1000))}}
	h := Handler(fsys).(*handler)
	gz := map[string]string{"Accept-Encoding": "gzip"}
	first := body(t, do(t, h, "GET", "/data/big.json", gz))
	if len(h.gz.m) != 1 {
		t.Fatalf("cache holds %d entries after one request, want 1", len(h.gz.m))
	}
	if again := body(t, do(t, h, "GET", "/data/big.json", gz)); again != first || len(h.gz.m) != 1 {
		t.Errorf("second request: %d cache entries, same body %v", len(h.gz.m), again == first)
	}
	fsys["data/big.json"] = &fstest.MapFile{Data: []byte(strings.Repeat(`{"b":2},`, 1000))}
	if got := body(t, do(t, h, "GET", "/data/big.json", gz)); got != strings.Repeat(`{"b":2},`, 1000) {
		t.Errorf("after the file changed, served %.20q...", got)
	}
}
