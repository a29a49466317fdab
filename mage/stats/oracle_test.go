package stats

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
)

var benchstatBin struct {
	once sync.Once
	path string
	err  error
}

// benchstat returns the path of the benchstat binary pinned by go.mod's
// tool line, built once per test run.
func benchstat(t *testing.T) string {
	t.Helper()
	benchstatBin.once.Do(func() {
		dir, err := os.MkdirTemp("", "perftrack-benchstat-")
		if err != nil {
			benchstatBin.err = err
			return
		}
		benchstatBin.path = filepath.Join(dir, "benchstat")
		out, err := exec.Command("go", "build", "-o", benchstatBin.path, "golang.org/x/perf/cmd/benchstat").CombinedOutput()
		if err != nil {
			benchstatBin.err = fmt.Errorf("building benchstat: %v\n%s", err, out)
		}
	})
	if benchstatBin.err != nil {
		t.Fatal(benchstatBin.err)
	}
	return benchstatBin.path
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchstatBin.path != "" {
		os.RemoveAll(filepath.Dir(benchstatBin.path))
	}
	os.Exit(code)
}

// oracleCases are the file sets and options compared with benchstat.
var oracleCases = []struct {
	name  string
	files []string
	opts  Options
}{
	{"two", []string{"old.txt", "new.txt"}, Options{}},
	{"three", []string{"old.txt", "new.txt", "third.txt"}, Options{}},
	{"labels", []string{"go1.26=old.txt", "go1.27=new.txt", "tip=third.txt"}, Options{}},
	{"alpha", []string{"old.txt", "new.txt"}, Options{Alpha: 0.001}},
	{"alpha-high", []string{"old.txt", "new.txt", "third.txt"}, Options{Alpha: 0.3, Confidence: 0.8}},
	{"filter", []string{"old.txt", "new.txt"}, Options{Filter: "/n:10 OR .name:Sort"}},
	{"filter-unit", []string{"old.txt", "new.txt"}, Options{Filter: ".unit:(sec/op OR B/s)"}},
	{"one", []string{"one.txt"}, Options{}},
	{"ones", []string{"one.txt", "third.txt", "one.txt"}, Options{}},
	{"bad", []string{"old.txt", "bad.txt"}, Options{}},
	{"nocpu", []string{"old.txt", "nocpu.txt"}, Options{}},
	{"nocpu-keep", []string{"old.txt", "nocpu.txt"}, Options{KeepConfig: true}},
	{"same-file", []string{"old.txt", "old.txt"}, Options{}},
	{"col-name", []string{"old.txt", "new.txt"}, Options{Row: ".file", Col: ".name"}},
	{"col-two-levels", []string{"old.txt", "new.txt"}, Options{Col: ".file,/n"}},
	{"col-two-levels-inverted", []string{"old.txt", "new.txt", "third.txt"}, Options{Row: ".name", Col: "/n,.file"}},
	{"col-toolchain", []string{"old.txt", "new.txt"}, Options{Col: "toolchain"}},
	{"procs-kept", []string{"old.txt", "procs.txt"}, Options{KeepProcs: true}},
}

// TestOracle runs `go tool benchstat` (the version pinned in go.mod) on
// the corpus and requires our text and csv output, and the messages on
// stderr, to be byte for byte the same.
func TestOracle(t *testing.T) {
	if testing.Short() {
		t.Skip("builds benchstat")
	}
	bin := benchstat(t)
	t.Chdir("testdata/corpus")
	for _, tc := range oracleCases {
		t.Run(tc.name, func(t *testing.T) {
			for _, format := range []string{"text", "csv"} {
				args := append(tc.opts.BenchstatArgs(), "-format", format)
				args = append(args, tc.files...)
				cmd := exec.Command(bin, args...)
				var wantOut, wantErr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &wantOut, &wantErr
				if err := cmd.Run(); err != nil {
					t.Fatalf("benchstat %s: %v\n%s", strings.Join(args, " "), err, wantErr.Bytes())
				}

				rep, err := ReadFiles(tc.files, tc.opts)
				if err != nil {
					t.Fatal(err)
				}
				var gotOut, gotErr bytes.Buffer
				for _, e := range rep.Errors {
					fmt.Fprintln(&gotErr, e)
				}
				if format == "text" {
					err = rep.writeTables(&gotOut)
				} else {
					err = rep.WriteCSV(&gotOut, &gotErr)
				}
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(gotOut.Bytes(), wantOut.Bytes()) {
					t.Errorf("%s stdout differs from benchstat %s\n--- got\n%s\n--- want\n%s", format, strings.Join(args, " "), gotOut.Bytes(), wantOut.Bytes())
				}
				if !bytes.Equal(gotErr.Bytes(), wantErr.Bytes()) {
					t.Errorf("%s stderr differs from benchstat %s\n--- got\n%s\n--- want\n%s", format, strings.Join(args, " "), gotErr.Bytes(), wantErr.Bytes())
				}
			}
		})
	}
}

// TestOracleProcs checks the one grouping benchstat has no flag for:
// with different GOMAXPROCS suffixes, our tables equal benchstat's on the
// same files with the suffixes removed by hand.
func TestOracleProcs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds benchstat")
	}
	bin := benchstat(t)
	dir := t.TempDir()
	var stripped []string
	for _, f := range []string{"old.txt", "procs.txt"} {
		data, err := os.ReadFile(filepath.Join("testdata", "corpus", f))
		if err != nil {
			t.Fatal(err)
		}
		data = regexp.MustCompile(`(?m)^(Benchmark\S*?)-\d+(\s)`).ReplaceAll(data, []byte("$1$2"))
		p := filepath.Join(dir, f)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		stripped = append(stripped, f+"="+p)
	}
	cmd := exec.Command(bin, append(Options{}.BenchstatArgs(), stripped...)...)
	want, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := ReadFiles([]string{"old.txt=testdata/corpus/old.txt", "procs.txt=testdata/corpus/procs.txt"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Notes) != 1 {
		t.Errorf("Notes = %q, want one note on GOMAXPROCS", rep.Notes)
	}
	var got bytes.Buffer
	if err := rep.writeTables(&got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("tables differ from benchstat on stripped files\n--- got\n%s\n--- want\n%s", got.Bytes(), want)
	}
}

// TestOracleToolchainLine: perftrack's files carry a toolchain: line that
// differs per file; by default they still compare, as with benchstat
// -ignore cpu,toolchain, and with KeepConfig they split as plain benchstat does.
func TestOracleToolchainLine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds benchstat")
	}
	bin := benchstat(t)
	dir := t.TempDir()
	var files []string
	for i, f := range []string{"old.txt", "new.txt"} {
		data, err := os.ReadFile(filepath.Join("testdata", "corpus", f))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, f)
		data = append([]byte(fmt.Sprintf("toolchain: go1.2%d.0\n", 6+i)), data...)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	for _, opts := range []Options{{}, {KeepConfig: true}} {
		want, err := exec.Command(bin, append(opts.BenchstatArgs(), files...)...).Output()
		if err != nil {
			t.Fatal(err)
		}
		rep, err := ReadFiles(files, opts)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := rep.writeTables(&got); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%+v: tables differ from benchstat\n--- got\n%s\n--- want\n%s", opts, got.Bytes(), want)
		}
		if split := rep.Comparisons == 0; split != opts.KeepConfig {
			t.Errorf("%+v: %d comparisons", opts, rep.Comparisons)
		}
	}
}

// TestOraclePlain: for files without a toolchain: line, the default
// Options give plain `go tool benchstat`'s output, with no flags at all:
// text and csv byte for byte, cpu: lines included.
func TestOraclePlain(t *testing.T) {
	if testing.Short() {
		t.Skip("builds benchstat")
	}
	bin := benchstat(t)
	t.Chdir("testdata/corpus")
	for _, files := range [][]string{
		{"old.txt", "new.txt"}, {"old.txt", "new.txt", "third.txt"}, {"old.txt", "nocpu.txt"},
		{"old.txt", "bad.txt"}, {"one.txt"}, {"old.txt", "procs.txt"},
	} {
		for _, format := range []string{"text", "csv"} {
			cmd := exec.Command(bin, append([]string{"-format", format}, files...)...)
			var want, wantErr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &want, &wantErr
			if err := cmd.Run(); err != nil {
				t.Fatalf("benchstat %v: %v\n%s", files, err, wantErr.Bytes())
			}
			// Different -N suffixes are the one grouping benchstat lacks.
			opts := Options{KeepProcs: slices.Contains(files, "procs.txt")}
			rep, err := ReadFiles(files, opts)
			if err != nil {
				t.Fatal(err)
			}
			var got, gotErr bytes.Buffer
			for _, e := range rep.Errors {
				fmt.Fprintln(&gotErr, e)
			}
			if format == "text" {
				err = rep.writeTables(&got)
			} else {
				err = rep.WriteCSV(&got, &gotErr)
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) || !bytes.Equal(gotErr.Bytes(), wantErr.Bytes()) {
				t.Errorf("%s of %v differs from plain benchstat\n--- got\n%s%s\n--- want\n%s%s", format, files, got.Bytes(), gotErr.Bytes(), want.Bytes(), wantErr.Bytes())
			}
		}
	}
}
