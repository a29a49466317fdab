package collect

import (
	"slices"
	"strings"
	"testing"
)

func TestSplitRegexp(t *testing.T) {
	for re, want := range map[string][]string{
		".":               {"."},
		"A/B":             {"A", "B"},
		"A/(x/y)":         {"A", "(x/y)"},
		"A[/]B/C":         {"A[/]B", "C"},
		`A\/B/C`:          {`A\/B`, "C"},
		"^Fib$/n=10/":     {"^Fib$", "n=10", ""},
		"(a|b)/[^/]+/end": {"(a|b)", "[^/]+", "end"},
	} {
		if got := splitRegexp(re); !slices.Equal(got, want) {
			t.Errorf("splitRegexp(%q) = %q, want %q", re, got, want)
		}
	}
}

func TestSplitAlternatives(t *testing.T) {
	for _, tt := range []struct {
		re   string
		want [][]string
		list string
	}{
		{".", [][]string{{"."}}, "."},
		{"Fast|Sub/n=1", [][]string{{"Fast"}, {"Sub", "n=1"}}, "Fast|Sub"},
		{"Sub/n=1|n=2", [][]string{{"Sub", "n=1"}, {"n=2"}}, "Sub|n=2"},
		{"(a|b)/x", [][]string{{"(a|b)", "x"}}, "(a|b)"},
		{"[|]/x|y", [][]string{{"[|]", "x"}, {"y"}}, "[|]|y"},
		{`a\|b`, [][]string{{`a\|b`}}, `a\|b`},
		{"|x", [][]string{{""}, {"x"}}, "|x"},
	} {
		got := splitAlternatives(tt.re)
		if !slices.EqualFunc(got, tt.want, slices.Equal) {
			t.Errorf("splitAlternatives(%q) = %q, want %q", tt.re, got, tt.want)
		}
		if got := listRegexp(tt.re); got != tt.list {
			t.Errorf("listRegexp(%q) = %q, want %q", tt.re, got, tt.list)
		}
	}
}

func TestRegexps(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{ExactRegexp("BenchmarkFast"), "^BenchmarkFast$"},
		{ExactRegexp("BenchmarkSub/n=1"), "^BenchmarkSub$/^n=1$"},
		{ExactRegexp("BenchmarkX/a.b(c)"), `^BenchmarkX$/^a\.b\(c\)$`},
		{topRegexp("BenchmarkSub", "."), "^BenchmarkSub$"},
		{topRegexp("BenchmarkSub", "Sub/n=1"), "^BenchmarkSub$/n=1"},
		{topRegexp("BenchmarkFast", "Fast|Sub/n=1"), "^BenchmarkFast$"},
		{topRegexp("BenchmarkSub", "Fast|Sub/n=1"), "^BenchmarkSub$/n=1"},
		{topRegexp("BenchmarkSub", "Sub/n=1|Sub/n=2"), "^BenchmarkSub$/n=1|^BenchmarkSub$/n=2"},
		{topRegexp("BenchmarkSub", "Sub/n=1|Sub"), "^BenchmarkSub$/n=1|^BenchmarkSub$"},
		{topRegexp("BenchmarkX", "Y"), "^BenchmarkX$"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestNoise(t *testing.T) {
	if noisy(map[string]float64{"a": 0.05, "b": 0.10}, 0.10) {
		t.Error("noisy at exactly the limit")
	}
	if !noisy(map[string]float64{"a": 0.01, "b": 0.11}, 0.10) {
		t.Error("not noisy when one toolchain is above the limit")
	}
}

func TestCheckBench(t *testing.T) {
	for re, want := range map[string]string{
		"":                "",
		".":               "",
		"Fast|Sub/n=1":    "",
		"A/(x|y)/[/]":     "", // split at neither the | nor the / inside
		"(":               `level 1 ("(")`,
		"Fast|Sub/(":      `alternative 2, level 2 ("(")`,
		"A/*":             `level 2 ("*")`,
		"Fast|[":          `alternative 2, level 1 ("[")`,
		`A\/(`:            `level 1 ("A\\/(")`, // an escaped slash does not split
		"BenchmarkX/a)|b": `level 2 ("a)")`,
	} {
		err := CheckBench(re)
		switch {
		case want == "" && err != nil:
			t.Errorf("CheckBench(%q) = %v", re, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("CheckBench(%q) = %v, want an error with %s", re, err, want)
		}
	}
}
