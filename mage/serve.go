package mage

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/magefile/mage/mg"

	"github.com/perftrack/perftrack/docs"
)

// Serve serves the docs page and its data (PERF_DOCS) on PERF_ADDR until interrupted.
func Serve(ctx context.Context) error {
	s, err := settings()
	if err != nil {
		return mg.Fatal(2, err)
	}
	if _, err := os.Stat(s.Docs); err != nil {
		fmt.Printf("warning: %v: serving the embedded page only (run export to write %s/data)\n", err, s.Docs)
	}
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if !isLoopback(ln.Addr()) {
		fmt.Printf("warning: %s is reachable from other machines; set PERF_ADDR=127.0.0.1:%d to keep it local\n",
			ln.Addr(), ln.Addr().(*net.TCPAddr).Port)
	}
	srv := &http.Server{
		Handler:           docs.Handler(os.DirFS(s.Docs)),
		ReadHeaderTimeout: 10 * time.Second,
	}
	fmt.Printf("serving %s on http://%s/ (Ctrl-C stops)\n", s.Docs, displayAddr(ln.Addr()))
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("serve: shutting down: %w", err)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Println("stopped")
	return nil
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
