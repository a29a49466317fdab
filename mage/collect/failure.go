package collect

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Stages of the work a Failure can happen in.
const (
	StageList      = "list"
	StageBuild     = "build"
	StageCalibrate = "calibrate"
	StageWarmup    = "warmup"
	StageSample    = "sample"
)

// A Failure is one thing that went wrong without stopping the run: a package
// that did not build under a toolchain, a benchmark that panicked, exited
// non-zero or timed out. The other toolchains, packages and benchmarks go on.
type Failure struct {
	Toolchain string `json:"toolchain"`           // the toolchain's Name
	Pkg       string `json:"pkg"`                 // import path
	Benchmark string `json:"benchmark,omitempty"` // empty for list and build failures
	Stage     string `json:"stage"`               // StageBuild, StageSample, ...
	Err       string `json:"err"`                 // what happened, e.g. "exit status 2"
	Output    string `json:"output,omitempty"`    // the tail of the output
}

func (f Failure) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s %s", f.Toolchain, f.Stage, f.Pkg)
	if f.Benchmark != "" {
		fmt.Fprintf(&b, " %s", f.Benchmark)
	}
	fmt.Fprintf(&b, ": %s", f.Err)
	if f.Output != "" {
		fmt.Fprintf(&b, "\n%s", indent(f.Output, "\t"))
	}
	return b.String()
}

// FailuresError is returned by Run, after the run is complete and its files
// written, when some packages or benchmarks failed.
type FailuresError struct {
	Failures []Failure
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

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}
