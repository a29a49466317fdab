package explain

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"
)

// progressInterval is how often progress is printed as plain lines when
// the writer is not a terminal.
const progressInterval = 10 * time.Second

// progress shows the profiling runs done of the total: one line
// rewritten in place on a terminal, a plain line every progressInterval
// otherwise (logs, CI). A nil writer shows nothing.
type progress struct {
	w           io.Writer
	total, done int
	start, last time.Time
	terminal    *bool
}

// isTerminal reports whether w is a terminal, once.
func (p *progress) isTerminal() bool {
	if p.terminal == nil {
		f, ok := p.w.(*os.File)
		t := ok && term.IsTerminal(int(f.Fd()))
		p.terminal = &t
	}
	return *p.terminal
}

// describe says what runs now.
func (p *progress) describe(what string) {
	if p.w == nil {
		return
	}
	now := time.Now()
	line := fmt.Sprintf("explain: %d/%d runs, %s, ETA %s", p.done, p.total, what, p.eta(now))
	if p.isTerminal() {
		fmt.Fprintf(p.w, "\r\033[K%s", line)
		return
	}
	if p.done == 0 || now.Sub(p.last) >= progressInterval {
		p.last = now
		fmt.Fprintln(p.w, line)
	}
}

// eta extrapolates the time left from the pace so far.
func (p *progress) eta(now time.Time) string {
	if p.done == 0 {
		return "unknown"
	}
	left := time.Duration(float64(now.Sub(p.start)) / float64(p.done) * float64(p.total-p.done))
	return left.Round(time.Second).String()
}

func (p *progress) add() { p.done++ }

// finish ends the line.
func (p *progress) finish() {
	if p.w == nil {
		return
	}
	if p.isTerminal() {
		fmt.Fprint(p.w, "\r\033[K")
	}
	fmt.Fprintf(p.w, "explain: %d runs in %s\n", p.done, time.Since(p.start).Round(time.Second))
}
