package explain

import (
	"math"
	"time"
)

// Defaults of Config.
const (
	DefaultBudget = 3 * time.Second
	DefaultRounds = 5
	DefaultTop    = 10
	DefaultMax    = 5
)

// memSamples is the number of allocation samples a profiling run aims
// at: enough that an extra small allocation per op shows, few enough
// that recording their stacks costs a fraction of the run.
const memSamples = 50000

// defaultMemRate is the runtime's default sampling rate of allocations
// (runtime.MemProfileRate), used when the bytes per op are not known.
const defaultMemRate = 512 * 1024

// plan is how one benchmark is profiled under each toolchain: rounds
// runs of iters iterations each, and for an allocation profile the
// sampling rate.
type plan struct {
	rounds  int
	iters   int64
	reduced bool // iters is below the run's calibrated count, to fit the budget
	memRate int  // -test.memprofilerate; 0 for a CPU profile
}

// maxRoundsFactor bounds the rounds a generous budget buys: at most this
// many times the rounds asked for.
const maxRoundsFactor = 4

// planRuns sizes the profiling runs of one benchmark so that each
// toolchain spends about budget on it. Each run does the run's
// calibrated n iterations, as every sample did: a benchmark's setup and
// its first iterations weigh on its per-op values according to the
// count, so another count would profile other per-op costs. The budget
// buys rounds (at least rounds, at most maxRoundsFactor times as many);
// when it cannot pay rounds runs of n iterations, each run does fewer,
// which the plan says. The time per op is the slower side's (nsPerOp),
// or, when the comparison has none, the calibration's (n iterations in
// benchtime). Every toolchain runs the same iteration count, so their
// profiles are totals over the same work, as go tool pprof -diff_base
// compares them. An allocation profile samples about memSamples
// allocations per run (bytesPerOp known), at most one per allocated byte.
func planRuns(kind Kind, budget time.Duration, rounds int, nsPerOp, bytesPerOp float64, n int64, benchtime time.Duration) plan {
	if nsPerOp <= 0 && n > 0 && benchtime > 0 {
		nsPerOp = float64(benchtime.Nanoseconds()) / float64(n)
	}
	p := plan{rounds: rounds, iters: max(n, 1)}
	if nsPerOp > 0 {
		b := float64(budget.Nanoseconds())
		if full := float64(p.iters) * nsPerOp; full*float64(rounds) <= b {
			p.rounds = min(int(b/full), maxRoundsFactor*rounds)
		} else {
			p.iters = max(1, int64(math.Floor(b/float64(rounds)/nsPerOp)))
			p.reduced = p.iters < n
		}
	}
	if kind == Mem {
		p.memRate = defaultMemRate
		if bytesPerOp > 0 {
			rate := bytesPerOp * float64(p.iters) / memSamples
			p.memRate = int(math.Max(1, math.Min(defaultMemRate, math.Floor(rate))))
		}
	}
	return p
}
