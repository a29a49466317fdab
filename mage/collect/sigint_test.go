//go:build unix

package collect

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/perftrack/perftrack/mage/results"
)

// TestSIGINT interrupts a Collect running in a child process, as Ctrl-C
// does, and checks what it leaves behind.
func TestSIGINT(t *testing.T) {
	cfg := testConfig(t)
	tcs := []Toolchain{local(t, "a"), local(t, "b")}
	args, _ := json.Marshal(helperArgs{Dir: cfg.Dir, Results: cfg.Results, LockFile: cfg.LockFile, Pkgs: cfg.Pkgs,
		Count: 1000, Benchtime: cfg.Benchtime, Bench: cfg.Bench, Toolchains: tcs})
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+string(args))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// Its own process group, so that the signal can go to the group as
	// Ctrl-C in a terminal does: the test binary it runs gets it too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() {
		select {
		case <-done:
		default: // the test failed with the helper running
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	}()
	// Wait for finished samples under both toolchains, then Ctrl-C.
	glob := filepath.Join(cfg.Results, results.Platform(), "*", "*.txt")
	for {
		n := 0
		paths, _ := filepath.Glob(glob)
		for _, p := range paths {
			b, _ := os.ReadFile(p)
			n += min(1, bytes.Count(b, []byte("\nBenchmarkFast")))
		}
		if n == 2 {
			break
		}
		select {
		case err := <-done:
			done <- err // for the deferred check
			t.Fatalf("helper exited early (%v):\n%s", err, out.Bytes())
		case <-time.After(20 * time.Millisecond):
		}
	}
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	var err error
	select {
	case err = <-done:
		done <- err
	case <-time.After(time.Minute):
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		done <- <-done // out is complete once Wait returns
		t.Fatalf("helper still running a minute after SIGINT:\n%s", out.Bytes())
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Fatalf("helper: %v, want exit 3 (interrupted)\n%s", err, out.Bytes())
	}
	ms, _ := filepath.Glob(filepath.Join(cfg.Results, results.Platform(), "*.json"))
	if len(ms) != 1 {
		t.Fatalf("manifests: %v", ms)
	}
	m, err := ReadManifest(ms[0])
	if err != nil || m.Status != StatusInterrupted || m.Sessions[0].Samples < 2 || len(m.Failures) > 0 {
		t.Fatalf("manifest: %+v, %v", m, err)
	}
	paths, _ := filepath.Glob(glob)
	var files []string
	total := 0
	for _, p := range paths {
		data, _ := os.ReadFile(p)
		if len(data) == 0 || data[len(data)-1] != '\n' {
			t.Errorf("%s ends in a half-written line", p)
		}
		for _, n := range counts(t, p) {
			total += n
		}
		files = append(files, p)
	}
	if total != m.Sessions[0].Samples {
		t.Errorf("%d samples on disk, manifest says %d", total, m.Sessions[0].Samples)
	}
	if out := benchstat(t, files...); !strings.Contains(out, "Fast-") {
		t.Errorf("benchstat on the interrupted run:\n%s", out)
	}
	if h := readHolder(cfg.LockFile + ".holder"); h != nil {
		t.Errorf("lock holder left behind: %+v", h)
	}
}
