package toolchain

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
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
			// The HEAD before each GET is there to resume into an existing
			// file with a Range request; downloads go to fresh files, and
			// the HEAD costs a round trip (two with a proxy's redirect).
			DoNotCheckHeadFirst: true,
			// No ReadTimeout: it bounds the whole body, and a slow link
			// needs minutes for 76 MB. The caller's ctx is the deadline.
		}},
		Decompressors:   map[string]getter.Decompressor{},
		DisableSymlinks: true,
	}
}

// download fetches src into a new file named name inside dir (a fresh
// temporary directory), with progress and the download limit. sha256 is
// the hex sha256 the file must have, or "" for none.
//
// Note: the sha256 is taken of the bytes as they arrive, by the progress
// wrapper every byte of the body passes through, not by reading the file
// again afterwards as go-getter's ?checksum= does; the count of bytes
// hashed must be the size of the file, so a byte that bypassed the hash
// fails the download.
func (in *Installer) download(ctx context.Context, src, dir, name, label, sha string) (string, error) {
	dst := filepath.Join(dir, name)
	if _, err := os.Lstat(dst); err == nil {
		return "", fmt.Errorf("download %s: %s already exists", src, dst)
	}
	u := src + "?archive=false"
	p := newProgress(in.Progress, label, in.limits().Download)
	if sha != "" {
		p.hash = sha256.New()
	}
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
	if p.hash != nil {
		fi, err := os.Stat(dst)
		if err != nil {
			return "", fmt.Errorf("download %s: %w", src, err)
		}
		found := ""
		if p.hashed == fi.Size() {
			found = hex.EncodeToString(p.hash.Sum(nil))
		} else {
			found = fmt.Sprintf("(%d of its %d bytes hashed)", p.hashed, fi.Size())
		}
		if !strings.EqualFold(found, sha) {
			return "", &ChecksumError{File: src, Expected: "sha256:" + sha, Found: "sha256:" + found}
		}
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
