package collect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
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

// listedPackage is what Collect needs from go list.
type listedPackage struct {
	ImportPath   string
	Dir          string
	TestGoFiles  []string
	XTestGoFiles []string
	Error        *struct{ Err string }
}

// build lists the packages under one toolchain and builds a test binary
// for each package that has tests, into dir. Failures are recorded, not
// returned; the error is for the run as a whole (ctx, I/O).
func (c *collector) build(ctx context.Context, tc *tcState, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	gomod, err := os.ReadFile(filepath.Join(c.cfg.Dir, "go.mod"))
	if err != nil {
		return fmt.Errorf("reading the benchmark module: %w", err)
	}
	lowered, goLine, changed, err := lowerGoMod(gomod, tc.Version)
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(c.cfg.Dir, "go.mod"), err)
	}
	var modArgs []string
	if changed {
		// -modfile=<dir>/go.mod makes the go command use <dir>/go.sum too.
		tc.modfile, tc.loweredGo = filepath.Join(dir, "go.mod"), goLine
		if err := os.WriteFile(tc.modfile, lowered, 0o644); err != nil {
			return err
		}
		if sum, err := os.ReadFile(filepath.Join(c.cfg.Dir, "go.sum")); err == nil {
			if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
				return err
			}
		}
		modArgs = []string{"-modfile=" + tc.modfile}
	}
	goCmd := filepath.Join(tc.GOROOT, "bin", "go")

	args := append([]string{"list", "-e", "-json=ImportPath,Dir,TestGoFiles,XTestGoFiles,Error"}, modArgs...)
	args = append(args, splitPkgs(c.m.Settings.Pkgs)...)
	var stdout, stderr bytes.Buffer
	cmd := command(ctx, c.cfg.Dir, tc.env, goCmd, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if settle(ctx, err); ctx.Err() != nil {
			return nil
		}
		c.fail(Failure{Toolchain: tc.Name, Pkg: c.m.Settings.Pkgs, Stage: StageList,
			Err: "go list: " + err.Error(), Output: tail(stderr.Bytes(), tailLines)})
		return nil
	}
	var pkgs []listedPackage
	for dec := json.NewDecoder(&stdout); ; {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return fmt.Errorf("%s: reading go list output: %w", tc.Name, err)
		}
		pkgs = append(pkgs, p)
	}

	for i, p := range pkgs {
		if ctx.Err() != nil {
			return nil
		}
		if p.Error != nil {
			c.fail(Failure{Toolchain: tc.Name, Pkg: p.ImportPath, Stage: StageBuild, Err: "go list", Output: tail([]byte(p.Error.Err), tailLines)})
			continue
		}
		if len(p.TestGoFiles)+len(p.XTestGoFiles) == 0 {
			continue
		}
		if _, ok := c.pkgDirs[p.ImportPath]; !ok {
			c.pkgDirs[p.ImportPath] = p.Dir
			c.pkgs = append(c.pkgs, p.ImportPath)
		}
		bin := filepath.Join(dir, fmt.Sprintf("%03d-%s.test", i, filepath.Base(p.ImportPath)))
		args := append([]string{"test", "-c", "-o", bin}, modArgs...)
		args = append(args, p.ImportPath)
		out, err := command(ctx, c.cfg.Dir, tc.env, goCmd, args...).CombinedOutput()
		if settle(ctx, err); ctx.Err() != nil {
			return nil
		}
		if err != nil {
			c.fail(Failure{Toolchain: tc.Name, Pkg: p.ImportPath, Stage: StageBuild,
				Err: "go test -c: " + err.Error(), Output: tail(out, tailLines)})
			continue
		}
		if !exists(bin) {
			continue
		}
		tc.bins[p.ImportPath] = bin
	}
	return nil
}

// splitPkgs splits a package list given with spaces or commas.
func splitPkgs(s string) []string {
	return strings.Fields(strings.ReplaceAll(s, ",", " "))
}

// calibrate lists the benchmarks of every package and finds each one's
// iteration count under the first toolchain that built the package (the
// baseline, unless it failed to build it).
func (c *collector) calibrate(ctx context.Context) error {
	c.say("calibrating under %s", c.tcs[0].Name)
	goal := c.cfg.Benchtime
	calTime := max(goal/calibrateFraction, time.Millisecond)
	for _, pkg := range c.pkgs {
		var tc *tcState
		for _, t := range c.tcs {
			if t.bins[pkg] != "" {
				tc = t
				break
			}
		}
		if tc == nil {
			continue
		}
		out, err := c.exec(ctx, tc, pkg, "-test.list="+listRegexp(c.cfg.Bench))
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			c.fail(Failure{Toolchain: tc.Name, Pkg: pkg, Stage: StageCalibrate, Err: "listing benchmarks: " + err.Error(), Output: tail(out, tailLines)})
			continue
		}
		var tops []string
		for _, line := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(line, "Benchmark") {
				tops = append(tops, strings.TrimSpace(line))
			}
		}
		for _, top := range tops {
			out, err := c.exec(ctx, tc, pkg, "-test.run=^$", "-test.bench="+topRegexp(top, c.cfg.Bench),
				"-test.benchtime="+calTime.String(), "-test.count=1", "-test.benchmem", "-test.timeout=0")
			if ctx.Err() != nil {
				return nil
			}
			res, config := parseOutput(out, c.procs)
			if len(c.header) == 0 && len(config) > 0 {
				c.header = config
			}
			for _, r := range res {
				n := int64(math.Round(float64(goal.Nanoseconds()) / r.NsPerOp))
				if r.NsPerOp <= 0 {
					n = 1
				}
				c.m.Benchmarks = append(c.m.Benchmarks, BenchmarkRecord{Pkg: pkg, Name: r.Name, N: max(1, n), CalibratedBy: tc.Name})
			}
			if err != nil {
				c.fail(Failure{Toolchain: tc.Name, Pkg: pkg, Benchmark: top, Stage: StageCalibrate, Err: err.Error(), Output: tail(out, tailLines)})
			}
		}
	}
	if len(c.m.Benchmarks) == 0 {
		fmt.Fprintf(c.cfg.Out, "collect: no benchmarks match %q in %s\n", c.cfg.Bench, c.m.Settings.Pkgs)
	}
	return nil
}

// exec runs the test binary of pkg under tc, in the package's directory as
// go test does, bounded by the sample timeout.
func (c *collector) exec(ctx context.Context, tc *tcState, pkg string, args ...string) ([]byte, error) {
	sctx, cancel := context.WithTimeout(ctx, c.cfg.SampleTimeout)
	defer cancel()
	out, err := command(sctx, c.pkgDirs[pkg], tc.env, tc.bins[pkg], args...).CombinedOutput()
	settle(ctx, err)
	if err != nil && ctx.Err() == nil && errors.Is(sctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("timed out after %s: %w", c.cfg.SampleTimeout, err)
	}
	return out, err
}

// sample runs one sample of b under tc with n iterations. A recorded
// sample (stage StageSample) is appended to the result file at once, and
// its round to b.Rounds. A failure is recorded and the benchmark is not
// run again under tc; the error is for the run as a whole (writing the
// results).
func (c *collector) sample(ctx context.Context, tc *tcState, b *BenchmarkRecord, n int64, stage string, round int) error {
	k := sampleKey{b.Pkg, b.Name}
	out, err := c.exec(ctx, tc, b.Pkg, "-test.run=^$", "-test.bench="+exactRegexp(b.Name),
		fmt.Sprintf("-test.benchtime=%dx", n), "-test.count=1", "-test.benchmem", "-test.timeout=0")
	if ctx.Err() != nil {
		return nil // interrupted: the sample is incomplete, drop it
	}
	var found *resultLine
	res, _ := parseOutput(out, c.procs)
	for i := range res {
		if res[i].Name == b.Name {
			found = &res[i]
		}
	}
	if err == nil && found == nil {
		err = errors.New("no result line for the benchmark in the output")
	}
	if err != nil {
		tc.failed[k] = true
		c.fail(Failure{Toolchain: tc.Name, Pkg: b.Pkg, Benchmark: b.Name, Stage: stage, Err: err.Error(), Output: tail(out, tailLines)})
		return nil
	}
	if stage != StageSample {
		return nil
	}
	if err := tc.file.appendSample(b.Pkg, found.Line); err != nil {
		return err
	}
	tc.values[k] = append(tc.values[k], found.NsPerOp)
	if b.Rounds == nil {
		b.Rounds = map[string][]int{}
	}
	b.Rounds[tc.Name] = append(b.Rounds[tc.Name], round)
	c.measured += time.Duration(float64(found.Iters) * found.NsPerOp)
	c.samples++
	c.prog.add()
	if c.cfg.afterSample != nil {
		c.cfg.afterSample(c.m)
	}
	return nil
}
