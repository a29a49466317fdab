package stats

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/aclements/go-moremath/stats"
	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchproc"
)

// ErrNoResults is returned (wrapped) by Build and ReadFiles when the
// inputs hold no benchmark results after filtering.
var ErrNoResults = errors.New("no benchmark results")

// An Input is one result file to compare, already open.
type Input struct {
	// Name is the file name used in error messages ("file:line: msg").
	Name string
	// Label names the input's column (the .file key); "" means Name.
	Label string
	// R is read to the end by Build.
	R io.Reader
}

// ParseFileArg splits a "label=path" argument as benchstat does: the
// label is everything before the first "=", else the path itself.
func ParseFileArg(arg string) (label, path string, labeled bool) {
	if i := strings.Index(arg, "="); i >= 0 {
		return arg[:i], arg[i+1:], true
	}
	return arg, arg, false
}

// ReadFiles opens the files named by args (each "path" or "label=path",
// as for benchstat) and builds their Report. An unlabeled path given
// more than once is labeled "path#0", "path#1", as benchstat does. A file
// that cannot be opened is an *fs.PathError, with a nil Report; other
// errors are Build's.
func ReadFiles(args []string, opts Options) (*Report, error) {
	var inputs []Input
	count := make(map[string]int)
	for _, a := range args {
		if _, p, labeled := ParseFileArg(a); !labeled {
			count[p]++
		}
	}
	seen := make(map[string]int)
	for _, a := range args {
		label, path, labeled := ParseFileArg(a)
		if !labeled && count[path] > 1 {
			label = fmt.Sprintf("%s#%d", path, seen[path])
			seen[path]++
		}
		f, err := os.Open(path)
		if err != nil {
			for _, in := range inputs {
				in.R.(*os.File).Close()
			}
			return nil, err
		}
		inputs = append(inputs, Input{Name: path, Label: label, R: f})
	}
	defer func() {
		for _, in := range inputs {
			in.R.(*os.File).Close()
		}
	}()
	return Build(inputs, opts)
}

// Build reads every input in order and computes the Report.
//
// The pipeline is benchstat's: parse, filter, group into tables (file
// configuration and unit), rows and columns; per cell the median and its
// confidence interval; per non-baseline cell the Mann-Whitney U test
// against the row's first column; a geomean per column. On top: the Holm
// correction over all comparisons, each change's direction, and the
// detection bound of unchanged rows.
//
// Build returns an error for bad Options, a read error, or no results
// in some input (ErrNoResults, naming the inputs). The Report is returned
// with its Errors even then, so a caller can show why nothing was read.
func Build(inputs []Input, opts Options) (*Report, error) {
	opts = opts.withDefaults()
	rep := &Report{Options: opts}
	if !(opts.Alpha > 0 && opts.Alpha <= 1) {
		return rep, fmt.Errorf("stats: alpha %v not in (0, 1]", opts.Alpha)
	}
	if !(opts.FailOn >= 0 && !math.IsInf(opts.FailOn, 0)) {
		return rep, fmt.Errorf("stats: gate threshold %v not a fraction >= 0", opts.FailOn)
	}
	if !(opts.Confidence > 0 && opts.Confidence < 1) {
		return rep, fmt.Errorf("stats: confidence %v not in (0, 1)", opts.Confidence)
	}
	if err := uniqueLabels(inputs); err != nil {
		return rep, err
	}
	filter, err := benchproc.NewFilter(opts.Filter)
	if err != nil {
		return rep, fmt.Errorf("stats: parsing filter: %w", err)
	}
	// Note: the order of these Parse calls matters, as in benchstat:
	// .config in the table projection is "every file key not named
	// elsewhere", so -row, -col and -ignore keys leave it.
	var parser benchproc.ProjectionParser
	tableBy, unitField, err := parser.ParseWithUnit(".config", filter)
	if err != nil {
		return rep, fmt.Errorf("stats: parsing table projection: %w", err)
	}
	rowBy, err := parser.Parse(opts.Row, filter)
	if err != nil {
		return rep, fmt.Errorf("stats: parsing row projection: %w", err)
	}
	colBy, err := parser.Parse(opts.Col, filter)
	if err != nil {
		return rep, fmt.Errorf("stats: parsing column projection: %w", err)
	}
	if ig := opts.ignore(); ig != "" {
		if _, err := parser.Parse(ig, filter); err != nil {
			return rep, fmt.Errorf("stats: parsing ignore keys: %w", err)
		}
	}
	residue := parser.Residue()

	b := &builder{tableBy: tableBy, rowBy: rowBy, colBy: colBy, residue: residue, tables: make(map[benchproc.Key]*tableAcc)}
	var procs *procsSuffixes
	if !opts.KeepProcs && opts.Row == ".fullname" && !strings.Contains(opts.Col, "name") && !strings.Contains(opts.Col, "/") {
		procs = &procsSuffixes{first: make(map[string]string), drop: opts.DropProcs}
	}
	n, units, empty, err := read(rep, inputs, filter, func(res *benchfmt.Result) {
		if procs != nil {
			procs.strip(res)
		}
		b.add(res)
	})
	if err != nil {
		return rep, err
	}
	if n == 0 {
		return rep, fmt.Errorf("stats: %w in %s", ErrNoResults, strings.Join(rep.Inputs, ", "))
	}
	if len(empty) > 0 {
		// Note: benchstat would print the other inputs' columns and say
		// nothing; a missing column is an error here.
		return rep, fmt.Errorf("stats: %w in %s", ErrNoResults, strings.Join(empty, ", "))
	}
	b.finish(rep, unitField, units)
	if procs != nil {
		rep.Notes = append(rep.Notes, procs.finish(rep)...)
	}
	return rep, nil
}

// uniqueLabels fails when two inputs share a label.
//
// Note: benchstat merges such inputs into one column, and a comparison
// meant as old=a.txt,old=b.txt then compares nothing and passes any gate.
func uniqueLabels(inputs []Input) error {
	first := make(map[string]string)
	for _, in := range inputs {
		label := cmp.Or(in.Label, in.Name)
		if prev, ok := first[label]; ok {
			return fmt.Errorf("stats: %s and %s are both labeled %q: give each input its own label", prev, in.Name, label)
		}
		first[label] = in.Name
	}
	return nil
}

// read parses every input, applies the filter and hands each result
// that passes to add (which must not keep it: the Reader reuses it). It
// returns the number of results, the unit metadata of all inputs, and the
// labels of inputs without results.
func read(rep *Report, inputs []Input, filter *benchproc.Filter, add func(*benchfmt.Result)) (n int, units benchfmt.UnitMetadataMap, empty []string, err error) {
	var rd benchfmt.Reader
	for _, in := range inputs {
		before := n
		label := cmp.Or(in.Label, in.Name)
		rep.Inputs = append(rep.Inputs, label)
		rd.Reset(in.R, in.Name, ".file", label)
		for rd.Scan() {
			switch rec := rd.Result().(type) {
			case *benchfmt.SyntaxError:
				rep.Errors = append(rep.Errors, rec)
			case *benchfmt.Result:
				ok, err := filter.Apply(rec)
				if !ok {
					if err != nil {
						rep.Errors = append(rep.Errors, err)
					}
					continue
				}
				if bad := nanUnit(rec); bad != "" {
					// Note: benchstat hangs on NaN samples (the U test
					// never returns), so such results are dropped.
					file, line := rec.Pos()
					rep.Errors = append(rep.Errors, &benchfmt.SyntaxError{FileName: file, Line: line, Msg: bad + " value is NaN; result dropped"})
					continue
				}
				add(rec)
				n++
			}
		}
		if err := rd.Err(); err != nil {
			return 0, nil, nil, fmt.Errorf("stats: reading %s: %w", in.Name, err)
		}
		if n == before {
			empty = append(empty, label)
		}
	}
	return n, rd.Units(), empty, nil
}

// nanUnit returns the unit of the first NaN value of res, or "".
func nanUnit(res *benchfmt.Result) string {
	for _, v := range res.Values {
		if math.IsNaN(v.Value) {
			return v.Unit
		}
	}
	return ""
}

// procsSuffixes drops the -GOMAXPROCS suffix from benchmark names as
// they are read, remembering each benchmark's suffixes. If every
// benchmark had one suffix, finish puts them back on the row labels, so
// the tables equal benchstat's; if some benchmark had several, rows stay
// without suffix, so those results line up, and finish returns a note.
//
// Note: stripping while reading, instead of reading everything first and
// deciding, keeps memory at benchstat's level. Row order is unaffected:
// with one suffix per benchmark, stripped and full names are first seen
// in the same order.
type procsSuffixes struct {
	first    map[string]string // stripped name -> first suffix seen
	seen     []string          // distinct suffixes, in order
	conflict bool
	drop     bool // never put the suffixes back (Options.DropProcs)
}

func (p *procsSuffixes) strip(res *benchfmt.Result) {
	base, procs := splitProcs(res.Name)
	res.Name = base
	s, ok := p.first[string(base)]
	if ok && s == string(procs) {
		return
	}
	if !ok {
		p.first[string(base)] = string(procs)
	} else {
		p.conflict = true
	}
	if !slices.Contains(p.seen, string(procs)) {
		p.seen = append(p.seen, string(procs))
	}
}

func (p *procsSuffixes) finish(rep *Report) []string {
	if p.conflict {
		seen := slices.Clone(p.seen)
		for i, s := range seen {
			if s == "" {
				seen[i] = "none"
			}
		}
		return []string{fmt.Sprintf("benchmarks ran with different GOMAXPROCS suffixes (%s); rows ignore the suffix", strings.Join(seen, ", "))}
	}
	if p.drop {
		return nil
	}
	for _, t := range rep.Tables {
		for _, r := range t.Rows {
			r.Name += p.first[r.Name]
		}
	}
	return nil
}

// BaseName returns a benchmark name without its -GOMAXPROCS suffix
// ("Fib/n=10-8" is "Fib/n=10"), found the way benchfmt finds it; the
// name stays as it is when it has none.
func BaseName(name string) string {
	base, _ := splitProcs(benchfmt.Name(name))
	return string(base)
}

// splitProcs splits "Fib/n=10-8" into "Fib/n=10" and "-8", the way
// benchfmt.Name.Parts finds the GOMAXPROCS part.
func splitProcs(name benchfmt.Name) (base benchfmt.Name, procs []byte) {
	_, parts := name.Parts()
	if len(parts) > 0 {
		last := parts[len(parts)-1]
		if len(last) > 1 && last[0] == '-' {
			return name[:len(name)-len(last)], last
		}
	}
	return name, nil
}

type builder struct {
	tableBy, rowBy, colBy, residue *benchproc.Projection
	tables                         map[benchproc.Key]*tableAcc
}

type tableAcc struct {
	rows, cols map[benchproc.Key]struct{}
	cells      map[cellKey]*cellAcc
}

type cellKey struct{ row, col benchproc.Key }

type cellAcc struct {
	values  []float64
	residue []benchproc.Key // distinct residue keys, usually one
}

func (b *builder) add(res *benchfmt.Result) {
	tableKeys := b.tableBy.ProjectValues(res)
	ck := cellKey{b.rowBy.Project(res), b.colBy.Project(res)}
	rk := b.residue.Project(res)
	for i, tk := range tableKeys {
		t := b.tables[tk]
		if t == nil {
			t = &tableAcc{rows: make(map[benchproc.Key]struct{}), cols: make(map[benchproc.Key]struct{}), cells: make(map[cellKey]*cellAcc)}
			b.tables[tk] = t
		}
		c := t.cells[ck]
		if c == nil {
			c = &cellAcc{}
			t.cells[ck] = c
			t.rows[ck.row] = struct{}{}
			t.cols[ck.col] = struct{}{}
		}
		c.values = append(c.values, res.Values[i].Value)
		if !slices.Contains(c.residue, rk) {
			c.residue = append(c.residue, rk)
		}
	}
}

func sortedKeys(m map[benchproc.Key]struct{}) []benchproc.Key {
	keys := make([]benchproc.Key, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	benchproc.SortKeys(keys)
	return keys
}

// job is one cell to summarize and, against base, to compare.
//
// Note: jobs stay small, and cells and comparisons come from two slabs
// allocated before the U tests, because everything alive during the U
// tests raises the garbage collector's heap goal while their short-lived
// memos churn: that keeps peak memory at benchstat's level.
type job struct {
	cell       *Cell
	sample     *benchmath.Sample
	base       *job // nil in the first column or without a baseline
	residue    []benchproc.Key
	assumption benchmath.Assumption
	table      *Table
}

func (b *builder) finish(rep *Report, unitField *benchproc.Field, units benchfmt.UnitMetadataMap) {
	opts := rep.Options
	thresholds := benchmath.Thresholds{CompareAlpha: opts.Alpha}
	var tkeys []benchproc.Key
	ncells := 0
	for k, acc := range b.tables {
		tkeys = append(tkeys, k)
		ncells += len(acc.cells)
	}
	benchproc.SortKeys(tkeys)

	cells := make([]Cell, ncells)
	jobs := make([]job, 0, ncells)
	ncmp := 0
	for _, tk := range tkeys {
		acc := b.tables[tk]
		unit := tk.Get(unitField)
		t := &Table{Unit: unit, Direction: UnitDirection(units, unit), key: tk}
		for _, f := range tk.Projection().FlattenedFields() {
			if f != unitField {
				t.Config = append(t.Config, KeyValue{f.Name, tk.Get(f)})
			}
		}
		rows := sortedKeys(acc.rows)
		t.cols = sortedKeys(acc.cols)
		for _, c := range t.cols {
			t.Columns = append(t.Columns, c.StringValues())
		}
		assumption := units.GetAssumption(unit)
		for _, rk := range rows {
			row := &Row{Name: rk.StringValues(), Cells: make([]*Cell, len(t.cols))}
			var base *job
			for ci, colk := range t.cols {
				acc := acc.cells[cellKey{rk, colk}]
				if acc == nil {
					continue
				}
				cell := &cells[len(jobs)]
				row.Cells[ci] = cell
				jobs = append(jobs, job{cell: cell, sample: benchmath.NewSample(acc.values, &thresholds), residue: acc.residue, assumption: assumption, table: t})
				j := &jobs[len(jobs)-1]
				cell.Values, cell.N = j.sample.Values, len(j.sample.Values)
				if ci == 0 {
					base = j
				} else if base != nil {
					j.base = base
					ncmp++
				}
			}
			t.Rows = append(t.Rows, row)
		}
		rep.Tables = append(rep.Tables, t)
	}
	cmps := make([]Comparison, ncmp)
	for i := range jobs {
		if jobs[i].base != nil {
			jobs[i].cell.Compare = &cmps[0]
			cmps = cmps[1:]
		}
	}
	// The jobs hold everything still needed; let the grouping maps go.
	b.tables = nil

	// Summaries and U tests are the costly part: spread them over the CPUs.
	//
	// Note: one short-lived goroutine per cell, at most twice GOMAXPROCS
	// at a time, measured about 25% lower peak RSS than a pool of
	// long-lived workers on the benchmark corpus (scripts/statscompare),
	// and equal to benchstat's, at the same speed.
	var wg sync.WaitGroup
	limit := make(chan struct{}, 2*runtime.GOMAXPROCS(0))
	for i := range jobs {
		limit <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			summarize(&jobs[i], opts.Confidence)
			<-limit
		}()
	}
	wg.Wait()
	// The rest needs the summaries of both cells of each comparison.
	for i := range jobs {
		if j := &jobs[i]; j.base != nil {
			finishCompare(j, opts.Alpha)
		}
	}

	for _, t := range rep.Tables {
		geomeans(t)
	}
	correct(rep)
}

// summarize fills a cell's summary and warnings, in benchstat's order:
// sample warnings (including the residue), then summary warnings; and
// runs the U test against the baseline, if any.
func summarize(j *job, confidence float64) {
	s := j.assumption.Summary(j.sample, confidence)
	c := j.cell
	c.Center, c.Lo, c.Hi = s.Center, s.Lo, s.Hi
	c.Range = s.PctRangeString()
	for _, w := range j.sample.Warnings {
		c.Warnings = append(c.Warnings, w.Error())
	}
	if fields := benchproc.NonSingularFields(j.residue); len(fields) > 0 {
		names := make([]string, len(fields))
		for i, f := range fields {
			names[i] = f.Name
		}
		c.Warnings = append(c.Warnings, "benchmarks vary in "+strings.Join(names, ", "))
	}
	for _, w := range s.Warnings {
		c.Warnings = append(c.Warnings, w.Error())
	}
	if j.base == nil {
		return
	}
	cmp := j.assumption.Compare(j.base.sample, j.sample)
	out := c.Compare
	out.P, out.N1, out.N2 = cmp.P, cmp.N1, cmp.N2
	out.Text = cmp.String()
	for _, w := range cmp.Warnings {
		out.Warnings = append(out.Warnings, w.Error())
	}
}

// finishCompare fills what a comparison needs both centers for.
func finishCompare(j *job, alpha float64) {
	c := j.cell.Compare
	old, cur := j.base.cell.Center, j.cell.Center
	c.DeltaText = benchmath.Comparison{P: c.P, Alpha: alpha}.FormatDelta(old, cur)
	c.Significant = !(c.P > alpha)
	c.Delta = delta(old, cur)
	c.Bound = math.NaN()
	if c.Significant {
		c.Change = classify(j.table.Direction, old, cur)
	} else {
		c.Bound = Bound(j.base.cell.Lo, j.base.cell.Hi, j.cell.Lo, j.cell.Hi)
	}
}

// delta is the relative change from old to cur.
func delta(old, cur float64) float64 {
	switch {
	case old == cur:
		return 0
	case old == 0:
		return math.NaN()
	}
	return cur/old - 1
}

// classify says whether a significant move from old to cur is better or
// worse in direction dir.
func classify(dir Direction, old, cur float64) Change {
	switch {
	case old == cur:
		return NoChange
	case dir == Unknown:
		return Changed
	case (cur > old) == (dir == HigherIsBetter):
		return Better
	}
	return Worse
}

// Bound returns the largest relative change between two medians that
// their confidence intervals [lo0, hi0] (baseline) and [lo1, hi1] cannot
// rule out: max(hi1/lo0-1, 1-lo1/hi0). Identical degenerate intervals
// give 0; an unbounded interval, or one that is not positive, gives +Inf.
func Bound(lo0, hi0, lo1, hi1 float64) float64 {
	if lo0 == hi0 && lo1 == hi1 && lo0 == lo1 && !math.IsInf(lo0, 0) {
		return 0
	}
	for _, v := range []float64{lo0, hi0, lo1, hi1} {
		if math.IsInf(v, 0) || math.IsNaN(v) || v <= 0 {
			return math.Inf(1)
		}
	}
	return math.Max(hi1/lo0-1, 1-lo1/hi0)
}

// geomeans computes the summary row of a table with benchstat's rules:
// the geomean of each column's centers, and for later columns the
// geomean of the per-row ratios to the baseline (0/0 counts as 1, a zero
// baseline spoils the ratio).
func geomeans(t *Table) {
	nBase := 0
	for _, r := range t.Rows {
		if r.Cells[0] != nil {
			nBase++
		}
	}
	t.Geomean = make([]*Geomean, len(t.cols))
	for ci := range t.cols {
		g := &Geomean{}
		t.Geomean[ci] = g
		var centers, ratios []float64
		badRatio := false
		for _, r := range t.Rows {
			c := r.Cells[ci]
			if c == nil {
				continue
			}
			centers = append(centers, c.Center)
			if ci == 0 || r.Cells[0] == nil {
				continue
			}
			cur, old := c.Center, r.Cells[0].Center
			switch {
			case cur == old:
				ratios = append(ratios, 1)
			case old == 0:
				badRatio = true
				ratios = append(ratios, 0)
			default:
				ratios = append(ratios, cur/old)
			}
		}
		if ci > 0 && nBase != len(ratios) {
			g.Warnings = append(g.Warnings, "benchmark set differs from baseline; geomeans may not be comparable")
		}
		if gm := stats.GeoMean(centers); math.IsNaN(gm) {
			g.Warnings = append(g.Warnings, "summaries must be >0 to compute geomean")
		} else {
			g.HasCenter, g.Center = true, gm
		}
		if ci > 0 && !badRatio {
			if gm := stats.GeoMean(ratios); math.IsNaN(gm) {
				g.Warnings = append(g.Warnings, "ratios must be >0 to compute geomean")
			} else {
				g.HasRatio, g.Ratio = true, gm
			}
		}
	}
}

// correct applies the Holm correction over every comparison of rep and
// counts the significant ones.
func correct(rep *Report) {
	var cmps []*Comparison
	for _, t := range rep.Tables {
		for _, r := range t.Rows {
			for _, c := range r.Cells {
				if c != nil && c.Compare != nil {
					cmps = append(cmps, c.Compare)
				}
			}
		}
	}
	p := make([]float64, len(cmps))
	for i, c := range cmps {
		p[i] = c.P
	}
	adj := Holm(p)
	rep.Comparisons = len(cmps)
	for i, c := range cmps {
		c.PHolm = adj[i]
		c.SignificantHolm = c.Significant && !(adj[i] > rep.Options.Alpha)
		if c.Significant {
			rep.Significant++
		}
		if c.SignificantHolm {
			rep.SignificantHolm++
		}
	}
}

// Holm returns the Holm-Bonferroni adjusted p-values of p, in p's order:
// sorted ascending, the i-th smallest (from 0) is multiplied by m-i,
// made monotone and capped at 1. A comparison is significant after the
// correction when its adjusted p-value is <= alpha; this controls the
// chance of any false positive in the family at alpha.
func Holm(p []float64) []float64 {
	m := len(p)
	idx := make([]int, m)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return p[idx[a]] < p[idx[b]] })
	adj := make([]float64, m)
	running := 0.0
	for rank, i := range idx {
		v := math.Min(1, float64(m-rank)*p[i])
		running = math.Max(running, v)
		adj[i] = running
	}
	return adj
}
