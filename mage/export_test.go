package mage

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/magefile/mage/mg"
)

func TestExportTarget(t *testing.T) {
	docs := filepath.Join(t.TempDir(), "docs")
	t.Setenv("PERF_RESULTS", filepath.Join("export", "testdata", "results"))
	t.Setenv("PERF_BENCHMARKS", filepath.Join("export", "testdata", "benchmarks"))
	t.Setenv("PERF_DOCS", docs)
	if err := Export(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"platforms.json", "linux-amd64/index.json", "darwin-arm64/go1.27.3.json"} {
		if _, err := os.Stat(filepath.Join(docs, "data", filepath.FromSlash(name))); err != nil {
			t.Error(err)
		}
	}
	t.Setenv("PERF_ALPHA", "2")
	if err := Export(context.Background()); err == nil {
		t.Error("a bad PERF_ALPHA was accepted")
	}
}

// TestExportTargetForeignData runs the target on a docs directory whose
// data/ export did not write (a Hugo site's): it must keep the files and
// fail with exit 2 (not 1, a regression to CI), saying how to proceed.
func TestExportTargetForeignData(t *testing.T) {
	docs := filepath.Join(t.TempDir(), "docs")
	menus := filepath.Join(docs, "data", "menus.yaml")
	if err := os.MkdirAll(filepath.Dir(menus), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(menus, []byte("main: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PERF_RESULTS", filepath.Join("export", "testdata", "results"))
	t.Setenv("PERF_BENCHMARKS", filepath.Join("export", "testdata", "benchmarks"))
	t.Setenv("PERF_DOCS", docs)
	err := Export(context.Background())
	if mg.ExitStatus(err) != 2 || !strings.Contains(err.Error(), "PERF_DOCS") || !strings.Contains(err.Error(), filepath.Join(docs, "data")) {
		t.Errorf("err = %v (exit %d), want exit 2 naming %s and PERF_DOCS", err, mg.ExitStatus(err), filepath.Join(docs, "data"))
	}
	if _, err := os.Stat(menus); err != nil {
		t.Error(err)
	}
}
