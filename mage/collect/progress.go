package collect

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// DefaultProgressInterval is how often progress is printed as plain lines
// when the progress writer is not a terminal.
const DefaultProgressInterval = 10 * time.Second

// progress shows samples done of the total: a bar with ETA on a terminal,
// a plain line every interval otherwise (logs, CI). A nil writer shows nothing.
type progress struct {
	w        io.Writer
	bar      *progressbar.ProgressBar
	interval time.Duration
	total    int
	done     int
	start    time.Time
	last     time.Time
	now      func() time.Time
}

func newProgress(w io.Writer, total int, interval time.Duration) *progress {
	p := &progress{w: w, total: total, interval: interval, now: time.Now}
	p.start = p.now()
	p.last = p.start
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetWidth(30),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionShowDescriptionAtLineEnd(),
			progressbar.OptionThrottle(200*time.Millisecond),
		)
	}
	return p
}

// describe says what runs now: round r of rounds, toolchain, package.
func (p *progress) describe(round, rounds int, toolchain, pkg string) {
	desc := fmt.Sprintf("round %d/%d %s %s", round, rounds, toolchain, pkg)
	if p.w == nil {
		return
	}
	if p.bar != nil {
		p.bar.Describe(desc)
		return
	}
	now := p.now()
	if p.done == 0 || now.Sub(p.last) >= p.interval {
		p.last = now
		fmt.Fprintf(p.w, "collect: %d/%d samples, %s, ETA %s\n", p.done, p.total, desc, p.eta(now))
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

// clear erases the bar, so that a finding printed on the same terminal
// starts on a clean line; the bar comes back with the next sample.
func (p *progress) clear() {
	if p != nil && p.bar != nil {
		p.bar.Clear()
	}
}

// addTotal adds n samples to the total (the extra rounds).
func (p *progress) addTotal(n int) {
	p.total += n
	if p.bar != nil {
		p.bar.AddMax(n)
	}
}

func (p *progress) add() {
	p.done++
	if p.bar != nil {
		p.bar.Add(1)
	}
}

// finish ends the bar, or prints a last plain line.
func (p *progress) finish() {
	if p.w == nil {
		return
	}
	if p.bar != nil {
		p.bar.Exit()
		fmt.Fprintln(p.w)
		return
	}
	fmt.Fprintf(p.w, "collect: %d/%d samples in %s\n", p.done, p.total, p.now().Sub(p.start).Round(time.Second))
}
