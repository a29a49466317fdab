package mage

import (
	"context"
	"os"
	"path/filepath"
	"testing"
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
