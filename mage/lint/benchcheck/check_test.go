package benchcheck_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/perftrack/perftrack/mage/lint/benchcheck"
)

func TestCheckBroken(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("testdata", "broken"))
	if err != nil {
		t.Fatal(err)
	}
	findings, err := benchcheck.Check(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range findings {
		rel, err := filepath.Rel(dir, f.Pos.Filename)
		if err != nil {
			t.Fatal(err)
		}
		msg, _, _ := strings.Cut(f.Message, ",")
		got = append(got, filepath.ToSlash(rel)+":"+strconv.Itoa(f.Pos.Line)+": "+msg)
	}
	want := []string{
		"bench/bench.go:9: benchmark loop discards every value it computes",
		"bench/bench_test.go:9: benchmark loop discards every value it computes",
		"bench/bench_test.go:14: BenchmarkUndocumented has no doc comment: Export shows its first sentence as the benchmark's description",
		"bench/external_test.go:10: benchmark loop discards every value it computes",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCheckTypeError(t *testing.T) {
	_, err := benchcheck.Check(context.Background(), filepath.Join("testdata", "typeerror"))
	if err == nil || !strings.Contains(err.Error(), "undefined") {
		t.Errorf("Check on a module that does not compile: error %v, want one naming the undefined function", err)
	}
}

func TestCheckEmpty(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/empty\n\ngo 1.23\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	if _, err := benchcheck.Check(context.Background(), dir); err == nil {
		t.Error("Check on a module without packages: no error")
	}
}

// TestCheckSuite runs the analyzer on the real benchmark module, which
// must be clean.
func TestCheckSuite(t *testing.T) {
	findings, err := benchcheck.Check(context.Background(), filepath.Join("..", "..", "..", "benchmarks"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		t.Errorf("benchmarks: %s", f)
	}
}
