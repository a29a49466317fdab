// Package corpus generates synthetic benchmark result files for the
// measurement commands in tools/: the same inputs, byte for byte, for a
// given Config, so that figures taken on different days compare.
//
// A corpus is Toolchains result files, one per toolchain, each holding
// Samples samples of Benchmarks benchmarks in Go benchmark format:
//
//  1. file config lines as Collect writes them: goos, goarch, cpu and
//     toolchain, and a pkg line wherever the package changes;
//  2. samples in rounds, every benchmark once per round, benchmarks
//     grouped by package (the order of a Collect run's file);
//  3. per benchmark a base time spread over six orders of magnitude, per
//     toolchain and benchmark a drift of a few percent (so comparisons
//     find changes), per sample normally distributed noise;
//  4. the other units derived from the benchmark, so that they are equal
//     in every sample and every toolchain (as B/op and allocs/op usually
//     are), except MB/s, which follows the time.
//
// Note: each file draws from its own random source, seeded by Seed and the
// toolchain's index, so a file's content does not depend on how many other
// files are generated or in which order.
package corpus

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// Units a result line can carry, in the order Config.Units lists them.
const (
	NsPerOp     = "ns/op"
	MBPerS      = "MB/s"
	BPerOp      = "B/op"
	AllocsPerOp = "allocs/op"
)

// Config describes a corpus. The zero value of a field takes the default
// named in its comment.
type Config struct {
	Toolchains int // result files, one per toolchain (default 1)
	Benchmarks int // benchmarks per file (default 1)
	Samples    int // samples per benchmark (default 1)
	// Packages spreads the benchmarks over this many packages, in
	// contiguous blocks, each with its own pkg line (default 1).
	Packages int
	// Units are the metrics of every result line, written in this order
	// (default NsPerOp alone).
	Units []string
	// Seed makes the corpus; the same Config gives the same files.
	Seed uint64
	// Noise is the relative standard deviation of a sample (default 0.02).
	Noise float64
	// Drift is the amplitude of the per-toolchain change of a benchmark,
	// as a fraction (default 0.03).
	Drift float64
	// GOOS and GOARCH go on the goos and goarch lines (default linux, amd64).
	GOOS, GOARCH string
	// CPU goes on the cpu line (default "Generated CPU").
	CPU string
	// Pkg is the import path of the package, or the prefix of the
	// packages' paths when Packages > 1 (default "example.com/bench").
	Pkg string
}

func (c Config) withDefaults() Config {
	c.Toolchains = max(c.Toolchains, 1)
	c.Benchmarks = max(c.Benchmarks, 1)
	c.Samples = max(c.Samples, 1)
	c.Packages = min(max(c.Packages, 1), c.Benchmarks)
	if len(c.Units) == 0 {
		c.Units = []string{NsPerOp}
	}
	if c.Noise == 0 {
		c.Noise = 0.02
	}
	if c.Drift == 0 {
		c.Drift = 0.03
	}
	if c.GOOS == "" {
		c.GOOS = "linux"
	}
	if c.GOARCH == "" {
		c.GOARCH = "amd64"
	}
	if c.CPU == "" {
		c.CPU = "Generated CPU"
	}
	if c.Pkg == "" {
		c.Pkg = "example.com/bench"
	}
	return c
}

// Label returns the name of toolchain t (counting from 0): go1.18.0,
// go1.19.1, go1.20.2, ..., names that sort as versions do.
func (c Config) Label(t int) string {
	return fmt.Sprintf("go1.%d.%d", 18+t, t%4)
}

// Lines returns the number of result lines in each file.
func (c Config) Lines() int {
	c = c.withDefaults()
	return c.Benchmarks * c.Samples
}

// Write writes the result file of toolchain t to w.
func (c Config) Write(w io.Writer, t int) error {
	c = c.withDefaults()
	for _, u := range c.Units {
		switch u {
		case NsPerOp, MBPerS, BPerOp, AllocsPerOp:
		default:
			return fmt.Errorf("corpus: unknown unit %q", u)
		}
	}
	rng := rand.New(rand.NewPCG(c.Seed, uint64(t)))
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "goos: %s\ngoarch: %s\ncpu: %s\ntoolchain: %s\n", c.GOOS, c.GOARCH, c.CPU, c.Label(t))
	lastPkg := ""
	for range c.Samples {
		for b := range c.Benchmarks {
			if pkg := c.pkg(b); pkg != lastPkg {
				fmt.Fprintf(bw, "pkg: %s\n", pkg)
				lastPkg = pkg
			}
			base := 10 * math.Pow(10, float64(b%6)) * (1 + float64(b%7)/10)
			ns := base * (1 + c.Drift*math.Sin(float64(7*b+t))) * (1 + c.Noise*rng.NormFloat64())
			// About 100ms of measured time per sample, as go test aims for.
			iters := max(1, int(1e8/base))
			fmt.Fprintf(bw, "BenchmarkCase%03d/size=%d-8\t%d", b, 1<<(b%10), iters)
			for _, u := range c.Units {
				switch u {
				case NsPerOp:
					fmt.Fprintf(bw, "\t%.2f ns/op", ns)
				case MBPerS:
					fmt.Fprintf(bw, "\t%.2f MB/s", 64e3/ns) // 64 bytes per op
				case BPerOp:
					fmt.Fprintf(bw, "\t%d B/op", 64*(b%5))
				case AllocsPerOp:
					fmt.Fprintf(bw, "\t%d allocs/op", b%5)
				}
			}
			bw.WriteByte('\n')
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("corpus: writing %s: %w", c.Label(t), err)
	}
	return nil
}

// pkg returns the package of benchmark b.
func (c Config) pkg(b int) string {
	if c.Packages == 1 {
		return c.Pkg
	}
	return fmt.Sprintf("%s/cat%d", c.Pkg, b*c.Packages/c.Benchmarks)
}

// WriteFiles writes every toolchain's file to dir/<label>.txt, creating
// dir, and returns the "label=path" arguments for compare or benchstat,
// baseline first.
func (c Config) WriteFiles(dir string) ([]string, error) {
	c = c.withDefaults()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	var specs []string
	for t := range c.Toolchains {
		p := filepath.Join(dir, c.Label(t)+".txt")
		if err := c.WriteFile(p, t); err != nil {
			return nil, err
		}
		specs = append(specs, c.Label(t)+"="+p)
	}
	return specs, nil
}

// WriteFile writes the file of toolchain t to path, creating its directory.
func (c Config) WriteFile(path string, t int) (err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("corpus: %w", cerr)
		}
	}()
	return c.Write(f, t)
}
