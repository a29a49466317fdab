package specs

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/perftrack/perftrack/mage/results"
)

// resultsTree writes a results tree with the given run files (name ->
// stamps) for this platform and returns its root.
func resultsTree(t *testing.T, runs map[string][]string) string {
	t.Helper()
	root := t.TempDir()
	data, err := os.ReadFile(filepath.Join("..", "..", "stats", "testdata", "corpus", "old.txt"))
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
		got, err := Resolve(context.Background(), io.Discard, tc.specs, root, results.Platform(), local)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Resolve(%q) = %v, %v; want error containing %q", tc.specs, got, err, tc.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("Resolve(%q) = %v, %v; want %v", tc.specs, got, err, tc.want)
		}
	}
}
