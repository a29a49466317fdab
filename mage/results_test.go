package mage

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/magefile/mage/mg"

	"github.com/perftrack/perftrack/mage/results"
)

func TestResultsList(t *testing.T) {
	root := emptyRunTree(t)
	dir := filepath.Join(root, results.Platform())
	writeFile(t, filepath.Join(dir, "go1.27.3", "saved.txt"), corpusFile(t, "new.txt"), time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC))
	writeFile(t, filepath.Join(dir, "go1.27.3", "README.txt"), "notes\n", time.Time{})
	var stdout, stderr bytes.Buffer
	if err := listRuns(&stdout, &stderr, root); err != nil {
		t.Fatal(err)
	}
	p := results.Platform()
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		got = append(got, strings.Join(strings.Fields(l), " "))
	}
	want := []string{
		"PLATFORM TOOLCHAIN RUN SAMPLES STATUS WITH",
		p + " go1.26.8 " + goodStamp + " 80 complete interleaved with go1.27.3",
		p + " go1.26.8 " + emptyStamp + " 0 empty interleaved with go1.27.3",
		p + " go1.27.3 " + goodStamp + " 73 complete interleaved with go1.26.8",
		p + " go1.27.3 " + emptyStamp + " 0 (no file) empty interleaved with go1.26.8",
		p + " go1.27.3 saved.txt 73 no manifest",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("results:list printed\n%s\nwant (spacing aside)\n%s", stdout.String(), strings.Join(want, "\n"))
	}
	if w := "warning: skipping " + filepath.Join(dir, "go1.27.3", "README.txt") + ": not in Go benchmark format"; !strings.Contains(stderr.String(), w) {
		t.Errorf("stderr lacks %q:\n%s", w, stderr.String())
	}

	stderr.Reset()
	if err := listRuns(io.Discard, &stderr, t.TempDir()); err != nil || !strings.Contains(stderr.String(), "no runs under") {
		t.Errorf("empty tree: %v, %q", err, stderr.String())
	}
}

func TestResultsRemove(t *testing.T) {
	root := emptyRunTree(t)
	p := results.Platform()
	outside := filepath.Join(filepath.Dir(root), "victim.txt")
	writeFile(t, outside, corpusFile(t, "old.txt"), time.Time{})
	for _, ref := range []string{
		"go1.26.8/" + goodStamp,
		p + "/go1.26.8/" + goodStamp + "/x",
		p + "/../victim.txt",
		"../" + filepath.Base(root) + "/victim.txt",
		p + "/go1.26.8/../../../victim.txt",
		p + "//" + goodStamp,
	} {
		if err := removeRun(io.Discard, root, ref); mg.ExitStatus(err) != 2 {
			t.Errorf("removeRun(%q) = %v (exit %d), want exit 2", ref, err, mg.ExitStatus(err))
		}
	}
	if _, err := os.Stat(outside); err != nil {
		t.Fatalf("a file outside the results root went: %v", err)
	}
	if err := removeRun(io.Discard, root, p+"/go1.26.8/20261101T100000Z"); err == nil || !strings.Contains(err.Error(), "no such run") {
		t.Errorf("removing a missing run: %v", err)
	}

	var out bytes.Buffer
	if err := removeRun(&out, root, p+"/go1.26.8/"+goodStamp); err != nil {
		t.Fatal(err)
	}
	if want := "removed " + results.RunFile(root, p, "go1.26.8", goodStamp) + "\n"; out.String() != want {
		t.Errorf("printed %q, want %q (go1.27.3's file keeps the manifest)", out.String(), want)
	}
	out.Reset()
	if err := removeRun(&out, root, p+"/go1.27.3/"+goodStamp); err != nil {
		t.Fatal(err)
	}
	m := results.ManifestFile(root, p, goodStamp)
	if !strings.Contains(out.String(), "removed "+m+"\n") {
		t.Errorf("printed %q, want the manifest %s removed with the run's last file", out.String(), m)
	}
	if _, err := os.Stat(m); err == nil {
		t.Errorf("%s is still there", m)
	}
}
