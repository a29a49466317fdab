package collect

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// slots formats a round's slots as "t1b0 t2b0 ...": toolchain, benchmark.
func slots(ss []slot) string {
	var f []string
	for _, s := range ss {
		f = append(f, fmt.Sprintf("t%db%d", s.T, s.B))
	}
	return strings.Join(f, " ")
}

// grid returns a toolchains x benchmarks table of v.
func grid[T any](tcs, benchmarks int, v T) [][]T {
	g := make([][]T, tcs)
	for t := range g {
		g[t] = slices.Repeat([]T{v}, benchmarks)
	}
	return g
}

// TestSchedule tables the schedule of three toolchains and two
// benchmarks under seed 7, whose first rounds order the toolchains
// [1 2 0], [2 0 1], [0 2 1], [1 0 2].
func TestSchedule(t *testing.T) {
	const seed = 7
	for r, want := range [][]int{{1, 2, 0}, {2, 0, 1}, {0, 2, 1}, {1, 0, 2}} {
		if got := roundOrder(seed, r, 3); !slices.Equal(got, want) {
			t.Fatalf("roundOrder(%d, %d, 3) = %v, want %v: the table below assumes it", seed, r, got, want)
		}
	}
	for _, tt := range []struct {
		name        string
		target      []int
		have        [][]int
		runs        func(r [][]bool) // changes a table of all true
		first, last int
		rounds      []string // from first
	}{
		{
			name:   "every round runs each toolchain once per benchmark, in the round's order",
			target: []int{2, 2}, have: grid(3, 2, 0),
			first: 0, last: 2,
			rounds: []string{"t1b0 t2b0 t0b0 t1b1 t2b1 t0b1", "t2b0 t0b0 t1b0 t2b1 t0b1 t1b1"},
		},
		{
			// Interrupted in round 1 after t2 and t0 ran benchmark 0.
			name:   "a resumed run completes the interrupted round first",
			target: []int{2, 2}, have: [][]int{{2, 1}, {1, 1}, {2, 1}},
			first: 1, last: 2,
			rounds: []string{"t1b0 t2b1 t0b1 t1b1"},
		},
		{
			name:   "a toolchain whose file lost a round catches up alone",
			target: []int{2, 2}, have: [][]int{{0, 0}, {1, 1}, {1, 1}},
			first: 0, last: 2,
			rounds: []string{"t0b0 t0b1", "t2b0 t0b0 t1b0 t2b1 t0b1 t1b1"},
		},
		{
			name:   "extra rounds run only the benchmarks marked extra",
			target: []int{4, 2}, have: grid(3, 2, 2),
			first: 2, last: 4,
			rounds: []string{"t0b0 t2b0 t1b0", "t1b0 t0b0 t2b0"},
		},
		{
			name:   "a failed benchmark is skipped under its toolchain only",
			target: []int{1, 1}, have: grid(3, 2, 0),
			runs:  func(r [][]bool) { r[2][0] = false },
			first: 0, last: 1,
			rounds: []string{"t1b0 t0b0 t1b1 t2b1 t0b1"},
		},
		{
			name:   "a toolchain that built nothing runs nothing",
			target: []int{1, 1}, have: grid(3, 2, 0),
			runs:  func(r [][]bool) { r[0] = []bool{false, false} },
			first: 0, last: 1,
			rounds: []string{"t1b0 t2b0 t1b1 t2b1"},
		},
		{
			name:   "nothing left",
			target: []int{2, 2}, have: grid(3, 2, 2),
			first: 0, last: 0,
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			runs := grid(3, 2, true)
			if tt.runs != nil {
				tt.runs(runs)
			}
			s := schedule{Seed: seed, Target: tt.target, Have: tt.have, Runs: runs}
			if first, last := s.span(); first != tt.first || last != tt.last {
				t.Errorf("span = [%d, %d), want [%d, %d)", first, last, tt.first, tt.last)
			}
			for i, want := range tt.rounds {
				r := tt.first + i
				if got := slots(s.round(r)); got != want {
					t.Errorf("round %d = %s, want %s", r, got, want)
				}
				// Run the round, as collector.rounds does.
				for _, sl := range s.round(r) {
					s.Have[sl.T][sl.B]++
				}
			}
			if first, last := s.span(); first < last {
				t.Errorf("after the rounds, [%d, %d) is left", first, last)
			}
		})
	}
}
