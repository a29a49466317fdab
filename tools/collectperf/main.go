// Command collectperf measures Collect against the old way of collecting,
// side by side in one run, on the core suite with the local Go under two
// labels:
//
//  1. Efficiency: Collect with PERF_COUNT=10, PERF_BENCHTIME=1s (no extra
//     rounds, so both do the same work), then the old way, `go test
//     -bench=. -count=10 -benchtime=1s` per toolchain, one after the other.
//     Efficiency = measured time (iterations x ns/op, summed) / wall time.
//  2. A/A: -runs times, the quick profile (5 rounds of 100ms) with two
//     labels on the same GOROOT, interleaved by Collect versus all of A then
//     all of B the old way; counts the rows `go tool benchstat` marks as
//     changed (a delta instead of ~). Every change is a false positive.
//
// Run it inside the repository, from the tools module (about 10 minutes on
// an idle machine):
//
//	(cd tools && go run ./collectperf [-runs 10] [-skip-efficiency] [-skip-aa])
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/perftrack/perftrack/mage/collect"
	"github.com/perftrack/perftrack/mage/results"
	"github.com/perftrack/perftrack/mage/toolchain"
	"github.com/perftrack/perftrack/tools/internal/repo"
)

var (
	runs           = flag.Int("runs", 10, "A/A runs")
	skipEfficiency = flag.Bool("skip-efficiency", false, "skip the efficiency comparison")
	skipAA         = flag.Bool("skip-aa", false, "skip the A/A experiment")
	pkgs           = flag.String("pkgs", "./core", "packages of the benchmark module")
)

// root is the repository root: the benchmark module is its benchmarks/,
// and benchstat is its go.mod's tool.
var root string

func main() {
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "collectperf:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	var err error
	if root, err = repo.Root(); err != nil {
		return err
	}
	out, err := exec.Command("go", "env", "GOROOT", "GOVERSION").Output()
	if err != nil {
		return fmt.Errorf("go env: %w", err)
	}
	f := strings.Fields(string(out))
	goroot, version := f[0], f[1]
	tcs := []toolchain.Toolchain{{Name: "A", Version: version, GOROOT: goroot}, {Name: "B", Version: version, GOROOT: goroot}}
	tmp, err := os.MkdirTemp("", "collectperf-")
	if err != nil {
		return err
	}
	fmt.Printf("collectperf: %s, GOROOT %s, pkgs %s, work in %s, load before %s\n", version, goroot, *pkgs, tmp, loadavg())

	if !*skipEfficiency {
		fmt.Println("\n== efficiency: count 10, benchtime 1s, two toolchains ==")
		m, err := collect.Run(ctx, config(tmp, "eff", 10, time.Second), tcs)
		if err != nil {
			return err
		}
		fmt.Printf("collect:  wall %6.1fs  measured %6.1fs  efficiency %5.1f%%  (load after %s)\n",
			m.Timing.Wall, m.Timing.Measured, 100*m.Timing.Efficiency, loadavg())
		var wall, measured float64
		for _, tc := range tcs {
			w, meas, _, err := oldWay(ctx, tc, 10, "1s")
			if err != nil {
				return err
			}
			wall += w
			measured += meas
		}
		fmt.Printf("old way:  wall %6.1fs  measured %6.1fs  efficiency %5.1f%%  (load after %s)\n",
			wall, measured, 100*measured/wall, loadavg())
	}

	if !*skipAA {
		fmt.Printf("\n== A/A: %d runs, quick profile (5 rounds of 100ms), A and B the same GOROOT ==\n", *runs)
		var newRows, oldRows, newTime, oldTime, rowsPerRun int
		for i := range *runs {
			m, err := collect.Run(ctx, config(tmp, fmt.Sprint("aa", i), 5, 100*time.Millisecond), tcs)
			if err != nil {
				return err
			}
			root := filepath.Join(tmp, fmt.Sprint("aa", i))
			nc, nt, rows, err := changed(
				results.RunFile(root, results.Platform(), "A", m.Stamp),
				results.RunFile(root, results.Platform(), "B", m.Stamp))
			if err != nil {
				return err
			}
			var oldFiles []string
			for _, tc := range tcs {
				_, _, output, err := oldWay(ctx, tc, 5, "100ms")
				if err != nil {
					return err
				}
				p := filepath.Join(root, "old-"+tc.Name+".txt")
				if err := os.WriteFile(p, output, 0o644); err != nil {
					return err
				}
				oldFiles = append(oldFiles, p)
			}
			oc, ot, _, err := changed(oldFiles[0], oldFiles[1])
			if err != nil {
				return err
			}
			fmt.Printf("run %2d: changed rows, interleaved %d (%d sec/op), old way %d (%d sec/op), of %d rows; load %s\n",
				i+1, nc, nt, oc, ot, rows, loadavg())
			newRows, newTime, oldRows, oldTime, rowsPerRun = newRows+nc, newTime+nt, oldRows+oc, oldTime+ot, rows
		}
		fmt.Printf("A/A total over %d runs (%d rows each): interleaved %d changed (%d sec/op), old way %d changed (%d sec/op)\n",
			*runs, rowsPerRun, newRows, newTime, oldRows, oldTime)
	}
	return nil
}

func config(tmp, name string, count int, benchtime time.Duration) collect.Config {
	return collect.Config{
		Count:     count,
		Benchtime: benchtime,
		Pkgs:      *pkgs,
		Dir:       filepath.Join(root, "benchmarks"),
		Results:   filepath.Join(tmp, name),
		Extra:     -1, // the same work as the old way: no extra rounds
		LockFile:  filepath.Join(tmp, "collect.lock"),
	}
}

// oldWay runs the suite the way collect-stable.sh did, and returns its
// wall time, measured time (both in seconds) and output.
func oldWay(ctx context.Context, tc toolchain.Toolchain, count int, benchtime string) (wall, measured float64, output []byte, err error) {
	env, _ := collect.ChildEnv(os.Environ(), tc.GOROOT)
	cmd := exec.CommandContext(ctx, filepath.Join(tc.GOROOT, "bin", "go"), "test", "-run=^$", "-bench=.",
		"-count="+strconv.Itoa(count), "-benchtime="+benchtime, "-benchmem", *pkgs)
	cmd.Dir, cmd.Env = filepath.Join(root, "benchmarks"), env
	start := time.Now()
	output, err = cmd.Output()
	wall = time.Since(start).Seconds()
	if err != nil {
		return 0, 0, nil, fmt.Errorf("old way under %s: %w\n%s", tc.Name, err, output)
	}
	sc := bufio.NewScanner(bytes.NewReader(output))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || f[3] != "ns/op" {
			continue
		}
		n, err1 := strconv.ParseFloat(f[1], 64)
		ns, err2 := strconv.ParseFloat(f[2], 64)
		if err1 == nil && err2 == nil {
			measured += n * ns / 1e9
		}
	}
	return wall, measured, output, nil
}

// changed runs benchstat A=a B=b and counts the benchmark rows with a
// delta (not ~), over all units and for sec/op alone, and the rows.
func changed(a, b string) (all, secPerOp, rows int, err error) {
	cmd := exec.Command("go", "tool", "benchstat", "-ignore", "toolchain", "A="+a, "B="+b)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return 0, 0, 0, fmt.Errorf("benchstat: %w: %s", err, stderr.Bytes())
	}
	// A warning (e.g. about mismatched inputs) would make the counts suspect.
	if stderr.Len() > 0 {
		return 0, 0, 0, fmt.Errorf("benchstat: %s", stderr.Bytes())
	}
	unit := ""
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "vs base") {
			unit = strings.Fields(strings.Trim(line, " │"))[0]
			continue
		}
		if !strings.Contains(line, "(p=") || strings.HasPrefix(line, "geomean") {
			continue
		}
		rows++
		if strings.Contains(line, "~ (p=") {
			continue
		}
		all++
		if unit == "sec/op" {
			secPerOp++
		}
	}
	return all, secPerOp, rows, nil
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}
