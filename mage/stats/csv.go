package stats

import (
	"encoding/csv"
	"fmt"
	"io"

	"golang.org/x/perf/benchproc"
)

// WriteCSV writes r as benchstat -format csv does, byte for byte: per
// table the column key rows, a header row, one row per benchmark (center
// at full precision, the ± range, and for later columns the delta and
// "p=… n=…"), and a geomean row. Warnings go to warnings, each prefixed
// with the spreadsheet cell it belongs to ("B4: need >= 6 samples …").
func (r *Report) WriteCSV(w, warnings io.Writer) error {
	o := csv.NewWriter(w)
	line := 1
	r.eachTable(func(hdr string) {
		o.Write([]string{hdr})
		line++
	}, func(t *Table) {
		line += t.writeCSV(o, line, warnings)
	})
	o.Flush()
	return o.Error()
}

// eachTable calls hdr for the lines before each table (a blank line
// between tables, then "key: value" for each table key that changed from
// the previous table) and body for the table, as benchstat prints them.
func (r *Report) eachTable(hdr func(string), body func(*Table)) {
	var prev benchproc.Key
	for i, t := range r.Tables {
		if i > 0 {
			hdr("")
		}
		for _, f := range t.key.Projection().FlattenedFields() {
			if f.Name == ".unit" {
				continue
			}
			if v := t.key.Get(f); prev.IsZero() || v != prev.Get(f) {
				hdr(f.Name + ": " + v)
			}
		}
		prev = t.key
		body(t)
	}
}

// cellRef names a spreadsheet cell the way benchstat does: the column
// letters of index col (with benchstat's quirk of counting from "A" as
// zero in every digit) and the line number.
func cellRef(col, line int) string {
	var b []byte
	for x := col; x > 0; x /= 26 {
		b = append([]byte{'A' + byte(x%26)}, b...)
	}
	if len(b) == 0 {
		b = []byte{'A'}
	}
	return fmt.Sprintf("%s%d", b, line)
}

// writeCSV writes one table starting at line and returns its line count.
func (t *Table) writeCSV(o *csv.Writer, line int, warnings io.Writer) int {
	// Column layout: the label, then per column center and CI, plus
	// delta and P for every column after the baseline.
	start := func(col int) int {
		if col == 0 {
			return 1
		}
		return 3 + (col-1)*4
	}
	var rec []string
	lines := 0
	pad := func(n int) {
		for len(rec) < n {
			rec = append(rec, "")
		}
	}
	flush := func() {
		o.Write(rec)
		rec = rec[:0]
		lines++
	}
	warn := func(msgs []string) {
		for _, m := range msgs {
			fmt.Fprintf(warnings, "%s: %s\n", cellRef(len(rec), line+lines), m)
		}
	}

	for _, f := range t.cols[0].Projection().FlattenedFields() {
		for i, k := range t.cols {
			pad(start(i))
			rec = append(rec, k.Get(f))
		}
		pad(start(len(t.cols)))
		flush()
	}
	for i := range t.cols {
		pad(start(i))
		rec = append(rec, t.Unit, "CI")
		if i > 0 {
			rec = append(rec, "vs base", "P")
		}
	}
	flush()

	for _, row := range t.Rows {
		rec = append(rec, row.Name)
		for i, c := range row.Cells {
			if c == nil {
				continue
			}
			pad(start(i))
			warn(c.Warnings)
			rec = append(rec, fmt.Sprint(c.Center), c.Range)
			if i > 0 && c.Compare != nil {
				warn(c.Compare.Warnings)
				rec = append(rec, c.Compare.DeltaText, c.Compare.Text)
			}
		}
		flush()
	}

	rec = append(rec, "geomean")
	for i, g := range t.Geomean {
		pad(start(i))
		warn(g.Warnings)
		if g.HasCenter {
			rec = append(rec, fmt.Sprint(g.Center))
		}
		if i > 0 {
			pad(start(i) + 2)
			if g.HasRatio {
				rec = append(rec, fmt.Sprintf("%+.2f%%", (g.Ratio-1)*100))
			} else {
				rec = append(rec, "?")
			}
		}
	}
	pad(start(len(t.cols)))
	flush()
	return lines
}
