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
		{exactRegexp("BenchmarkFast"), "^BenchmarkFast$"},
		{exactRegexp("BenchmarkSub/n=1"), "^BenchmarkSub$/^n=1$"},
		{exactRegexp("BenchmarkX/a.b(c)"), `^BenchmarkX$/^a\.b\(c\)$`},
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

func TestParseResultLine(t *testing.T) {
	for _, tt := range []struct {
		line  string
		procs int
		want  resultLine
		ok    bool
	}{
		{"BenchmarkX-8   \t 1000\t 1234 ns/op\t 64 B/op\t 1 allocs/op", 8,
			resultLine{"BenchmarkX", 1000, 1234, "BenchmarkX-8   \t 1000\t 1234 ns/op\t 64 B/op\t 1 allocs/op"}, true},
		{"BenchmarkX/n=10-2 5 0.48 ns/op", 2, resultLine{"BenchmarkX/n=10", 5, 0.48, "BenchmarkX/n=10-2 5 0.48 ns/op"}, true},
		{"BenchmarkSize-8 5 10 ns/op", 1, resultLine{"BenchmarkSize-8", 5, 10, "BenchmarkSize-8 5 10 ns/op"}, true},
		{"BenchmarkX-8 5 10 ns/op 3.5 MB/s", 8, resultLine{"BenchmarkX", 5, 10, "BenchmarkX-8 5 10 ns/op 3.5 MB/s"}, true},
		{"BenchmarkX-8 5 10 B/op", 8, resultLine{}, false},    // no ns/op
		{"BenchmarkX-8 abc 10 ns/op", 8, resultLine{}, false}, // bad iterations
		{"BenchmarkX-8 5 10 ns/o", 8, resultLine{}, false},    // cut off
		{"BenchmarkX-8 5 10 ns/op 3", 8, resultLine{}, false}, // odd fields
		{"--- FAIL: BenchmarkX", 8, resultLine{}, false},
		{"goos: linux", 8, resultLine{}, false},
	} {
		got, ok := parseResultLine(tt.line, tt.procs)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parseResultLine(%q, %d) = %+v, %v; want %+v, %v", tt.line, tt.procs, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseOutput(t *testing.T) {
	out := "goos: linux\ngoarch: amd64\npkg: example.com/m\ncpu: AMD EPYC\nBenchmarkA-2 10 5 ns/op\nnote: not config\nPASS\n"
	res, config := parseOutput([]byte(out), 2)
	if len(res) != 1 || res[0].Name != "BenchmarkA" {
		t.Errorf("results = %+v", res)
	}
	if want := []string{"goos: linux", "goarch: amd64", "cpu: AMD EPYC"}; !slices.Equal(config, want) {
		t.Errorf("config = %q, want %q", config, want)
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
