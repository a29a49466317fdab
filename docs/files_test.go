package docs

import (
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestPublished(t *testing.T) {
	for name, want := range map[string]bool{
		"index.html":               true,
		"app.js":                   true,
		"style.css":                true,
		"data/platforms.json":      true,
		"data/linux-amd64/x.json":  true,
		"data/notes.txt":           true,
		"handler.go":               false,
		"browser_test.go":          false,
		"embed.go":                 false,
		"extra.txt":                false,
		"data":                     false,
		"data/":                    false,
		"data/.perftrack-export":   false,
		"data/.git/config":         false,
		"data/linux-amd64/.x.json": false,
		".git/config":              false,
		"sub/index.html":           false,
		"./index.html":             false,
		"data/../handler.go":       false,
		"/data/platforms.json":     false,
		"":                         false,
		".":                        false,
	} {
		if got := Published(name); got != want {
			t.Errorf("Published(%q) = %v, want %v", name, got, want)
		}
	}
	if got, want := PageFiles(), []string{"app.js", "index.html", "style.css"}; !slices.Equal(got, want) {
		t.Errorf("PageFiles() = %v, want %v", got, want)
	}
}

// hostileDocs is a docs directory set up the way the attacks in issue 13
// did: links out of it (to a directory, a secret file and the process's
// environment), a named pipe, a directory, and a file over the size cap.
// It returns the directory and the secret the links lead to.
func hostileDocs(t *testing.T) (dir, secret string) {
	t.Helper()
	dir = t.TempDir()
	outside := t.TempDir()
	secret = "SECRET-" + filepath.Base(outside)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(outside, "shadow"), []byte(secret), 0o644))
	must(os.MkdirAll(filepath.Join(dir, "data", "sub"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "data", "platforms.json"), []byte(`{"schema_version":1}`), 0o644))
	must(os.WriteFile(filepath.Join(dir, "handler.go"), []byte("package docs // "+secret), 0o644))
	symlink := func(target, link string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Skipf("cannot make symbolic links here: %v", err)
		}
	}
	symlink(outside, "etclink")
	symlink(outside, filepath.Join("data", "etclink"))
	symlink(filepath.Join(outside, "shadow"), filepath.Join("data", "shadow.json"))
	symlink("/proc/self/environ", filepath.Join("data", "env.json"))
	symlink("/proc/self/environ", "env.txt")
	symlink("platforms.json", filepath.Join("data", "inside.json")) // stays inside: fine
	symlink(filepath.Join(outside, "shadow"), "app.js")             // a page file: the embedded one wins
	mkfifo(t, filepath.Join(dir, "data", "pipe.json"))
	big, err := os.Create(filepath.Join(dir, "data", "big.json"))
	must(err)
	must(big.Truncate(MaxFileSize + 1)) // sparse: no disk used
	must(big.Close())
	return dir, secret
}

func openRoot(t *testing.T, dir string) *os.Root {
	t.Helper()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	return root
}

func TestReadFileHostile(t *testing.T) {
	dir, secret := hostileDocs(t)
	t.Setenv("PERFTRACK_TEST_ENV_SECRET", secret) // what /proc/self/environ would give away
	site := openRoot(t, dir).FS()
	embeddedApp, _ := FS.ReadFile("app.js")
	for _, tc := range []struct {
		name string
		want string // content, or "" for an error
		err  error
	}{
		{"data/platforms.json", `{"schema_version":1}`, nil},
		{"data/inside.json", `{"schema_version":1}`, nil},
		{"app.js", string(embeddedApp), nil},
		{"data/shadow.json", "", ErrNotRegular},
		{"data/env.json", "", ErrNotRegular},
		{"data/etclink/shadow", "", ErrNotRegular},
		{"etclink/shadow", "", fs.ErrNotExist},
		{"env.txt", "", fs.ErrNotExist},
		{"handler.go", "", fs.ErrNotExist},
		{"data/pipe.json", "", ErrNotRegular},
		{"data/sub", "", ErrNotRegular},
		{"data/big.json", "", nil},
		{"data/missing.json", "", fs.ErrNotExist},
	} {
		data, err := ReadFile(site, tc.name)
		if strings.Contains(string(data), secret) || (err != nil && strings.Contains(err.Error(), secret)) {
			t.Errorf("ReadFile(%q) gave away the secret", tc.name)
		}
		if tc.want != "" {
			if err != nil || string(data) != tc.want {
				t.Errorf("ReadFile(%q) = %.40q, %v; want %.40q", tc.name, data, err, tc.want)
			}
			continue
		}
		if err == nil {
			t.Errorf("ReadFile(%q) succeeded with %d bytes, want an error", tc.name, len(data))
			continue
		}
		var big *TooLargeError
		if tc.err == nil {
			if !errors.As(err, &big) || big.Size != MaxFileSize+1 {
				t.Errorf("ReadFile(%q): %v, want a *TooLargeError", tc.name, err)
			}
			continue
		}
		if !errors.Is(err, tc.err) {
			t.Errorf("ReadFile(%q): %v, want %v", tc.name, err, tc.err)
		}
	}
}

// TestHandlerHostile serves the hostile docs directory over a real
// listener: nothing outside it, no Go source, no pipe, no listing, and a
// clear refusal past the size cap.
func TestHandlerHostile(t *testing.T) {
	dir, secret := hostileDocs(t)
	t.Setenv("PERFTRACK_TEST_ENV_SECRET", secret)
	srv := httptest.NewServer(Handler(openRoot(t, dir).FS()))
	defer srv.Close()
	for path, want := range map[string]int{
		"/data/platforms.json": 200,
		"/app.js":              200,
		"/etclink/shadow":      404,
		"/data/etclink/shadow": 404,
		"/data/shadow.json":    404,
		"/data/env.json":       404,
		"/env.txt":             404,
		"/handler.go":          404,
		"/data/pipe.json":      404, // before the fix, this request hung
		"/data/sub/":           404,
		"/data/sub":            404,
		"/etclink/":            404,
		"/data/big.json":       500,
	} {
		resp, err := srv.Client().Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b := readAll(t, resp)
		if resp.StatusCode != want {
			t.Errorf("GET %s: status %d, want %d", path, resp.StatusCode, want)
		}
		if strings.Contains(b, secret) {
			t.Errorf("GET %s gave away the secret", path)
		}
		if want == 500 && !strings.Contains(b, "over the limit of") {
			t.Errorf("GET %s: %q does not say the file is over the limit", path, b)
		}
	}
}

// TestHandlerSources serves the package's own directory, as serve did
// with PERF_DOCS=docs: its Go sources are not part of the site.
func TestHandlerSources(t *testing.T) {
	h := Handler(openRoot(t, ".").FS())
	for _, p := range []string{"/handler.go", "/browser_test.go", "/embed.go", "/handler_test.go", "/files.go"} {
		if r := do(t, h, "GET", p, nil); r.StatusCode != 404 {
			t.Errorf("GET %s: status %d, want 404", p, r.StatusCode)
		}
	}
	if r := do(t, h, "GET", "/index.html", nil); r.StatusCode != 200 {
		t.Errorf("GET /index.html: status %d", r.StatusCode)
	}
}

func TestLocalHost(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost:8000":      true,
		"LocalHost:8000":      true,
		"127.0.0.1:8000":      true,
		"127.0.0.2:8000":      true,
		"[::1]:8000":          true,
		"localhost":           false, // port 80
		"127.0.0.1":           false,
		"localhost:8001":      false,
		"rebind.example:8000": false,
		"rebind.example":      false,
		"localhost.:8000":     false,
		"sub.localhost:8000":  false,
		"192.168.1.5:8000":    false,
		"[::1%lo]:8000":       false,
		"::1":                 false,
		"":                    false,
		"[::1]":               false,
		"0x7f000001:8000":     false,
	} {
		if got := localHost(host, 8000); got != want {
			t.Errorf("localHost(%q, 8000) = %v, want %v", host, got, want)
		}
	}
	if !localHost("localhost", 80) || !localHost("[::1]", 80) || !localHost("127.0.0.1:80", 80) {
		t.Error("port 80: a Host without a port is not accepted")
	}
}

func TestLocalOnly(t *testing.T) {
	h := LocalOnly(Handler(nil), 8000)
	for host, want := range map[string]int{"rebind.example": 403, "rebind.example:8000": 403, "localhost:8000": 200, "127.0.0.1:8000": 200} {
		req := httptest.NewRequest("GET", "/", nil)
		req.Host = host
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != want {
			t.Errorf("Host %q: status %d, want %d", host, w.Code, want)
		}
		if want == 403 && !strings.Contains(w.Body.String(), "DNS rebinding") {
			t.Errorf("Host %q: the 403 does not explain itself: %q", host, w.Body.String())
		}
	}
}

func readAll(t *testing.T, r *http.Response) string {
	t.Helper()
	defer r.Body.Close()
	return body(t, r)
}
