//go:build unix

package collect

import (
	"github.com/perftrack/perftrack/mage/toolchain"

	"bytes"
	"context"
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

// helper is a Collect running in a child process, in its own process
// group, so that a signal can go to the group as Ctrl-C in a terminal
// sends it: the test binary it runs gets it too.
type helper struct {
	cmd  *exec.Cmd
	done chan error // Wait's error, put back by whoever takes it
	out  bytes.Buffer
}

// startHelper starts a Collect of a thousand rounds under tcs, and waits
// until it has finished samples under every toolchain.
func startHelper(t *testing.T, cfg Config, tcs []toolchain.Toolchain) *helper {
	t.Helper()
	args, _ := json.Marshal(helperArgs{Dir: cfg.Dir, Results: cfg.Results, LockFile: cfg.LockFile, Pkgs: cfg.Pkgs,
		Count: 1000, Benchtime: cfg.Benchtime, Bench: cfg.Bench, Toolchains: tcs})
	h := &helper{cmd: exec.Command(os.Args[0], "-test.run=^$"), done: make(chan error, 1)}
	h.cmd.Env = append(os.Environ(), helperEnv+"="+string(args))
	h.cmd.Stdout, h.cmd.Stderr = &h.out, &h.out
	h.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := h.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { h.done <- h.cmd.Wait() }()
	t.Cleanup(func() {
		select {
		case <-h.done:
		default: // the test failed with the helper running
			syscall.Kill(-h.cmd.Process.Pid, syscall.SIGKILL)
			<-h.done
		}
	})
	glob := filepath.Join(cfg.Results, results.Platform(), "*", "*.txt")
	for {
		n := 0
		paths, _ := filepath.Glob(glob)
		for _, p := range paths {
			b, _ := os.ReadFile(p)
			n += min(1, bytes.Count(b, []byte("\nBenchmarkFast")))
		}
		if n == len(tcs) {
			return h
		}
		select {
		case err := <-h.done:
			h.done <- err // for the cleanup
			t.Fatalf("helper exited early (%v):\n%s", err, h.out.Bytes())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// TestSIGINT interrupts a Collect running in a child process, as Ctrl-C
// does, and checks what it leaves behind.
func TestSIGINT(t *testing.T) {
	cfg := testConfig(t)
	tcs := []toolchain.Toolchain{local(t, "a"), local(t, "b")}
	h := startHelper(t, cfg, tcs)
	cmd, done, out := h.cmd, h.done, &h.out
	glob := filepath.Join(cfg.Results, results.Platform(), "*", "*.txt")
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
	m, err := results.ReadManifest(ms[0])
	if err != nil || m.Status != results.ManifestInterrupted || m.Sessions[0].Samples < 2 || len(m.Failures) > 0 {
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

// TestSIGKILL kills a Collect running in a child process, as kill -9 or a
// power cut would: the manifest on disk still lists the session and the
// samples it recorded, and a resume completes the run.
func TestSIGKILL(t *testing.T) {
	cfg := testConfig(t)
	tcs := []toolchain.Toolchain{local(t, "a"), local(t, "b")}
	h := startHelper(t, cfg, tcs)
	if err := syscall.Kill(-h.cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := <-h.done
	h.done <- err
	ms, _ := filepath.Glob(filepath.Join(cfg.Results, results.Platform(), "*.json"))
	if len(ms) != 1 {
		t.Fatalf("manifests: %v", ms)
	}
	m, err := results.ReadManifest(ms[0])
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != results.ManifestRunning || len(m.Sessions) != 1 || m.Sessions[0].Status != results.ManifestRunning || m.Sessions[0].Samples < 1 {
		t.Fatalf("manifest of the killed run: status %s, sessions %+v; want one running session with samples", m.Status, m.Sessions)
	}
	onDisk := 0
	for _, tc := range tcs {
		for _, n := range counts(t, results.RunFile(cfg.Results, results.Platform(), tc.Name, m.Stamp)) {
			onDisk += n
		}
	}
	// The manifest is saved right after each sample is: at most the one
	// sample written in between can be missing from it.
	if n := m.Sessions[0].Samples; onDisk != n && onDisk != n+1 {
		t.Errorf("%d samples on disk, the manifest says %d", onDisk, n)
	}

	cfg.Resume, cfg.Count = true, 1 // complete the round it was killed in
	m2, err := Run(context.Background(), cfg, tcs)
	if err != nil {
		t.Fatal(err)
	}
	if m2.Stamp != m.Stamp || m2.Status != results.ManifestFinished || len(m2.Sessions) != 2 ||
		m2.Sessions[0].Status != results.ManifestRunning || m2.Sessions[1].Status != results.ManifestFinished {
		t.Fatalf("resumed: stamp %s (was %s), status %s, sessions %+v", m2.Stamp, m.Stamp, m2.Status, m2.Sessions)
	}
	for _, tc := range tcs {
		got := counts(t, results.RunFile(cfg.Results, results.Platform(), tc.Name, m.Stamp))
		for _, b := range allBenchmarks {
			if got[b] < 1 {
				t.Errorf("%s: no sample of %s after resume", tc.Name, b)
			}
		}
	}
	for _, b := range m2.Benchmarks {
		for _, tc := range tcs {
			if r := b.Rounds[tc.Name]; len(r) < 1 || r[0] != 0 {
				t.Errorf("%s under %s: rounds %v", b.Name, tc.Name, r)
			}
		}
	}
}
