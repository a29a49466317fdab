package collect

import (
	"github.com/perftrack/perftrack/mage/results"

	"context"
	"maps"
	"math"
	"slices"
	"time"
)

// Note: calibration and warm-up run shorter than a sample. Calibration
// only needs the time per op (the testing package ramps b.N up to the
// target time, so a fifth of it estimates ns/op well); warm-up only needs
// to page in the binary and settle first-run effects. Both are overhead
// that efficiency counts against us.
const (
	calibrateFraction = 5  // calibration runs Benchtime / 5
	warmupFraction    = 10 // warm-up runs N / 10 iterations
)

// calibrate lists the benchmarks of every package and finds each one's
// iteration count under the first toolchain that built the package (the
// baseline, unless it failed to build it). The first calibration's
// output gives the result files their header.
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
			c.fail(results.Failure{Toolchain: tc.Name, Pkg: pkg, Stage: results.StageCalibrate, Err: "listing benchmarks: " + err.Error(), Output: tail(out, tailLines)})
			continue
		}
		tops := listedBenchmarks(out)
		c.listed += len(tops)
		for _, top := range tops {
			out, err := c.exec(ctx, tc, pkg, "-test.run=^$", "-test.bench="+topRegexp(top, c.cfg.Bench),
				"-test.benchtime="+calTime.String(), "-test.count=1", "-test.benchmem", "-test.timeout=0")
			if ctx.Err() != nil {
				return nil
			}
			if len(c.m.Header) == 0 {
				c.m.Header = parseConfig(out)
			}
			res, failed := calibrationResults(out, top, c.procs)
			for _, r := range res {
				n := int64(math.Round(float64(goal.Nanoseconds()) / r.NsPerOp))
				if r.NsPerOp <= 0 {
					n = 1
				}
				c.m.Benchmarks = append(c.m.Benchmarks, results.BenchmarkRecord{Pkg: pkg, Name: r.Name, N: max(1, n), CalibratedBy: tc.Name})
			}
			for _, name := range slices.Sorted(maps.Keys(failed)) {
				c.fail(results.Failure{Toolchain: tc.Name, Pkg: pkg, Benchmark: name, Stage: results.StageCalibrate, Err: failed[name].Error(), Output: tail(out, tailLines)})
			}
			if err != nil {
				c.fail(results.Failure{Toolchain: tc.Name, Pkg: pkg, Benchmark: top, Stage: results.StageCalibrate, Err: err.Error(), Output: tail(out, tailLines)})
			}
		}
	}
	return nil
}
