// Package benchcheck is a go/analysis analyzer for Go benchmarks. It
// reports the defects that make a benchmark measure something other than
// what it claims:
//
//   - a benchmark loop (over b.N, b.Loop or testing.PB.Next) whose
//     computed values are all discarded, so the compiler may delete the
//     work and the benchmark times an empty loop;
//   - a Benchmark function without a doc comment, which Export needs for
//     the benchmark's description.
//
// The analyzer is precise rather than complete: a finding is a real
// problem, and whatever it cannot prove dead (a call it does not know to
// be pure, a store through a pointer, a map write) counts as kept alive.
//
// A loop is dead when no statement in it has an effect. Effects are
// stores to package-level variables, fields, pointers and elements;
// calls that are not known to be pure; channel operations; map reads and
// map iteration (runtime calls the compiler keeps); go, defer, return and
// break; and stores to local variables that are read, in turn, by a
// statement with an effect (a local only written, or read only by
// `_ = x`, is dead). Pure calls are the builtins without side effects
// (len, cap, make, new, append, complex, real, imag, min, max),
// conversions, the standard library functions listed in pureFuncs, and
// functions of the analyzed package whose bodies have no effect and that
// are not marked //go:noinline. Counting a discarded pure call as dead
// work even when today's compiler keeps the call is deliberate: the
// compiler deletes it as soon as it inlines the callee, and inlining
// changes between Go releases, which is what perftrack compares.
//
// Inside `for b.Loop()` in a file whose Go version is 1.24 or later the
// compiler keeps the arguments and results of calls alive (the guarantee
// testing.B.Loop documents since Go 1.24), and values assigned to named
// variables too, so there only discarded non-call expressions such as
// `_ = make([]byte, 64)` are reported: Go 1.26 keeps even those, but the
// 1.24 and 1.25 compilers, which perftrack also runs the suite with, may
// delete them.
package benchcheck

import (
	"go/ast"
	"go/types"
	"go/version"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/tools/go/analysis"
)

// Analyzer reports benchmark loops whose work the compiler may delete and
// Benchmark functions without a doc comment.
var Analyzer = &analysis.Analyzer{
	Name: "benchcheck",
	Doc: "report benchmark loops whose results are all discarded and benchmarks without a doc comment\n\n" +
		"A loop over b.N, b.Loop() or pb.Next() whose computed values are all discarded " +
		"lets the compiler delete the work being measured. Export shows the first " +
		"sentence of each Benchmark function's doc comment, so every benchmark needs one.",
	Run: run,
}

// Messages of the two findings; tests match them.
const (
	msgDeadLoop = "benchmark loop discards every value it computes, so the compiler may delete the work: keep a result alive (for example in a package-level sink)"
	msgNoDoc    = "%s has no doc comment: Export shows its first sentence as the benchmark's description"
)

func run(pass *analysis.Pass) (any, error) {
	c := newChecker(pass)
	for _, file := range pass.Files {
		filename := pass.Fset.Position(file.Package).Filename
		isTest := strings.HasSuffix(filename, "_test.go")
		loopKeepsAlive := keepsAliveInLoop(pass, file)
		for _, decl := range file.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			if isTest && isBenchmark(pass, fn) && strings.TrimSpace(fn.Doc.Text()) == "" {
				pass.Reportf(fn.Name.Pos(), msgNoDoc, fn.Name.Name)
			}
			c.checkLoops(fn, loopKeepsAlive)
		}
	}
	return nil, nil
}

// keepsAliveInLoop reports whether the compiler keeps call results and
// assigned variables alive inside `for b.Loop()` loops of file: from
// Go 1.24 on, the version that introduced testing.B.Loop. An unknown
// version means the toolchain's own, which is newer.
func keepsAliveInLoop(pass *analysis.Pass, file *ast.File) bool {
	v := pass.TypesInfo.FileVersions[file]
	if v == "" {
		v = pass.Pkg.GoVersion()
	}
	return v == "" || version.Compare(v, "go1.24") >= 0
}

// isBenchmark reports whether fn is a benchmark function as go test
// finds them: BenchmarkXxx(b *testing.B) with no results, where Xxx
// does not start with a lower-case letter.
func isBenchmark(pass *analysis.Pass, fn *ast.FuncDecl) bool {
	name := fn.Name.Name
	if fn.Recv != nil || !strings.HasPrefix(name, "Benchmark") {
		return false
	}
	if rest := name[len("Benchmark"):]; rest != "" {
		if r, _ := utf8.DecodeRuneInString(rest); unicode.IsLower(r) {
			return false
		}
	}
	obj, ok := pass.TypesInfo.Defs[fn.Name].(*types.Func)
	if !ok {
		return false
	}
	sig := obj.Type().(*types.Signature)
	return sig.Params().Len() == 1 && sig.Results().Len() == 0 &&
		isTestingType(sig.Params().At(0).Type(), "B")
}

// isTestingType reports whether t is testing.<name> or a pointer to it.
func isTestingType(t types.Type, name string) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	if !ok {
		return false
	}
	obj := n.Obj()
	return obj.Pkg() != nil && obj.Pkg().Path() == "testing" && obj.Name() == name
}
