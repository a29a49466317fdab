package mage

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perftrack/perftrack/mage/results"
)

// TestConsumer runs the targets the way another repository uses them: its
// own magefile imports this package with //mage:import perf and sets
// Options in init() (testdata/consumer, with a replace to this
// repository), and `go tool mage` runs there.
func TestConsumer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the consumer's magefile")
	}
	dir := filepath.Join("testdata", "consumer")
	tmp := t.TempDir()
	env := append(os.Environ(),
		"PERF_RESULTS="+filepath.Join(tmp, "results"),
		"PERF_DOCS="+filepath.Join(tmp, "docs"),
		"PERF_SITE="+filepath.Join(tmp, "site"),
		"PERF_QUICK=1",
		"PERF_BENCHTIME=5ms",
		"PERF_EXTRA=0",
		"PERF_COUNT=", // the consumer's init() sets Count
	)
	mage := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("go", append([]string{"tool", "mage"}, args...)...)
		cmd.Dir = dir
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go tool mage %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}

	golden(t, "consumer-targets.golden", []byte(mage("-l")))

	goroot := goEnv(t, "GOROOT")
	mage("perf:collect", "old="+goroot+",new="+goroot)
	stamp, err := results.Newest(filepath.Join(tmp, "results"), results.Platform(), "old")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(results.RunFile(filepath.Join(tmp, "results"), results.Platform(), "old", stamp))
	if err != nil {
		t.Fatal(err)
	}
	// Three samples: the Count the consumer's init() set, since PERF_COUNT is unset.
	if n := strings.Count(string(data), "\nBenchmarkSHA256"); n != 3 {
		t.Errorf("%d BenchmarkSHA256 samples, want the consumer's Count of 3:\n%s", n, data)
	}

	out := mage("perf:compare", "old,new")
	for _, want := range []string{"SHA256", "FNV", "after Holm correction"} {
		if !strings.Contains(out, want) {
			t.Errorf("perf:compare output lacks %q:\n%s", want, out)
		}
	}

	mage("perf:export")
	index, err := os.ReadFile(filepath.Join(tmp, "docs", "data", results.Platform(), "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	// The description comes from the consumer's bench/ module (Options.Benchmarks in init()).
	if !strings.Contains(string(index), "hashing 1 KiB with SHA-256") {
		t.Errorf("index.json lacks the consumer's benchmark description:\n%.500s", index)
	}

	mage("perf:site")
	for _, name := range []string{"index.html", "app.js", "style.css", filepath.Join("data", results.Platform(), "index.json")} {
		if _, err := os.Stat(filepath.Join(tmp, "site", name)); err != nil {
			t.Errorf("perf:site: %v", err)
		}
	}
}
