package mage

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestTargetName names a target under the namespace the running one was
// typed with.
func TestTargetName(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"/tmp/mage-bin", "track", "local,1.27"}, "serve"},
		{[]string{"/tmp/mage-bin", "perf:track", "local,1.27"}, "perf:serve"},
		{[]string{"/tmp/mage-bin", "Perf:Track", "local"}, "Perf:serve"},
		{[]string{"/tmp/mage-bin", "ci:perf:track", "local"}, "ci:perf:serve"},
		{[]string{"/tmp/mage-bin", "-v", "perf:track", "local"}, "perf:serve"},
		// Not the target: a name that only ends like it, an alias, no args.
		{[]string{"/tmp/mage-bin", "backtrack", "local"}, "serve"},
		{[]string{"/tmp/mage-bin", "t", "local"}, "serve"},
		{[]string{"/tmp/mage-bin"}, "serve"},
		{nil, "serve"},
	} {
		if got := targetName(c.args, "track", "serve"); got != c.want {
			t.Errorf("targetName(%q) = %q, want %q", c.args, got, c.want)
		}
	}
}

// TestWritePaths prints absolute paths, relative ones taken from the
// working directory, one NAME=path a line.
func TestWritePaths(t *testing.T) {
	s := Settings{Benchmarks: "bench", Results: "/r/stable", Docs: "docs", Site: "_site", SDK: "/home/u/sdk"}
	var b bytes.Buffer
	if err := writePaths(&b, s); err != nil {
		t.Fatal(err)
	}
	wd, _ := filepath.Abs(".")
	want := strings.Join([]string{
		"PERF_BENCHMARKS=" + filepath.Join(wd, "bench"),
		"PERF_RESULTS=" + filepath.Clean("/r/stable"),
		"PERF_DOCS=" + filepath.Join(wd, "docs"),
		"PERF_SITE=" + filepath.Join(wd, "_site"),
		"PERF_SDK=" + filepath.Clean("/home/u/sdk"),
	}, "\n") + "\n"
	if b.String() != want {
		t.Errorf("writePaths:\n%s\nwant:\n%s", b.String(), want)
	}
}
