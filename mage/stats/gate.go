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
// correction (or exact), worse in their unit's direction, and larger than threshold
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
// after Holm (or an exact change), worse in direction dir, by more than
// threshold. A delta that is not finite (a zero baseline) regresses when
// it is worse.
//
// Note: the threshold is compared with a tolerance of one part in 10⁹,
// so that 1.3/1-1 = 0.30000000000000004 does not exceed a 30% gate.
func Regressed(dir Direction, c *Comparison, threshold float64) bool {
	if !c.SignificantHolm || c.Change != Worse {
		return false
	}
	if math.IsNaN(c.Delta) {
		return true
	}
	limit := threshold + 1e-9*math.Max(1, threshold)
	switch dir {
	case LowerIsBetter:
		return c.Delta > limit
	case HigherIsBetter:
		return -c.Delta > limit
	}
	return false
}

// Failed reports whether the gate of r.Options.FailOn trips.
func (r *Report) Failed() bool {
	return r.Options.FailOn > 0 && len(r.Regressions(r.Options.FailOn)) > 0
}

// PrimaryUnit is the metric a gate must be able to see: time per
// operation.
const PrimaryUnit = "sec/op"

// GateError returns why the gate of r.Options.FailOn could not have
// tripped, or nil: nothing was compared, or no comparison of the primary
// metric (sec/op; without it, of any gated metric) can be significant at
// the sample sizes at hand. Such a gate passes by accident, so a caller
// must treat it as an error, never as a pass. It is nil without a gate
// and when the gate tripped.
func (r *Report) GateError() error {
	if r.Options.FailOn <= 0 || r.Failed() {
		return nil
	}
	if r.Comparisons == 0 {
		why := "no benchmark of one input has a result in another"
		for _, c := range r.Caveats {
			if strings.Contains(c, "was not compared with") {
				why = c
				break
			}
		}
		return fmt.Errorf("the gate cannot fire: nothing was compared (%s)", why)
	}
	if f := r.Family(PrimaryUnit); f != nil {
		if f.Tests > 0 && !f.Reachable && f.ExactChanged == 0 {
			return fmt.Errorf("the gate cannot fire: %s: %s", f.Unit, f.Power())
		}
		return nil
	}
	var blind []string
	for _, f := range r.Families {
		if f.Direction == Unknown {
			continue
		}
		if f.Exact > 0 || f.Reachable {
			return nil
		}
		blind = append(blind, f.Unit+": "+f.Power())
	}
	if len(blind) == 0 {
		return fmt.Errorf("the gate cannot fire: no %s comparison and no metric of known direction", PrimaryUnit)
	}
	return fmt.Errorf("the gate cannot fire: no %s comparison, and %s", PrimaryUnit, strings.Join(blind, "; "))
}

// Ungated returns the metrics the gate cannot judge because their
// direction is unknown (add a "Unit <unit> better=higher" line to the
// results to gate them).
func (r *Report) Ungated() []string {
	var out []string
	for _, f := range r.Families {
		if f.Direction == Unknown && f.Tests+f.Exact > 0 {
			out = append(out, f.Unit)
		}
	}
	return out
}

// Verdict returns the one-line verdict: with a gate (Options.FailOn),
// "FAIL: …" naming every regression, "ERROR: …" when the gate cannot
// fire (GateError), or "PASS: …"; without one, how many changes are
// significant after the Holm correction, better and worse. Metrics of
// unknown direction are named as not gated.
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
		var v string
		if regs := r.Regressions(r.Options.FailOn); len(regs) > 0 {
			names := make([]string, len(regs))
			for i, g := range regs {
				names[i] = g.String()
			}
			v = fmt.Sprintf("FAIL: %d %s worse than %s after Holm correction: %s", len(regs),
				plural(len(regs), "change", "changes"), pct, strings.Join(names, "; "))
		} else if err := r.GateError(); err != nil {
			v = "ERROR: " + err.Error()
		} else {
			v = fmt.Sprintf("PASS: no change worse than %s after Holm correction (%s)", pct, counts)
		}
		if u := r.Ungated(); len(u) > 0 {
			v += "; not gated (direction unknown): " + strings.Join(u, ", ")
		}
		return v
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
