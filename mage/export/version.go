package export

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/perftrack/perftrack/mage/explain"
	"github.com/perftrack/perftrack/mage/results"

	"github.com/perftrack/perftrack/mage/stats"
)

// confidence is the level of every confidence interval Export writes, the
// same as benchstat's default.
const confidence = stats.DefaultConfidence

// summarizeRun computes the VersionJSON of a run, without comparisons,
// from a report of mage/stats that has the run as an input.
func summarizeRun(opts Options, platform string, r *run, rep *stats.Report, mod *module, units []string) (*VersionJSON, error) {
	rel, err := filepath.Rel(opts.Results, r.file)
	if err != nil {
		rel = r.file
	}
	v := &VersionJSON{
		SchemaVersion: SchemaVersion, Platform: platform, Version: r.name, Stamp: r.stamp,
		Date: stampDate(r.stamp), Source: filepath.ToSlash(rel), Config: r.config,
		Machine: json.RawMessage("null"), Checks: json.RawMessage("null"),
		Results: []ResultJSON{}, Comparisons: []ComparisonJSON{},
	}
	if m := r.manifest; m != nil && m.run.Names(r.name) { // a manifest describes only the files it lists
		v.Manifest = m.file
		v.Machine, v.Checks = m.machine(opts.KeepHostname), m.Checks
	}
	if r.stamp != "" {
		if v.Explanations, err = explanations(opts.Results, platform, r, mod); err != nil {
			return nil, err
		}
	}
	r.summaries = map[string]map[string]summary{}
	var keys [][2]string
	statsRows(rep, mod, func(id, unit string, t *stats.Table, row *stats.Row) {
		c := cellOf(t, row, r.name)
		b := r.benches[id]
		if c == nil || b == nil {
			return
		}
		if r.summaries[id] == nil {
			r.summaries[id] = map[string]summary{}
		}
		r.summaries[id][unit] = summary{n: c.N, median: c.Center, lo: c.Lo, hi: c.Hi, cv: cvOf(b.values[unit]), warnings: nonNil(c.Warnings)}
		keys = append(keys, [2]string{id, unit})
	})
	slices.SortFunc(keys, unitOrder(units))
	for _, k := range keys {
		s := r.summaries[k[0]][k[1]]
		// The samples in file order (stats sorts its copy), for the charts.
		values := r.benches[k[0]].values[k[1]]
		if len(values) != s.n {
			return nil, fmt.Errorf("%s: %s %s: read %d samples, mage/stats counted %d", r.file, k[0], k[1], len(values), s.n)
		}
		v.Results = append(v.Results, ResultJSON{
			ID: k[0], Unit: k[1], N: s.n, Median: measured(s.median), Lo: num(measured(s.lo)), Hi: num(measured(s.hi)), CV: derivedPtr(s.cv),
			Values: measuredAll(values), Noise: noise(values, s.cv), Warnings: s.warnings,
		})
	}
	return v, nil
}

// comparison reads the ComparisonJSON of target against base out of a
// report of the two (base first), over the benchmarks and units both
// have; the Holm family is every row.
//
// Note: a table of the report need not have both columns. Benchmarks of
// a package (or unit) that only one version has, or results of different
// machines (stats keeps the cpu: line in the table key), make tables of
// one column, and that column is whichever version has them. Cells are
// therefore found by column label, never by position, and a benchmark
// without both cells has no row: that is how the schema says "missing"
// (see ComparisonJSON.Rows).
func comparison(kind string, rep *stats.Report, mod *module, base, target *run, units []string) ComparisonJSON {
	c := ComparisonJSON{
		Kind: kind, Base: base.name, Comparisons: rep.Comparisons, Rows: []DeltaJSON{},
		Interleaved: interleaved(base, target), FailedChecks: failedChecks(base, target),
		Caveats: nonNil(rep.Caveats), Families: families(rep, units),
	}
	var g geomean
	rows := map[[2]string]DeltaJSON{}
	statsRows(rep, mod, func(id, unit string, t *stats.Table, row *stats.Row) {
		b, tc := cellOf(t, row, base.name), cellOf(t, row, target.name)
		if b == nil || tc == nil || tc.Compare == nil {
			return
		}
		cmp := tc.Compare
		rows[[2]string{id, unit}] = DeltaJSON{
			ID: id, Unit: unit, Delta: num(derived(cmp.Delta)), DeltaLo: num(derived(cmp.Lo)), DeltaHi: num(derived(cmp.Hi)), Exact: cmp.Exact, Test: cmp.Test(), P: derived(cmp.PTest),
			PHolm: num(derived(cmp.PHolm)), Estimate: num(derived(cmp.Estimate)),
			Significant: cmp.Significant, SignificantHolm: cmp.SignificantHolm,
			Direction: direction(cmp), Bound: num(derived(cmp.Bound)), Warnings: nonNil(cmp.Warnings),
		}
		g.add(unit, b.Center, tc.Center)
	})
	keys := make([][2]string, 0, len(rows))
	for k := range rows {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, unitOrder(units))
	for _, k := range keys {
		c.Rows = append(c.Rows, rows[k])
	}
	c.Geomean = g.json(units)
	return c
}

// interleaved says whether the runs of two versions are one run of
// Collect that interleaved both, as mage/stats decides it for the
// verdict (stats.Input.Run).
func interleaved(a, b *run) bool {
	var ia, ib stats.Input
	a.manifest.describe(&ia, a.name)
	b.manifest.describe(&ib, b.name)
	return ia.Run != "" && ia.Run == ib.Run
}

// failedChecks lists the failed system checks of the runs of the given
// versions, once per run.
func failedChecks(runs ...*run) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, r := range runs {
		var in stats.Input
		r.manifest.describe(&in, r.name)
		for _, c := range in.FailedChecks {
			s := "run " + r.stamp + ": " + c
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// families converts the report's Holm families, in the index's unit order.
func families(rep *stats.Report, units []string) []stats.FamilyJSON {
	out := []stats.FamilyJSON{}
	for _, u := range units {
		for _, f := range rep.Families {
			if f.Unit != u {
				continue
			}
			out = append(out, rep.FamilyJSON(f))
		}
	}
	return out
}

// noise names the noise class of a sample: "exact" when it has no
// spread at all, else mage/stats' class of its CV.
func noise(values []float64, cv *float64) string {
	if len(values) >= 2 && !slices.ContainsFunc(values, func(v float64) bool { return v != values[0] }) {
		return "exact"
	}
	if cv == nil {
		return "unknown"
	}
	return stats.NoiseClass(*cv)
}

// cellOf returns the cell of row in the column labeled label, or nil
// when the table has no such column or the row no such cell.
func cellOf(t *stats.Table, row *stats.Row, label string) *stats.Cell {
	i := slices.Index(t.Columns, label)
	if i < 0 || i >= len(row.Cells) {
		return nil
	}
	return row.Cells[i]
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// explainedFuncs is how many functions of an explanation the page shows.
const explainedFuncs = 5

// explanations returns the explanations of the regressions of r's
// toolchain that mage/explain kept in r's run, if any.
func explanations(root, platform string, r *run, mod *module) ([]ExplanationJSON, error) {
	file := results.ExplanationFile(root, platform, r.stamp)
	e, err := explain.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the run's explanation: %w", err)
	}
	var out []ExplanationJSON
	for _, x := range e.Regressions {
		if x.Toolchain != r.name {
			continue
		}
		j := ExplanationJSON{
			ID: mod.category(x.Pkg) + ":" + strings.TrimPrefix(x.Benchmark, "Benchmark"), Unit: x.Unit, Base: x.Baseline,
			ValueUnit: x.ValueUnit, Change: num(float64(x.Change)), MeasuredChange: num(float64(x.MeasuredChange)),
			Flat: []FuncJSON{}, Pprof: x.Pprof, Warnings: nonNil(x.Warnings), Error: x.Error,
		}
		for _, f := range x.Flat[:min(len(x.Flat), explainedFuncs)] {
			j.Flat = append(j.Flat, FuncJSON{Function: f.Name, Base: num(float64(f.Base)), New: num(float64(f.New)),
				Delta: num(float64(f.Delta)), Share: num(float64(f.Share))})
		}
		out = append(out, j)
	}
	slices.SortFunc(out, func(a, b ExplanationJSON) int {
		return cmp.Or(strings.Compare(a.ID, b.ID), strings.Compare(a.Unit, b.Unit))
	})
	return out, nil
}
