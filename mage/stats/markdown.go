package stats

import (
	"fmt"
	"io"
	"math"
	"strings"

	"golang.org/x/perf/benchunit"
)

// WriteMarkdown writes r as GitHub-flavoured markdown for pull request
// comments and step summaries: the verdict on top, then what undermines
// it (the caveats), the exact changes, per metric the Holm summary and the
// bound of the unchanged rows, then per table a heading (configuration,
// unit, direction) and a table with each column's center ± range and,
// against the baseline, the delta marked better or worse (and exact), or
// for unchanged rows the largest change the interval leaves open.
// benchstat's footnotes follow each table.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	mark := "ℹ️"
	switch {
	case r.Options.FailOn > 0 && r.Failed():
		mark = "❌"
	case r.Options.FailOn > 0 && r.GateError() != nil:
		mark = "⚠️"
	case r.Options.FailOn > 0:
		mark = "✅"
	}
	fmt.Fprintf(&b, "**%s %s**\n\n", mark, mdEscape(r.Verdict()))
	for _, c := range r.Caveats {
		fmt.Fprintf(&b, "> ⚠️ %s\n>\n", mdEscape(c))
	}
	if len(r.Caveats) > 0 {
		b.WriteString("\n")
	}
	for _, e := range r.ExactChanges() {
		fmt.Fprintf(&b, "- exact change: %s\n", mdEscape(e))
	}
	for _, f := range r.Families {
		fmt.Fprintf(&b, "- %s\n", mdEscape(f.String(r.Options.Alpha)))
		if t := f.BoundText(r.Options.Confidence); t != "" {
			fmt.Fprintf(&b, "- %s\n", mdEscape(t))
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "\n> Note: %s\n", mdEscape(n))
	}
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "\n> Warning: %s\n", mdEscape(e.Error()))
	}
	level := fmt.Sprintf("%.4g%%", r.Options.Confidence*100)
	for _, t := range r.Tables {
		t.writeMarkdown(&b, level)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdEscape keeps text from breaking a table cell or turning into markup.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;").Replace(s)
}

func (t *Table) writeMarkdown(b *strings.Builder, level string) {
	var cfg []string
	for _, kv := range t.Config {
		cfg = append(cfg, fmt.Sprintf("%s: %s", kv.Key, kv.Value))
	}
	dir := map[Direction]string{HigherIsBetter: "higher is better", LowerIsBetter: "lower is better", Unknown: "direction unknown"}[t.Direction]
	fmt.Fprintf(b, "\n### %s (%s)\n\n", mdEscape(t.Unit), dir)
	if len(cfg) > 0 {
		fmt.Fprintf(b, "%s\n\n", mdEscape(strings.Join(cfg, ", ")))
	}

	var notes footnotes
	footnote := func(msgs []string) string {
		if len(msgs) == 0 {
			return ""
		}
		return " " + strings.Join(notes.marks(msgs), " ")
	}

	b.WriteString("| benchmark |")
	sep := "|---|"
	for i, c := range t.Columns {
		fmt.Fprintf(b, " %s |", mdEscape(c))
		sep += "---:|"
		if i > 0 {
			b.WriteString(" vs base |")
			sep += "---|"
		}
	}
	fmt.Fprintf(b, "\n%s\n", sep)

	class := benchunit.ClassOf(t.Unit)
	for _, row := range t.Rows {
		var centers []float64
		for _, c := range row.Cells {
			if c != nil {
				centers = append(centers, c.Center)
			}
		}
		scale := benchunit.CommonScale(centers, class)
		fmt.Fprintf(b, "| %s |", mdEscape(row.Name))
		for i, c := range row.Cells {
			if c == nil {
				b.WriteString(" |")
				if i > 0 {
					b.WriteString(" |")
				}
				continue
			}
			fmt.Fprintf(b, " %s ± %s%s |", scale.Format(c.Center), c.Range, footnote(c.Warnings))
			if i == 0 {
				continue
			}
			if c.Compare == nil {
				b.WriteString(" |")
				continue
			}
			fmt.Fprintf(b, " %s (%s)%s |", mdChange(c.Compare, level), c.Compare.TestText(), footnote(c.Compare.Warnings))
		}
		b.WriteString("\n")
	}
	if len(t.Rows) > 1 {
		b.WriteString("| **geomean** |")
		for i, g := range t.Geomean {
			if g.HasCenter {
				fmt.Fprintf(b, " %s", benchunit.Scale(g.Center, class))
			}
			fmt.Fprintf(b, "%s |", footnote(g.Warnings))
			if i > 0 {
				if g.HasRatio {
					fmt.Fprintf(b, " %+.2f%% |", (g.Ratio-1)*100)
				} else {
					b.WriteString(" ? |")
				}
			}
		}
		b.WriteString("\n")
	}
	if len(notes.list) > 0 {
		b.WriteString("\n")
		for i, n := range notes.list {
			fmt.Fprintf(b, "%s %s  \n", superscript(i+1), mdEscape(n))
		}
	}
}

// mdChange renders one comparison: the delta marked better or worse (and
// exact, or not surviving the Holm correction); or "~" with the largest
// change the interval leaves open at the confidence level.
func mdChange(c *Comparison, level string) string {
	if c.Exact && !c.Significant {
		return "no change (exact)"
	}
	if !c.Significant {
		if math.IsInf(c.Bound, 0) || math.IsNaN(c.Bound) {
			return "~ (change cannot be bounded: too few samples or values not positive)"
		}
		return fmt.Sprintf("~ (no change larger than ±%.1f%%, %s confidence)", c.Bound*100, level)
	}
	// Note: not benchstat's DeltaText, which is "~" where its unpaired
	// test is not significant, though the deciding test may be; and the
	// deciding test's estimate, which its interval surrounds.
	s := signedPct(c.Estimate)
	switch c.Change {
	case Better:
		s = "🟢 " + s + " better"
	case Worse:
		s = "🔴 " + s + " worse"
	case Changed:
		s += " changed"
	}
	switch {
	case c.Exact:
	case !c.SignificantHolm && c.Change != NoChange:
		s += ", not after Holm"
	default:
		s += fmt.Sprintf(" [%s, %s]", signedPct(c.Lo), signedPct(c.Hi))
	}
	return s
}
