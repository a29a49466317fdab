package stats

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
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
	// R is read to the end by Build, unless Records is set.
	R io.Reader
	// Records, when not nil, are the input already parsed, in file order,
	// as benchfmt.Reader returns them (*benchfmt.Result,
	// *benchfmt.UnitMetadata, *benchfmt.SyntaxError); R is then not read.
	// They stay the caller's: Build neither keeps nor modifies them, so one
	// parse can serve many Builds. A Result's ".file" is set to the label.
	//
	// Records parsed for many Builds are cheapest labelled already (a
	// Reader reset with the ".file" key and the label), with results of
	// one configuration sharing its slice and its index built
	// (ConfigIndex) before Builds share them: a Build then copies no
	// configuration and projects each configuration and name once.
	Records []benchfmt.Record

	// What the caller knows of the run the input comes from (perftrack's
	// run manifest); the zero values mean "not known".

	// Run names the collect run that produced the input (its stamp).
	// Inputs with the same Run were interleaved round by round; any
	// other set of inputs is reported as not one interleaved run.
	Run string
	// Procs is the GOMAXPROCS the benchmarks ran with. When it is known,
	// exactly the -N suffix go test adds for it is taken off the names;
	// otherwise a suffix is taken off only when the same one ends every
	// benchmark name of the input.
	Procs int
	// FailedChecks are the system checks that failed for the run
	// ("load: 1-minute load 5.1 on 2 cores, want <= 1"), repeated next
	// to the verdict.
	FailedChecks []string
	// Rounds gives, per benchmark, the round of each of its samples in
	// the input, in file order (the run manifest records them). Two
	// inputs of the same Run are compared pair by pair, round by round,
	// where both have the rounds of a benchmark; a sample beyond the
	// recorded ones, or of a negative round, has no pair.
	Rounds map[RoundKey][]int
}

// A RoundKey names a benchmark in Input.Rounds: its package (the pkg:
// line) and its name as collect records it, without the Benchmark prefix
// and without the -GOMAXPROCS suffix go test added.
type RoundKey struct{ Pkg, Name string }

// ParseFileArg splits a "label=path" argument as benchstat does: the
// label is everything before the first "=", else the path itself.
func ParseFileArg(arg string) (label, path string, labeled bool) {
	if i := strings.Index(arg, "="); i >= 0 {
		return arg[:i], arg[i+1:], true
	}
	return arg, arg, false
}

// ReadFiles opens the files named by args (each "path" or "label=path",
// as for benchstat) and builds their Report. A file that cannot be
// opened is an *fs.PathError, with a nil Report; other errors are Build's.
func ReadFiles(args []string, opts Options) (*Report, error) {
	inputs, closeAll, err := OpenFiles(args)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	return Build(inputs, opts)
}

// OpenFiles opens the files named by args (each "path" or "label=path",
// as for benchstat) as Inputs, for a caller that adds what it knows of
// their runs before Build. An unlabeled path given more than once is
// labeled "path#0", "path#1", as benchstat does. closeAll closes every
// file; on error, none is left open.
func OpenFiles(args []string) (inputs []Input, closeAll func(), err error) {
	count := make(map[string]int)
	for _, a := range args {
		if _, p, labeled := ParseFileArg(a); !labeled {
			count[p]++
		}
	}
	closeAll = func() {
		for _, in := range inputs {
			in.R.(*os.File).Close()
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
			closeAll()
			return nil, nil, err
		}
		inputs = append(inputs, Input{Name: path, Label: label, R: f})
	}
	return inputs, closeAll, nil
}

// Build reads every input in order and computes the Report.
//
// The pipeline is benchstat's: parse, filter, group into tables (file
// configuration and unit), rows and columns; per cell the median and its
// confidence interval; per non-baseline cell the Mann-Whitney U test
// against the row's first column; a geomean per column. On top: exact
// comparisons, the Holm correction per metric over the tests, what the
// sample sizes can see, each change's direction and interval, the bound
// of unchanged rows, and the caveats of the inputs.
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
	if opts.Col == ".file" {
		// One column per input: its label says which run it is.
		b.runOf = make(map[string]string)
		for _, in := range inputs {
			b.runOf[cmp.Or(in.Label, in.Name)] = in.Run
		}
	}
	var procs *procsSuffixes
	if !opts.KeepProcs && opts.Row == ".fullname" && !strings.Contains(opts.Col, "name") && !strings.Contains(opts.Col, "/") {
		procs = &procsSuffixes{drop: opts.DropProcs}
	}
	n, units, empty, err := read(rep, inputs, filter, procs, b.add)
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
	correct(rep) // after the rows have their final names
	rep.Caveats = caveats(rep, inputs)
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
// that passes to add (which must not keep it: the
// Reader reuses it), with its -GOMAXPROCS suffix removed by procs unless
// procs is nil; shared tells add that the result's configuration is the
// caller's and does not change (see own). It returns
// the number of results, the unit metadata of all inputs, and the labels
// of inputs without results.
func read(rep *Report, inputs []Input, filter *benchproc.Filter, procs *procsSuffixes, add func(res *benchfmt.Result, round int, shared bool)) (n int, units benchfmt.UnitMetadataMap, empty []string, err error) {
	var rd benchfmt.Reader
	units = make(benchfmt.UnitMetadataMap)
	for _, in := range inputs {
		before := n
		label := cmp.Or(in.Label, in.Name)
		rep.Inputs = append(rep.Inputs, label)
		seen := map[RoundKey]int{}
		roundOf := func(res *benchfmt.Result) int {
			if in.Rounds == nil {
				return -1
			}
			name := string(res.Name)
			if in.Procs > 1 {
				name = strings.TrimSuffix(name, "-"+strconv.Itoa(in.Procs))
			}
			k := RoundKey{res.GetConfig("pkg"), name}
			i := seen[k]
			seen[k]++
			if r := in.Rounds[k]; i < len(r) {
				return r[i]
			}
			return -1
		}
		// Whether go test added a suffix depends on every name of the
		// input, so with procs a reader's input is read whole first
		// (its bytes are far smaller than its parsed results) and its
		// names scanned before its results are added.
		r := in.R
		var suffix []byte
		if procs != nil {
			var names []string
			if in.Records != nil {
				// Each name once: the rule looks at names, not results,
				// and a name's suffix costs more than a map look-up.
				distinct := map[string]bool{}
				for _, rec := range in.Records {
					if res, ok := rec.(*benchfmt.Result); ok && !distinct[string(res.Name)] {
						distinct[string(res.Name)] = true
						names = append(names, string(res.Name))
					}
				}
			} else {
				data, err := io.ReadAll(in.R)
				if err != nil {
					return 0, nil, nil, fmt.Errorf("stats: reading %s: %w", in.Name, err)
				}
				names = resultNames(data)
				r = bytes.NewReader(data)
			}
			suffix = []byte(procs.record(label, GoTestSuffix(in.Procs, names)))
		}
		records := slices.Values(in.Records)
		// The copies own makes, in one allocation; it never grows, so
		// the pointers into it stay valid.
		slab := make([]benchfmt.Result, 0, len(in.Records))
		if in.Records == nil {
			rd.Reset(r, in.Name, ".file", label)
			records = func(yield func(benchfmt.Record) bool) {
				for rd.Scan() && yield(rd.Result()) {
				}
			}
		}
		for rec := range records {
			switch rec := rec.(type) {
			case *benchfmt.SyntaxError:
				rep.Errors = append(rep.Errors, rec)
			case *benchfmt.UnitMetadata:
				// The Reader reports conflicting metadata within what
				// it reads; Records may conflict with anything.
				if have, ok := units[rec.UnitMetadataKey]; ok && have.Value != rec.Value {
					file, line := rec.Pos()
					rep.Errors = append(rep.Errors, &benchfmt.SyntaxError{FileName: file, Line: line,
						Msg: fmt.Sprintf("metadata %s of unit %s already set to %s", rec.Key, rec.OrigUnit, have.Value)})
				} else if !ok {
					units[rec.UnitMetadataKey] = rec
				}
			case *benchfmt.Result:
				shared := false
				if in.Records != nil {
					rec, shared = own(rec, label, &slab)
				}
				// Every result of a benchmark counts toward its rounds,
				// whether the filter keeps it or not.
				round := roundOf(rec)
				m, err := filter.Match(rec)
				if shared && !m.All() {
					rec.Values = slices.Clone(rec.Values) // Apply rewrites them in place
				}
				if !m.Apply(rec) {
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
				if len(suffix) > 0 {
					rec.Name, _ = bytes.CutSuffix(rec.Name, suffix)
				}
				add(rec, round, shared)
				n++
			}
		}
		if err := rd.Err(); in.Records == nil && err != nil {
			return 0, nil, nil, fmt.Errorf("stats: reading %s: %w", in.Name, err)
		}
		if n == before {
			empty = append(empty, label)
		}
	}
	return n, units, empty, nil
}

// own returns a Result of the caller's that Build may change (its name
// loses a suffix, its .file is the label): when rec is labelled already,
// as a benchfmt.Reader reset with the .file key labels it, a copy in slab
// sharing the configuration and the Values, which Build only reads
// (shared; a filter that would rewrite the Values gets them copied
// first); else a deep copy.
//
// Note: the caller's Config is scanned here, not looked up: GetConfig
// builds the Result's index on first use, a write to a record that
// parallel Builds may share. A caller that built it (ConfigIndex) before
// sharing spares every Build one map per record.
func own(rec *benchfmt.Result, label string, slab *[]benchfmt.Result) (c *benchfmt.Result, shared bool) {
	i := slices.IndexFunc(rec.Config, func(c benchfmt.Config) bool { return c.Key == ".file" })
	if i >= 0 && string(rec.Config[i].Value) == label {
		*slab = append(*slab, *rec)
		return &(*slab)[len(*slab)-1], true
	}
	c = rec.Clone()
	c.SetConfig(".file", label)
	return c, false
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

// procsSuffixes takes the -GOMAXPROCS suffix off benchmark names where go
// test added it, input by input, so that results of runs with different
// GOMAXPROCS line up. If every input had the same suffix, finish puts it
// back on the row labels, so the tables equal benchstat's; otherwise rows
// stay without it and finish returns a note.
//
// Note: a suffix is go test's only when it is certain: the run's GOMAXPROCS
// is known, or one -N ends every name of the input. A -cpu=1,2 run (X and
// X-2) or names that end in digits under GOMAXPROCS=1 (Compress/level-1 and
// Compress/level-9) keep their names, so distinct benchmarks of one input
// are never merged.
type procsSuffixes struct {
	suffix []string // per input, in order: the suffix taken off, or ""
	labels []string
	drop   bool // never put the suffixes back (Options.DropProcs)
}

// record notes the suffix taken off the names of input label, and
// returns it.
func (p *procsSuffixes) record(label, suffix string) string {
	p.suffix = append(p.suffix, suffix)
	p.labels = append(p.labels, label)
	return suffix
}

// resultNames returns the benchmark names of the result lines in data
// (without the Benchmark prefix, as benchfmt names them): the lines that
// start with "Benchmark" and have an iteration count.
func resultNames(data []byte) []string {
	var names []string
	for line := range bytes.Lines(data) {
		f := bytes.Fields(line)
		if len(f) < 4 || !bytes.HasPrefix(f[0], []byte("Benchmark")) {
			continue
		}
		if _, err := strconv.Atoi(string(f[1])); err != nil {
			continue
		}
		names = append(names, string(f[0][len("Benchmark"):]))
	}
	return names
}

// GoTestSuffix returns the -N suffix go test added to the benchmark names
// of one result file, the rule Build follows: "-procs" for a known
// GOMAXPROCS procs > 1 ("" for 1); with procs 0 (unknown), the suffix
// that ends every name, or "" when they do not all share one. Only that
// suffix may be taken off the file's names: anything else would merge
// distinct benchmarks (X and X-2 of a -cpu=1,2 run, Compress/level-1 and
// Compress/level-9 under GOMAXPROCS=1).
func GoTestSuffix(procs int, names []string) string {
	if procs == 1 {
		return ""
	}
	if procs > 1 {
		return "-" + strconv.Itoa(procs)
	}
	var s []byte
	for i, name := range names {
		_, suffix := splitProcs(benchfmt.Name(name))
		if suffix == nil || i > 0 && !bytes.Equal(suffix, s) {
			return ""
		}
		s = suffix
	}
	return string(s)
}

func (p *procsSuffixes) finish(rep *Report) []string {
	same := true
	for _, s := range p.suffix {
		same = same && s == p.suffix[0]
	}
	if same && p.drop || same && p.suffix[0] == "" {
		return nil
	}
	if same {
		for _, t := range rep.Tables {
			for _, r := range t.Rows {
				r.Name += p.suffix[0]
			}
		}
		return nil
	}
	var each []string
	for i, s := range p.suffix {
		if s == "" {
			s = "none"
		}
		each = append(each, s+" in "+p.labels[i])
	}
	return []string{fmt.Sprintf("benchmarks ran with different GOMAXPROCS suffixes (%s); rows leave the suffix go test added off", strings.Join(each, ", "))}
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
	runOf                          map[string]string // column label -> Input.Run, with one column per input
	// placed caches where add put the values of a shared result, by its
	// configuration (the caller's, unchanging) and name: the samples of
	// a benchmark repeat both, and projecting was most of a Build.
	placed map[*benchfmt.Config]map[string]*placement
}

// placement is where the values of a result go: the cell of each value,
// in order, for values of these units.
type placement struct {
	units []string
	cells []*cellAcc
}

// oneRun reports whether two columns are inputs of one interleaved run.
func (b *builder) oneRun(col, base benchproc.Key) bool {
	r := b.runOf[col.StringValues()]
	return r != "" && r == b.runOf[base.StringValues()]
}

type tableAcc struct {
	rows, cols map[benchproc.Key]struct{}
	cells      map[cellKey]*cellAcc
}

type cellKey struct{ row, col benchproc.Key }

type cellAcc struct {
	values  []float64
	rounds  []int           // the round of each value, -1 if unknown; nil if none is known
	residue []benchproc.Key // distinct residue keys, usually one
}

// add puts the values of res in their cells. shared says that
// res.Config is the caller's and does not change during the Build, so
// where a result of that configuration and name went is where this one
// goes (projections depend on the configuration, the name and the units
// only).
func (b *builder) add(res *benchfmt.Result, round int, shared bool) {
	var byName map[string]*placement
	if shared && len(res.Config) > 0 {
		if b.placed == nil {
			b.placed = map[*benchfmt.Config]map[string]*placement{}
		}
		if byName = b.placed[&res.Config[0]]; byName == nil {
			byName = map[string]*placement{}
			b.placed[&res.Config[0]] = byName
		}
		if p := byName[string(res.Name)]; p != nil && slices.EqualFunc(p.units, res.Values, func(u string, v benchfmt.Value) bool { return u == v.Unit }) {
			for i, c := range p.cells {
				c.add(res.Values[i].Value, round)
			}
			return
		}
	}
	tableKeys := b.tableBy.ProjectValues(res)
	ck := cellKey{b.rowBy.Project(res), b.colBy.Project(res)}
	rk := b.residue.Project(res)
	var p *placement
	if byName != nil {
		p = &placement{}
		for _, v := range res.Values {
			p.units = append(p.units, v.Unit)
		}
		byName[string(res.Name)] = p
	}
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
		c.add(res.Values[i].Value, round)
		if !slices.Contains(c.residue, rk) {
			c.residue = append(c.residue, rk)
		}
		if p != nil {
			p.cells = append(p.cells, c)
		}
	}
}

// add appends a value and its round.
func (c *cellAcc) add(v float64, round int) {
	c.values = append(c.values, v)
	// Rounds are kept only once one is known (files of a run): plain
	// files would carry a -1 per value for nothing.
	if round >= 0 && c.rounds == nil {
		c.rounds = slices.Repeat([]int{-1}, len(c.values)-1)
	}
	if c.rounds != nil {
		c.rounds = append(c.rounds, round)
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
	// raw and rounds are the values in file order and their rounds,
	// when some round is known; paired says the cell and its base are
	// columns of one interleaved run, so they compare pair by pair.
	raw    []float64
	rounds []int
	paired bool
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
				j := job{residue: acc.residue, assumption: assumption, table: t, cell: cell}
				if slices.ContainsFunc(acc.rounds, func(r int) bool { return r >= 0 }) {
					// NewSample sorts its values: keep them in round order.
					j.raw, j.rounds = slices.Clone(acc.values), acc.rounds
				}
				j.sample = benchmath.NewSample(acc.values, &thresholds)
				jobs = append(jobs, j)
				jp := &jobs[len(jobs)-1]
				cell.Values, cell.N = jp.sample.Values, len(jp.sample.Values)
				if ci == 0 {
					base = jp
				} else if base != nil {
					jp.base = base
					jp.paired = b.oneRun(colk, t.cols[0]) && jp.raw != nil && base.raw != nil
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
	// long-lived workers on the benchmark corpus (tools/statscompare),
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
			finishCompare(j, opts)
		}
	}

	for _, t := range rep.Tables {
		geomeans(t)
	}
}

// summarize fills a cell's summary and warnings, in benchstat's order:
// sample warnings (including the residue), then summary warnings; and
// against the baseline, if any, runs the U test and finds whether the
// comparison is exact and, if not, the interval of the change.
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
	var cmp benchmath.Comparison
	if j.assumption == benchmath.AssumeNothing {
		cmp = compareNothing(j.base.sample, j.sample)
	} else {
		cmp = j.assumption.Compare(j.base.sample, j.sample)
	}
	out := c.Compare
	out.P, out.N1, out.N2 = cmp.P, cmp.N1, cmp.N2
	out.Text = cmp.String()
	for _, w := range cmp.Warnings {
		out.Warnings = append(out.Warnings, w.Error())
	}
	out.PTest = out.P
	out.Exact = j.assumption == benchmath.AssumeExact || constant(j.base.sample.Values) && constant(j.sample.Values)
	if out.Exact {
		return
	}
	if j.paired {
		if d, ok := pair(j.base.raw, j.raw, j.base.rounds, j.rounds); ok && len(d) > 0 {
			out.Paired, out.Pairs = true, len(d)
			out.PTest = signedRank(d)
			out.Estimate, out.Lo, out.Hi = pairedInterval(d, confidence)
			return
		}
	}
	out.Estimate, out.Lo, out.Hi = ratioInterval(j.base.sample.Values, j.sample.Values, confidence)
}

// finishCompare fills what a comparison needs both centers for: the
// delta, significance, and the direction of a change or the bound.
func finishCompare(j *job, opts Options) {
	c := j.cell.Compare
	base, cur := j.base.cell, j.cell
	old, now := base.Center, cur.Center
	c.DeltaText = benchmath.Comparison{P: c.P, Alpha: opts.Alpha}.FormatDelta(old, now)
	c.Delta = delta(old, now)
	if c.Exact {
		// Note: not a test, so not in the Holm family: the samples say
		// exactly what they are (allocs/op 76 -> 24 at n=5 is a change,
		// though no U test at that size survives a correction).
		c.Significant = old != now
		c.Estimate, c.Lo, c.Hi = c.Delta, c.Delta, c.Delta
	} else {
		c.Significant = !(c.PTest > opts.Alpha)
	}
	c.Bound = math.NaN()
	if c.Significant {
		c.Change = classify(j.table.Direction, old, now)
	} else {
		c.Bound = bound(c.Lo, c.Hi)
	}
}

// constant reports whether a sample of two or more values is one value
// repeated.
func constant(values []float64) bool {
	return len(values) >= 2 && values[0] == values[len(values)-1] // sorted
}

// bound returns the largest relative change an interval [lo, hi] of the
// change leaves open, in either direction: max(-lo, hi), at least 0;
// +Inf when the interval is unbounded or undefined.
func bound(lo, hi float64) float64 {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return math.Inf(1)
	}
	return math.Max(0, math.Max(-lo, hi))
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
