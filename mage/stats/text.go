package stats

import (
	"fmt"
	"io"
	"math"
	"strings"

	"golang.org/x/perf/benchproc"
	"golang.org/x/perf/benchunit"
)

// WriteText writes r as benchstat's text table, byte for byte: for each
// table the column headers, one row per benchmark with the center, its ±
// range and footnote marks, and for later columns the delta ("~" when not
// significant) and "(p=… n=…)"; a geomean row when there is more than one
// benchmark; the footnotes. perftrack's additions follow the tables,
// after a blank line (see Report.Lines): notes, exact changes, per metric
// the Holm summary, what the tests could see and the bound of the
// unchanged rows, the caveats, and the verdict.
func (r *Report) WriteText(w io.Writer) error {
	if err := r.writeTables(w); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("\n")
	for _, l := range r.Lines() {
		b.WriteString(l + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Lines returns what perftrack says beyond benchstat's tables, one line
// each, as the text output prints them: "note: …" for grouping notes,
// "exact: …" for each exact change, one line per metric (Summary's
// clauses, then the bound of its unchanged rows), "warning: …" for each
// caveat, then the verdict.
func (r *Report) Lines() []string {
	var out []string
	for _, n := range r.Notes {
		out = append(out, "note: "+n)
	}
	for _, e := range r.ExactChanges() {
		out = append(out, "exact: "+e)
	}
	for _, c := range r.Changes() {
		out = append(out, "change: "+c)
	}
	for _, f := range r.Families {
		out = append(out, f.String(r.Options.Alpha))
		if b := f.BoundText(r.Options.Confidence); b != "" {
			out = append(out, b)
		}
	}
	if len(r.Families) == 0 {
		out = append(out, "nothing was compared")
	}
	for _, c := range r.Caveats {
		out = append(out, "warning: "+c)
	}
	return append(out, r.Verdict())
}

// Changes describes each tested change that is significant after the
// Holm correction: the deciding test's estimate and interval, and the
// test, e.g. "Fib/n=10 sec/op +8.00% [+6.10%, +9.90%] worse (paired
// p=0.0001 n=20, go1.27.3)". (benchstat's table marks changes by its own
// unpaired test, with the ratio of the medians.)
func (r *Report) Changes() []string {
	var out []string
	for _, t := range r.Tables {
		for _, row := range t.Rows {
			for ci, c := range row.Cells {
				if c == nil || c.Compare == nil || c.Compare.Exact || !c.Compare.SignificantHolm {
					continue
				}
				cmp := c.Compare
				out = append(out, fmt.Sprintf("%s %s %s [%s, %s] %s (%s, %s)", row.Name, t.Unit,
					signedPct(cmp.Estimate), signedPct(cmp.Lo), signedPct(cmp.Hi), cmp.Change, cmp.TestText(), t.Columns[ci]))
			}
		}
	}
	return out
}

// signedPct formats a relative change as "+5.00%", or "?" when it is not
// finite.
func signedPct(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "?"
	}
	return fmt.Sprintf("%+.2f%%", f*100)
}

// ExactChanges describes each exact change (two samples that are each
// one value, and differ), e.g. "JSONUnmarshal allocs/op 76 -> 24 (-68.42%,
// go1.27.3)".
func (r *Report) ExactChanges() []string {
	var out []string
	for _, t := range r.Tables {
		class := benchunit.ClassOf(t.Unit)
		for _, row := range t.Rows {
			for ci, c := range row.Cells {
				if c == nil || c.Compare == nil || !c.Compare.Exact || !c.Compare.Significant {
					continue
				}
				base := row.Cells[0]
				scale := benchunit.CommonScale([]float64{base.Center, c.Center}, class)
				d := "from 0"
				if !math.IsNaN(c.Compare.Delta) {
					d = fmt.Sprintf("%+.2f%%", c.Compare.Delta*100)
				}
				out = append(out, fmt.Sprintf("%s %s %s -> %s (%s, %s)", row.Name, t.Unit,
					scale.Format(base.Center), scale.Format(c.Center), d, t.Columns[ci]))
			}
		}
	}
	return out
}

// writeTables writes only what benchstat prints.
func (r *Report) writeTables(w io.Writer) error {
	var err error
	r.eachTable(func(hdr string) {
		if err == nil {
			_, err = fmt.Fprintln(w, hdr)
		}
	}, func(t *Table) {
		if err == nil {
			err = t.writeText(w)
		}
	})
	return err
}

// superscript returns i in superscript digits.
func superscript(i int) string {
	const digits = "⁰¹²³⁴⁵⁶⁷⁸⁹"
	runes := []rune(digits)
	s := ""
	for ; i > 0; i /= 10 {
		s = string(runes[i%10]) + s
	}
	if s == "" {
		s = string(runes[0])
	}
	return s
}

func (t *Table) writeText(w io.Writer) error {
	var g grid
	g.shrink = make(map[int]bool)
	// Each column takes three grid columns (center, ±range, footnotes),
	// and after the baseline three more (delta, p and n, footnotes).
	start := func(col int) int {
		if col == 0 {
			return 1
		}
		return 1 + 3 + (col-1)*6 + 0*col
	}
	var notes footnotes
	mark := func(lists ...[]string) {
		g.put(1, strings.Join(notes.marks(lists...), " "), 'l')
	}

	right := start(len(t.cols) + 1)
	for level := benchproc.NewKeyHeader(t.cols).Top; len(level) > 0; {
		var below []*benchproc.KeyHeaderNode
		g.next()
		for _, n := range level {
			l, r := start(n.Start), start(n.Start+n.Len)
			g.at(l).put(r-l, n.Value, 'c', " │ ")
			below = append(below, n.Children...)
		}
		g.at(right).put(1, "", 'l', " │")
		level = below
	}

	g.next()
	for i := range t.cols {
		l := start(i)
		g.at(l).put(3, t.Unit, 'c', " │ ")
		if i > 0 {
			g.put(3, "vs base", 'l', "  ")
		}
		for j := l + 1; j < g.col; j++ {
			g.shrink[j] = true
		}
	}
	g.at(right).put(1, "", 'l', " │")

	class := benchunit.ClassOf(t.Unit)
	for _, row := range t.Rows {
		g.next()
		g.put(1, row.Name, 'l')
		var centers []float64
		for _, c := range row.Cells {
			if c != nil {
				centers = append(centers, c.Center)
			}
		}
		scale := benchunit.CommonScale(centers, class)
		for i, c := range row.Cells {
			if c == nil {
				continue
			}
			g.at(start(i))
			g.put(1, scale.Format(c.Center), 'r')
			g.put(1, c.Range, 'r', " ± ")
			mark(c.Warnings)
			if i > 0 && c.Compare != nil {
				g.put(1, c.Compare.DeltaText, 'r')
				g.put(1, "("+c.Compare.Text+")", 'l')
				mark(c.Compare.Warnings)
			}
		}
	}

	if len(t.Rows) > 1 {
		g.next()
		g.put(1, "geomean", 'l')
		for i, gm := range t.Geomean {
			if gm.HasCenter {
				g.at(start(i)).put(1, benchunit.Scale(gm.Center, class), 'r')
			}
			if i > 0 {
				g.at(start(i) + 3)
				if gm.HasRatio {
					g.put(1, fmt.Sprintf("%+.2f%%", (gm.Ratio-1)*100), 'r')
				} else {
					g.put(1, "?", 'l')
				}
			}
			g.at(start(i+1) - 1)
			mark(gm.Warnings)
		}
	}

	if err := g.write(w); err != nil {
		return err
	}
	for i, n := range notes.list {
		if _, err := fmt.Fprintf(w, "%s %s\n", superscript(i+1), n); err != nil {
			return err
		}
	}
	return nil
}

// footnotes numbers distinct warnings in the order they are first used,
// as benchstat's footnotes do; the zero value is ready to use.
type footnotes struct {
	list  []string
	index map[string]int
}

// marks returns the superscript marks of msgs, numbering new ones.
func (f *footnotes) marks(lists ...[]string) []string {
	var marks []string
	for _, l := range lists {
		for _, m := range l {
			i, ok := f.index[m]
			if !ok {
				if f.index == nil {
					f.index = make(map[string]int)
				}
				i = len(f.list)
				f.index[m] = i
				f.list = append(f.list, m)
			}
			marks = append(marks, superscript(i+1))
		}
	}
	return marks
}
