package corpus

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"
)

// parse reads a generated file with benchfmt and returns its results, the
// distinct values of each file config key and the units seen.
func parse(t *testing.T, name string, b []byte) (n int, config map[string]map[string]bool, units map[string]int) {
	t.Helper()
	config = map[string]map[string]bool{}
	units = map[string]int{}
	r := benchfmt.NewReader(bytes.NewReader(b), name)
	for r.Scan() {
		switch rec := r.Result(); rec := rec.(type) {
		case *benchfmt.SyntaxError:
			t.Fatalf("%v", rec)
		case *benchfmt.Result:
			n++
			for _, c := range rec.Config {
				if c.File {
					if config[c.Key] == nil {
						config[c.Key] = map[string]bool{}
					}
					config[c.Key][string(c.Value)] = true
				}
			}
			for _, v := range rec.Values {
				units[v.Unit]++
			}
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return n, config, units
}

func TestWriteParses(t *testing.T) {
	c := Config{Toolchains: 3, Benchmarks: 12, Samples: 5, Packages: 4, Seed: 7,
		Units: []string{NsPerOp, MBPerS, BPerOp, AllocsPerOp}}
	for tc := range c.Toolchains {
		var buf bytes.Buffer
		if err := c.Write(&buf, tc); err != nil {
			t.Fatal(err)
		}
		n, config, units := parse(t, c.Label(tc), buf.Bytes())
		if n != 12*5 || n != c.Lines() {
			t.Errorf("toolchain %d: %d results, want %d", tc, n, 12*5)
		}
		// benchfmt normalizes ns/op to sec/op and MB/s to B/s.
		for _, u := range []string{"sec/op", "B/s", "B/op", "allocs/op"} {
			if units[u] != n {
				t.Errorf("toolchain %d: unit %s on %d results, want %d (units %v)", tc, u, units[u], n, units)
			}
		}
		if len(config["pkg"]) != 4 {
			t.Errorf("toolchain %d: packages %v, want 4", tc, config["pkg"])
		}
		for key, want := range map[string]string{"goos": "linux", "goarch": "amd64", "cpu": "Generated CPU", "toolchain": c.Label(tc)} {
			if len(config[key]) != 1 || !config[key][want] {
				t.Errorf("toolchain %d: %s lines %v, want %q", tc, key, config[key], want)
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	write := func(c Config, tc int) string {
		var buf bytes.Buffer
		if err := c.Write(&buf, tc); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	c := Config{Toolchains: 2, Benchmarks: 5, Samples: 3, Seed: 1}
	first, again := write(c, 1), write(c, 1)
	if first != again {
		t.Error("the same Config wrote different files")
	}
	if write(c, 0) == write(c, 1) {
		t.Error("two toolchains got the same file")
	}
	other := c
	other.Seed = 2
	if write(c, 0) == write(other, 0) {
		t.Error("two seeds gave the same file")
	}
	// A file does not depend on how many others there are.
	more := c
	more.Toolchains = 5
	if first != write(more, 1) {
		t.Error("toolchain 1's file changed with the number of toolchains")
	}
}

func TestDefaults(t *testing.T) {
	var buf bytes.Buffer
	if err := (Config{}).Write(&buf, 0); err != nil {
		t.Fatal(err)
	}
	n, config, units := parse(t, "zero", buf.Bytes())
	if n != 1 || units["sec/op"] != 1 || len(units) != 1 || !config["pkg"]["example.com/bench"] {
		t.Errorf("zero Config: %d results, units %v, pkg %v; want one sec/op result in example.com/bench", n, units, config["pkg"])
	}
}

func TestUnknownUnit(t *testing.T) {
	err := Config{Units: []string{"furlongs/op"}}.Write(&bytes.Buffer{}, 0)
	if err == nil || !strings.Contains(err.Error(), "furlongs/op") {
		t.Errorf("unknown unit: err %v, want one naming it", err)
	}
}

func TestWriteFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "corpus")
	c := Config{Toolchains: 3, Benchmarks: 2, Samples: 2}
	specs, err := c.WriteFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(specs) != 3 {
		t.Fatalf("specs %v, want 3", specs)
	}
	for tc, s := range specs {
		label, path, ok := strings.Cut(s, "=")
		if !ok || label != c.Label(tc) || path != filepath.Join(dir, label+".txt") {
			t.Errorf("spec %d = %q, want %s=%s", tc, s, c.Label(tc), filepath.Join(dir, c.Label(tc)+".txt"))
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if n, _, _ := parse(t, path, b); n != 4 {
			t.Errorf("%s: %d results, want 4", path, n)
		}
	}
}
