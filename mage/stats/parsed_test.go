package stats

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"golang.org/x/perf/benchfmt"
)

// parse reads a result file into the records Input.Records takes. With a
// label, the results carry it as their .file, share one configuration
// while it does not change and have their configuration index built, as
// mage/export keeps them for parallel Builds.
func parse(t *testing.T, name string, data []byte, label string) []benchfmt.Record {
	t.Helper()
	var recs []benchfmt.Record
	rd := benchfmt.NewReader(bytes.NewReader(data), name)
	if label != "" {
		rd.Reset(bytes.NewReader(data), name, ".file", label)
	}
	var last *benchfmt.Result
	for rd.Scan() {
		rec := rd.Result()
		if res, ok := rec.(*benchfmt.Result); ok {
			c := res.Clone() // the Reader reuses its Result
			if label != "" {
				if last != nil && reflect.DeepEqual(c.Config, last.Config) {
					c.Config = last.Config
				}
				c.ConfigIndex("")
				last = c
			}
			rec = c
		}
		recs = append(recs, rec)
	}
	if err := rd.Err(); err != nil {
		t.Fatal(err)
	}
	return recs
}

// rendered is everything a report says, in every format.
func rendered(t *testing.T, rep *Report) string {
	t.Helper()
	var text, md, csv, warn, js bytes.Buffer
	for _, err := range []error{rep.WriteText(&text), rep.WriteMarkdown(&md), rep.WriteCSV(&csv, &warn), rep.WriteJSON(&js)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return strings.Join([]string{text.String(), md.String(), csv.String(), warn.String(), js.String(), fmt.Sprint(rep.Errors)}, "\n--\n")
}

// TestRecords builds reports from pre-parsed records and from the same
// bytes read by Build: they must say the same, and the records must be
// left as they were, so one parse serves many Builds.
func TestRecords(t *testing.T) {
	for _, tc := range []struct {
		name     string
		files    []string
		opts     Options
		labelled bool // records already carry their .file, as export's do
	}{
		{"three", corpus3, Options{FailOn: 0.05}, false},
		{"three labelled", corpus3, Options{FailOn: 0.05}, true},
		{"procs", []string{"old=testdata/corpus/old.txt", "procs=testdata/corpus/procs.txt"}, Options{Filter: ".unit:sec/op", FailOn: 0.5}, false},
		{"procs labelled", []string{"old=testdata/corpus/old.txt", "procs=testdata/corpus/procs.txt"}, Options{Filter: ".unit:sec/op", FailOn: 0.5}, true},
		{"bad", []string{"old=testdata/corpus/old.txt", "bad=testdata/corpus/bad.txt"}, Options{Filter: "/n:10", FailOn: 3}, false},
		{"drop procs", corpus3[:2], Options{DropProcs: true}, false},
		{"drop procs labelled", corpus3[:2], Options{DropProcs: true}, true},
		{"file filter", corpus3, Options{Filter: ".file:(old OR third)"}, false},
		// B/op is not a result's first value: the filter moves it.
		{"unit filter labelled", corpus3, Options{Filter: ".unit:B/op"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var read, parsed []Input
			var snapshots [][]benchfmt.Record
			for _, arg := range tc.files {
				label, path, _ := ParseFileArg(arg)
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				read = append(read, Input{Name: path, Label: label, R: bytes.NewReader(data)})
				mark := ""
				if tc.labelled {
					mark = cmp.Or(label, path)
				}
				parsed = append(parsed, Input{Name: path, Label: label, R: iotest.ErrReader(errors.New("R was read")), Records: parse(t, path, data, mark)})
				snapshots = append(snapshots, parse(t, path, data, mark))
			}
			want, wantErr := Build(read, tc.opts)
			for i := range 2 { // the second Build sees the records the first left
				got, err := Build(parsed, tc.opts)
				if fmt.Sprint(err) != fmt.Sprint(wantErr) {
					t.Fatalf("Build %d: err %v, want %v", i, err, wantErr)
				}
				if g, w := rendered(t, got), rendered(t, want); g != w {
					t.Errorf("Build %d of records says\n%s\nBuild of the files says\n%s", i, g, w)
				}
			}
			// Builds sharing the records in parallel, as export runs
			// them (go test -race sees a write to a shared record).
			var wg sync.WaitGroup
			reps, errs := make([]*Report, 3), make([]error, 3)
			for i := range reps {
				wg.Go(func() { reps[i], errs[i] = Build(parsed, tc.opts) })
			}
			wg.Wait()
			for i, rep := range reps {
				if fmt.Sprint(errs[i]) != fmt.Sprint(wantErr) {
					t.Errorf("parallel Build %d: err %v, want %v", i, errs[i], wantErr)
				} else if wantErr == nil && rendered(t, rep) != rendered(t, want) {
					t.Errorf("parallel Build %d of records differs from a Build of the files", i)
				}
			}
			for i, in := range parsed {
				if !reflect.DeepEqual(in.Records, snapshots[i]) {
					t.Errorf("Build changed the records of %s", in.Name)
				}
			}
		})
	}
}

// TestRecordsUnits checks that unit metadata comes from records too,
// and that metadata conflicting across inputs is reported.
func TestRecordsUnits(t *testing.T) {
	input := func(label, better string) Input {
		data := fmt.Sprintf("Unit widgets/op better=%s\n", better)
		for i := range 6 {
			data += fmt.Sprintf("BenchmarkW 1 %d widgets/op\n", 10*len(label)+i)
		}
		return Input{Name: label + ".txt", Label: label, Records: parse(t, label+".txt", []byte(data), "")}
	}
	rep, err := Build([]Input{input("a", "higher"), input("bb", "higher")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := rep.Tables[0].Direction; d != HigherIsBetter || len(rep.Errors) != 0 {
		t.Errorf("direction %v, errors %v; want higher is better, no errors", d, rep.Errors)
	}
	rep, err = Build([]Input{input("a", "higher"), input("bb", "lower")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := rep.Tables[0].Direction; d != HigherIsBetter || len(rep.Errors) != 1 ||
		!strings.Contains(rep.Errors[0].Error(), "bb.txt:1: metadata better of unit widgets/op already set to higher") {
		t.Errorf("direction %v, errors %v; want the first input's direction and an error naming bb.txt:1", d, rep.Errors)
	}
}
