// Command statscompare measures compare against benchstat on a generated
// corpus: 10 toolchains x 200 benchmarks x 4 units x 20 samples, written
// as result files. It runs `compare` (the mage target, compiled once, with
// PERF_FORMAT=csv) and `benchstat -format csv` (built from go.mod's tool
// line) alternately on the same files, reports the median wall time and
// peak RSS of each (from the children's rusage), and checks that the two
// csv outputs are identical. Run it from the repository root:
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

	var oursT, theirsT []time.Duration
	var oursRSS, theirsRSS []int64
	var oursOut, theirsOut []byte
	for i := range *runs + 1 {
		t1, m1, out1 := measure(ours)
		t2, m2, out2 := measure(theirs)
		if i == 0 {
			oursOut, theirsOut = out1, out2 // warm-up run, not counted
			continue
		}
		oursT, theirsT = append(oursT, t1), append(theirsT, t2)
		oursRSS, theirsRSS = append(oursRSS, m1), append(theirsRSS, m2)
	}
	fmt.Printf("corpus: %d files x %d benchmarks x 4 units x %d samples (%d result lines)\n",
		*files, *benchmarks, *samples, *files**benchmarks**samples)
	fmt.Printf("compare (csv):        median wall %v, peak RSS %.1f MiB (max)\n", median(oursT), mib(slices.Max(oursRSS)))
	fmt.Printf("benchstat -format csv: median wall %v, peak RSS %.1f MiB (max)\n", median(theirsT), mib(slices.Max(theirsRSS)))
	fmt.Printf("ratio: wall %.2fx, memory %.2fx\n",
		float64(median(oursT))/float64(median(theirsT)), float64(slices.Max(oursRSS))/float64(slices.Max(theirsRSS)))
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

// measure runs a copy of cmd and returns its wall time, peak RSS in bytes
// and stdout.
func measure(cmd *exec.Cmd) (time.Duration, int64, []byte) {
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
	return wall, ru.Maxrss * 1024, out.Bytes()
}

func median(ds []time.Duration) time.Duration {
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
