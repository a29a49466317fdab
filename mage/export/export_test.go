package export

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func testOptions(t *testing.T) Options {
	t.Helper()
	return Options{
		Results:    filepath.Join("testdata", "results"),
		Data:       filepath.Join(t.TempDir(), "docs", "data"),
		Benchmarks: filepath.Join("testdata", "benchmarks"),
		Root:       "testdata",
	}
}

// readTree returns every file under dir by slash-separated relative name.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestExportGolden(t *testing.T) {
	opts := testOptions(t)
	rep, err := Export(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	got := readTree(t, opts.Data)
	golden := filepath.Join("testdata", "golden")
	if *update {
		os.RemoveAll(golden)
		for name, data := range got {
			p := filepath.Join(golden, filepath.FromSlash(name))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := readTree(t, golden)
	for name, data := range want {
		if strings.Contains(name, ".got") {
			delete(want, name)
			continue
		}
		if !bytes.Equal(got[name], data) {
			p := filepath.Join(golden, filepath.FromSlash(name)) + ".got"
			os.WriteFile(p, got[name], 0o644)
			t.Errorf("%s differs from the golden file; wrote %s", name, p)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("unexpected file %s", name)
		}
	}
	if rep.Platforms != 2 || rep.Versions != 6 || rep.Files != len(got)-1 {
		t.Errorf("report = %+v, want 2 platforms, 6 versions, %d files and the marker", rep, len(got)-1)
	}
	// The report says which run each version came from: darwin's files
	// have no manifest; linux's lists its three versions: one run.
	var runs []string
	for _, u := range rep.Runs {
		runs = append(runs, u.Platform+"/"+u.Version+" "+u.Source+" "+u.Run)
	}
	wantRuns := []string{
		"darwin-arm64/go1.25.5 darwin-arm64/go1.25.5/20261101T100000Z.txt ",
		"darwin-arm64/go1.26.8 darwin-arm64/go1.26.8/20261101T100000Z.txt ",
		"darwin-arm64/go1.27.3 darwin-arm64/go1.27.3/20261101T100000Z.txt ",
		"linux-amd64/go1.25.5 linux-amd64/go1.25.5/20261101T100000Z.txt linux-amd64/20261101T100000Z",
		"linux-amd64/go1.26.8 linux-amd64/go1.26.8/20261101T100000Z.txt linux-amd64/20261101T100000Z",
		"linux-amd64/go1.27.3 linux-amd64/go1.27.3/20261101T100000Z.txt linux-amd64/20261101T100000Z",
	}
	if !slices.Equal(runs, wantRuns) {
		t.Errorf("runs used:\n%s\nwant\n%s", strings.Join(runs, "\n"), strings.Join(wantRuns, "\n"))
	}
	var msgs []string
	for _, w := range rep.Warnings {
		msgs = append(msgs, w.Error())
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{
		filepath.Join("testdata", "results", "darwin-arm64", "go1.24.0") + ": no results",
		filepath.Join("testdata", "results", "linux-amd64", "go1.27.3", "20261101T100000Z.txt") + ":8: parsing iteration count",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
	if len(msgs) != 2 {
		t.Errorf("got %d warnings, want 2:\n%s", len(msgs), all)
	}
}

// TestContent checks what the golden files must say, so a regenerated
// golden file cannot silently lose it.
func TestContent(t *testing.T) {
	site, _, err := Build(context.Background(), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(site.Platforms.Platforms); n != 2 {
		t.Fatalf("%d platforms", n)
	}
	if p := site.Platforms.Platforms[1]; p.ID != "linux-amd64" || p.Name != "Linux x86-64" || p.Versions != 3 || p.Newest != "go1.27.3" {
		t.Errorf("platform = %+v", p)
	}
	idx := site.Indexes[1]
	var names []string
	for _, v := range idx.Versions {
		names = append(names, v.Name)
	}
	if !slices.Equal(names, []string{"go1.25.5", "go1.26.8", "go1.27.3"}) {
		t.Errorf("versions %v", names)
	}
	var units []string
	for _, u := range idx.Units {
		units = append(units, u.Unit)
	}
	if !slices.Equal(units, []string{"sec/op", "B/op", "allocs/op", "widgets/op"}) || idx.Units[3].Better != 1 {
		t.Errorf("units %+v", idx.Units)
	}
	byID := map[string]BenchmarkJSON{}
	for _, b := range idx.Benchmarks {
		byID[b.ID] = b
	}
	if b := byID["core:Alloc"]; b.Description != "BenchmarkAlloc measures one small heap allocation." ||
		b.Source != "benchmarks/core/core_test.go" || b.Line != 7 || b.Category != "core" || b.Versions != 3 {
		t.Errorf("core:Alloc = %+v", b)
	}
	if b := byID["core:Map"]; b.Versions != 2 || b.Noise != "high" {
		t.Errorf("core:Map (missing in go1.26.8, worst class from the manifest) = %+v", b)
	}
	if b := byID["core:Alloc"]; b.Noise != "good" {
		t.Errorf("core:Alloc noise %q", b.Noise)
	}
	if b := byID["codec:X/<img/src=x/onerror=alert(1)>"]; b.Name != "X/<img/src=x/onerror=alert(1)>" || b.Source == "" {
		t.Errorf("the XSS-named benchmark = %+v", b)
	}
	if b := byID["core:Undocumented"]; b.Description != "" || b.Line == 0 {
		t.Errorf("core:Undocumented = %+v", b)
	}
	newest := site.Versions[1][2]
	if len(newest.Comparisons) != 2 || newest.Comparisons[0].Base != "go1.26.8" || newest.Comparisons[1].Base != "go1.25.5" {
		t.Fatalf("comparisons of go1.27.3: %+v", newest.Comparisons)
	}
	if newest.Manifest != "linux-amd64/20261101T100000Z.json" || !bytes.Contains(newest.Machine, []byte(`"cpu":"Intel Xeon"`)) ||
		!bytes.Contains(newest.Checks, []byte(`"governor"`)) {
		t.Errorf("manifest not passed through: %q %s %s", newest.Manifest, newest.Machine, newest.Checks)
	}
	if d := site.Versions[0][0]; d.Manifest != "" || string(d.Machine) != "null" || string(d.Checks) != "null" {
		t.Errorf("darwin has no manifest, got %q %s %s", d.Manifest, d.Machine, d.Checks)
	}
	// go1.26.8 and go1.27.3 are one run whose manifest records Alloc's
	// rounds: that row is paired; the others, and go1.25.5 (no rounds),
	// are not.
	for _, r := range newest.Comparisons[0].Rows {
		want := "mann-whitney"
		switch {
		case r.Exact:
			want = "exact"
		case r.ID == "core:Alloc" && r.Unit == "sec/op":
			want = "wilcoxon-paired"
		}
		if r.Test != want {
			t.Errorf("go1.26.8 -> go1.27.3 %s %s decided by %q, want %q", r.ID, r.Unit, r.Test, want)
		}
	}
	found := 0
	for _, r := range newest.Comparisons[1].Rows {
		if r.ID == "core:Alloc" && (r.Unit == "sec/op" || r.Unit == "B/op") || r.ID == "codec:Encode" && r.Unit == "sec/op" {
			found++
		}
		if r.ID == "core:Alloc" && r.Unit == "sec/op" {
			if r.Direction != "better" || r.Delta == nil || *r.Delta > -0.15 || !r.SignificantHolm {
				t.Errorf("Alloc go1.25.5 -> go1.27.3: %+v", r)
			}
		}
		if r.ID == "codec:Encode" && r.Unit == "sec/op" && r.Direction != "worse" {
			t.Errorf("Encode go1.25.5 -> go1.27.3 is 10%% slower, got %+v", r)
		}
		if r.ID == "core:Alloc" && r.Unit == "B/op" && (r.Direction != "none" || r.Bound == nil || *r.Bound != 0) {
			t.Errorf("Alloc B/op is constant: %+v", r)
		}
	}
	if found != 3 {
		t.Errorf("found %d of the 3 comparison rows checked above", found)
	}
}

// TestProcsAndNaN exports two versions of one benchmark whose name ends
// in digits (sha-256), run with different GOMAXPROCS, one sample NaN, and
// a manifest naming its noise class: the rows must line up under one ID,
// the NaN result be skipped with a warning, the class be kept.
func TestProcsAndNaN(t *testing.T) {
	root := t.TempDir()
	write := func(name, data string) {
		t.Helper()
		p := filepath.Join(root, "linux-amd64", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lines := func(procs string, ns int) string {
		s := "pkg: p\n"
		for i := range 6 {
			s += fmt.Sprintf("BenchmarkHash/sha-256-%s 1000 %d ns/op\n", procs, ns+i)
		}
		return s
	}
	write("go1.26.0/20261101T100000Z.txt", lines("8", 100))
	write("go1.27.0/20261102T100000Z.txt", lines("4", 150)+"BenchmarkHash/sha-256-4 1000 NaN ns/op\n")
	write("20261102T100000Z.json", `{"benchmarks":[{"pkg":"p","name":"BenchmarkHash/sha-256","noise":{"go1.27.0":{"cv":0.5,"class":"very high"}}}]}`)
	opts := testOptions(t)
	opts.Results = root
	site, warnings, err := Build(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0].Error(), "value is NaN") {
		t.Errorf("warnings = %v, want one about the NaN sample", warnings)
	}
	if b := site.Indexes[0].Benchmarks; len(b) != 1 || b[0].ID != "p:Hash/sha-256" || b[0].Noise != "very high" {
		t.Errorf("benchmarks = %+v, want p:Hash/sha-256, very high", b)
	}
	newest := site.Versions[0][1]
	if len(newest.Results) != 1 || newest.Results[0].N != 6 {
		t.Errorf("results of go1.27.0 = %+v, want 6 samples", newest.Results)
	}
	if rows := newest.Comparisons[0].Rows; len(rows) != 1 || rows[0].ID != "p:Hash/sha-256" || rows[0].Direction != "worse" {
		t.Errorf("comparison rows = %+v, want p:Hash/sha-256 worse", rows)
	}
}

// TestRoundTrip reads every written file back into the schema types and
// encodes it again: the bytes must not change.
func TestRoundTrip(t *testing.T) {
	opts := testOptions(t)
	if _, err := Export(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	for name, data := range readTree(t, opts.Data) {
		var v any
		switch {
		case name == Marker:
			var m struct {
				SchemaVersion int `json:"schema_version"`
			}
			if err := json.Unmarshal(data, &m); err != nil || m.SchemaVersion != SchemaVersion {
				t.Errorf("%s = %q, want schema_version %d", name, data, SchemaVersion)
			}
			continue
		case name == "platforms.json":
			v = new(PlatformsJSON)
		case strings.HasSuffix(name, "/index.json"):
			v = new(IndexJSON)
		case strings.HasSuffix(name, "/series.json"):
			v = new(SeriesJSON)
		default:
			v = new(VersionJSON)
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		again, err := encode(v)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, data) {
			t.Errorf("%s changes when read and written again", name)
		}
		if sv := reflect.ValueOf(v).Elem().FieldByName("SchemaVersion").Int(); sv != SchemaVersion {
			t.Errorf("%s: schema_version %d", name, sv)
		}
	}
}

func TestDeterministic(t *testing.T) {
	opts := testOptions(t)
	if _, err := Export(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	first := readTree(t, opts.Data)
	// The U tests run in parallel: one worker must give the same bytes.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	opts.Data = filepath.Join(t.TempDir(), "data")
	if _, err := Export(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if second := readTree(t, opts.Data); !reflect.DeepEqual(first, second) {
		t.Error("two exports of the same results differ")
	}
}

func TestStaleFilesRemoved(t *testing.T) {
	opts := testOptions(t)
	for _, name := range []string{Marker, "windows-386/index.json", "linux-amd64/go1.20.json", "platforms.json"} {
		p := filepath.Join(opts.Data, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("stale"), 0o644)
	}
	if _, err := Export(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	files := readTree(t, opts.Data)
	for _, name := range []string{"windows-386/index.json", "linux-amd64/go1.20.json"} {
		if _, ok := files[name]; ok {
			t.Errorf("stale %s kept", name)
		}
	}
	if bytes.Equal(files["platforms.json"], []byte("stale")) {
		t.Error("platforms.json not replaced")
	}
	entries, _ := os.ReadDir(filepath.Dir(opts.Data))
	if len(entries) != 1 {
		t.Errorf("temporary directories left beside data: %v", entries)
	}
}

// TestFailedWriteKeepsOldData checks that an export that fails while
// writing leaves the previous data directory as it was.
func TestFailedWriteKeepsOldData(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if err := writeDir(dir, []File{{Name: "platforms.json", Data: []byte("old\n")}}); err != nil {
		t.Fatal(err)
	}
	err := writeDir(dir, []File{{Name: "a.json", Data: []byte("new\n")}, {Name: "../escape.json", Data: []byte("x")}})
	if err == nil {
		t.Fatal("writing an invalid name succeeded")
	}
	files := readTree(t, dir)
	if len(files) != 2 || string(files["platforms.json"]) != "old\n" || files[Marker] == nil {
		t.Errorf("data after a failed write: %q", files)
	}
	if entries, _ := os.ReadDir(filepath.Dir(dir)); len(entries) != 1 {
		t.Errorf("temporary directories left: %v", entries)
	}
}

func TestEmptyResults(t *testing.T) {
	opts := testOptions(t)
	opts.Results = filepath.Join(t.TempDir(), "none")
	rep, err := Export(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(opts.Data, "platforms.json"))
	if rep.Files != 1 || string(data) != `{"schema_version":1,"title":"example.com/bench across Go releases","module":"example.com/bench","platforms":[]}`+"\n" {
		t.Errorf("files %d, platforms.json %s", rep.Files, data)
	}
}

func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		name, results, want string
	}{
		{"platform dir as root", filepath.Join("testdata", "results", "linux-amd64"), "unknown layout"},
		{"version dir as root", filepath.Join("testdata", "results", "linux-amd64", "go1.25.5"), "unknown layout: 20261101T100000Z.txt is a file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := testOptions(t)
			opts.Results = tc.results
			_, err := Export(context.Background(), opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.results) {
				t.Errorf("err = %v, want one naming %s and saying %q", err, tc.results, tc.want)
			}
			if _, err := os.Stat(opts.Data); err == nil {
				t.Error("a data directory was written")
			}
		})
	}
	t.Run("unreadable result file", func(t *testing.T) {
		root := t.TempDir()
		dir := filepath.Join(root, "linux-amd64", "go1.27.3")
		os.MkdirAll(dir, 0o755)
		os.Symlink("missing", filepath.Join(dir, "20261101T100000Z.txt")) // dangling
		opts := testOptions(t)
		opts.Results = root
		_, err := Export(context.Background(), opts)
		if err == nil || !strings.Contains(err.Error(), dir) {
			t.Errorf("err = %v, want one naming %s", err, dir)
		}
	})
	t.Run("manifest not JSON", func(t *testing.T) {
		root := t.TempDir()
		dir := filepath.Join(root, "linux-amd64", "go1.27.3")
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "20261101T100000Z.txt"), []byte("pkg: p\nBenchmarkA-2 1 5 ns/op\n"), 0o644)
		manifest := filepath.Join(root, "linux-amd64", "20261101T100000Z.json")
		os.WriteFile(manifest, []byte("{not json"), 0o644)
		opts := testOptions(t)
		opts.Results = root
		rep, err := Export(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0].Error(), manifest) {
			t.Errorf("warnings %v, want one naming %s", rep.Warnings, manifest)
		}
	})
}
