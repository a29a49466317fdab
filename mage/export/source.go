package export

import (
	"fmt"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"
)

// source locates one Benchmark function in the benchmark module.
type source struct {
	description string // first sentence of its doc comment
	file        string // slash-separated, relative to the repository root
	line        int
}

// module is what Export knows about the benchmark module's source.
type module struct {
	path  string            // module path from go.mod, "" when unknown
	funcs map[string]source // key: package dir (slash, "." for the root) + "\x00" + func name
	// names are the category names chosen by Options.Categories, by
	// package directory ("." for the root package).
	names map[string]string
}

// readModule reads the module path from dir/go.mod and every Benchmark
// function's doc comment from the .go files below dir (skipping testdata,
// vendor and hidden directories). File paths are made relative to root.
// A file that does not parse is a warning, not an error: its benchmarks
// just have no description.
func readModule(dir, root string) (*module, []error, error) {
	m := &module{funcs: make(map[string]source)}
	if dir == "" {
		return m, nil, nil
	}
	gomod := filepath.Join(dir, "go.mod")
	data, err := os.ReadFile(gomod)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the benchmark module: %w", err)
	}
	m.path = modfile.ModulePath(data)
	if m.path == "" {
		return nil, nil, fmt.Errorf("%s: no module line", gomod)
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil, nil, err
	}
	var warnings []error
	fset := token.NewFileSet()
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if p != dir && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			// A nested module is not part of this one.
			if p != dir {
				if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
					return filepath.SkipDir
				}
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			warnings = append(warnings, fmt.Errorf("no descriptions from %s: %w", p, err))
			return nil
		}
		relDir, err := filepath.Rel(dir, filepath.Dir(p))
		if err != nil {
			return err
		}
		absFile, err := filepath.Abs(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(absRoot, absFile)
		if err != nil || strings.HasPrefix(rel, "..") {
			rel = p // outside the repository: keep the path as given
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !isBenchmarkName(fn.Name.Name) {
				continue
			}
			m.funcs[filepath.ToSlash(relDir)+"\x00"+fn.Name.Name] = source{
				description: firstSentence(fn.Doc),
				file:        filepath.ToSlash(rel),
				line:        fset.Position(fn.Pos()).Line,
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("reading the benchmark module %s: %w", dir, err)
	}
	return m, warnings, nil
}

// isBenchmarkName reports whether name is a benchmark function's name as go
// test sees it: Benchmark followed by nothing or a non-lowercase rune.
func isBenchmarkName(name string) bool {
	rest, ok := strings.CutPrefix(name, "Benchmark")
	return ok && (rest == "" || !(rest[0] >= 'a' && rest[0] <= 'z'))
}

// firstSentence returns the first sentence of a doc comment, on one line.
func firstSentence(g *ast.CommentGroup) string {
	if g == nil {
		return ""
	}
	return new(doc.Package).Synopsis(g.Text())
}

// dir returns the package directory of an import path relative to the
// benchmark module ("." for its root), or the import path itself when it
// is not in the module.
func (m *module) dir(pkg string) string {
	if m.path != "" {
		if pkg == m.path {
			return "."
		}
		if rest, ok := strings.CutPrefix(pkg, m.path+"/"); ok {
			return rest
		}
	}
	if pkg == "" {
		return "."
	}
	return pkg
}

// category returns the category of a package, the name the page groups
// its benchmarks by: the name Options.Categories gives its directory,
// else the directory relative to the benchmark module, the module's
// last path element for the root package (never "."), the import path
// for a package outside the module.
func (m *module) category(pkg string) string {
	d := m.dir(pkg)
	if name, ok := m.names[d]; ok {
		return name
	}
	if d == "." {
		switch {
		case m.path != "":
			return path.Base(m.path)
		case pkg != "":
			return path.Base(pkg)
		}
	}
	return d
}

// setNames checks and records the category names chosen by
// Options.Categories: each key a package directory of the module ("."
// for the root), each name non-empty, without ":" (it separates the
// category from the name in a benchmark ID), and no two alike.
func (m *module) setNames(names map[string]string) error {
	if len(names) == 0 {
		return nil
	}
	m.names = map[string]string{}
	seen := map[string]string{}
	for d, name := range names {
		key := path.Clean(filepath.ToSlash(d))
		switch {
		case strings.TrimSpace(name) == "":
			return fmt.Errorf("category name for %q is empty", d)
		case strings.Contains(name, ":"):
			return fmt.Errorf("category name %q for %q contains \":\", which separates category and name in benchmark IDs", name, d)
		case seen[name] != "":
			return fmt.Errorf("category name %q is given to both %q and %q", name, seen[name], d)
		}
		seen[name] = d
		m.names[key] = name
	}
	return nil
}

// lookup returns the source of the benchmark named name (a full name
// without "Benchmark") in the package pkg (an import path).
func (m *module) lookup(pkg, name string) (source, bool) {
	base, _, _ := strings.Cut(name, "/")
	s, ok := m.funcs[path.Clean(m.dir(pkg))+"\x00Benchmark"+base]
	return s, ok
}
