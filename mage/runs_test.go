package mage

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/magefile/mage/mg"

	"github.com/perftrack/perftrack/mage/results"
)

// corpusFile returns the content of a stats corpus file (old.txt has 80
// samples, new.txt 73).
func corpusFile(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("stats", "testdata", "corpus", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// writeFile writes data to p, creating its directory, with modification
// time mtime unless it is zero.
func writeFile(t *testing.T, p, data string, mtime time.Time) {
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

// writeManifest writes the manifest of a run of the named toolchains.
func writeManifest(t *testing.T, root, stamp, status string, names ...string) string {
	t.Helper()
	m := results.Manifest{Stamp: stamp, Platform: results.Platform(), Status: status}
	for _, n := range names {
		m.Toolchains = append(m.Toolchains, results.ToolchainRecord{Name: n})
	}
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	p := results.ManifestFile(root, results.Platform(), stamp)
	writeFile(t, p, string(data), time.Time{})
	return p
}

const (
	goodStamp  = "20261203T100000Z" // an interleaved run of go1.26.8 and go1.27.3
	emptyStamp = "20261204T100000Z" // a newer run that recorded nothing
)

// emptyRunTree writes a results tree whose newest run recorded no sample,
// as an interrupted or filtered-out collect leaves it: a manifest saying
// "empty" and, from collects that write the header first, result files
// without a result line.
func emptyRunTree(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	p := results.Platform()
	writeFile(t, results.RunFile(root, p, "go1.26.8", goodStamp), corpusFile(t, "old.txt"), time.Time{})
	writeFile(t, results.RunFile(root, p, "go1.27.3", goodStamp), corpusFile(t, "new.txt"), time.Time{})
	writeManifest(t, root, goodStamp, results.ManifestFinished, "go1.26.8", "go1.27.3")
	writeFile(t, results.RunFile(root, p, "go1.26.8", emptyStamp), "goos: linux\ngoarch: amd64\n", time.Time{})
	writeManifest(t, root, emptyStamp, results.ManifestEmpty, "go1.26.8", "go1.27.3")
	return root
}

// TestCompareSkipsEmptyRun: a newer run without samples does not hide
// the good one; compare says which run it used and what it skipped.
func TestCompareSkipsEmptyRun(t *testing.T) {
	root := emptyRunTree(t)
	s := Settings{Results: root}.withDefaults(t.TempDir())
	var stdout, stderr bytes.Buffer
	if err := compare(context.Background(), &stdout, &stderr, "1.26.8,1.27.3", s, nil); err != nil {
		t.Fatalf("compare: %v\n%s", err, stderr.String())
	}
	p := results.Platform()
	for _, want := range []string{
		"compare: warning: skipping " + results.RunFile(root, p, "go1.26.8", emptyStamp) + ": no samples\n",
		"compare: go1.26.8: run " + goodStamp + " (" + results.RunFile(root, p, "go1.26.8", goodStamp) + ")\n",
		"compare: go1.27.3: run " + goodStamp + " (" + results.RunFile(root, p, "go1.27.3", goodStamp) + ")\n",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	// Both files are of one run, known from its manifest.
	if strings.Contains(stdout.String(), "not one interleaved run") || !strings.Contains(stdout.String(), "sec/op") {
		t.Errorf("report:\n%s", stdout.String())
	}

	// With only empty runs, compare says there is nothing, and why.
	if err := os.Remove(results.RunFile(root, p, "go1.26.8", goodStamp)); err != nil {
		t.Fatal(err)
	}
	err := compare(context.Background(), io.Discard, io.Discard, "1.26.8,1.27.3", s, nil)
	if mg.ExitStatus(err) != 2 || !strings.Contains(err.Error(), "no results for go1.26.8") || !strings.Contains(err.Error(), "its 1 runs have no samples") {
		t.Errorf("compare of empty runs = %v (exit %d)", err, mg.ExitStatus(err))
	}
}

// scriptTree writes a results tree as the shell scripts perftrack
// replaces left it: version directories with their own file names, a
// README that is not benchmark format, no manifests.
func scriptTree(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, results.Platform())
	day := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	old, cur := corpusFile(t, "old.txt"), corpusFile(t, "new.txt")
	writeFile(t, filepath.Join(dir, "go1.26.8", "go1.26.8_2026-11-28_10-00-00.txt"), cur, day.Add(-24*time.Hour))
	writeFile(t, filepath.Join(dir, "go1.26.8", "go1.26.8_2026-11-29_10-00-00.txt"), old, day)
	writeFile(t, filepath.Join(dir, "go1.26.8", "README.txt"), "Written by collect-stable.sh.\n", day.Add(time.Hour))
	writeFile(t, filepath.Join(dir, "go1.27.3", "bench.txt"), cur, day)
	return root
}

func TestCompareScriptTree(t *testing.T) {
	root := scriptTree(t)
	s := Settings{Results: root}.withDefaults(t.TempDir())
	var stdout, stderr bytes.Buffer
	if err := compare(context.Background(), &stdout, &stderr, "go1.26.8,1.27", s, nil); err != nil {
		t.Fatalf("compare: %v\n%s", err, stderr.String())
	}
	dir := filepath.Join(root, results.Platform())
	for _, want := range []string{
		"compare: warning: skipping " + filepath.Join(dir, "go1.26.8", "README.txt") + ": not in Go benchmark format",
		"compare: go1.26.8: run go1.26.8_2026-11-29_10-00-00.txt (" + filepath.Join(dir, "go1.26.8", "go1.26.8_2026-11-29_10-00-00.txt") + ")\n",
		"compare: go1.27.3: run bench.txt (" + filepath.Join(dir, "go1.27.3", "bench.txt") + ")\n",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	// old.txt against new.txt: the corpus has changes to find.
	if !strings.Contains(stdout.String(), "go1.26.8") || !strings.Contains(stdout.String(), "go1.27.3") || !strings.Contains(stdout.String(), "vs base") {
		t.Errorf("report:\n%s", stdout.String())
	}
}

// TestExportSkipsEmptyRun: export publishes the newest run with samples,
// not the empty run after it.
func TestExportSkipsEmptyRun(t *testing.T) {
	root := emptyRunTree(t)
	s := Settings{Results: root, Docs: filepath.Join(t.TempDir(), "docs"), Benchmarks: filepath.Join("export", "testdata", "benchmarks")}.withDefaults(t.TempDir())
	if err := exportData(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(s.Docs, "data", results.Platform(), "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var idx struct {
		Versions []struct{ Name, Stamp string }
	}
	if err := json.Unmarshal(data, &idx); err != nil {
		t.Fatal(err)
	}
	if len(idx.Versions) != 2 || idx.Versions[0].Stamp != goodStamp || idx.Versions[1].Stamp != goodStamp {
		t.Errorf("exported versions %+v, want go1.26.8 and go1.27.3 of run %s", idx.Versions, goodStamp)
	}
}
