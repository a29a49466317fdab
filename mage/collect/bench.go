package collect

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// splitRegexp splits a -test.bench regexp into its per-level parts the way
// the testing package does: at slashes outside brackets and parentheses.
func splitRegexp(re string) []string {
	return splitOutside(re, '/')
}

// splitAlternatives splits a -test.bench regexp the way the testing
// package does: first into its alternatives, at '|' outside brackets and
// parentheses, then each alternative into its per-level parts. A benchmark
// is selected when any alternative selects it.
func splitAlternatives(re string) [][]string {
	var alts [][]string
	for _, alt := range splitOutside(re, '|') {
		alts = append(alts, splitRegexp(alt))
	}
	return alts
}

// splitOutside splits re at each sep that is outside brackets and
// parentheses and not escaped.
func splitOutside(re string, sep byte) []string {
	var parts []string
	depth, cs := 0, 0 // nesting of () and whether inside []
	start := 0
	for i := 0; i < len(re); i++ {
		switch re[i] {
		case '[':
			cs++
		case ']':
			if cs > 0 {
				cs--
			}
		case '(':
			if cs == 0 {
				depth++
			}
		case ')':
			if cs == 0 && depth > 0 {
				depth--
			}
		case '\\':
			i++
		case sep:
			if depth == 0 && cs == 0 {
				parts = append(parts, re[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, re[start:])
}

// CheckBench reports whether re is a -test.bench regexp the testing
// package accepts: every per-level part of every alternative, split as
// splitAlternatives splits it, must compile. A test binary given one that
// does not exits with an error, after Collect has built everything; this
// finds it first. The empty regexp, Collect's default ".", is accepted.
func CheckBench(re string) error {
	alts := splitAlternatives(re)
	for i, alt := range alts {
		for j, part := range alt {
			if _, err := regexp.Compile(part); err != nil {
				where := fmt.Sprintf("level %d", j+1)
				if len(alts) > 1 {
					where = fmt.Sprintf("alternative %d, %s", i+1, where)
				}
				return fmt.Errorf("%s (%q): %w", where, part, err)
			}
		}
	}
	return nil
}

// listRegexp returns the -test.list regexp for the user's -test.bench
// regexp: the top-level benchmarks any alternative may select.
func listRegexp(userRe string) string {
	var tops []string
	for _, alt := range splitAlternatives(userRe) {
		tops = append(tops, alt[0])
	}
	return strings.Join(tops, "|")
}

// exactRegexp returns the -test.bench regexp that selects exactly the
// benchmark with the given full name (sub-benchmarks separated by slashes).
func exactRegexp(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return strings.Join(parts, "/")
}

// topRegexp returns the -test.bench regexp that runs one top-level
// benchmark and, below it, what the user's regexp selects: the
// alternatives whose first level matches top, each with its first level
// replaced by top exactly.
func topRegexp(top, userRe string) string {
	quoted := "^" + regexp.QuoteMeta(top) + "$"
	var alts []string
	for _, alt := range splitAlternatives(userRe) {
		if ok, err := regexp.MatchString(alt[0], top); err == nil && !ok {
			continue
		}
		alts = append(alts, strings.Join(append([]string{quoted}, alt[1:]...), "/"))
	}
	if len(alts) == 0 { // not listed by listRegexp; run top alone
		return quoted
	}
	return strings.Join(alts, "|")
}

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

// parseOutput returns the result lines and the file-level config lines
// ("goos: linux", "cpu: ...", but not "pkg:") of a test binary's output.
func parseOutput(out []byte, procs int) (results []resultLine, config []string) {
	for _, line := range strings.Split(string(out), "\n") {
		if r, ok := parseResultLine(line, procs); ok {
			results = append(results, r)
			continue
		}
		if len(results) == 0 && isConfigLine(line) && !strings.HasPrefix(line, "pkg:") {
			config = append(config, strings.TrimRight(line, " \t\r"))
		}
	}
	return results, config
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
