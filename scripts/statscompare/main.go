// Command statscompare measures compare against benchstat on a generated
// corpus: 10 toolchains x 200 benchmarks x 4 units x 20 samples, written
// as result files. It runs `compare` (the mage target, compiled once, with
// PERF_FORMAT=csv) and `benchstat -format csv` (built from go.mod's tool
// line) alternately on the same files, reports the median wall and CPU
// time and the peak RSS of each (from the children's rusage), and checks
// that the two csv outputs are identical. On a shared machine the wall
// times are noisy; the CPU times much less so. The compiled magefile links
// net, so with cgo enabled it is a dynamically linked binary whose
// baseline RSS is about 2 MiB above a static one; CGO_ENABLED=0 in the
// environment builds both tools static. Run it from the repository root:
//
//	go run ./scripts/statscompare [-runs 5] [-files 10] [-benchmarks 200] [-samples 20] [-dir d]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	runs := flag.Int("runs", 5, "measured runs of each tool")
	files := flag.Int("files", 10, "toolchains (result files)")
	benchmarks := flag.Int("benchmarks", 200, "benchmarks per file")
	samples := flag.Int("samples", 20, "samples per benchmark")
	keep := flag.String("dir", "", "write the corpus and binaries to this directory and keep them")
	flag.Parse()
	*runs = max(*runs, 1)

	dir := *keep
	if dir == "" {
		d, err := os.MkdirTemp("", "statscompare-")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(d)
		dir = d
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Fatal(err)
	}
	specs := generate(dir, *files, *benchmarks, *samples)

	mageBin := filepath.Join(dir, "perf")
	must(exec.Command("go", "tool", "mage", "-compile", mageBin).Run(), "compiling the magefile")
	benchstat := filepath.Join(dir, "benchstat")
	must(exec.Command("go", "build", "-o", benchstat, "golang.org/x/perf/cmd/benchstat").Run(), "building benchstat")

	ours := exec.Command(mageBin, "compare", strings.Join(specs, ","))
	ours.Env = append(os.Environ(), "PERF_FORMAT=csv", "PERF_FAIL_ON=off")
	theirs := exec.Command(benchstat, append([]string{"-format", "csv", "-ignore", "cpu,toolchain"}, specs...)...)

	var oursT, theirsT, oursCPU, theirsCPU []time.Duration
	var oursRSS, theirsRSS []int64
	var oursOut, theirsOut []byte
	for i := range *runs + 1 {
		// Alternate which tool goes first, so that load from other
		// processes on a shared machine hits both alike.
		var r1, r2 result
		if i%2 == 0 {
			r1, r2 = measure(ours), measure(theirs)
		} else {
			r2, r1 = measure(theirs), measure(ours)
		}
		if i == 0 {
			oursOut, theirsOut = r1.out, r2.out // warm-up run, not counted
			continue
		}
		oursT, theirsT = append(oursT, r1.wall), append(theirsT, r2.wall)
		oursCPU, theirsCPU = append(oursCPU, r1.cpu), append(theirsCPU, r2.cpu)
		oursRSS, theirsRSS = append(oursRSS, r1.rss), append(theirsRSS, r2.rss)
	}
	fmt.Printf("corpus: %d files x %d benchmarks x 4 units x %d samples (%d result lines)\n",
		*files, *benchmarks, *samples, *files**benchmarks**samples)
	fmt.Printf("compare (csv):         median wall %v, CPU %v, peak RSS %.1f MiB (max of runs %.1f MiB)\n",
		median(oursT), median(oursCPU), mib(median(oursRSS)), mib(slices.Max(oursRSS)))
	fmt.Printf("benchstat -format csv: median wall %v, CPU %v, peak RSS %.1f MiB (max of runs %.1f MiB)\n",
		median(theirsT), median(theirsCPU), mib(median(theirsRSS)), mib(slices.Max(theirsRSS)))
	fmt.Printf("ratio of medians compare/benchstat: wall %.2fx, CPU %.2fx, peak RSS %.2fx\n",
		float64(median(oursT))/float64(median(theirsT)), float64(median(oursCPU))/float64(median(theirsCPU)),
		float64(median(oursRSS))/float64(median(theirsRSS)))
	if bytes.Equal(oursOut, theirsOut) {
		fmt.Println("csv outputs: identical")
	} else {
		fmt.Println("csv outputs: DIFFER")
		os.Exit(1)
	}
}

// generate writes one result file per toolchain and returns the
// "label=path" arguments. Each toolchain is a few percent faster or
// slower on some benchmarks; samples carry 2% noise.
func generate(dir string, files, benchmarks, samples int) []string {
	rng := rand.New(rand.NewPCG(1, 2))
	var specs []string
	for f := range files {
		label := fmt.Sprintf("go1.%d.0", 18+f)
		var b strings.Builder
		fmt.Fprintf(&b, "goos: linux\ngoarch: amd64\npkg: example.com/bench\ncpu: Generated CPU\ntoolchain: %s\n", label)
		for s := range samples {
			for i := range benchmarks {
				base := float64(100 + 37*i)
				shift := 1.0
				if (i+f)%7 == 0 {
					shift = 1 + 0.01*float64(f)
				}
				noise := func() float64 { return 1 + 0.02*rng.NormFloat64() }
				ns := base * shift * noise()
				fmt.Fprintf(&b, "BenchmarkOp%03d/size=%d-8 \t%8d\t%12.1f ns/op\t%10.2f MB/s\t%6d B/op\t%4d allocs/op\n",
					i, 1<<(i%10), 1000000+s, ns, 1e9/ns*64/1e6, 64*(i%5), i%5)
			}
		}
		p := filepath.Join(dir, label+".txt")
		must(os.WriteFile(p, []byte(b.String()), 0o644), "writing corpus")
		specs = append(specs, label+"="+p)
	}
	return specs
}

// result is one measured run.
type result struct {
	wall, cpu time.Duration // elapsed; user+system
	rss       int64         // peak resident set, bytes
	out       []byte        // stdout
}

// measure runs a copy of cmd and returns what it used.
func measure(cmd *exec.Cmd) result {
	c := exec.Command(cmd.Path, cmd.Args[1:]...)
	c.Env = cmd.Env
	var out, errOut bytes.Buffer
	c.Stdout, c.Stderr = &out, &errOut
	start := time.Now()
	if err := c.Run(); err != nil {
		log.Fatalf("%s: %v\n%s", c.Path, err, errOut.Bytes())
	}
	wall := time.Since(start)
	ru := c.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := c.ProcessState.UserTime() + c.ProcessState.SystemTime()
	return result{wall: wall, cpu: cpu, rss: ru.Maxrss * 1024, out: out.Bytes()}
}

func median[T time.Duration | int64](ds []T) T {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

func must(err error, what string) {
	if err != nil {
		log.Fatalf("%s: %v", what, err)
	}
}
