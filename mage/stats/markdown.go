package stats

import (
	"fmt"
	"io"
	"math"
	"strings"

	"golang.org/x/perf/benchunit"
)

// WriteMarkdown writes r as GitHub-flavoured markdown for pull request
// comments and step summaries: the verdict on top, the Holm summary, then
// per table a heading (configuration, unit, direction) and a table with
// each column's center ± range and, against the baseline, the delta
// marked better or worse, or for unchanged rows the largest change the
// intervals cannot rule out. benchstat's footnotes follow each table.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	mark := "ℹ️"
	switch {
	case r.Options.FailOn > 0 && r.Failed():
		mark = "❌"
	case r.Options.FailOn > 0:
		mark = "✅"
	}
	fmt.Fprintf(&b, "**%s %s**\n\n", mark, mdEscape(r.Verdict()))
	fmt.Fprintf(&b, "%s.\n", r.Summary())
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "\n> Note: %s\n", mdEscape(n))
	}
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "\n> Warning: %s\n", mdEscape(e.Error()))
	}
	for _, t := range r.Tables {
		t.writeMarkdown(&b)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdEscape keeps text from breaking a table cell or turning into markup.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;").Replace(s)
}

func (t *Table) writeMarkdown(b *strings.Builder) {
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
			fmt.Fprintf(b, " %s (%s)%s |", mdChange(c.Compare), c.Compare.Text, footnote(c.Compare.Warnings))
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

// mdChange renders one comparison: the delta marked better or worse,
// noting when it does not survive the Holm correction; or "~" with the
// largest change the intervals cannot rule out.
func mdChange(c *Comparison) string {
	if !c.Significant {
		if math.IsInf(c.Bound, 0) || math.IsNaN(c.Bound) {
			return "~ (change cannot be bounded: too few samples or values not positive)"
		}
		return fmt.Sprintf("~ (no change larger than ±%.1f%% detected)", c.Bound*100)
	}
	s := c.DeltaText
	switch c.Change {
	case Better:
		s = "🟢 " + s + " better"
	case Worse:
		s = "🔴 " + s + " worse"
	case Changed:
		s += " changed"
	}
	if !c.SignificantHolm && c.Change != NoChange {
		s += ", not after Holm"
	}
	return s
}
