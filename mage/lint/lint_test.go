package lint

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

var (
	staticcheckOnce sync.Once
	staticcheckCmd  []string
)

// staticcheck returns the command of the staticcheck pinned by this repo.
func staticcheck() []string {
	staticcheckOnce.Do(func() {
		staticcheckCmd = StaticcheckCommand(context.Background(), "go", "../..")
	})
	return staticcheckCmd
}

// copyModule copies testdata/<name> into a temporary directory, so Fix can
// rewrite it.
func copyModule(t *testing.T, name string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), name)
	src := filepath.Join("testdata", name)
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestRunFindsPlantedProblems(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet and staticcheck")
	}
	tests := []struct {
		module string
		want   []string // "check file:line substring" each must be found
	}{
		{"clean", nil},
		{"unformatted", []string{"gofmt a.go:6 not gofmt-formatted"}},
		{"veterr", []string{"vet a.go:6 wrong type", "staticcheck a.go:6 SA5009"}},
		{"go124", []string{"pin go.mod:3 go line is 1.24; want exactly 1.23"}},
		{"toolchain", []string{"pin go.mod:5 toolchain line go1.26.8"}},
		{"bloop", []string{"vet a_test.go:9 requires go1.24 or later"}},
		{"deadloop", []string{
			"benchcheck a_test.go:8 discards every value it computes",
			"benchcheck a_test.go:13 BenchmarkUndocumented has no doc comment",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.module, func(t *testing.T) {
			dir := copyModule(t, tt.module)
			findings, err := Run(context.Background(), Options{Dir: dir, Staticcheck: staticcheck()})
			if err != nil {
				t.Fatal(err)
			}
			checkFindings(t, dir, findings, tt.want)
		})
	}
}

// TestBenchcheckBesideVet runs benchcheck on a module vet complains about,
// under a GOFLAGS that breaks package loading: benchcheck must still run
// (it clears GOFLAGS, as vet does) and report, not vanish behind vet.
func TestBenchcheckBesideVet(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet")
	}
	t.Setenv("GOFLAGS", "-mod=bogus")
	dir := copyModule(t, "veterr")
	bench := "package veterr\n\nimport \"testing\"\n\nfunc BenchmarkUndocumented(b *testing.B) {\n\tb.ReportAllocs()\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "a_test.go"), []byte(bench), 0o644); err != nil {
		t.Fatal(err)
	}
	findings, err := Run(context.Background(), Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	checkFindings(t, dir, findings, []string{
		"vet a.go:6 wrong type",
		"benchcheck a_test.go:5 BenchmarkUndocumented has no doc comment",
	})
}

// checkFindings fails unless findings are exactly the wanted ones, each
// given as "check file:line message-fragment".
func checkFindings(t *testing.T, dir string, findings []Finding, want []string) {
	t.Helper()
	var got []string
	for _, f := range findings {
		rel, _ := filepath.Rel(dir, f.File)
		got = append(got, f.Check+" "+rel+":"+strconv.Itoa(f.Line)+" "+f.Msg)
	}
	if len(got) != len(want) {
		t.Errorf("got %d findings, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
		return
	}
	for i, w := range want {
		check, rest, _ := strings.Cut(w, " ")
		pos, frag, _ := strings.Cut(rest, " ")
		if !strings.HasPrefix(got[i], check+" "+pos+" ") || !strings.Contains(got[i], frag) {
			t.Errorf("finding %d = %q, want %q", i, got[i], w)
		}
	}
}

func TestFix(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet")
	}
	tests := []struct {
		module, file, want string // file's content after the fix
	}{
		{"unformatted", "a.go", "package unformatted\n\n// F is fine.\nfunc F() int { return 1 }\n\nfunc G() int {\n\treturn 2\n}\n"},
		{"go124", "go.mod", "module example.com/go124\n\ngo 1.23\n"},
		{"toolchain", "go.mod", "module example.com/toolchain\n\ngo 1.23\n"},
	}
	for _, tt := range tests {
		t.Run(tt.module, func(t *testing.T) {
			dir := copyModule(t, tt.module)
			findings, err := Run(context.Background(), Options{Dir: dir, Fix: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(findings) != 1 || !findings[0].Fixed {
				t.Fatalf("findings = %v, want one fixed", findings)
			}
			if !strings.HasPrefix(findings[0].String(), findings[0].File) || !strings.Contains(findings[0].String(), "fixed: ") {
				t.Errorf("String() = %q", findings[0].String())
			}
			if data, err := os.ReadFile(filepath.Join(dir, tt.file)); err != nil || string(data) != tt.want {
				t.Errorf("fixed %s = %q, %v; want %q", tt.file, data, err, tt.want)
			}
			// A second run finds nothing: the fix held.
			again, err := Run(context.Background(), Options{Dir: dir})
			if err != nil {
				t.Fatal(err)
			}
			if len(again) != 0 {
				t.Errorf("after fix: %v", again)
			}
		})
	}
}

func TestRealBenchmarkModuleIsClean(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet and staticcheck")
	}
	findings, err := Run(context.Background(), Options{Dir: "../../benchmarks", Staticcheck: staticcheck()})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		t.Errorf("%v", f)
	}
}

func TestMissingGoMod(t *testing.T) {
	if _, err := Run(context.Background(), Options{Dir: t.TempDir()}); err == nil {
		t.Error("no error for a directory without go.mod")
	}
}

func TestFirstDiffLine(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"a\nb\nc\n", "a\nb\nc\n", 4},
		{"a\nb\n", "a\nB\n", 2},
		{"x", "y", 1},
		{"a\n", "a\nb\n", 2},
	}
	for _, tt := range tests {
		if got := firstDiffLine([]byte(tt.a), []byte(tt.b)); got != tt.want {
			t.Errorf("firstDiffLine(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
