package collect

import (
	"fmt"
	"regexp"
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

// ExactRegexp returns the -test.bench regexp that selects exactly the
// benchmark with the given full name (sub-benchmarks separated by
// slashes), as every sample of a run is selected.
func ExactRegexp(name string) string {
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
