package mage

import (
	"context"
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
