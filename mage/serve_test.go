package mage

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestServeAddresses(t *testing.T) {
	for _, tc := range []struct {
		addr     string
		loopback bool
		display  string
	}{
		{"127.0.0.1:8000", true, "127.0.0.1:8000"},
		{"[::1]:8000", true, "[::1]:8000"},
		{"0.0.0.0:8000", false, "127.0.0.1:8000"},
		{"[::]:8000", false, "127.0.0.1:8000"},
		{"192.168.1.5:80", false, "192.168.1.5:80"},
	} {
		a, err := net.ResolveTCPAddr("tcp", tc.addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := isLoopback(a); got != tc.loopback {
			t.Errorf("isLoopback(%s) = %v", tc.addr, got)
		}
		if got := displayAddr(a); got != tc.display {
			t.Errorf("displayAddr(%s) = %s, want %s", tc.addr, got, tc.display)
		}
	}
}

// TestServe runs the target on a free loopback port, fetches the page and
// the data, and stops it the way Ctrl-C does (the context is cancelled).
func TestServe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	docs := t.TempDir()
	os.MkdirAll(filepath.Join(docs, "data"), 0o755)
	os.WriteFile(filepath.Join(docs, "data", "platforms.json"), []byte(`{"schema_version":1,"platforms":[]}`), 0o644)
	t.Setenv("PERF_ADDR", addr)
	t.Setenv("PERF_DOCS", docs)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx) }()
	get := func(path string) (int, string) {
		for range 200 {
			resp, err := http.Get("http://" + addr + path)
			if err != nil {
				time.Sleep(20 * time.Millisecond) // not listening yet
				continue
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			return resp.StatusCode, string(b)
		}
		t.Fatalf("serve never answered on %s", addr)
		return 0, ""
	}
	if code, body := get("/"); code != 200 || !strings.Contains(body, "<title>") {
		t.Errorf("GET /: %d", code)
	}
	if code, body := get("/data/platforms.json"); code != 200 || !strings.Contains(body, "schema_version") {
		t.Errorf("GET data: %d %q", code, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve after cancel: %v", err)
	}
	if _, err := http.Get("http://" + addr + "/"); err == nil {
		t.Error("still serving after cancel")
	}
}

// startServe runs the Serve target on a free loopback port with
// PERF_DOCS=dir, as a user would, and returns its address and a function
// that stops it the way Ctrl-C does and returns Serve's error.
func startServe(t *testing.T, dir string) (addr string, stop func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr = ln.Addr().String()
	ln.Close()
	t.Setenv("PERF_ADDR", addr)
	t.Setenv("PERF_DOCS", dir)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx) }()
	for i := 0; ; i++ {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			break
		}
		if i == 500 {
			cancel()
			t.Fatalf("serve never listened on %s: %v", addr, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	stopped := false
	stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(time.Minute): // only so a hung shutdown fails instead of hanging the suite
			return errors.New("serve did not stop a minute after the context was cancelled")
		}
	}
	t.Cleanup(func() { stop() })
	return addr, stop
}

// fetch sends GET path to addr with the given Host header (none: addr)
// and returns the status and body. A request that hangs fails the test
// after a minute instead of hanging it.
func fetch(t *testing.T, addr, host, path string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", "http://"+addr+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	client := &http.Client{Timeout: time.Minute}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s (Host %s): %v", path, host, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// hostileDocs is a docs directory as issue 13 attacked serve: links out
// of it to a directory, to a secret file and to the process's
// environment, a named pipe, and a data file over the size cap. It
// returns the directory and the secret the links lead to, which is also
// in the environment.
func hostileDocs(t *testing.T) (dir, secret string) {
	t.Helper()
	dir, outside := t.TempDir(), t.TempDir()
	secret = "SECRET-" + filepath.Base(outside)
	t.Setenv("PERFTRACK_TEST_SECRET", secret)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(outside, "shadow"), []byte(secret), 0o644))
	must(os.MkdirAll(filepath.Join(dir, "data", "linux-amd64"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "data", "platforms.json"), []byte(`{"schema_version":1,"platforms":[]}`), 0o644))
	must(os.WriteFile(filepath.Join(dir, "data", "linux-amd64", "index.json"), []byte(`{"index":1}`), 0o644))
	for link, target := range map[string]string{
		"etclink":               outside,
		"env.txt":               "/proc/self/environ",
		"data/etclink":          outside,
		"data/shadow.json":      filepath.Join(outside, "shadow"),
		"data/env.json":         "/proc/self/environ",
		"data/linux-amd64/link": "../platforms.json", // inside: allowed
	} {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(link))); err != nil {
			t.Skipf("cannot make symbolic links here: %v", err)
		}
	}
	mkfifo(t, filepath.Join(dir, "data", "pipe.json"))
	big, err := os.Create(filepath.Join(dir, "data", "big.json"))
	must(err)
	must(big.Truncate(64<<20 + 1)) // sparse, over docs.MaxFileSize
	must(big.Close())
	return dir, secret
}

// TestServeAttacks replays the attacks of issue 13 against the target on
// a real listener: a forged Host (DNS rebinding), links out of PERF_DOCS
// (to a directory, a file and /proc/self/environ), a named pipe (the
// request used to hang), a directory listing and a file over the cap.
func TestServeAttacks(t *testing.T) {
	dir, secret := hostileDocs(t)
	addr, stop := startServe(t, dir)
	port := addr[strings.LastIndex(addr, ":")+1:]
	for _, tc := range []struct {
		host, path string
		status     int
		contains   string
	}{
		{"rebind.example", "/", 403, "DNS rebinding"},
		{"rebind.example:" + port, "/data/platforms.json", 403, "DNS rebinding"},
		{"rebind.example", "/etclink/shadow", 403, ""},
		{"localhost:1", "/", 403, ""},
		{"", "/", 200, "<title>"},
		{"localhost:" + port, "/data/platforms.json", 200, "schema_version"},
		{"[::1]:" + port, "/data/platforms.json", 200, "schema_version"},
		{"", "/data/linux-amd64/link", 200, "schema_version"},
		{"", "/etclink/shadow", 404, ""},
		{"", "/data/etclink/shadow", 404, ""},
		{"", "/data/shadow.json", 404, ""},
		{"", "/data/env.json", 404, ""},
		{"", "/env.txt", 404, ""},
		{"", "/data/pipe.json", 404, ""},
		{"", "/data/", 404, ""},
		{"", "/data/linux-amd64/", 404, ""},
		{"", "/etclink/", 404, ""},
		{"", "/data/big.json", 500, "over the limit of"},
	} {
		code, body := fetch(t, addr, tc.host, tc.path)
		if code != tc.status || !strings.Contains(body, tc.contains) {
			t.Errorf("GET %s (Host %q): %d %.80q, want %d with %q", tc.path, tc.host, code, body, tc.status, tc.contains)
		}
		if strings.Contains(body, secret) {
			t.Errorf("GET %s (Host %q) gave away the secret", tc.path, tc.host)
		}
	}
	if err := stop(); err != nil {
		t.Errorf("Serve after cancel: %v", err)
	}
}

// TestServeSources serves the repository's own docs directory: its Go
// sources are not part of the site.
func TestServeSources(t *testing.T) {
	addr, _ := startServe(t, filepath.Join("..", "docs"))
	for _, p := range []string{"/handler.go", "/browser_test.go", "/embed.go", "/handler_test.go"} {
		if code, body := fetch(t, addr, "", p); code != 404 || strings.Contains(body, "package docs") {
			t.Errorf("GET %s: %d %.60q, want 404", p, code, body)
		}
	}
	if code, _ := fetch(t, addr, "", "/app.js"); code != 200 {
		t.Errorf("GET /app.js: %d", code)
	}
}

// TestServeStopsWithOpenConnections stops the target while a browser
// would still hold connections: one kept alive after a request, one
// opened and never used. Serve must close both and return cleanly.
func TestServeStopsWithOpenConnections(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "data"), 0o755)
	os.WriteFile(filepath.Join(dir, "data", "platforms.json"), []byte(`{}`), 0o644)
	addr, stop := startServe(t, dir)
	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	fmt.Fprintf(idle, "GET /data/platforms.json HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	resp, err := http.ReadResponse(bufio.NewReader(idle), nil)
	if err != nil || resp.StatusCode != 200 || resp.Close {
		t.Fatalf("keep-alive request: %v %v", resp, err)
	}
	io.Copy(io.Discard, resp.Body)
	unused, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer unused.Close()
	if err := stop(); err != nil {
		t.Errorf("Serve with open connections: %v", err)
	}
	for name, c := range map[string]net.Conn{"kept alive": idle, "unused": unused} {
		c.SetReadDeadline(time.Now().Add(time.Minute)) // a guard, not a measure
		if n, err := c.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("the %s connection is still open after Serve returned (read %d, %v)", name, n, err)
		}
	}
}

// TestServeTimeouts checks the server drops a connection that idles after
// a request and one that never finishes its request header, with short
// limits so the test does not wait for the real ones.
func TestServeTimeouts(t *testing.T) {
	for _, d := range []time.Duration{defaultServeLimits.ReadHeader, defaultServeLimits.Read, defaultServeLimits.Write, defaultServeLimits.Idle, defaultServeLimits.Grace} {
		if d <= 0 {
			t.Fatalf("a default limit is not set: %+v", defaultServeLimits)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var out bytes.Buffer
	short := serveLimits{ReadHeader: 100 * time.Millisecond, Read: time.Second, Write: time.Second, Idle: 100 * time.Millisecond, Grace: time.Second}
	go func() { done <- serveDocs(ctx, &out, t.TempDir(), ln, short) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
		if !strings.Contains(out.String(), "warning: no ") {
			t.Errorf("no warning about the missing data directory:\n%s", out.String())
		}
	}()
	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	fmt.Fprintf(idle, "GET / HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	br := bufio.NewReader(idle)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("request: %v %v", resp, err)
	}
	io.Copy(io.Discard, resp.Body)
	slow, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	fmt.Fprintf(slow, "GET / HTTP/1.1\r\nHost: %s\r\n", addr) // the header never ends
	for name, r := range map[string]io.Reader{"idle": br, "slow header": slow} {
		c := idle
		if name == "slow header" {
			c = slow
		}
		c.SetReadDeadline(time.Now().Add(time.Minute)) // a guard, not a measure
		_, err := io.ReadAll(r)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("the %s connection was not closed by the server", name)
		}
	}
}

// wideListener is a loopback listener that reports an unspecified
// address, as one on 0.0.0.0 would, so the test stays on 127.0.0.1.
type wideListener struct{ net.Listener }

func (l wideListener) Addr() net.Addr {
	return &net.TCPAddr{IP: net.IPv4zero, Port: l.Listener.Addr().(*net.TCPAddr).Port}
}

// TestServeWarnings keeps serve's warnings: a PERF_DOCS that is missing
// (the embedded page is served) and an address other machines can reach
// (which answers to any host name, as the user chose).
func TestServeWarnings(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	missing := filepath.Join(t.TempDir(), "nope")
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- serveDocs(ctx, &out, missing, wideListener{ln}, defaultServeLimits) }()
	code, body := fetch(t, addr, "rebind.example", "/")
	cancel()
	if err := <-done; err != nil {
		t.Error(err)
	}
	if code != 200 || !strings.Contains(body, "<title>") {
		t.Errorf("GET / without PERF_DOCS: %d %.60q, want the embedded page", code, body)
	}
	for _, want := range []string{"serving the embedded page only", "is reachable from other machines", "PERF_ADDR=127.0.0.1:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestServeExportsFirst: with results and no data (a fresh clone with the
// committed reference run), serve exports before it serves; with data, or
// without results, it leaves PERF_DOCS alone.
func TestServeExportsFirst(t *testing.T) {
	docsDir := filepath.Join(t.TempDir(), "docs")
	s := Settings{
		Results:    filepath.Join("export", "testdata", "results"),
		Benchmarks: filepath.Join("export", "testdata", "benchmarks"),
		Docs:       docsDir,
	}.withDefaults(t.TempDir())
	if err := exportIfMissing(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	platforms := filepath.Join(docsDir, "data", "platforms.json")
	if _, err := os.Stat(platforms); err != nil {
		t.Fatalf("no export: %v", err)
	}
	// Data exists: not exported again.
	if err := os.WriteFile(platforms, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := exportIfMissing(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(platforms); string(b) != "{}" {
		t.Errorf("data exported again over an existing export")
	}
	// No results: nothing written.
	s.Docs, s.Results = filepath.Join(t.TempDir(), "docs"), t.TempDir()
	if err := exportIfMissing(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(s.Docs, "data")); err == nil {
		t.Error("exported an empty results tree")
	}
}
