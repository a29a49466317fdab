package toolchain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	getter "github.com/hashicorp/go-getter/v2"
)

// HTTPStatusError reports an HTTP response that was not a success.
type HTTPStatusError struct {
	URL  string
	Code int
}

func (e *HTTPStatusError) Error() string {
	return fmt.Sprintf("%d %s from %s", e.Code, http.StatusText(e.Code), e.URL)
}

// NotFound reports a 404 or 410, the answers a proxy gives for a module
// version it does not have.
func (e *HTTPStatusError) NotFound() bool {
	return e.Code == http.StatusNotFound || e.Code == http.StatusGone
}

// statusTransport turns 4xx and 5xx responses into *HTTPStatusError, so
// callers (go-getter among them, which reports only "bad response code")
// can tell a missing release from a broken network with errors.As.
type statusTransport struct{ base http.RoundTripper }

func (t statusTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 400 {
		resp.Body.Close()
		return nil, &HTTPStatusError{URL: req.URL.Redacted(), Code: resp.StatusCode}
	}
	return resp, nil
}

// httpClient returns in.Client (or a default one) with statusTransport.
func (in *Installer) httpClient() *http.Client {
	base := in.Client
	if base == nil {
		base = &http.Client{}
	}
	c := *base
	rt := c.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	if _, ok := rt.(statusTransport); !ok {
		c.Transport = statusTransport{base: rt}
	}
	return &c
}

// getterClient is the only go-getter client perftrack uses: HTTP only, no
// X-Terraform-Get, no netrc, no symlinks, no decompressors (archives are
// checked by checkArchive before a decompressor sees them).
func (in *Installer) getterClient() *getter.Client {
	return &getter.Client{
		Getters: []getter.Getter{&getter.HttpGetter{
			Client:                in.httpClient(),
			Netrc:                 false,
			XTerraformGetDisabled: true,
			HeadFirstTimeout:      30 * time.Second,
			// No ReadTimeout: it bounds the whole body, and a slow link
			// needs minutes for 76 MB. The caller's ctx is the deadline.
		}},
		Decompressors:   map[string]getter.Decompressor{},
		DisableSymlinks: true,
	}
}

// download fetches src into a new file named name inside dir (a fresh
// temporary directory), with progress and the download limit. checksum is
// a go-getter checksum ("sha256:<hex>") or "".
func (in *Installer) download(ctx context.Context, src, dir, name, label, checksum string) (string, error) {
	dst := filepath.Join(dir, name)
	if _, err := os.Lstat(dst); err == nil {
		return "", fmt.Errorf("download %s: %s already exists", src, dst)
	}
	u := src + "?archive=false"
	if checksum != "" {
		u += "&checksum=" + checksum
	}
	p := newProgress(in.Progress, label, in.limits().Download)
	// A stalled connection fails the download instead of hanging until the
	// caller's deadline: every read pushes the stall deadline back.
	stall := in.stallTimeout()
	dctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	timer := time.AfterFunc(stall, func() { cancel(&StallError{URL: src, After: stall}) })
	defer timer.Stop()
	p.onRead = func() { timer.Reset(stall) }
	_, err := in.getterClient().Get(dctx, &getter.Request{
		Src:              u,
		Dst:              dst,
		GetMode:          getter.ModeFile,
		ProgressListener: p,
		DisableSymlinks:  true,
	})
	p.finish(err)
	if err != nil {
		var ce *getter.ChecksumError
		if errors.As(err, &ce) {
			return "", &ChecksumError{File: src, Expected: fmt.Sprintf("sha256:%x", ce.Expected), Found: fmt.Sprintf("sha256:%x", ce.Actual)}
		}
		if p.err != nil {
			return "", fmt.Errorf("download %s: %w", src, p.err)
		}
		var se *HTTPStatusError
		if errors.As(err, &se) {
			return "", fmt.Errorf("download: %w", se)
		}
		var stalled *StallError
		if cause := context.Cause(dctx); errors.As(cause, &stalled) {
			return "", stalled
		}
		if ctx.Err() != nil {
			return "", fmt.Errorf("download %s: %w", src, ctx.Err())
		}
		return "", fmt.Errorf("download %s: %w", src, err)
	}
	if p.err != nil {
		return "", fmt.Errorf("download %s: %w", src, p.err)
	}
	return dst, nil
}

// ChecksumError reports a download whose hash is not the expected one.
type ChecksumError struct {
	File     string // URL or path of what was checked
	Expected string // e.g. sha256:<hex> or h1:<base64>
	Found    string
}

func (e *ChecksumError) Error() string {
	return fmt.Sprintf("checksum mismatch for %s: expected %s, found %s", e.File, e.Expected, e.Found)
}

// StallError reports a download that received nothing for too long.
type StallError struct {
	URL   string
	After time.Duration
}

func (e *StallError) Error() string {
	return fmt.Sprintf("download %s: no data for %v", e.URL, e.After)
}

// DefaultStallTimeout is how long a download may receive nothing.
const DefaultStallTimeout = time.Minute

// TooLargeError reports a download larger than Limits.Download.
type TooLargeError struct{ Limit int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("download larger than the limit of %d bytes", e.Limit)
}

// limitReader fails once more than limit bytes were read; go-getter's own
// MaxBytes is bypassed when a progress listener is set.
type limitReader struct {
	r     io.ReadCloser
	n     int64
	limit int64
	err   *error
}

func (l *limitReader) Read(b []byte) (int, error) {
	n, err := l.r.Read(b)
	l.n += int64(n)
	if l.n > l.limit {
		*l.err = &TooLargeError{Limit: l.limit}
		return 0, *l.err
	}
	return n, err
}

func (l *limitReader) Close() error { return l.r.Close() }
