package collect

import (
	"github.com/perftrack/perftrack/mage/results"

	"context"
	"fmt"
	"time"
)

// schedule returns the run's schedule towards target(b) samples of each
// benchmark b, from the samples recorded so far.
func (c *collector) schedule(target func(*results.BenchmarkRecord) int) schedule {
	s := schedule{Seed: c.m.Seed}
	for i := range c.m.Benchmarks {
		s.Target = append(s.Target, target(&c.m.Benchmarks[i]))
	}
	for _, tc := range c.tcs {
		have := make([]int, len(c.m.Benchmarks))
		runs := make([]bool, len(c.m.Benchmarks))
		for i := range c.m.Benchmarks {
			b := &c.m.Benchmarks[i]
			have[i] = len(tc.values[sampleKey{b.Pkg, b.Name}])
			runs[i] = tc.runs(b)
		}
		s.Have = append(s.Have, have)
		s.Runs = append(s.Runs, runs)
	}
	return s
}

// remaining counts the samples still to run to reach target.
func (c *collector) remaining(target func(*results.BenchmarkRecord) int) int {
	s := c.schedule(target)
	n := 0
	for t := range s.Have {
		for b := range s.Target {
			if s.needs(t, b) {
				n += s.Target[b] - s.Have[t][b]
			}
		}
	}
	return n
}

// warmup runs one discarded sample of every benchmark under every
// toolchain.
func (c *collector) warmup(ctx context.Context) error {
	c.say("warming up")
	for _, tc := range c.tcs {
		for i := range c.m.Benchmarks {
			b := &c.m.Benchmarks[i]
			if ctx.Err() != nil {
				return nil
			}
			if !tc.runs(b) {
				continue
			}
			if err := c.sample(ctx, tc, b, max(1, b.N/warmupFraction), results.StageWarmup, -1); err != nil {
				return err
			}
		}
	}
	return nil
}

// rounds runs rounds, as the schedule orders them, until every benchmark
// has target(b) samples under every toolchain that runs it.
func (c *collector) rounds(ctx context.Context, target func(*results.BenchmarkRecord) int) error {
	first, last := c.schedule(target).span()
	for r := first; r < last; r++ {
		for _, s := range c.schedule(target).round(r) {
			if ctx.Err() != nil {
				return nil
			}
			tc, b := c.tcs[s.T], &c.m.Benchmarks[s.B]
			c.prog.describe(r+1, last, tc.Name, b.Pkg)
			if err := c.sample(ctx, tc, b, b.N, results.StageSample, r); err != nil {
				return err
			}
		}
		if ctx.Err() != nil {
			return nil // the round's last sample was dropped
		}
		if r < c.cfg.Count {
			c.m.Rounds = r + 1
		} else {
			c.m.ExtraRounds = r + 1 - c.cfg.Count
		}
		if err := c.save(); err != nil {
			return err
		}
	}
	return nil
}

// sample runs one sample of b under tc with n iterations. A recorded
// sample (stage StageSample) is appended to the result file at once, its
// round to b.Rounds, and the manifest saved. A failure is recorded and
// the benchmark is not run again under tc; the error is for the run as a
// whole (writing the results).
func (c *collector) sample(ctx context.Context, tc *tcState, b *results.BenchmarkRecord, n int64, stage string, round int) error {
	k := sampleKey{b.Pkg, b.Name}
	out, err := c.exec(ctx, tc, b.Pkg, "-test.run=^$", "-test.bench="+ExactRegexp(b.Name),
		fmt.Sprintf("-test.benchtime=%dx", n), "-test.count=1", "-test.benchmem", "-test.timeout=0")
	if ctx.Err() != nil {
		return nil // interrupted: the sample is incomplete, drop it
	}
	var found resultLine
	if err == nil {
		found, err = pickResult(out, b.Name, c.procs)
	}
	if err != nil {
		tc.failed[k] = true
		c.fail(results.Failure{Toolchain: tc.Name, Pkg: b.Pkg, Benchmark: b.Name, Stage: stage, Err: err.Error(), Output: tail(out, tailLines)})
		return nil
	}
	if stage != results.StageSample {
		return nil
	}
	f, err := c.fileOf(tc)
	if err != nil {
		return err
	}
	if err := f.appendSample(b.Pkg, found.Line); err != nil {
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
	if err := c.save(); err != nil {
		return err
	}
	if c.cfg.afterSample != nil {
		c.cfg.afterSample(c.m)
	}
	return nil
}
