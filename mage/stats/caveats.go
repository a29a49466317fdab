package stats

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// caveats lists what undermines the report's verdict, in the order a
// reader should weigh it: how the samples were taken (failed checks, not
// one interleaved run), then what was not compared.
func caveats(rep *Report, inputs []Input) []string {
	var out []string
	// Failed checks, once per run.
	seen := map[string]bool{}
	for _, in := range inputs {
		for _, c := range in.FailedChecks {
			who := "run " + in.Run
			if in.Run == "" {
				who = cmp.Or(in.Label, in.Name)
			}
			if k := who + "\x00" + c; !seen[k] {
				seen[k] = true
				out = append(out, fmt.Sprintf("failed system check (%s): %s", who, c))
			}
		}
	}
	if s := interleaving(rep, inputs); s != "" {
		out = append(out, s)
	}
	out = append(out, splits(rep)...)
	out = append(out, oneSided(rep)...)
	return out
}

// interleaving says when the inputs are not one interleaved run: then
// drift of the machine between runs hits one input and not the other, and
// can show as a change.
func interleaving(rep *Report, inputs []Input) string {
	if len(inputs) < 2 {
		return ""
	}
	runs := map[string][]string{}
	var order []string
	for i, in := range inputs {
		if _, ok := runs[in.Run]; !ok {
			order = append(order, in.Run)
		}
		runs[in.Run] = append(runs[in.Run], rep.Inputs[i])
	}
	switch {
	case len(order) == 1 && order[0] != "":
		return ""
	case len(order) == 1:
		return "the inputs are not known to be one interleaved run (no run record): drift of the machine between them can show as changes"
	}
	var parts []string
	for _, run := range order {
		labels := strings.Join(runs[run], ", ")
		if run == "" {
			parts = append(parts, labels+" from no known run")
		} else {
			parts = append(parts, labels+" from run "+run)
		}
	}
	return "the inputs are not one interleaved run (" + strings.Join(parts, "; ") +
		"): drift of the machine between runs can show as changes"
}

// splits names the columns that share no table with the baseline column,
// and the configuration keys that kept them apart: such inputs were not
// compared at all.
func splits(rep *Report) []string {
	if len(rep.Tables) == 0 {
		return nil
	}
	// Columns in report order, and each column's first table.
	var cols []string
	first := map[string]*Table{}
	together := map[[2]string]bool{}
	for _, t := range rep.Tables {
		for _, c := range t.Columns {
			if _, ok := first[c]; !ok {
				cols = append(cols, c)
				first[c] = t
			}
		}
		for _, c := range t.Columns[1:] {
			together[[2]string{t.Columns[0], c}] = true
		}
	}
	base := cols[0]
	var out []string
	for _, c := range cols[1:] {
		if together[[2]string{base, c}] {
			continue
		}
		diff := configDiff(first[base].Config, first[c].Config, base, c)
		msg := fmt.Sprintf("%s was not compared with %s: their results differ in %s", c, base, strings.Join(diff.text, ", "))
		if diff.machine {
			msg += "; results of different machines are never compared"
		}
		out = append(out, msg)
	}
	return out
}

type keyDiff struct {
	text    []string
	machine bool // a key that names the machine differs
}

// configDiff describes the keys whose values differ between two table
// configurations, a of column la and b of column lb.
func configDiff(a, b []KeyValue, la, lb string) keyDiff {
	get := func(kvs []KeyValue, k string) (string, bool) {
		for _, kv := range kvs {
			if kv.Key == k {
				return kv.Value, true
			}
		}
		return "", false
	}
	var keys []string
	for _, kv := range append(slices.Clone(a), b...) {
		if !slices.Contains(keys, kv.Key) {
			keys = append(keys, kv.Key)
		}
	}
	var d keyDiff
	for _, k := range keys {
		va, oka := get(a, k)
		vb, okb := get(b, k)
		if va == vb && oka == okb {
			continue
		}
		show := func(v string, ok bool) string {
			if !ok {
				return "none"
			}
			return fmt.Sprintf("%q", v)
		}
		d.text = append(d.text, fmt.Sprintf("%s (%s in %s, %s in %s)", k, show(va, oka), la, show(vb, okb), lb))
		if k == "cpu" || k == "goos" || k == "goarch" {
			d.machine = true
		}
	}
	if len(d.text) == 0 {
		d.text = []string{"their tables"}
	}
	return d
}

// oneSided names the benchmarks that a column has and its baseline
// lacks, or the other way round, for the report's first metric: they are
// in no comparison.
func oneSided(rep *Report) []string {
	if len(rep.Tables) == 0 {
		return nil
	}
	unit := rep.Tables[0].Unit
	type key struct {
		col  string
		only bool // true: only in col; false: missing from col
	}
	names := map[key][]string{}
	var order []key
	for _, t := range rep.Tables {
		if t.Unit != unit || len(t.Columns) < 2 {
			continue
		}
		for _, r := range t.Rows {
			for ci := 1; ci < len(r.Cells); ci++ {
				if (r.Cells[0] == nil) == (r.Cells[ci] == nil) {
					continue
				}
				k := key{t.Columns[ci], r.Cells[0] == nil}
				if _, ok := names[k]; !ok {
					order = append(order, k)
				}
				names[k] = append(names[k], r.Name)
			}
		}
	}
	var out []string
	for _, k := range order {
		n := names[k]
		list := strings.Join(n[:min(len(n), 5)], ", ")
		if len(n) > 5 {
			list += fmt.Sprintf(" and %d more", len(n)-5)
		}
		what := plural(len(n), "benchmark", "benchmarks")
		if k.only {
			out = append(out, fmt.Sprintf("%d %s only in %s, not in the baseline, so not compared: %s", len(n), what, k.col, list))
		} else {
			out = append(out, fmt.Sprintf("%d %s missing from %s, so not compared: %s", len(n), what, k.col, list))
		}
	}
	return out
}
