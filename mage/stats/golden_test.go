package stats

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// golden compares got with testdata/golden/name; on a mismatch it writes
// name.got beside it (git-ignored), or with -update the golden itself.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		if err := os.WriteFile(path+".got", got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Errorf("%s differs from its golden file; see %s.got", name, path)
	}
}

var corpus3 = []string{"old=testdata/corpus/old.txt", "new=testdata/corpus/new.txt", "third=testdata/corpus/third.txt"}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files []string
		opts  Options
	}{
		{"three", corpus3, Options{FailOn: 0.05}},
		{"two-nogate", corpus3[:2], Options{}},
		{"procs", []string{"old=testdata/corpus/old.txt", "procs=testdata/corpus/procs.txt"}, Options{Filter: ".unit:sec/op", FailOn: 0.5}},
		{"bad", []string{"old=testdata/corpus/old.txt", "bad=testdata/corpus/bad.txt"}, Options{Filter: "/n:10", FailOn: 3}},
	} {
		rep, err := ReadFiles(tc.files, tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		var text, md, csv, js bytes.Buffer
		if err := rep.WriteText(&text); err != nil {
			t.Fatal(err)
		}
		if err := rep.WriteMarkdown(&md); err != nil {
			t.Fatal(err)
		}
		if err := rep.WriteCSV(&csv, &csv); err != nil {
			t.Fatal(err)
		}
		if err := rep.WriteJSON(&js); err != nil {
			t.Fatal(err)
		}
		golden(t, tc.name+".txt", text.Bytes())
		golden(t, tc.name+".md", md.Bytes())
		golden(t, tc.name+".csv", csv.Bytes())
		golden(t, tc.name+".json", js.Bytes())

		// The JSON reads back into the same value.
		var back ReportJSON
		if err := json.Unmarshal(js.Bytes(), &back); err != nil {
			t.Fatal(err)
		}
		if want := rep.JSON(); !reflect.DeepEqual(back, want) {
			t.Errorf("%s: JSON does not round-trip", tc.name)
		}
	}
}
