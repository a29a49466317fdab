package collect

import (
	"github.com/perftrack/perftrack/mage/toolchain"

	"github.com/perftrack/perftrack/mage/results"

	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofrs/flock"
)

func TestResultFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "linux-amd64", "a", "x.txt")
	w, err := createResultFile(path, []string{"goos: linux", "toolchain: go1.26.8"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := createResultFile(path, nil); err == nil {
		t.Error("createResultFile over an existing file: no error")
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.appendSample("p/one", "BenchmarkA-2 10 5 ns/op"))
	must(w.appendSample("p/one", "BenchmarkB-2 10 7 ns/op 8 B/op 1 allocs/op"))
	must(w.appendSample("p/two", "BenchmarkA-2 10 6 ns/op"))
	must(w.Close())

	// A crash in the middle of a write leaves a line without a newline.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	must(err)
	_, err = f.WriteString("BenchmarkB-2 10 9 ns/op 8 B/")
	must(err)
	must(f.Close())

	w, err = openResultFile(path)
	must(err)
	must(w.appendSample("p/two", "BenchmarkB-2 10 8 ns/op"))
	must(w.Close())

	b, err := os.ReadFile(path)
	must(err)
	want := "goos: linux\ntoolchain: go1.26.8\npkg: p/one\nBenchmarkA-2 10 5 ns/op\nBenchmarkB-2 10 7 ns/op 8 B/op 1 allocs/op\n" +
		"pkg: p/two\nBenchmarkA-2 10 6 ns/op\npkg: p/two\nBenchmarkB-2 10 8 ns/op\n"
	if string(b) != want {
		t.Errorf("file =\n%s\nwant\n%s", b, want)
	}
	vals, err := readSamples(strings.NewReader(string(b)), 2)
	must(err)
	if len(vals) != 4 || vals[sampleKey{"p/one", "BenchmarkB"}][0] != 7 || vals[sampleKey{"p/two", "BenchmarkB"}][0] != 8 {
		t.Errorf("readSamples = %v", vals)
	}
}

func TestLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "perftrack", "collect.lock")
	first := Holder{PID: 4242, Started: time.Now(), Specs: []string{"go1.27.3", "local"}}
	l, check, err := acquireLock(context.Background(), path, time.Second, first, nil)
	if err != nil {
		t.Fatal(err)
	}
	if check.Status != results.CheckOK {
		t.Errorf("check = %v", check)
	}
	var out strings.Builder
	_, _, err = acquireLock(context.Background(), path, 300*time.Millisecond, Holder{PID: 1}, &out)
	var le *LockedError
	if !errors.As(err, &le) || le.Holder == nil || le.Holder.PID != 4242 {
		t.Fatalf("second acquire: %v, want a LockedError naming pid 4242", err)
	}
	for _, s := range []string{"pid 4242", "go1.27.3,local"} {
		if !strings.Contains(err.Error(), s) || !strings.Contains(out.String(), s) {
			t.Errorf("error %q / output %q do not say %q", err, out.String(), s)
		}
	}

	// A negative timeout does not wait.
	start := time.Now()
	_, _, err = acquireLock(context.Background(), path, -1, Holder{PID: 1}, nil)
	if !errors.As(err, &le) || le.Holder == nil || le.Holder.PID != 4242 || time.Since(start) > lockRetry {
		t.Fatalf("acquire with a negative timeout: %v after %s, want a LockedError at once", err, time.Since(start))
	}

	// Released while a second Collect waits: it gets the lock and says whom it waited for.
	go func() {
		time.Sleep(300 * time.Millisecond)
		l.release()
	}()
	l2, check, err := acquireLock(context.Background(), path, time.Minute, Holder{PID: 7}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(check.Detail, "waited") || !strings.Contains(check.Detail, "4242") {
		t.Errorf("check after waiting = %v", check)
	}
	if h := readHolder(path + ".holder"); h == nil || h.PID != 7 {
		t.Errorf("holder file = %+v, want pid 7", h)
	}
	l2.release()

	// A cancelled ctx stops the wait.
	other := flock.New(path)
	if ok, err := other.TryLock(); !ok || err != nil {
		t.Fatal(ok, err)
	}
	defer other.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := acquireLock(ctx, path, time.Minute, Holder{}, nil); !errors.Is(err, ErrInterrupted) {
		t.Errorf("acquire with a cancelled ctx: %v, want ErrInterrupted", err)
	}
}

// TestCloseFiles checks that the errors of closing the result files are
// returned, not dropped.
func TestCloseFiles(t *testing.T) {
	dir := t.TempDir()
	c := &collector{}
	for _, name := range []string{"a", "b", "c"} {
		f, err := createResultFile(filepath.Join(dir, name+".txt"), []string{"goos: linux"})
		if err != nil {
			t.Fatal(err)
		}
		c.tcs = append(c.tcs, &tcState{Toolchain: toolchain.Toolchain{Name: name}, file: f})
	}
	c.tcs = append(c.tcs, &tcState{Toolchain: toolchain.Toolchain{Name: "none"}}) // built nothing, has no file
	c.tcs[0].file.Close()
	c.tcs[2].file.Close()
	err := c.closeFiles()
	if err == nil || !strings.Contains(err.Error(), "of a:") || strings.Contains(err.Error(), "of b:") || !strings.Contains(err.Error(), "of c:") {
		t.Errorf("closeFiles = %v, want the errors of a and c", err)
	}
}
