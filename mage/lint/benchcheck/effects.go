package benchcheck

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/types/typeutil"
)

// pkgChecker holds the per-package state of one run: the package's function
// declarations and what is known of their purity.
type pkgChecker struct {
	pass  *analysis.Pass
	decls map[*types.Func]*ast.FuncDecl
	// purity memoizes funcPure: absent means not yet analysed.
	purity map[*types.Func]purity
}

type purity int

const (
	analysing purity = iota + 1
	pure
	impure
)

func newChecker(pass *analysis.Pass) *pkgChecker {
	c := &pkgChecker{pass: pass, decls: make(map[*types.Func]*ast.FuncDecl), purity: make(map[*types.Func]purity)}
	for _, file := range pass.Files {
		for _, decl := range file.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok {
				if obj, ok := pass.TypesInfo.Defs[fn.Name].(*types.Func); ok {
					c.decls[obj] = fn
				}
			}
		}
	}
	return c
}

// benchLoop is a loop that runs the measured work once per iteration.
type benchLoop struct {
	pos  token.Pos // the for keyword, where a dead loop is reported
	body *ast.BlockStmt
	// keepAlive: the loop is `for b.Loop()` where the compiler keeps
	// call results and assigned variables alive.
	keepAlive bool
}

// checkLoops reports the dead benchmark loops of fn, including those in
// function literals inside it (sub-benchmarks, RunParallel bodies).
func (c *pkgChecker) checkLoops(fn *ast.FuncDecl, loopKeepsAlive bool) {
	var loops []benchLoop
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.ForStmt:
			if bench, bLoop := c.loopKind(s); bench {
				loops = append(loops, benchLoop{pos: s.For, body: s.Body, keepAlive: bLoop && loopKeepsAlive})
			}
		case *ast.RangeStmt:
			if c.isBN(s.X) {
				loops = append(loops, benchLoop{pos: s.For, body: s.Body})
			}
		}
		return true
	})
	if len(loops) == 0 {
		return
	}
	e := c.liveness(fn)
	for _, l := range loops {
		if len(l.body.List) == 0 {
			continue // an empty loop is a deliberate baseline, not lost work
		}
		e.keepAlive = l.keepAlive
		if !e.stmt(l.body) {
			c.pass.Reportf(l.pos, msgDeadLoop)
		}
	}
}

// loopKind reports whether a for statement is a benchmark loop (its
// condition compares against b.N, or is b.Loop() or pb.Next()), and
// whether it is the b.Loop() kind.
func (c *pkgChecker) loopKind(s *ast.ForStmt) (bench, bLoop bool) {
	switch cond := astutil.Unparen(s.Cond).(type) {
	case *ast.BinaryExpr:
		return c.isBN(cond.X) || c.isBN(cond.Y), false
	case *ast.CallExpr:
		sel, ok := astutil.Unparen(cond.Fun).(*ast.SelectorExpr)
		if !ok || len(cond.Args) != 0 {
			return false, false
		}
		t := c.pass.TypesInfo.TypeOf(sel.X)
		switch {
		case sel.Sel.Name == "Loop" && isTestingType(t, "B"):
			return true, true
		case sel.Sel.Name == "Next" && isTestingType(t, "PB"):
			return true, false
		}
	}
	return false, false
}

// isBN reports whether e is the N field of a testing.B.
func (c *pkgChecker) isBN(e ast.Expr) bool {
	sel, ok := astutil.Unparen(e).(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "N" && isTestingType(c.pass.TypesInfo.TypeOf(sel.X), "B")
}

// effects decides whether statements and expressions have an effect that
// the compiler must keep.
type effects struct {
	c *pkgChecker
	// locals are the variables declared in the function analysed,
	// including those of function literals inside it.
	locals map[*types.Var]bool
	// live, in a benchmark function, holds the locals read by a
	// statement with an effect: a store to them is an effect. When
	// live is nil (purity of a callee) stores to locals are never an
	// effect, and return is not one either.
	live map[*types.Var]bool
	// keepAlive: inside `for b.Loop()` from Go 1.24, where calls and
	// stores to named variables are kept by the compiler.
	keepAlive bool
}

// locals returns the variables declared in fn, parameters included. It
// walks fn's own syntax, not the package's every definition.
func (c *pkgChecker) locals(fn *ast.FuncDecl) map[*types.Var]bool {
	locals := make(map[*types.Var]bool)
	ast.Inspect(fn, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v, ok := c.pass.TypesInfo.Defs[id].(*types.Var); ok && !v.IsField() {
				locals[v] = true
			}
		}
		return true
	})
	return locals
}

// liveness computes which locals of a benchmark function are live: read
// by a statement with an effect, directly or through other live locals.
// It iterates to a fixed point since a store becomes an effect when its
// target turns live.
func (c *pkgChecker) liveness(fn *ast.FuncDecl) *effects {
	e := &effects{c: c, locals: c.locals(fn), live: make(map[*types.Var]bool)}
	for changed := true; changed; {
		changed = false
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			s, ok := n.(ast.Stmt)
			if !ok || !e.stmt(s) {
				return true
			}
			for _, x := range e.reads(s) {
				ast.Inspect(x, func(n ast.Node) bool {
					switch n := n.(type) {
					case *ast.FuncLit:
						return false // its statements are visited on their own
					case *ast.Ident:
						if v, ok := c.pass.TypesInfo.Uses[n].(*types.Var); ok && e.locals[v] && !e.live[v] {
							e.live[v] = true
							changed = true
						}
					}
					return true
				})
			}
			return true
		})
	}
	return e
}

// reads returns the expressions whose values statement s uses, when s has
// an effect: the right-hand sides, the operands of a store target other
// than a plain variable, and for compound statements their headers (their
// inner statements are visited on their own).
func (e *effects) reads(s ast.Stmt) []ast.Expr {
	var xs []ast.Expr
	target := func(lhs ast.Expr) {
		if _, ok := astutil.Unparen(lhs).(*ast.Ident); !ok {
			xs = append(xs, lhs)
		}
	}
	switch s := s.(type) {
	case *ast.AssignStmt:
		xs = append(xs, s.Rhs...)
		for _, l := range s.Lhs {
			target(l)
		}
	case *ast.IncDecStmt:
		target(s.X)
	case *ast.DeclStmt:
		if g, ok := s.Decl.(*ast.GenDecl); ok {
			for _, spec := range g.Specs {
				if vs, ok := spec.(*ast.ValueSpec); ok {
					xs = append(xs, vs.Values...)
				}
			}
		}
	case *ast.ExprStmt:
		xs = append(xs, s.X)
	case *ast.SendStmt:
		xs = append(xs, s.Chan, s.Value)
	case *ast.GoStmt:
		xs = append(xs, s.Call)
	case *ast.DeferStmt:
		xs = append(xs, s.Call)
	case *ast.ReturnStmt:
		xs = append(xs, s.Results...)
	case *ast.IfStmt:
		xs = append(xs, s.Cond)
	case *ast.ForStmt:
		if s.Cond != nil {
			xs = append(xs, s.Cond)
		}
	case *ast.RangeStmt:
		xs = append(xs, s.X)
		if s.Key != nil && s.Tok == token.ASSIGN {
			target(s.Key)
		}
		if s.Value != nil && s.Tok == token.ASSIGN {
			target(s.Value)
		}
	case *ast.SwitchStmt:
		if s.Tag != nil {
			xs = append(xs, s.Tag)
		}
		for _, cc := range s.Body.List {
			xs = append(xs, cc.(*ast.CaseClause).List...)
		}
	case *ast.TypeSwitchStmt:
		switch a := s.Assign.(type) {
		case *ast.AssignStmt:
			xs = append(xs, a.Rhs...)
		case *ast.ExprStmt:
			xs = append(xs, a.X)
		}
	}
	return xs
}

// stmt reports whether s has an effect.
func (e *effects) stmt(s ast.Stmt) bool {
	switch s := s.(type) {
	case nil, *ast.EmptyStmt:
		return false
	case *ast.ExprStmt:
		return e.expr(s.X)
	case *ast.AssignStmt:
		for _, r := range s.Rhs {
			if e.expr(r) {
				return true
			}
		}
		for _, l := range s.Lhs {
			if e.store(l) {
				return true
			}
		}
		return false
	case *ast.IncDecStmt:
		return e.store(s.X)
	case *ast.DeclStmt:
		g, ok := s.Decl.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR {
			return false // const and type declarations
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			for _, v := range vs.Values {
				if e.expr(v) {
					return true
				}
			}
			if len(vs.Values) > 0 {
				for _, n := range vs.Names {
					if e.store(n) {
						return true
					}
				}
			}
		}
		return false
	case *ast.BlockStmt:
		return e.stmts(s.List)
	case *ast.LabeledStmt:
		return e.stmt(s.Stmt)
	case *ast.IfStmt:
		return e.stmt(s.Init) || e.expr(s.Cond) || e.stmt(s.Body) || e.stmt(s.Else)
	case *ast.ForStmt:
		return e.stmt(s.Init) || (s.Cond != nil && e.expr(s.Cond)) || e.stmt(s.Post) || e.stmt(s.Body)
	case *ast.RangeStmt:
		switch under(e.c.pass.TypesInfo.TypeOf(s.X)).(type) {
		case *types.Chan, *types.Signature, *types.Map:
			// Receives, calls to an iterator, or the runtime's map
			// iterator, which the compiler never removes.
			return true
		}
		if e.expr(s.X) {
			return true
		}
		for _, kv := range []ast.Expr{s.Key, s.Value} {
			if kv != nil && e.store(kv) {
				return true
			}
		}
		return e.stmt(s.Body)
	case *ast.SwitchStmt:
		if e.stmt(s.Init) || (s.Tag != nil && e.expr(s.Tag)) {
			return true
		}
		for _, cc := range s.Body.List {
			cc := cc.(*ast.CaseClause)
			for _, x := range cc.List {
				if e.expr(x) {
					return true
				}
			}
			if e.stmts(cc.Body) {
				return true
			}
		}
		return false
	case *ast.TypeSwitchStmt:
		if e.stmt(s.Init) {
			return true
		}
		for _, cc := range s.Body.List {
			if e.stmts(cc.(*ast.CaseClause).Body) {
				return true
			}
		}
		return false
	case *ast.BranchStmt:
		// continue only skips the rest of a body; break and goto
		// change how much work runs, so they count as effects, except
		// when analysing the purity of a callee.
		return s.Tok != token.CONTINUE && e.live != nil
	case *ast.ReturnStmt:
		if e.live != nil {
			return true // the values leave the benchmark function
		}
		for _, r := range s.Results {
			if e.expr(r) {
				return true
			}
		}
		return false
	default:
		// go, defer, send, select, and anything unforeseen.
		return true
	}
}

func (e *effects) stmts(list []ast.Stmt) bool {
	for _, s := range list {
		if e.stmt(s) {
			return true
		}
	}
	return false
}

// store reports whether assigning to lhs has an effect.
func (e *effects) store(lhs ast.Expr) bool {
	id, ok := astutil.Unparen(lhs).(*ast.Ident)
	if !ok {
		// Fields, elements, pointers: memory others may read. Count
		// them as kept, and their operands' evaluation with them.
		return true
	}
	if id.Name == "_" {
		return false
	}
	obj := e.c.pass.TypesInfo.ObjectOf(id)
	v, ok := obj.(*types.Var)
	if !ok || !e.locals[v] {
		return true // a package-level variable
	}
	if e.live == nil {
		return false // a callee's own local
	}
	return e.keepAlive || e.live[v]
}

// expr reports whether evaluating x has an effect.
func (e *effects) expr(x ast.Expr) bool {
	info := e.c.pass.TypesInfo
	switch x := x.(type) {
	case nil, *ast.Ident, *ast.BasicLit, *ast.FuncLit:
		return false
	case *ast.ParenExpr:
		return e.expr(x.X)
	case *ast.CompositeLit:
		for _, elt := range x.Elts {
			if e.expr(elt) {
				return true
			}
		}
		return false
	case *ast.KeyValueExpr:
		return e.expr(x.Key) || e.expr(x.Value)
	case *ast.SelectorExpr:
		if _, ok := info.Uses[x.Sel].(*types.PkgName); ok {
			return false
		}
		return e.expr(x.X)
	case *ast.IndexExpr:
		if tv, ok := info.Types[x.X]; ok && !tv.IsValue() {
			return false // a generic instantiation
		}
		if _, ok := under(info.TypeOf(x.X)).(*types.Map); ok {
			return true // a runtime call the compiler does not remove
		}
		if _, ok := info.TypeOf(x.X).(*types.Signature); ok {
			return false // f[T]
		}
		return e.expr(x.X) || e.expr(x.Index)
	case *ast.IndexListExpr:
		return false // a generic instantiation
	case *ast.SliceExpr:
		return e.expr(x.X) || e.expr(x.Low) || e.expr(x.High) || e.expr(x.Max)
	case *ast.StarExpr:
		return e.expr(x.X)
	case *ast.UnaryExpr:
		return x.Op == token.ARROW || e.expr(x.X)
	case *ast.BinaryExpr:
		return e.expr(x.X) || e.expr(x.Y)
	case *ast.CallExpr:
		return e.call(x)
	case *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.FuncType,
		*ast.InterfaceType, *ast.StructType, *ast.Ellipsis:
		return false // types, as in make([]T, n) or conversions
	default:
		// Type assertions (they panic), and anything unforeseen.
		return true
	}
}

// call reports whether a call has an effect.
func (e *effects) call(call *ast.CallExpr) bool {
	info := e.c.pass.TypesInfo
	for _, a := range call.Args {
		if e.expr(a) {
			return true
		}
	}
	fun := astutil.Unparen(call.Fun)
	tv := info.Types[fun]
	switch {
	case tv.IsType():
		return false // a conversion
	case tv.IsBuiltin():
		return !pureBuiltins[builtinName(fun)]
	case e.keepAlive:
		return true // the compiler keeps calls in b.Loop alive
	}
	if sel, ok := fun.(*ast.SelectorExpr); ok && e.expr(sel.X) {
		return true
	}
	fn := typeutil.StaticCallee(info, call)
	if fn == nil {
		return true // dynamic: an interface method or a function value
	}
	fn = fn.Origin()
	if pureFuncs[fn.FullName()] {
		return false
	}
	if fn.Pkg() != e.c.pass.Pkg {
		return true
	}
	return !e.c.funcPure(fn)
}

// builtinName returns the name of a builtin callee: len, unsafe.Sizeof...
func builtinName(fun ast.Expr) string {
	switch f := fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

// pureBuiltins are the builtins without side effects; copy, clear,
// delete, close, panic, print, println and recover have some.
var pureBuiltins = map[string]bool{
	"len": true, "cap": true, "make": true, "new": true, "append": true,
	"complex": true, "real": true, "imag": true, "min": true, "max": true,
	// package unsafe
	"Sizeof": true, "Alignof": true, "Offsetof": true, "Add": true,
	"Slice": true, "SliceData": true, "String": true, "StringData": true,
}

// funcPure reports whether fn, declared in the analysed package, has no
// effect beyond its results: no store outside its own locals, no impure
// call, no channel operation, no panic. A //go:noinline function is never
// pure: that directive is how benchmarks make a consumer the compiler
// must call. Recursion is treated as impure.
func (c *pkgChecker) funcPure(fn *types.Func) bool {
	switch c.purity[fn] {
	case pure:
		return true
	case impure, analysing:
		return false
	}
	decl := c.decls[fn]
	if decl == nil || decl.Body == nil || hasDirective(decl.Doc, "//go:noinline") {
		c.purity[fn] = impure
		return false
	}
	c.purity[fn] = analysing
	e := &effects{c: c, locals: c.locals(decl)}
	result := impure
	if !e.stmt(decl.Body) {
		result = pure
	}
	c.purity[fn] = result
	return result == pure
}

// hasDirective reports whether a doc comment group holds the directive.
func hasDirective(doc *ast.CommentGroup, directive string) bool {
	if doc == nil {
		return false
	}
	for _, c := range doc.List {
		if c.Text == directive || strings.HasPrefix(c.Text, directive+" ") {
			return true
		}
	}
	return false
}

func under(t types.Type) types.Type {
	if t == nil {
		return nil
	}
	return t.Underlying()
}
