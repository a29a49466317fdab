package stats

import (
	"fmt"
	"math"
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
