package collect

import "math/rand/v2"

// A slot is one sample of a round: benchmark B under toolchain T, as
// indices into the run's benchmarks and toolchains.
type slot struct{ T, B int }

// schedule is everything that decides which samples a round runs. It is
// a plain value, and its methods pure, so that the interleaving can be
// tested without running a benchmark.
type schedule struct {
	// Seed is the run's seed: round r orders the toolchains by a PCG
	// seeded (Seed, r).
	Seed uint64
	// Target is, per benchmark, the samples it needs under each
	// toolchain: Count, plus Extra for a benchmark marked extra.
	Target []int
	// Have is, per toolchain and benchmark, the samples recorded so far.
	Have [][]int
	// Runs is, per toolchain and benchmark, whether the toolchain runs
	// the benchmark: it built its package and the benchmark has not
	// failed under it. A failure skips the benchmark under that
	// toolchain only.
	Runs [][]bool
}

// roundOrder returns the toolchain indices 0..n-1 in round r's order: a
// shuffle seeded by (seed, r), so that the order of any round can be
// replayed from the manifest's seed.
func roundOrder(seed uint64, r, n int) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(seed, uint64(r)))
	rng.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
	return order
}

// needs reports whether toolchain t still needs samples of benchmark b.
func (s schedule) needs(t, b int) bool {
	return s.Runs[t][b] && s.Have[t][b] < s.Target[b]
}

// span returns the rounds left to run, [first, last): first is the
// fewest samples a toolchain has of a benchmark it still needs samples
// of, last the largest target among those. Nothing is left when first >=
// last.
func (s schedule) span() (first, last int) {
	first = -1
	for t := range s.Have {
		for b := range s.Target {
			if !s.needs(t, b) {
				continue
			}
			if first < 0 || s.Have[t][b] < first {
				first = s.Have[t][b]
			}
			last = max(last, s.Target[b])
		}
	}
	if first < 0 {
		return 0, 0
	}
	return first, last
}

// round returns the samples of round r in the order they run: for each
// benchmark in turn, the toolchains in round r's order, each that runs
// the benchmark, has exactly r samples of it and needs more.
//
// Note: "exactly r samples" is what makes a run resumable without
// breaking the interleaving. A run interrupted in round r has some
// toolchains at r+1 samples of a benchmark and others at r: round r
// completes the round for the others only, and round r+1 then runs every
// toolchain alike. It also makes a sample's index in its file its round,
// which reconcileRounds relies on.
func (s schedule) round(r int) []slot {
	order := roundOrder(s.Seed, r, len(s.Have))
	var slots []slot
	for b := range s.Target {
		for _, t := range order {
			if s.needs(t, b) && s.Have[t][b] == r {
				slots = append(slots, slot{T: t, B: b})
			}
		}
	}
	return slots
}
