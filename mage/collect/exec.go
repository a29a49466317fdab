package collect

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"time"
)

// waitDelay is how long a child gets to exit after SIGINT before it is
// killed. It is short because mage gives a cancelled target 5 seconds in
// all before it exits, and the manifest must be written in that time.
const waitDelay = 2 * time.Second

// settle handles a child that died of SIGINT while ctx is still live: on
// Ctrl-C the terminal signals the whole process group, so the child may die
// a moment before ctx is cancelled. Waiting a little for ctx keeps such an
// interruption from being recorded as a failure of the benchmark.
func settle(ctx context.Context, err error) {
	var ee *exec.ExitError
	if ctx.Err() != nil || !errors.As(err, &ee) {
		return
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGINT {
		return
	}
	select {
	case <-ctx.Done():
	case <-time.After(time.Second):
	}
}

// command returns a command that ctx stops with SIGINT (a test binary or
// the go command then exits on its own; Kill follows after waitDelay).
func command(ctx context.Context, dir string, env []string, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Cancel = func() error {
		if runtime.GOOS == "windows" {
			return cmd.Process.Kill()
		}
		return cmd.Process.Signal(os.Interrupt)
	}
	cmd.WaitDelay = waitDelay
	return cmd
}

// exec runs the test binary of pkg under tc, in the package's directory as
// go test does, bounded by the sample timeout.
func (c *collector) exec(ctx context.Context, tc *tcState, pkg string, args ...string) ([]byte, error) {
	return RunTest(ctx, c.pkgDirs[pkg], tc.env, tc.bins[pkg], c.cfg.SampleTimeout, args...)
}

// RunTest runs the test binary bin with args in dir (the package's
// directory, as go test runs it) under env, and returns its combined
// output. It is bounded by timeout; ctx stops it with SIGINT, and a child
// that died of the terminal's SIGINT a moment before ctx was cancelled is
// waited for, so a caller that checks ctx.Err() afterwards does not take
// a Ctrl-C for a failure of the benchmark.
func RunTest(ctx context.Context, dir string, env []string, bin string, timeout time.Duration, args ...string) ([]byte, error) {
	sctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	out, err := command(sctx, dir, env, bin, args...).CombinedOutput()
	settle(ctx, err)
	if err != nil && ctx.Err() == nil && errors.Is(sctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("timed out after %s: %w", timeout, err)
	}
	return out, err
}
