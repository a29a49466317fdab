package explain

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
)

// WriteJSON writes e as JSON, as Run writes it to the run's explain.json.
func (e *Explanation) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(e, "", "\t")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// header is the explanation's first line.
func (e *Explanation) header() string {
	s := fmt.Sprintf("run %s, baseline %s: %d %s explained, about %s per benchmark per toolchain, %s wall",
		e.Run, e.Baseline, len(e.Regressions), plural(len(e.Regressions), "regression", "regressions"),
		seconds(float64(e.Budget)), seconds(float64(e.Wall)))
	if e.Waited >= 1 {
		s += fmt.Sprintf(" (%s of it waiting for the machine lock)", seconds(float64(e.Waited)))
	}
	if e.Status != StatusFinished {
		s += " (" + e.Status + ")"
	}
	return s
}

// seconds formats a number of seconds.
func seconds(s float64) string {
	if math.IsNaN(s) {
		return "?"
	}
	return fmt.Sprintf("%.3gs", s)
}

// title names a result, e.g. "BenchmarkX sec/op +18.20% in go1.27.3 (pkg)".
func (r *Result) title() string {
	d := "from 0"
	if f := float64(r.Delta); !math.IsNaN(f) {
		d = fmt.Sprintf("%+.2f%%", 100*f)
	}
	return fmt.Sprintf("%s %s %s in %s vs %s (%s)", r.Benchmark, r.Unit, d, r.Toolchain, r.Baseline, r.Pkg)
}

// summary is the line under a result's title: the profiles' totals and
// what they cover.
func (r *Result) summary() string {
	s := fmt.Sprintf("%s profile: %s -> %s (%s; measured %s), %d rounds x %d iterations",
		r.SampleType, formatValue(float64(r.Base), r.ValueUnit), formatValue(float64(r.New), r.ValueUnit),
		signed(float64(r.Change), r.ValueUnit), signed(float64(r.MeasuredChange), r.ValueUnit), r.Rounds, r.Iterations)
	if r.Profile == CPU {
		s += fmt.Sprintf(", %d and %d CPU samples", r.BaseSamples, r.NewSamples)
	} else {
		s += fmt.Sprintf(", memprofilerate %d", r.MemRate)
	}
	return s
}

// signed formats a difference with its sign.
func signed(v float64, unit string) string {
	s := formatValue(v, unit)
	if v > 0 {
		s = "+" + s
	}
	return s
}

// share formats a share of the change.
func share(f Number) string {
	if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(f))
}

// WriteText writes e for a terminal: per regression, its profiles'
// totals, the functions with the largest increase per op, flat and
// cumulative, with their share of the change, and the pprof command.
func (e *Explanation) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "explain: %s\n", e.header())
	for _, r := range e.Regressions {
		fmt.Fprintf(&b, "\n%s\n", r.title())
		if r.Error != "" {
			fmt.Fprintf(&b, "  not explained: %s\n", indentRest(r.Error, "  "))
			continue
		}
		fmt.Fprintf(&b, "  %s\n", r.summary())
		for _, part := range []struct {
			name  string
			funcs []Func
		}{{"flat (in the function itself)", r.Flat}, {"cum (with its callees)", r.Cum}} {
			fmt.Fprintf(&b, "  %s:\n", part.name)
			tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintf(tw, "  \t%s\t%s\tdelta\tshare\t function\n", r.Baseline, r.Toolchain)
			for _, f := range part.funcs {
				fmt.Fprintf(tw, "  \t%s\t%s\t%s\t%s\t %s\n", formatValue(float64(f.Base), r.ValueUnit), formatValue(float64(f.New), r.ValueUnit),
					signed(float64(f.Delta), r.ValueUnit), share(f.Share), f.Name)
			}
			if len(part.funcs) == 0 {
				fmt.Fprintf(tw, "  \t\t\t\t\t (no function increased)\n")
			}
			tw.Flush()
		}
		if r.OmittedCallers > 0 {
			fmt.Fprintf(&b, "  (cum leaves out %d %s on nearly every stack of both: the benchmark and its callers)\n",
				r.OmittedCallers, plural(r.OmittedCallers, "function", "functions"))
		}
		for _, warn := range r.Warnings {
			fmt.Fprintf(&b, "  warning: %s\n", warn)
		}
		fmt.Fprintf(&b, "  %s\n", r.Pprof)
	}
	for _, s := range e.Skipped {
		fmt.Fprintf(&b, "skipped: %s\n", s)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// indentRest indents every line of s but the first.
func indentRest(s, prefix string) string {
	return strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// WriteMarkdown writes e as GitHub-flavoured markdown (a job summary, a
// pull request comment): a section per regression with its top
// functions as tables.
func (e *Explanation) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### Explanation of the regressions\n\n%s\n", mdEscape(e.header()))
	for _, r := range e.Regressions {
		fmt.Fprintf(&b, "\n#### %s\n\n", mdEscape(r.title()))
		if r.Error != "" {
			fmt.Fprintf(&b, "Not explained:\n\n```\n%s\n```\n", r.Error)
			continue
		}
		fmt.Fprintf(&b, "%s\n", mdEscape(r.summary()))
		for _, part := range []struct {
			name  string
			funcs []Func
		}{{"Flat", r.Flat}, {"Cumulative", r.Cum}} {
			fmt.Fprintf(&b, "\n| %s | %s | %s | delta | share |\n|---|--:|--:|--:|--:|\n",
				part.name, mdEscape(r.Baseline), mdEscape(r.Toolchain))
			for _, f := range part.funcs {
				fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", strings.ReplaceAll(f.Name, "`", "'"),
					formatValue(float64(f.Base), r.ValueUnit), formatValue(float64(f.New), r.ValueUnit),
					signed(float64(f.Delta), r.ValueUnit), share(f.Share))
			}
			if len(part.funcs) == 0 {
				b.WriteString("| (no function increased) | | | | |\n")
			}
		}
		if r.OmittedCallers > 0 {
			fmt.Fprintf(&b, "\nCumulative leaves out %d %s on nearly every stack of both (the benchmark and its callers).\n",
				r.OmittedCallers, plural(r.OmittedCallers, "function", "functions"))
		}
		for _, warn := range r.Warnings {
			fmt.Fprintf(&b, "\n> **Warning:** %s\n", mdEscape(warn))
		}
		fmt.Fprintf(&b, "\n```\n%s\n```\n", r.Pprof)
	}
	if len(e.Skipped) > 0 {
		b.WriteString("\nSkipped:\n\n")
		for _, s := range e.Skipped {
			fmt.Fprintf(&b, "- %s\n", mdEscape(s))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdEscape escapes the characters markdown would take for markup.
func mdEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;").Replace(s)
}
