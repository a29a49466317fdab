package benchcheck

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"go/token"
	"os"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// A Finding is one problem the analyzer reported.
type Finding struct {
	Pos     token.Position
	Message string
}

// String formats a finding as file:line:column: message, like go vet.
func (f Finding) String() string {
	return fmt.Sprintf("%s: %s", f.Pos, f.Message)
}

// Check loads every package of the module in dir, tests included, runs
// the analyzer on them and returns its findings sorted by file, line and
// column. A file shared by a package and its test variant is reported
// once. Packages that fail to load or type-check make Check fail: the
// analyzer cannot judge code it cannot type.
func Check(ctx context.Context, dir string) ([]Finding, error) {
	cfg := &packages.Config{
		Context: ctx,
		Dir:     dir,
		// The local toolchain only: a go line newer than it is a lint
		// finding, never a reason to download another Go. No GOFLAGS
		// from the caller (-mod=vendor, -tags) either, as for vet.
		Env:   append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS="),
		Tests: true,
		// The analyzer uses no facts, so dependencies come from export
		// data and need not be parsed.
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
			packages.NeedImports | packages.NeedTypes | packages.NeedTypesSizes |
			packages.NeedSyntax | packages.NeedTypesInfo | packages.NeedModule,
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		return nil, fmt.Errorf("benchcheck: loading %s: %w", dir, err)
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("benchcheck: no Go packages in %s", dir)
	}
	var loadErrs []error
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			loadErrs = append(loadErrs, e)
		}
	})
	if len(loadErrs) > 0 {
		return nil, fmt.Errorf("benchcheck: loading %s: %w", dir, errors.Join(loadErrs...))
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{Analyzer}, pkgs, nil)
	if err != nil {
		return nil, fmt.Errorf("benchcheck: %w", err)
	}
	seen := make(map[Finding]bool)
	var findings []Finding
	for act := range graph.All() {
		if !act.IsRoot {
			continue
		}
		if act.Err != nil {
			return nil, fmt.Errorf("benchcheck: %s: %w", act.Package.ID, act.Err)
		}
		for _, d := range act.Diagnostics {
			f := Finding{Pos: act.Package.Fset.Position(d.Pos), Message: d.Message}
			if !seen[f] {
				seen[f] = true
				findings = append(findings, f)
			}
		}
	}
	slices.SortFunc(findings, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.Pos.Filename, b.Pos.Filename),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Column, b.Pos.Column),
			cmp.Compare(a.Message, b.Message),
		)
	})
	return findings, nil
}
