package main

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/perftrack/perftrack/mage/stats"
)

// slowName returns the base name of the GOROOT link that plants a slowdown
// of pct percent: slow-1050 for 5 (the factor in thousandths).
func slowName(pct float64) string {
	return fmt.Sprintf("slow-%04d", int(math.Round(1000+10*pct)))
}

// factorOf reads a GOROOT base name as the generated benchmarks do:
// slow-NNNN is NNNN/1000, anything else 1.
//
// Note: the generated module has its own copy (parseFactor in
// moduleTemplate); TestModule checks that the two agree.
func factorOf(name string) float64 {
	digits, ok := strings.CutPrefix(name, "slow-")
	if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" {
		return 1
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n <= 0 {
		return 1
	}
	return float64(n) / 1000
}

// parsePcts parses the -pcts list: percentages >= 0 in steps of 0.1 (the
// factor's resolution), each once.
func parsePcts(s string) ([]float64, error) {
	var pcts []float64
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(part), "%"))
		if part == "" {
			continue
		}
		p, err := strconv.ParseFloat(part, 64)
		switch {
		case err != nil:
			return nil, fmt.Errorf("-pcts: %q is not a number", part)
		case p < 0 || p > 900:
			return nil, fmt.Errorf("-pcts: %s%% is outside 0..900", part)
		case math.Abs(10*p-math.Round(10*p)) > 1e-9:
			return nil, fmt.Errorf("-pcts: %s%% is finer than 0.1%%, which the factor cannot express", part)
		case slices.ContainsFunc(pcts, func(q float64) bool { return slowName(q) == slowName(p) }):
			return nil, fmt.Errorf("-pcts: %s%% given twice", part)
		}
		pcts = append(pcts, p)
	}
	if len(pcts) == 0 {
		return nil, fmt.Errorf("-pcts: no percentage")
	}
	return pcts, nil
}

// tally is what the comparison of one run found in its sec/op table.
type tally struct {
	Planted        int // planted benchmarks with a comparison
	Found          int // of those, significant after Holm and worse
	PlantedFlagged int // of those, significant after Holm in either direction
	Steady         int // unchanged benchmarks with a comparison
	Flagged        int // of those, significant after Holm in either direction
	Paired         int // comparisons decided pair by pair
	// PlantedDelta is the median change of the planted benchmarks' medians
	// (0.05 is +5%): how much of the planted factor the runs measured.
	PlantedDelta float64
}

// unchanged returns the flagged and the compared benchmarks that had no
// change planted: the steady ones, and in an A/A run the planted ones too.
func (t tally) unchanged(aa bool) (flagged, of int) {
	if aa {
		return t.Flagged + t.PlantedFlagged, t.Steady + t.Planted
	}
	return t.Flagged, t.Steady
}

// count tallies the sec/op rows of a two-column report (baseline first).
// Rows are told apart by name, with or without the Benchmark prefix and a
// -GOMAXPROCS suffix; rows named neither way, and rows without a
// comparison, are not counted.
func count(rep *stats.Report) tally {
	var t tally
	var deltas []float64
	for _, tab := range rep.Tables {
		if tab.Unit != "sec/op" {
			continue
		}
		for _, row := range tab.Rows {
			if len(row.Cells) < 2 || row.Cells[1] == nil || row.Cells[1].Compare == nil {
				continue
			}
			c := row.Cells[1].Compare
			if c.Paired {
				t.Paired++
			}
			name := strings.TrimPrefix(row.Name, "Benchmark")
			switch {
			case strings.HasPrefix(name, plantedPrefix):
				t.Planted++
				deltas = append(deltas, c.Delta)
				if c.SignificantHolm {
					t.PlantedFlagged++
					if c.Change == stats.Worse {
						t.Found++
					}
				}
			case strings.HasPrefix(name, steadyPrefix):
				t.Steady++
				if c.SignificantHolm {
					t.Flagged++
				}
			}
		}
	}
	if len(deltas) > 0 {
		slices.Sort(deltas)
		t.PlantedDelta = deltas[len(deltas)/2]
		if len(deltas)%2 == 0 {
			t.PlantedDelta = (deltas[len(deltas)/2-1] + deltas[len(deltas)/2]) / 2
		}
	}
	return t
}

// checkProbe checks what the test binaries recorded ("<GOROOT> <factor>"
// lines) against want, the factor each toolchain's GOROOT must give: every
// GOROOT of want seen, with its factor, and no other.
func checkProbe(probe []byte, want map[string]float64) error {
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(probe))
	for sc.Scan() {
		goroot, f, ok := strings.Cut(sc.Text(), " ")
		factor, err := strconv.ParseFloat(f, 64)
		if !ok || err != nil {
			return fmt.Errorf("the benchmarks' GOROOT record: bad line %q", sc.Text())
		}
		w, known := want[goroot]
		if !known {
			return fmt.Errorf("a test binary ran with GOROOT=%s, not one of the toolchains' links: collect must pass the label's path as it is", goroot)
		}
		if math.Abs(factor-w) > 1e-9 {
			return fmt.Errorf("the benchmarks under GOROOT=%s took factor %g, want %g", goroot, factor, w)
		}
		seen[goroot] = true
	}
	for goroot := range want {
		if !seen[goroot] {
			return fmt.Errorf("no test binary ran with GOROOT=%s: the planted factor never applied", goroot)
		}
	}
	return nil
}
