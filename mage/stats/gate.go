package stats

import (
	"fmt"
	"math"
	"strings"
)

// A Regression is a change that fails the gate.
type Regression struct {
	Table  *Table
	Row    string  // benchmark (row label)
	Column string  // the column that regressed against the baseline
	Delta  float64 // relative change of the center, e.g. +0.08
}

// String describes r, e.g. "Fib/n=10-8 sec/op +8.00% (go1.27.3)".
func (r Regression) String() string {
	if math.IsNaN(r.Delta) {
		return fmt.Sprintf("%s %s from 0 (%s)", r.Row, r.Table.Unit, r.Column)
	}
	return fmt.Sprintf("%s %s %+.2f%% (%s)", r.Row, r.Table.Unit, r.Delta*100, r.Column)
}

// Regressions returns the changes that are significant after the Holm
// correction, worse in their unit's direction, and larger than threshold
// (a fraction: 0.05 is 5%). Units of unknown direction never regress.
// A threshold <= 0 means any significant worse change.
func (r *Report) Regressions(threshold float64) []Regression {
	var out []Regression
	for _, t := range r.Tables {
		for _, row := range t.Rows {
			for ci, c := range row.Cells {
				if c == nil || c.Compare == nil || !Regressed(t.Direction, c.Compare, threshold) {
					continue
				}
				out = append(out, Regression{Table: t, Row: row.Name, Column: t.Columns[ci], Delta: c.Compare.Delta})
			}
		}
	}
	return out
}

// Regressed reports whether one comparison fails the gate: significant
// after Holm, worse in direction dir, by more than threshold. A delta
// that is not finite (a zero baseline) regresses when it is worse.
func Regressed(dir Direction, c *Comparison, threshold float64) bool {
	if !c.SignificantHolm || c.Change != Worse {
		return false
	}
	if math.IsNaN(c.Delta) {
		return true
	}
	switch dir {
	case LowerIsBetter:
		return c.Delta > threshold
	case HigherIsBetter:
		return -c.Delta > threshold
	}
	return false
}

// Failed reports whether the gate of r.Options.FailOn trips.
func (r *Report) Failed() bool {
	return r.Options.FailOn > 0 && len(r.Regressions(r.Options.FailOn)) > 0
}

// Verdict returns the one-line verdict: with a gate (Options.FailOn),
// "FAIL: …" naming every regression or "PASS: …"; without one, how many
// changes are significant after the Holm correction, better and worse.
func (r *Report) Verdict() string {
	var better, worse, other int
	for _, t := range r.Tables {
		for _, row := range t.Rows {
			for _, c := range row.Cells {
				if c == nil || c.Compare == nil || !c.Compare.SignificantHolm {
					continue
				}
				switch c.Compare.Change {
				case Better:
					better++
				case Worse:
					worse++
				case Changed:
					other++
				}
			}
		}
	}
	counts := fmt.Sprintf("%d better, %d worse", better, worse)
	if other > 0 {
		counts += fmt.Sprintf(", %d of unknown direction", other)
	}
	if r.Options.FailOn > 0 {
		pct := fmt.Sprintf("%.4g%%", r.Options.FailOn*100)
		regs := r.Regressions(r.Options.FailOn)
		if len(regs) == 0 {
			return fmt.Sprintf("PASS: no change worse than %s after Holm correction (%s)", pct, counts)
		}
		names := make([]string, len(regs))
		for i, g := range regs {
			names[i] = g.String()
		}
		return fmt.Sprintf("FAIL: %d %s worse than %s after Holm correction: %s", len(regs),
			plural(len(regs), "change", "changes"), pct, strings.Join(names, "; "))
	}
	n := better + worse + other
	if n == 0 {
		return "No significant change after Holm correction"
	}
	return fmt.Sprintf("%d significant %s after Holm correction: %s", n, plural(n, "change", "changes"), counts)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
