package results

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// sample is a result file with one result line.
const sample = "goos: linux\ngoarch: amd64\npkg: example.com/m\nBenchmarkA-8 \t1000\t15.9 ns/op\n"

// write writes data to p, creating its directory, and sets its
// modification time to mtime unless it is zero.
func write(t *testing.T, p, data string, mtime time.Time) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	if !mtime.IsZero() {
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLayout(t *testing.T) {
	root := t.TempDir()
	t1 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	t2 := t1.Add(time.Hour)
	write(t, RunFile(root, "linux-amd64", "go1.27.3", Stamp(t2)), sample, time.Time{})
	write(t, RunFile(root, "linux-amd64", "go1.27.3", Stamp(t1)), sample, time.Time{})
	write(t, ManifestFile(root, "linux-amd64", Stamp(t1)), "{}", time.Time{})
	write(t, RunFile(root, "darwin-arm64", "tip", Stamp(t1)), sample, time.Time{})
	write(t, filepath.Join(root, ".hidden", "x"), "", time.Time{})

	if got, _ := Platforms(root); !slices.Equal(got, []string{"darwin-arm64", "linux-amd64"}) {
		t.Errorf("Platforms = %v", got)
	}
	if got, _ := Names(root, "linux-amd64"); !slices.Equal(got, []string{"go1.27.3"}) {
		t.Errorf("Names = %v", got)
	}
	runs, warnings, err := Runs(root, "linux-amd64", "go1.27.3")
	if err != nil || len(warnings) != 0 {
		t.Fatalf("Runs: %v, warnings %v", err, warnings)
	}
	if got := ids(runs); !slices.Equal(got, []string{"20261101T100000Z", "20261101T110000Z"}) {
		t.Errorf("Runs = %v", got)
	}
	if runs[0].Manifest != ManifestFile(root, "linux-amd64", Stamp(t1)) || runs[1].Manifest != "" {
		t.Errorf("manifests %q, %q; want only the first run's", runs[0].Manifest, runs[1].Manifest)
	}
	if !runs[0].Time.Equal(t1) || runs[0].Samples != 1 {
		t.Errorf("first run: time %v, %d samples; want %v and 1", runs[0].Time, runs[0].Samples, t1)
	}
	if got, err := Newest(root, "linux-amd64", "go1.27.3"); err != nil || got != "20261101T110000Z" {
		t.Errorf("Newest = %v, %v", got, err)
	}
	if _, err := Newest(root, "linux-amd64", "go1.20"); !errors.Is(err, ErrNoResults) {
		t.Errorf("Newest of missing = %v, want ErrNoResults", err)
	}
	if got, err := Platforms(filepath.Join(root, "missing")); err != nil || got != nil {
		t.Errorf("Platforms of missing root = %v, %v", got, err)
	}
}

func ids(runs []Run) []string {
	var s []string
	for _, r := range runs {
		s = append(s, r.ID())
	}
	return s
}

// TestScriptTree reads a tree as the shell scripts perftrack replaces
// wrote it: the same layout, their own file names, a README, no
// manifests. Every benchmark file is a run, ordered by modification time;
// the README is a warning.
func TestScriptTree(t *testing.T) {
	root := t.TempDir()
	day := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	dir := filepath.Join(root, "linux-amd64")
	write(t, filepath.Join(dir, "go1.26.8", "go1.26.8_2026-11-29_10-00-00.txt"), sample, day)
	write(t, filepath.Join(dir, "go1.26.8", "bench.txt"), sample+sample, day.Add(-24*time.Hour))
	write(t, filepath.Join(dir, "go1.26.8", "README.txt"), "Results of collect-stable.sh.\nOne file per run.\n", day.Add(time.Hour))
	write(t, filepath.Join(dir, "go1.27.3", "go1.27.3_2026-11-29_10-00-00.txt"), sample, day)
	write(t, filepath.Join(dir, "go1.27.3", "go1.27.3_2026-11-30_10-00-00.txt"), sample, day.Add(24*time.Hour))

	runs, warnings, err := Runs(root, "linux-amd64", "go1.26.8")
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(runs); !slices.Equal(got, []string{"bench.txt", "go1.26.8_2026-11-29_10-00-00.txt"}) {
		t.Errorf("runs of go1.26.8 = %v, want bench.txt (older), then the other", got)
	}
	readme := filepath.Join(dir, "go1.26.8", "README.txt")
	if len(warnings) != 1 || !containsAll(warnings[0].Error(), readme, "not in Go benchmark format") {
		t.Errorf("warnings = %v, want one naming %s", warnings, readme)
	}
	if runs[0].Samples != 2 || runs[0].Stamp != "" || runs[0].Status() != StatusNoManifest {
		t.Errorf("bench.txt: %+v, status %s", runs[0], runs[0].Status())
	}
	for name, want := range map[string]string{"go1.26.8": "go1.26.8_2026-11-29_10-00-00.txt", "go1.27.3": "go1.27.3_2026-11-30_10-00-00.txt"} {
		r, _, err := NewestRun(root, "linux-amd64", name)
		if err != nil || filepath.Base(r.File) != want {
			t.Errorf("NewestRun(%s) = %s, %v; want %s", name, r.File, err, want)
		}
	}
	if _, err := Newest(root, "linux-amd64", "go1.27.3"); !errors.Is(err, ErrNoResults) {
		t.Errorf("Newest of a run without a stamp: %v, want ErrNoResults", err)
	}
}

// TestSavedOutput: go test -bench output saved by hand, PASS and ok lines
// included, is a run whatever its name; a log without result lines is not.
func TestSavedOutput(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "linux-amd64", "go1.26.8")
	saved := `goos: linux
goarch: amd64
pkg: example.com/m/codec
cpu: AMD EPYC 7B13
BenchmarkEncode/size=1KB-8         	  523411	      2281 ns/op	 448.91 MB/s	    1024 B/op	       1 allocs/op
BenchmarkEncode/size=1KB-8         	  530012	      2275 ns/op	 450.10 MB/s	    1024 B/op	       1 allocs/op
BenchmarkDecode-8                  	 1000000	      1042 ns/op
PASS
ok  	example.com/m/codec	4.512s
`
	write(t, filepath.Join(dir, "out"), saved, time.Time{})
	write(t, filepath.Join(dir, "build.log"), "go: downloading example.com/x v1.0.0\nFAIL\texample.com/m [build failed]\n", time.Time{})
	write(t, filepath.Join(dir, "garbled.txt"), "BenchmarkX-8 notanumber 12 ns/op\n", time.Time{})
	write(t, filepath.Join(dir, "notes.json"), "{}", time.Time{})
	write(t, filepath.Join(dir, ".keep"), "", time.Time{})
	if err := os.Mkdir(filepath.Join(dir, "old"), 0o755); err != nil {
		t.Fatal(err)
	}
	runs, warnings, err := Runs(root, "linux-amd64", "go1.26.8")
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].ID() != "out" || runs[0].Samples != 3 {
		t.Errorf("runs = %+v, want out with 3 samples", runs)
	}
	var got []string
	for _, w := range warnings {
		got = append(got, w.Error())
	}
	want := []string{
		"skipping " + filepath.Join(dir, "build.log") + ": not in Go benchmark format (no benchmark result line)",
		"skipping " + filepath.Join(dir, "garbled.txt") + ": not in Go benchmark format (no benchmark result line)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("warnings =\n%q\nwant\n%q", got, want)
	}
}

func TestRunsUnreadable(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "linux-amd64", "go1.26.8")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "20261101T100000Z.txt")
	if err := os.Symlink("missing", link); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Runs(root, "linux-amd64", "go1.26.8"); err == nil || !containsAll(err.Error(), link) {
		t.Errorf("Runs with a dangling link = %v, want an error naming %s", err, link)
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

func TestCheckName(t *testing.T) {
	for name, ok := range map[string]bool{
		"go1.27.3": true, "tip-2026": true, "my_build": true,
		"": false, ".": false, "..": false, ".x": false, "a/b": false, `a\b`: false,
		// A stamp names a run's own directory (profiles, explanation).
		"20261203T100000Z": false, "20261203T100000Z-mine": true,
	} {
		if err := CheckName(name); (err == nil) != ok {
			t.Errorf("CheckName(%q) = %v, want ok=%v", name, err, ok)
		}
	}
}
