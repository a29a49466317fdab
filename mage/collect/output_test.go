package collect

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"
)

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

func TestParseConfig(t *testing.T) {
	for _, tt := range []struct {
		name, out string
		want      []string
	}{
		{"go test", "goos: linux\ngoarch: amd64\npkg: example.com/m\ncpu: AMD EPYC\nBenchmarkA-2 10 5 ns/op\nnote: not config\nPASS\n",
			[]string{"goos: linux", "goarch: amd64", "cpu: AMD EPYC"}},
		// What a benchmark prints before the testing package's block
		// (its first run, b.N = 1, comes first) is not config.
		{"printed before", "key: injected\ngoos: linux\ngoarch: amd64\ncpu: X\nBenchmarkA 1 1 ns/op\n",
			[]string{"goos: linux", "goarch: amd64", "cpu: X"}},
		{"none", "BenchmarkA 1 1 ns/op\nPASS\n", nil},
	} {
		if got := parseConfig([]byte(tt.out)); !slices.Equal(got, tt.want) {
			t.Errorf("%s: parseConfig = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestListedBenchmarks(t *testing.T) {
	out := "TestA\nBenchmarkA\nBenchmarkB\nExampleC\nBenchmarkInjected 1 1 ns/op\n"
	if got, want := listedBenchmarks([]byte(out)), []string{"BenchmarkA", "BenchmarkB"}; !slices.Equal(got, want) {
		t.Errorf("listedBenchmarks = %q, want %q", got, want)
	}
}

// TestMaxResultLine checks the limit against benchfmt's reader itself:
// the longest line it reads, and one byte more, which stops it.
func TestMaxResultLine(t *testing.T) {
	read := func(n int) (int, error) {
		head := "BenchmarkX 1 1 ns/op 1 "
		line := head + strings.Repeat("u", n-len(head)) + "/op"
		in := "goos: linux\n" + line + "\nBenchmarkY 1 2 ns/op\n"
		r := benchfmt.NewReader(strings.NewReader(in), "f")
		results := 0
		for r.Scan() {
			if _, ok := r.Result().(*benchfmt.Result); ok {
				results++
			}
		}
		return results, r.Err()
	}
	if n, err := read(maxResultLine - 3); n != 2 || err != nil {
		t.Errorf("benchfmt read %d results (%v) with a line of maxResultLine bytes, want 2", n, err)
	}
	if _, err := read(maxResultLine + 1 - 3); err == nil {
		t.Errorf("benchfmt read a line of maxResultLine+1 bytes: the limit is too low")
	}
}

func TestPickResult(t *testing.T) {
	const procs = 4
	long := "BenchmarkA-4 1 1 ns/op 1 " + strings.Repeat("x", maxResultLine) + "/op"
	for _, tt := range []struct {
		name, out string
		want      string // the line picked
		err       string // a fragment of the error
	}{
		{"one", "goos: linux\nBenchmarkA-4 \t 10\t 5 ns/op\nPASS\n", "BenchmarkA-4 \t 10\t 5 ns/op", ""},
		// The benchmark printed a line of another name: ignored.
		{"other name", "BenchmarkInjected 1 1 ns/op\nBenchmarkInjected-4 1 1 ns/op\nBenchmarkA-4 10 5 ns/op\n", "BenchmarkA-4 10 5 ns/op", ""},
		// A sub-benchmark's name is another name.
		{"sub", "BenchmarkA/x-4 1 1 ns/op\nBenchmarkA-4 10 5 ns/op\n", "BenchmarkA-4 10 5 ns/op", ""},
		// The benchmark printed a line of its own name: which is real?
		{"twice", "BenchmarkA-4 1 1 ns/op\nBenchmarkA-4 10 5 ns/op\n", "", "2 result lines for BenchmarkA"},
		{"twice, one without the suffix", "BenchmarkA 1 1 ns/op\nBenchmarkA-4 10 5 ns/op\n", "", "2 result lines for BenchmarkA"},
		{"none", "BenchmarkB-4 10 5 ns/op\nPASS\n", "", "no result line for BenchmarkA"},
		// Output printed between the name and the numbers breaks the line.
		{"broken", "BenchmarkA-4 \thello\n 10 5 ns/op\n", "", "no result line for BenchmarkA"},
		{"too long", long + "\n", "", fmt.Sprintf("result line is %d bytes, longer than the %d bytes benchfmt reads", len(long), maxResultLine)},
	} {
		got, err := pickResult([]byte(tt.out), "BenchmarkA", procs)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: pickResult = %q, %v; want an error with %q", tt.name, got.Line, err, tt.err)
			}
		case err != nil || got.Line != tt.want:
			t.Errorf("%s: pickResult = %q, %v; want %q", tt.name, got.Line, err, tt.want)
		}
	}
}

func TestCalibrationResults(t *testing.T) {
	long := "BenchmarkA/big 1 1 ns/op 1 " + strings.Repeat("x", maxResultLine) + "/op"
	out := strings.Join([]string{
		"BenchmarkInjected 1 1 ns/op", // printed by BenchmarkA: not a benchmark
		"goos: linux",
		"BenchmarkA/n=1 10 5 ns/op",
		"BenchmarkA/n=2 10 6 ns/op",
		"BenchmarkA/n=2 1 1 ns/op", // printed by the benchmark, or the real one?
		"BenchmarkAB 1 1 ns/op",    // another top-level name
		long,
		"BenchmarkA 10 7 ns/op",
		"PASS",
	}, "\n")
	res, failed := calibrationResults([]byte(out), "BenchmarkA", 1)
	var names []string
	for _, r := range res {
		names = append(names, r.Name)
	}
	if want := []string{"BenchmarkA/n=1", "BenchmarkA"}; !slices.Equal(names, want) {
		t.Errorf("calibrated %q, want %q", names, want)
	}
	if err := failed["BenchmarkA/n=2"]; err == nil || !strings.Contains(err.Error(), "2 result lines") {
		t.Errorf("BenchmarkA/n=2 twice: %v", err)
	}
	if err := failed["BenchmarkA/big"]; err == nil || !strings.Contains(err.Error(), "longer than") {
		t.Errorf("BenchmarkA/big: %v", err)
	}
	if len(failed) != 2 {
		t.Errorf("failed = %v", failed)
	}
}
