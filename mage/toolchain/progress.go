package toolchain

import (
	"fmt"
	"hash"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// plainInterval is how often a download writes a progress line when its
// writer is not a terminal (a CI log wants a line now and then, not a bar).
const plainInterval = 5 * time.Second

// progress reports one download to a writer (a bar on a terminal, plain
// lines otherwise) and enforces the download limit. It implements
// go-getter's ProgressTracker.
type progress struct {
	w        io.Writer // nil: report nothing
	label    string
	limit    int64
	interval time.Duration
	onRead   func()    // called on every read, e.g. to push a stall deadline back
	hash     hash.Hash // if not nil, every byte read is written to it
	hashed   int64     // the bytes written to hash

	mu    sync.Mutex
	bar   *progressbar.ProgressBar
	n     int64
	total int64
	start time.Time
	last  time.Time
	err   error // the limit error, if it was hit
}

func newProgress(w io.Writer, label string, limit int64) *progress {
	return &progress{w: w, label: label, limit: limit, interval: plainInterval}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// TrackProgress wraps the response body of a download.
func (p *progress) TrackProgress(src string, current, total int64, stream io.ReadCloser) io.ReadCloser {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n = current
	p.total = total
	if total <= current {
		p.total = -1 // unknown: a chunked response reports current-1
	}
	p.start = time.Now()
	p.last = p.start
	if p.w != nil && isTerminal(p.w) {
		p.bar = progressbar.NewOptions64(p.total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription(p.label),
			progressbar.OptionShowBytes(true),
			progressbar.OptionShowTotalBytes(true),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetWidth(20),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(p.w) }),
		)
		if current > 0 {
			_ = p.bar.Set64(current)
		}
	}
	return &limitReader{r: &countReader{r: stream, p: p}, n: current, limit: p.limit, err: &p.err}
}

// add records n more bytes and reports when it is time.
func (p *progress) add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n += int64(n)
	if p.bar != nil {
		_ = p.bar.Add64(int64(n))
		return
	}
	if p.w != nil && time.Since(p.last) >= p.interval {
		p.last = time.Now()
		fmt.Fprintln(p.w, p.line())
	}
}

// finish ends the report: the bar is completed, or a last line written.
func (p *progress) finish(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.w == nil || p.start.IsZero() {
		return
	}
	if p.bar != nil {
		if err == nil {
			_ = p.bar.Finish()
		} else {
			_ = p.bar.Exit()
			fmt.Fprintln(p.w)
		}
		return
	}
	if err == nil {
		fmt.Fprintln(p.w, p.line()+", done")
	}
}

// line formats the plain progress line.
func (p *progress) line() string {
	elapsed := time.Since(p.start).Seconds()
	speed := ""
	if elapsed > 0 {
		speed = fmt.Sprintf(", %s/s", mb(int64(float64(p.n)/elapsed)))
	}
	if p.total > 0 {
		return fmt.Sprintf("%s: %s of %s (%d%%)%s", p.label, mb(p.n), mb(p.total), p.n*100/p.total, speed)
	}
	return fmt.Sprintf("%s: %s%s", p.label, mb(p.n), speed)
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

// countReader feeds progress with the bytes read.
type countReader struct {
	r io.ReadCloser
	p *progress
}

func (c *countReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	if c.p.onRead != nil {
		c.p.onRead()
	}
	if c.p.hash != nil {
		c.p.hash.Write(b[:n])
		c.p.hashed += int64(n)
	}
	c.p.add(n)
	return n, err
}

func (c *countReader) Close() error { return c.r.Close() }
