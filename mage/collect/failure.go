package collect

import (
	"github.com/perftrack/perftrack/mage/results"

	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// FailuresError is returned by Run, after the run is complete and its files
// written, when some packages or benchmarks failed.
type FailuresError struct {
	Failures []results.Failure
}

func (e *FailuresError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d failure(s):", len(e.Failures))
	for _, f := range e.Failures {
		fmt.Fprintf(&b, "\n%s", f)
	}
	return b.String()
}

// tailLines is how much output a Failure keeps, and tailLineBytes how
// much of each line: a failure about a result line too long to record
// must not copy it into the manifest and onto the terminal.
const (
	tailLines     = 20
	tailLineBytes = 1000
)

// tail returns the last n lines of out, without a trailing newline, each
// cut to tailLineBytes.
func tail(out []byte, n int) string {
	out = bytes.TrimRight(out, "\n")
	lines := bytes.Split(out, []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	for i, l := range lines {
		if len(l) > tailLineBytes {
			cut := tailLineBytes
			for cut > 0 && !utf8.RuneStart(l[cut]) {
				cut--
			}
			lines[i] = fmt.Appendf(l[:cut:cut], "... (%d bytes)", len(l))
		}
	}
	return string(bytes.Join(lines, []byte("\n")))
}
