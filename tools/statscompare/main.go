// Command statscompare measures compare against benchstat on a generated
// corpus (tools/internal/corpus): 10 toolchains x 200 benchmarks x 4 units x
// 20 samples, written as result files. It runs `compare` (the mage target,
// compiled once, with PERF_FORMAT=csv) and `benchstat -format csv` (built
// from the root go.mod's tool line, given the grouping flags of
// stats.Options.BenchstatArgs) alternately on the same files, reports
// the median wall and CPU time and the peak RSS of each (from the
// children's rusage), and checks that the two csv outputs are identical.
// On a shared machine the wall times are noisy; the CPU times much less
// so. The compiled magefile links net, so with cgo enabled it is a
// dynamically linked binary whose baseline RSS is about 2 MiB above a
// static one; CGO_ENABLED=0 in the environment builds both tools static.
// Run it inside the repository, from the tools module:
//
//	(cd tools && go run ./statscompare [-runs 5] [-files 10] [-benchmarks 200] [-samples 20] [-dir d])
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/perftrack/perftrack/mage/stats"
	"github.com/perftrack/perftrack/tools/internal/corpus"
	"github.com/perftrack/perftrack/tools/internal/repo"
)

func main() {
	runs := flag.Int("runs", 5, "measured runs of each tool")
	files := flag.Int("files", 10, "toolchains (result files)")
	benchmarks := flag.Int("benchmarks", 200, "benchmarks per file")
	samples := flag.Int("samples", 20, "samples per benchmark")
	keep := flag.String("dir", "", "write the corpus and binaries to this directory and keep them")
	flag.Parse()
	identical, err := run(max(*runs, 1), *keep, corpus.Config{
		Toolchains: *files, Benchmarks: *benchmarks, Samples: *samples, Seed: 1,
		Units: []string{corpus.NsPerOp, corpus.MBPerS, corpus.BPerOp, corpus.AllocsPerOp},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "statscompare:", err)
		os.Exit(1)
	}
	if !identical {
		os.Exit(1)
	}
}

// run generates the corpus in keep (a temporary directory if ""), measures
// both tools and prints the figures; it reports whether their outputs
// were identical.
func run(runs int, keep string, cfg corpus.Config) (identical bool, err error) {
	root, err := repo.Root()
	if err != nil {
		return false, err
	}
	dir := keep
	if dir == "" {
		d, err := os.MkdirTemp("", "statscompare-")
		if err != nil {
			return false, err
		}
		defer os.RemoveAll(d)
		dir = d
	} else if dir, err = filepath.Abs(dir); err != nil {
		return false, err
	}
	specs, err := cfg.WriteFiles(dir)
	if err != nil {
		return false, err
	}

	// Both are built in the root module: mage's magefile lives there, and
	// benchstat is pinned by its tool line.
	mageBin := filepath.Join(dir, "perf")
	if err := inRoot(root, "go", "tool", "mage", "-compile", mageBin); err != nil {
		return false, fmt.Errorf("compiling the magefile: %w", err)
	}
	benchstat := filepath.Join(dir, "benchstat")
	if err := inRoot(root, "go", "build", "-o", benchstat, "golang.org/x/perf/cmd/benchstat"); err != nil {
		return false, fmt.Errorf("building benchstat: %w", err)
	}

	ours := exec.Command(mageBin, "compare", strings.Join(specs, ","))
	ours.Env = append(os.Environ(), "PERF_FORMAT=csv", "PERF_FAIL_ON=off")
	// The flags come from mage/stats, so benchstat groups the results as
	// compare's defaults do, whatever the library decides about them.
	args := append([]string{"-format", "csv"}, stats.Options{}.BenchstatArgs()...)
	theirs := exec.Command(benchstat, append(args, specs...)...)

	var oursT, theirsT, oursCPU, theirsCPU []time.Duration
	var oursRSS, theirsRSS []int64
	var oursOut, theirsOut []byte
	for i := range runs + 1 {
		// Alternate which tool goes first, so that load from other
		// processes on a shared machine hits both alike.
		var r1, r2 result
		var err1, err2 error
		if i%2 == 0 {
			r1, err1 = measure(ours)
			r2, err2 = measure(theirs)
		} else {
			r2, err2 = measure(theirs)
			r1, err1 = measure(ours)
		}
		if err := errors.Join(err1, err2); err != nil {
			return false, err
		}
		if i == 0 {
			oursOut, theirsOut = r1.out, r2.out // warm-up run, not counted
			continue
		}
		oursT, theirsT = append(oursT, r1.wall), append(theirsT, r2.wall)
		oursCPU, theirsCPU = append(oursCPU, r1.cpu), append(theirsCPU, r2.cpu)
		oursRSS, theirsRSS = append(oursRSS, r1.rss), append(theirsRSS, r2.rss)
	}
	fmt.Printf("corpus: %d files x %d benchmarks x %d units x %d samples (%d result lines)\n",
		cfg.Toolchains, cfg.Benchmarks, len(cfg.Units), cfg.Samples, cfg.Toolchains*cfg.Lines())
	fmt.Printf("compare (csv):         median wall %v, CPU %v, peak RSS %.1f MiB (max of runs %.1f MiB)\n",
		median(oursT), median(oursCPU), mib(median(oursRSS)), mib(slices.Max(oursRSS)))
	fmt.Printf("benchstat -format csv: median wall %v, CPU %v, peak RSS %.1f MiB (max of runs %.1f MiB)\n",
		median(theirsT), median(theirsCPU), mib(median(theirsRSS)), mib(slices.Max(theirsRSS)))
	fmt.Printf("ratio of medians compare/benchstat: wall %.2fx, CPU %.2fx, peak RSS %.2fx\n",
		float64(median(oursT))/float64(median(theirsT)), float64(median(oursCPU))/float64(median(theirsCPU)),
		float64(median(oursRSS))/float64(median(theirsRSS)))
	if bytes.Equal(oursOut, theirsOut) {
		fmt.Println("csv outputs: identical")
		return true, nil
	}
	fmt.Println("csv outputs: DIFFER")
	return false, nil
}

// inRoot runs a command in the repository root, its output shown only on failure.
func inRoot(root, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %w\n%s", strings.Join(cmd.Args, " "), err, out)
	}
	return nil
}

// result is one measured run.
type result struct {
	wall, cpu time.Duration // elapsed; user+system
	rss       int64         // peak resident set, bytes
	out       []byte        // stdout
}

// measure runs a copy of cmd and returns what it used.
func measure(cmd *exec.Cmd) (result, error) {
	c := exec.Command(cmd.Path, cmd.Args[1:]...)
	c.Env = cmd.Env
	var out, errOut bytes.Buffer
	c.Stdout, c.Stderr = &out, &errOut
	start := time.Now()
	if err := c.Run(); err != nil {
		return result{}, fmt.Errorf("%s: %w\n%s", c.Path, err, errOut.Bytes())
	}
	wall := time.Since(start)
	ru := c.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := c.ProcessState.UserTime() + c.ProcessState.SystemTime()
	return result{wall: wall, cpu: cpu, rss: ru.Maxrss * 1024, out: out.Bytes()}, nil
}

func median[T time.Duration | int64](ds []T) T {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }
