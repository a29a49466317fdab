package collect

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
)

// maxResultLine is the longest line benchfmt's Reader reads: it scans
// lines with a bufio.Scanner of the default size, whose buffer
// (bufio.MaxScanTokenSize, 64 KiB) must hold the line and its newline. A
// longer line stops the Reader with bufio.ErrTooLong, and with it every
// compare and export of the results tree; Collect never writes one.
const maxResultLine = bufio.MaxScanTokenSize - 1

// resultLine is one benchmark result line of a test binary's output.
type resultLine struct {
	Name    string  // full name without the -GOMAXPROCS suffix, e.g. BenchmarkX/n=10
	Iters   int64   // iterations
	NsPerOp float64 // the ns/op value
	Line    string  // the line as printed
}

// parseResultLine parses a line such as
//
//	BenchmarkX/n=10-8   1000   1234 ns/op   64 B/op   1 allocs/op
//
// procs is the GOMAXPROCS the binary ran with: its "-procs" suffix is
// removed from the name (the testing package adds none when it is 1).
func parseResultLine(line string, procs int) (resultLine, bool) {
	if !strings.HasPrefix(line, "Benchmark") {
		return resultLine{}, false
	}
	f := strings.Fields(line)
	if len(f) < 4 || len(f)%2 != 0 {
		return resultLine{}, false
	}
	iters, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil || iters <= 0 {
		return resultLine{}, false
	}
	r := resultLine{Name: f[0], Iters: iters, NsPerOp: -1, Line: strings.TrimRight(line, " \t\r")}
	if procs > 1 {
		r.Name = strings.TrimSuffix(r.Name, "-"+strconv.Itoa(procs))
	}
	for i := 2; i+1 < len(f); i += 2 {
		if f[i+1] == "ns/op" {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return resultLine{}, false
			}
			r.NsPerOp = v
		}
	}
	if r.NsPerOp < 0 {
		return resultLine{}, false
	}
	return r, true
}

// resultLines returns the lines of out that parse as result lines.
func resultLines(out []byte, procs int) []resultLine {
	var res []resultLine
	for line := range strings.SplitSeq(string(out), "\n") {
		if r, ok := parseResultLine(line, procs); ok {
			res = append(res, r)
		}
	}
	return res
}

// listedBenchmarks returns the benchmark names in out, the output of
// -test.list: the lines that are one word starting with "Benchmark" (the
// list also has tests and examples, and whatever the package's init
// functions print).
func listedBenchmarks(out []byte) []string {
	var names []string
	for line := range strings.SplitSeq(string(out), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "Benchmark") && !strings.ContainsAny(line, " \t") {
			names = append(names, line)
		}
	}
	return names
}

// checkLength reports a result line too long for benchfmt to read back.
func checkLength(r resultLine) error {
	if len(r.Line) > maxResultLine {
		return fmt.Errorf("its result line is %d bytes, longer than the %d bytes benchfmt reads (a huge metric name?); not recorded",
			len(r.Line), maxResultLine)
	}
	return nil
}

// pickResult returns the result line of benchmark name in out, the
// output of a sample that -test.bench limited to that one benchmark.
//
// Note: the testing package prints one result line for it, but the
// benchmark itself may print anything, lines that look like results
// included. Lines naming other benchmarks are ignored: only name ran, so
// they are its own output, and taking them would record samples of
// benchmarks that did not run. Two lines naming it cannot be told apart,
// so the sample is a failure rather than a guess; so is a line benchfmt
// could not read back.
func pickResult(out []byte, name string, procs int) (resultLine, error) {
	var found []resultLine
	for _, r := range resultLines(out, procs) {
		if r.Name == name {
			found = append(found, r)
		}
	}
	switch len(found) {
	case 0:
		return resultLine{}, fmt.Errorf("no result line for %s in the output", name)
	case 1:
		return found[0], checkLength(found[0])
	}
	return resultLine{}, fmt.Errorf("%d result lines for %s in the output of one sample: the benchmark prints lines that look like its results; not recorded",
		len(found), name)
}

// ResultIters returns the iteration count of the result line of
// benchmark name (without the -GOMAXPROCS suffix; procs is the GOMAXPROCS
// the binary ran with) in out, the output of a test binary that
// -test.bench limited to that benchmark, as a sample of Collect reads it:
// an error when there is no such line or more than one.
func ResultIters(out []byte, name string, procs int) (int64, error) {
	r, err := pickResult(out, name, procs)
	if err != nil {
		return 0, err
	}
	return r.Iters, nil
}

// calibrationResults returns the result lines in out, the output of a
// calibration of the top-level benchmark top (which -test.list named):
// those of top itself or of its sub-benchmarks, in output order. A name
// seen twice, or whose line is too long, is not returned but in failed,
// with the reason. Other names are ignored, as in pickResult: a benchmark
// printing "BenchmarkInjected 1 1 ns/op" must not create a benchmark.
func calibrationResults(out []byte, top string, procs int) (res []resultLine, failed map[string]error) {
	seen := map[string]int{}
	var all []resultLine
	for _, r := range resultLines(out, procs) {
		if r.Name != top && !strings.HasPrefix(r.Name, top+"/") {
			continue
		}
		if seen[r.Name]++; seen[r.Name] == 1 {
			all = append(all, r)
		}
	}
	for _, r := range all {
		err := checkLength(r)
		if n := seen[r.Name]; n > 1 {
			err = fmt.Errorf("%d result lines for %s in the output of one calibration run: the benchmark prints lines that look like its results; not recorded", n, r.Name)
		}
		if err != nil {
			if failed == nil {
				failed = map[string]error{}
			}
			failed[r.Name] = err
			continue
		}
		res = append(res, r)
	}
	return res, failed
}

// parseConfig returns the file-level config lines of a test binary's
// output ("goos: linux", "cpu: ...", but not "pkg:", which Collect
// writes per package): the block the testing package prints before the
// first result, which starts with goos. Config-like lines elsewhere are
// the benchmarks' own output.
func parseConfig(out []byte) []string {
	var config []string
	for line := range strings.SplitSeq(string(out), "\n") {
		line = strings.TrimRight(line, " \t\r")
		if config == nil && !strings.HasPrefix(line, "goos: ") {
			continue
		}
		if !isConfigLine(line) || len(line) > maxResultLine {
			break
		}
		if !strings.HasPrefix(line, "pkg:") {
			config = append(config, line)
		}
	}
	return config
}

// isConfigLine reports whether line is a benchfmt "key: value" line: the
// key starts with a lower-case letter and has no spaces.
func isConfigLine(line string) bool {
	key, _, ok := strings.Cut(line, ": ")
	if !ok || key == "" || key[0] < 'a' || key[0] > 'z' {
		return false
	}
	return !strings.ContainsAny(key, " \t")
}
