package mage

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
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

func TestResolveSpecs(t *testing.T) {
	const s1, s2 = "20261101T100000Z", "20261102T100000Z"
	root := resultsTree(t, map[string][]string{
		"go1.26.8": {s1}, "go1.27.1": {s1, s2}, "go1.27.3": {s1, s2}, "go1.28rc1": {s1},
		"mybuild": {s2}, "go1.25.0": nil,
	})
	if err := os.MkdirAll(filepath.Join(root, results.Platform(), "go1.25.0"), 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(root, "a.txt")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	goroot := t.TempDir()
	local := func(context.Context) (string, error) { return "go1.26.8", nil }
	run := func(name, stamp string) string {
		return name + "=" + results.RunFile(root, results.Platform(), name, stamp)
	}
	for _, tc := range []struct {
		specs string
		want  []string
		err   string
	}{
		{specs: "1.26.8,go1.27.3", want: []string{run("go1.26.8", s1), run("go1.27.3", s2)}},
		{specs: "local, 1.27", want: []string{run("go1.26.8", s1), run("go1.27.3", s2)}},
		{specs: "go1.28rc1,mybuild", want: []string{run("go1.28rc1", s1), run("mybuild", s2)}},
		{specs: "mybuild=" + goroot, want: []string{run("mybuild", s2)}},
		{specs: "old=" + file + "," + file, want: []string{"old=" + file, file}},
		{specs: "1.25", err: "no results for any go1.25.x"},
		{specs: "local,1.26.8", err: `specs "local" and "1.26.8" both name the results of go1.26.8`},
		{specs: "1.25.0", err: "no results for go1.25.0"},
		{specs: "1.24", err: "no results for any go1.24.x"},
		{specs: "other", err: "no results for other"},
		{specs: "1.26.8,", err: "empty spec"},
		{specs: "x=" + filepath.Join(root, "missing.txt"), err: "no such file"},
		{specs: "../x", err: "no such file"},
		{specs: ".x", err: "not a file, a Go version or a label"},
	} {
		got, err := resolveSpecs(context.Background(), tc.specs, root, results.Platform(), local)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("resolveSpecs(%q) = %v, %v; want error containing %q", tc.specs, got, err, tc.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("resolveSpecs(%q) = %v, %v; want %v", tc.specs, got, err, tc.want)
		}
	}
}

func TestCompareExitCodes(t *testing.T) {
	corpus := func(name string) string { return filepath.Join("stats", "testdata", "corpus", name) }
	empty := filepath.Join(t.TempDir(), "empty.txt")
	if err := os.WriteFile(empty, []byte("PASS\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	local := func(context.Context) (string, error) { return "go1.26.8", nil }
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

func TestLocalName(t *testing.T) {
	v, err := localName(context.Background())
	if err != nil || v != runtime.Version() {
		t.Errorf("localName = %q, %v; want %s, the go that runs the tests", v, err, runtime.Version())
	}
}
