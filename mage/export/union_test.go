package export

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/perftrack/perftrack/mage/stats"
)

// writeResults writes files (slash-separated names relative to root, e.g.
// linux-amd64/go1.27.0/20261101T100000Z.txt) and returns Options reading
// them.
func writeResults(t *testing.T, files map[string]string) Options {
	t.Helper()
	root := t.TempDir()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	opts := testOptions(t)
	opts.Results = root
	opts.Benchmarks = ""
	return opts
}

// samples returns six result lines of benchmark name at about ns ns/op
// and 64 B/op, for package pkg, run with GOMAXPROCS=8.
func samples(pkg, name string, ns int) string {
	s := "pkg: " + pkg + "\n"
	for i := range 6 {
		s += fmt.Sprintf("Benchmark%s-8 1000 %d ns/op 64 B/op\n", name, ns+i)
	}
	return s
}

func rowIDs(c ComparisonJSON) []string {
	var ids []string
	for _, r := range c.Rows {
		ids = append(ids, r.ID+" "+r.Unit)
	}
	return ids
}

// TestUnion exports versions whose newest runs cover different packages:
// a package added in go1.26.0 (the tester's case: a benchmark package
// added, then only a new release tracked) and one dropped in go1.27.0.
// Every version keeps all its results; comparisons have rows only for the
// benchmarks both sides have.
func TestUnion(t *testing.T) {
	const run = "/20261101T100000Z.txt"
	opts := writeResults(t, map[string]string{
		"linux-amd64/go1.25.0" + run: samples("m/a", "A", 100) + samples("m/a", "Gone", 50),
		"linux-amd64/go1.26.0" + run: samples("m/a", "A", 200) + samples("m/b", "B", 300),
		"linux-amd64/go1.27.0" + run: samples("m/b", "B", 600),
	})
	site, warnings, err := Build(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings: %v", warnings)
	}
	idx := site.Indexes[0]
	versions := map[string]int{}
	for _, b := range idx.Benchmarks {
		versions[b.ID] = b.Versions
	}
	if want := map[string]int{"m/a:A": 2, "m/a:Gone": 1, "m/b:B": 2}; fmt.Sprint(versions) != fmt.Sprint(want) {
		t.Errorf("benchmarks and their versions = %v, want %v", versions, want)
	}
	for i, want := range [][]string{
		{"m/a:A sec/op", "m/a:A B/op", "m/a:Gone sec/op", "m/a:Gone B/op"},
		{"m/a:A sec/op", "m/a:A B/op", "m/b:B sec/op", "m/b:B B/op"},
		{"m/b:B sec/op", "m/b:B B/op"},
	} {
		var got []string
		for _, r := range site.Versions[0][i].Results {
			got = append(got, r.ID+" "+r.Unit)
		}
		if !slices.Equal(got, want) {
			t.Errorf("results of %s = %v, want %v", idx.Versions[i].Name, got, want)
		}
	}
	v26, v27 := site.Versions[0][1], site.Versions[0][2]
	if len(v26.Comparisons) != 1 || len(v27.Comparisons) != 2 {
		t.Fatalf("comparisons: %d of go1.26.0, %d of go1.27.0", len(v26.Comparisons), len(v27.Comparisons))
	}
	for _, tc := range []struct {
		c    ComparisonJSON
		base string
		rows []string
		n    int // rows in the geomean of sec/op
	}{
		{v26.Comparisons[0], "go1.25.0", []string{"m/a:A sec/op", "m/a:A B/op"}, 1},
		{v27.Comparisons[0], "go1.26.0", []string{"m/b:B sec/op", "m/b:B B/op"}, 1},
		{v27.Comparisons[1], "go1.25.0", nil, 0}, // nothing in common
	} {
		if tc.c.Base != tc.base || !slices.Equal(rowIDs(tc.c), tc.rows) || tc.c.Geomean[0].N != tc.n {
			t.Errorf("comparison with %s: base %s, rows %v, geomean %+v; want rows %v, %d in the geomean",
				tc.base, tc.c.Base, rowIDs(tc.c), tc.c.Geomean, tc.rows, tc.n)
		}
	}
	if r := v27.Comparisons[0].Rows[0]; r.Direction != "worse" || r.Delta == nil || *r.Delta < 0.9 {
		t.Errorf("B go1.26.0 -> go1.27.0 doubles its time: %+v", r)
	}
	// The files encode: the page reads missing as "no row".
	if _, err := site.Files(); err != nil {
		t.Fatal(err)
	}
}

// TestOtherMachine exports two versions run on different CPUs: stats puts
// them in different tables (each of one column) and never compares them.
func TestOtherMachine(t *testing.T) {
	const run = "/20261101T100000Z.txt"
	opts := writeResults(t, map[string]string{
		"linux-amd64/go1.26.0" + run: "cpu: Old CPU\n" + samples("m/a", "A", 100),
		"linux-amd64/go1.27.0" + run: "cpu: New CPU\n" + samples("m/a", "A", 50),
	})
	site, _, err := Build(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	v := site.Versions[0][1]
	if len(v.Results) != 2 || len(v.Comparisons) != 1 || len(v.Comparisons[0].Rows) != 0 {
		t.Errorf("go1.27.0: results %+v, comparisons %+v; want its 2 results and no comparison row", v.Results, v.Comparisons)
	}
}

// TestComparisonOneColumn reads comparisons out of reports whose tables
// lack a column: rows need a cell of the base and of the target, found
// by label, whatever the position.
func TestComparisonOneColumn(t *testing.T) {
	cmp := &stats.Comparison{Delta: 1, P: 0.01, Significant: true, SignificantHolm: true, Change: stats.Worse}
	table := func(pkg string, cols []string, cells ...*stats.Cell) *stats.Table {
		return &stats.Table{
			Config: []stats.KeyValue{{Key: "pkg", Value: pkg}}, Unit: "sec/op", Columns: cols,
			Rows: []*stats.Row{{Name: "X", Cells: cells}},
		}
	}
	for _, tc := range []struct {
		name string
		t    *stats.Table
		want []string
	}{
		{"both", table("both", []string{"old", "new"}, &stats.Cell{Center: 1}, &stats.Cell{Center: 2, Compare: cmp}), []string{"both:X sec/op"}},
		{"target only", table("new", []string{"new"}, &stats.Cell{Center: 2, Compare: cmp}), nil},
		{"base only", table("old", []string{"old"}, &stats.Cell{Center: 1}), nil},
		{"target cell missing", table("gap", []string{"old", "new"}, &stats.Cell{Center: 1}, nil), nil},
		{"columns of other inputs", table("other", []string{"x", "y"}, &stats.Cell{Center: 1}, &stats.Cell{Center: 2, Compare: cmp}), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := comparison("previous", &stats.Report{Tables: []*stats.Table{tc.t}}, &module{}, &run{name: "old"}, &run{name: "new"}, []string{"sec/op"})
			if got := rowIDs(c); !slices.Equal(got, tc.want) {
				t.Errorf("rows %v, want %v", got, tc.want)
			}
			if n := c.Geomean[0].N; n != len(tc.want) {
				t.Errorf("geomean over %d rows, want %d", n, len(tc.want))
			}
			if len(tc.want) > 0 && !strings.HasPrefix(c.Rows[0].Direction, "worse") {
				t.Errorf("row %+v", c.Rows[0])
			}
		})
	}
}

// TestOneVersion exports a platform with a single version: its summaries
// come from a report of its file alone, as there is nothing to compare.
func TestOneVersion(t *testing.T) {
	opts := writeResults(t, map[string]string{
		"linux-amd64/go1.27.0/20261101T100000Z.txt": samples("m/a", "A", 100),
	})
	site, _, err := Build(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	v := site.Versions[0][0]
	if len(v.Results) != 2 || v.Results[0].N != 6 || math.Abs(v.Results[0].Median-102.5e-9) > 1e-18 || len(v.Comparisons) != 0 {
		t.Errorf("results %+v, comparisons %+v; want n=6, median 102.5ns, no comparison", v.Results, v.Comparisons)
	}
}
