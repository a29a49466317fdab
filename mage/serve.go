package mage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/magefile/mage/mg"

	"github.com/perftrack/perftrack/docs"
	"github.com/perftrack/perftrack/mage/results"
)

// Serve serves the docs page and its data (PERF_DOCS) on PERF_ADDR until interrupted.
//
// Only the site is served (the page's files and PERF_DOCS/data, the files
// site publishes), from inside PERF_DOCS: no symbolic link out of it, no
// Go source, no directory listing, nothing but regular files of at most
// docs.MaxFileSize. On a loopback address it answers only to localhost
// and loopback addresses in the Host header, so a web page that points
// its own name at 127.0.0.1 (DNS rebinding) cannot read it.
func Serve(ctx context.Context) error {
	s, err := settings()
	if err != nil {
		return mg.Fatal(2, err)
	}
	if err := exportIfMissing(ctx, s); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return serveDocs(ctx, os.Stdout, s.Docs, ln, defaultServeLimits)
}

// exportIfMissing exports the results when PERF_DOCS has no data yet but
// PERF_RESULTS has runs: a fresh clone has the committed results (the
// reference run) and no export, and its page should show them.
func exportIfMissing(ctx context.Context, s Settings) error {
	data := filepath.Join(s.Docs, "data")
	if _, err := os.Stat(data); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if platforms, err := results.Platforms(s.Results); err != nil || len(platforms) == 0 {
		return nil
	}
	fmt.Printf("serve: no %s yet: exporting %s first\n", data, s.Results)
	return exportData(ctx, s)
}

// serveLimits are the server's timeouts.
type serveLimits struct {
	// ReadHeader, Read, Write and Idle are the http.Server timeouts of the
	// same names: a client cannot hold a connection by sending slowly,
	// reading slowly, or idling between requests.
	ReadHeader, Read, Write, Idle time.Duration
	// Grace is how long Ctrl-C waits for requests in flight before
	// closing their connections.
	Grace time.Duration
}

// defaultServeLimits are generous for the page (its requests have no
// body, its largest file is docs.MaxFileSize) and short enough that
// nothing lingers: Go's own default is no timeout at all.
var defaultServeLimits = serveLimits{
	ReadHeader: 10 * time.Second,
	Read:       30 * time.Second,
	Write:      2 * time.Minute,
	Idle:       20 * time.Second,
	Grace:      2 * time.Second,
}

// serveDocs serves the docs directory dir on ln until ctx is done, then
// stops within lim.Grace; it prints to out and closes ln.
func serveDocs(ctx context.Context, out io.Writer, dir string, ln net.Listener, lim serveLimits) error {
	var site fs.FS
	if root, err := os.OpenRoot(dir); err != nil {
		fmt.Fprintf(out, "warning: %v: serving the embedded page only (run export to write %s/data)\n", err, dir)
	} else {
		defer root.Close()
		site = root.FS()
		if _, err := fs.Stat(site, "data"); err != nil {
			fmt.Fprintf(out, "warning: no %s: the page will say there is nothing to show (run export to write it)\n", filepath.Join(dir, "data"))
		}
	}
	h := docs.Handler(site)
	tcp, _ := ln.Addr().(*net.TCPAddr)
	if isLoopback(ln.Addr()) {
		h = docs.LocalOnly(h, tcp.Port)
	} else {
		port := 0
		if tcp != nil {
			port = tcp.Port
		}
		fmt.Fprintf(out, "warning: %s is reachable from other machines, and answers to any host name; set PERF_ADDR=127.0.0.1:%d to keep it local\n",
			ln.Addr(), port)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: lim.ReadHeader,
		ReadTimeout:       lim.Read,
		WriteTimeout:      lim.Write,
		IdleTimeout:       lim.Idle,
		MaxHeaderBytes:    64 << 10,
	}
	var unused idleConns
	srv.ConnState = unused.track
	fmt.Fprintf(out, "serving %s on http://%s/ (Ctrl-C stops)\n", dir, displayAddr(ln.Addr()))
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// Note: Shutdown waits for every connection to go idle, and counts a
	// new one that has not sent a request yet as busy for 5 seconds, so a
	// browser's spare connection alone would hold it: those are closed
	// first. After the grace period Close drops whatever is left.
	unused.closeAll()
	grace, cancel := context.WithTimeout(context.Background(), lim.Grace)
	defer cancel()
	if err := srv.Shutdown(grace); err != nil {
		if !errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("serve: shutting down: %w", err)
		}
		if err := srv.Close(); err != nil {
			return fmt.Errorf("serve: closing connections: %w", err)
		}
		fmt.Fprintf(out, "closed the connections still open after %v\n", lim.Grace)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Fprintln(out, "stopped")
	return nil
}

// idleConns tracks a server's connections that have not sent a request
// yet (http.StateNew), to close them at once on shutdown.
type idleConns struct {
	mu      sync.Mutex
	conns   map[net.Conn]bool
	closing bool // closeAll was called: close new connections on arrival
}

// track is an http.Server ConnState hook.
func (c *idleConns) track(conn net.Conn, state http.ConnState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case state == http.StateNew && c.closing:
		conn.Close()
	case state == http.StateNew:
		if c.conns == nil {
			c.conns = make(map[net.Conn]bool)
		}
		c.conns[conn] = true
	default:
		delete(c.conns, conn)
	}
}

// closeAll closes the connections that have not sent a request, and
// those accepted from now on.
func (c *idleConns) closeAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closing = true
	for conn := range c.conns {
		conn.Close()
	}
	clear(c.conns)
}

// isLoopback reports whether a listener only accepts local connections.
func isLoopback(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// displayAddr is the address to print: an unspecified host (":8000",
// "0.0.0.0:8000") is shown as 127.0.0.1 so the printed URL opens.
func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return a.String()
	}
	return net.JoinHostPort("127.0.0.1", fmt.Sprint(tcp.Port))
}
