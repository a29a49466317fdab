package mage

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/magefile/mage/mg"

	"github.com/perftrack/perftrack/mage/results"
)

// resultsTree writes a results tree with the given run files (name ->
// stamps) for this platform and returns its root.
func resultsTree(t *testing.T, runs map[string][]string) string {
	t.Helper()
	root := t.TempDir()
	data, err := os.ReadFile(filepath.Join("stats", "testdata", "corpus", "old.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for name, stamps := range runs {
		for _, stamp := range stamps {
			p := results.RunFile(root, results.Platform(), name, stamp)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return root
}

func TestCompareExitCodes(t *testing.T) {
	corpus := func(name string) string { return filepath.Join("stats", "testdata", "corpus", name) }
	empty := filepath.Join(t.TempDir(), "empty.txt")
	if err := os.WriteFile(empty, []byte("PASS\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	local := func(context.Context) (string, error) { return "go1.26.8", nil }
	write := func(name, data string) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	few := "BenchmarkA 10 100 ns/op\nBenchmarkB 10 100 ns/op\nBenchmarkA 10 101 ns/op\nBenchmarkB 10 101 ns/op\n"
	fewOld, fewNew := write("few-old.txt", few), write("few-new.txt", strings.ReplaceAll(few, "10 10", "10 30"))
	commitA, commitB := write("a.txt", "commit: abc\n"+few), write("b.txt", "commit: def\n"+few)
	for _, tc := range []struct {
		name   string
		specs  string
		s      Settings
		code   int
		stdout string // a substring; "" means nothing printed
		stderr string
		isJSON bool
	}{
		{name: "pass", specs: "old=" + corpus("old.txt") + ",new=" + corpus("new.txt"), s: Settings{FailOn: 4},
			code: 0, stdout: "PASS: no change worse than 400%"},
		{name: "gate", specs: "old=" + corpus("old.txt") + ",new=" + corpus("new.txt"), s: Settings{FailOn: 0.05},
			code: 1, stdout: "FAIL: 5 changes worse than 5%"},
		{name: "gate-json", specs: corpus("old.txt") + "," + corpus("new.txt"), s: Settings{FailOn: 0.05, Format: "json"},
			code: 1, stdout: `"failed": true`, isJSON: true},
		{name: "markdown", specs: corpus("old.txt") + "," + corpus("new.txt"), s: Settings{Format: "markdown"},
			code: 0, stdout: "| benchmark |"},
		{name: "csv", specs: corpus("old.txt") + "," + corpus("third.txt"), s: Settings{Format: "csv", Alpha: 0.2},
			code: 0, stdout: ",sec/op,CI,vs base,P", stderr: "need >= 6 samples"},
		{name: "syntax error", specs: corpus("old.txt") + "," + corpus("bad.txt"), code: 0,
			stdout: "geomean", stderr: "bad.txt:1: parsing iteration count: invalid syntax"},
		{name: "missing file", specs: "old=" + corpus("old.txt") + ",new=" + corpus("nope.txt"), code: 2},
		{name: "no results", specs: corpus("old.txt") + "," + empty, code: 2},
		{name: "no toolchain results", specs: "1.27.3", code: 2},
		// A gate that cannot fire is an error, after the report.
		{name: "gate blind", specs: fewOld + "," + fewNew, s: Settings{FailOn: 0.05}, code: 2,
			stdout: "ERROR: the gate cannot fire: sec/op: n=2: no change can be significant over 2 tests; PERF_COUNT>=5 can"},
		{name: "nothing compared", specs: commitA + "," + commitB, s: Settings{FailOn: 0.05}, code: 2,
			stdout: "nothing was compared"},
		{name: "no gate, blind", specs: fewOld + "," + fewNew, code: 0, stdout: "PERF_COUNT>=5 can"},
		{name: "filter", specs: corpus("old.txt") + "," + corpus("new.txt"), s: Settings{Filter: ".unit:B/op", Confidence: 0.9},
			code: 0, stdout: "at 90% confidence"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.s.withDefaults(t.TempDir())
			s.Results = t.TempDir()
			var stdout, stderr bytes.Buffer
			err := compare(context.Background(), &stdout, &stderr, tc.specs, s, local)
			if got := mg.ExitStatus(err); got != tc.code {
				t.Fatalf("exit code %d (%v), want %d", got, err, tc.code)
			}
			if tc.stdout == "" && stdout.Len() > 0 {
				t.Errorf("stdout not empty on error:\n%s", stdout.String())
			}
			if !strings.Contains(stdout.String(), tc.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tc.stdout, stdout.String())
			}
			if !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, stderr.String())
			}
			if tc.isJSON && !json.Valid(stdout.Bytes()) {
				t.Errorf("stdout is not JSON")
			}
		})
	}
}

// failingWriter fails every write, as a closed pipe does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

func TestCompareWriteError(t *testing.T) {
	specs := filepath.Join("stats", "testdata", "corpus", "old.txt") + "," + filepath.Join("stats", "testdata", "corpus", "new.txt")
	for _, format := range []string{"text", "markdown", "csv", "json"} {
		s := Settings{Format: format}.withDefaults(t.TempDir())
		err := compare(context.Background(), failingWriter{}, io.Discard, specs, s, nil)
		if mg.ExitStatus(err) != 2 || !strings.Contains(err.Error(), "writing the report") {
			t.Errorf("%s: %v (exit %d), want exit 2 naming the write", format, err, mg.ExitStatus(err))
		}
	}
}

// TestCompareRunInfo: compare reads the run manifest beside the result
// files, so a verdict on one interleaved run says so, and repeats the
// run's failed checks.
func TestCompareRunInfo(t *testing.T) {
	const stamp = "20261203T100000Z"
	root := resultsTree(t, map[string][]string{"go1.26.8": {stamp}, "go1.27.3": {stamp, "20261203T120000Z"}})
	rounds := make([]int, 20)
	for i := range rounds {
		rounds[i] = i
	}
	m := results.Manifest{Stamp: stamp, Platform: results.Platform(),
		Toolchains: []results.ToolchainRecord{{Name: "go1.26.8"}, {Name: "go1.27.3"}},
		Benchmarks: []results.BenchmarkRecord{{Pkg: "github.com/perftrack/perftrack/mage/stats/testdata/benchprog", Name: "BenchmarkFib/n=10",
			Rounds: map[string][]int{"go1.26.8": rounds, "go1.27.3": rounds}}},
		Checks:  []results.Check{{Name: "load", Status: results.CheckFailed, Detail: "1-minute load 5.10 on 2 cores (want < 1.00)"}},
		Machine: results.Machine{GOMAXPROCS: 2}}
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(results.ManifestFile(root, results.Platform(), stamp), data, 0o644); err != nil {
		t.Fatal(err)
	}
	s := Settings{Results: root}.withDefaults(t.TempDir())
	one := "go1.26.8=" + results.RunFile(root, results.Platform(), "go1.26.8", stamp) + ",go1.27.3=" + results.RunFile(root, results.Platform(), "go1.27.3", stamp)
	var out bytes.Buffer
	if err := compare(context.Background(), &out, io.Discard, one, s, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "warning: failed system check (run "+results.Platform()+"/"+stamp+"): load: 1-minute load 5.10") ||
		strings.Contains(out.String(), "interleaved") {
		t.Errorf("one run with a failed check:\n%s", out.String())
	}
	// Fib/n=10 has its rounds recorded: it is compared pair by pair.
	if !strings.Contains(out.String(), "sec/op: 0 significant at alpha=0.05, 0 after Holm correction over 6 tests (1 paired by round, 5 unpaired)") {
		t.Errorf("the recorded rounds did not pair Fib/n=10:\n%s", out.String())
	}
	// Track hands compare the run itself: its files, described by its
	// manifest; a toolchain with no sample (no file) is left out.
	m.Toolchains = []results.ToolchainRecord{
		{Name: "go1.26.8", File: results.Platform() + "/go1.26.8/" + stamp + ".txt"},
		{Name: "go1.27.3", File: results.Platform() + "/go1.27.3/" + stamp + ".txt"},
		{Name: "tip", File: results.Platform() + "/tip/" + stamp + ".txt"},
	}
	out.Reset()
	if err := compareRun(&out, io.Discard, root, &m, s); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "(1 paired by round, 5 unpaired)") || strings.Contains(out.String(), "tip") {
		t.Errorf("compareRun:\n%s", out.String())
	}
	// The newest run of go1.27.3 has no manifest: not one run with go1.26.8's.
	out.Reset()
	if err := compare(context.Background(), &out, io.Discard, "1.26.8,1.27.3", s, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "not one interleaved run") {
		t.Errorf("two runs not reported as such:\n%s", out.String())
	}
}

func TestLocalName(t *testing.T) {
	v, err := localName(context.Background())
	if err != nil || v != runtime.Version() {
		t.Errorf("localName = %q, %v; want %s, the go that runs the tests", v, err, runtime.Version())
	}
}
