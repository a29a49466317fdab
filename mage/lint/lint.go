// Package lint checks the benchmark module, the module every toolchain must
// be able to build:
//
//  1. the go.mod pin: a `go` line of exactly GoLine and no toolchain line,
//     so every Go release from GoLine on builds the suite as it is;
//  2. gofmt;
//  3. go vet, whose stdversion check reports APIs newer than the go line;
//  4. staticcheck;
//  5. benchcheck: benchmark loops whose work the compiler may delete, and
//     benchmarks without the doc comment Export shows.
//
// With Options.Fix, the first two are rewritten in place and only what
// remains is reported. Findings carry a file and line so editors and CI logs
// can link them.
package lint

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/format"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/perftrack/perftrack/mage/lint/benchcheck"
	"golang.org/x/mod/modfile"

	"github.com/perftrack/perftrack/mage/internal/atomicfile"
)

// GoLine is the go line the benchmark module must carry: the oldest Go
// release perftrack tracks.
const GoLine = "1.23"

// Options configures Run.
type Options struct {
	// Dir is the benchmark module's directory (the one holding go.mod).
	Dir string
	// Fix rewrites what can be rewritten: gofmt and the go.mod pin.
	Fix bool
	// Staticcheck is the staticcheck command (binary and leading arguments).
	// Empty skips staticcheck; StaticcheckCommand finds the pinned one.
	Staticcheck []string
	// Go is the go command for vet; empty means "go" from PATH. benchcheck
	// ignores it: go/packages always runs the go on PATH.
	Go string
}

// Finding is one problem, positioned at File:Line (Line 0 when the
// problem concerns a whole file).
type Finding struct {
	File  string // path as given by Options.Dir joined with the module-relative path
	Line  int
	Check string // pin, gofmt, vet, staticcheck, benchcheck
	Msg   string
	Fixed bool // rewritten by Fix; reported for the record, not a problem
}

func (f Finding) String() string {
	pos := f.File
	if f.Line > 0 {
		pos += ":" + strconv.Itoa(f.Line)
	}
	msg := f.Msg
	if f.Fixed {
		msg = "fixed: " + msg
	}
	return fmt.Sprintf("%s: %s (%s)", pos, msg, f.Check)
}

// Problems returns the findings that were not fixed.
func Problems(findings []Finding) []Finding {
	var out []Finding
	for _, f := range findings {
		if !f.Fixed {
			out = append(out, f)
		}
	}
	return out
}

// Run lints the module in opts.Dir and returns every finding, sorted by
// file and line. An error means lint could not run at all (no go.mod, the
// go command missing), not that it found problems.
func Run(ctx context.Context, opts Options) ([]Finding, error) {
	if opts.Go == "" {
		opts.Go = "go"
	}
	var findings []Finding
	pin, err := checkPin(opts.Dir, opts.Fix)
	if err != nil {
		return nil, err
	}
	findings = append(findings, pin...)
	fmtd, err := checkFormat(opts.Dir, opts.Fix)
	if err != nil {
		return nil, err
	}
	findings = append(findings, fmtd...)
	vet, err := runTool(ctx, opts.Dir, "vet", append([]string{opts.Go, "vet"}, "./..."))
	if err != nil {
		return nil, err
	}
	findings = append(findings, vet...)
	bc, err := benchcheck.Check(ctx, opts.Dir)
	if err != nil {
		// Always said, even beside vet's findings: a benchcheck that did not
		// run must not pass for one that found nothing.
		findings = append(findings, Finding{File: filepath.Join(opts.Dir, "go.mod"), Check: "benchcheck", Msg: err.Error()})
	}
	for _, f := range bc {
		findings = append(findings, Finding{File: underDir(opts.Dir, f.Pos.Filename), Line: f.Pos.Line, Check: "benchcheck", Msg: f.Message})
	}
	if len(opts.Staticcheck) > 0 {
		sc, err := runTool(ctx, opts.Dir, "staticcheck", append(slices.Clone(opts.Staticcheck), "./..."))
		if err != nil {
			return nil, err
		}
		findings = append(findings, sc...)
	}
	slices.SortStableFunc(findings, func(a, b Finding) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		return a.Line - b.Line
	})
	return slices.Compact(findings), nil
}

// underDir rewrites the absolute path file, inside dir, as dir joined
// with its relative path, so every check names files the same way.
func underDir(dir, file string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return file
	}
	rel, err := filepath.Rel(abs, file)
	if err != nil || strings.HasPrefix(rel, "..") {
		return file
	}
	return filepath.Join(dir, rel)
}

// checkPin checks (and with fix, rewrites) the go.mod pin.
func checkPin(dir string, fix bool) ([]Finding, error) {
	path := filepath.Join(dir, "go.mod")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("lint: %w", err)
	}
	f, err := modfile.Parse(path, data, nil)
	if err != nil {
		// The parse error already names file and line.
		return []Finding{{File: path, Check: "pin", Msg: err.Error()}}, nil
	}
	var findings []Finding
	add := func(line int, msg string) {
		findings = append(findings, Finding{File: path, Line: line, Check: "pin", Msg: msg, Fixed: fix})
	}
	switch {
	case f.Go == nil:
		add(0, fmt.Sprintf("no go line; want `go %s` so every toolchain from go%s on can build the module", GoLine, GoLine))
	case f.Go.Version != GoLine:
		add(f.Go.Syntax.Start.Line, fmt.Sprintf("go line is %s; want exactly %s so every toolchain from go%s on can build the module without switching", f.Go.Version, GoLine, GoLine))
	}
	if f.Toolchain != nil {
		add(f.Toolchain.Syntax.Start.Line, fmt.Sprintf("toolchain line %s would make the go command switch toolchains; remove it", f.Toolchain.Name))
	}
	if !fix || len(findings) == 0 {
		return findings, nil
	}
	if err := f.AddGoStmt(GoLine); err != nil {
		return nil, fmt.Errorf("lint: fixing %s: %w", path, err)
	}
	f.DropToolchainStmt()
	f.Cleanup()
	out, err := f.Format()
	if err != nil {
		return nil, fmt.Errorf("lint: fixing %s: %w", path, err)
	}
	if err := writeKeepMode(path, out); err != nil {
		return nil, fmt.Errorf("lint: fixing %s: %w", path, err)
	}
	return findings, nil
}

// checkFormat reports (and with fix, rewrites) Go files that gofmt would change.
func checkFormat(dir string, fix bool) ([]Finding, error) {
	var findings []Finding
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			// The go command ignores these directories too.
			name := d.Name()
			if path != dir && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		out, err := format.Source(src)
		if err != nil {
			// vet reports syntax errors with their position.
			return nil
		}
		if bytes.Equal(src, out) {
			return nil
		}
		findings = append(findings, Finding{
			File: path, Line: firstDiffLine(src, out), Check: "gofmt", Fixed: fix,
			Msg: "not gofmt-formatted; run gofmt -w " + path + " (or lint with PERF_FIX=1)",
		})
		if fix {
			return writeKeepMode(path, out)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("lint: gofmt: %w", err)
	}
	return findings, nil
}

// firstDiffLine returns the 1-based line where a and b first differ.
func firstDiffLine(a, b []byte) int {
	line := 1
	for i := 0; i < len(a) && i < len(b) && a[i] == b[i]; i++ {
		if a[i] == '\n' {
			line++
		}
	}
	return line
}

// diagRE matches the file:line:col: message lines of go vet and staticcheck.
var diagRE = regexp.MustCompile(`^(.+?\.go):(\d+)(?::\d+)?: (.*)$`)

// runTool runs a checker in dir and turns its file:line:col output into
// findings. A non-zero exit with no parsable findings is one finding on
// go.mod holding the checker's output, which says why it failed (e.g. the
// module does not build); an error means the checker could not be started.
func runTool(ctx context.Context, dir, check string, argv []string) ([]Finding, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	// The local toolchain only: a go line the toolchain can't handle is a
	// pin finding, never a reason to download another Go.
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=")
	out, err := cmd.CombinedOutput()
	var findings []Finding
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		m := diagRE.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		line, _ := strconv.Atoi(m[2])
		file := m[1]
		if !filepath.IsAbs(file) {
			file = filepath.Join(dir, file)
		}
		findings = append(findings, Finding{File: file, Line: line, Check: check, Msg: m[3]})
	}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return findings, nil
	case errors.As(err, &exitErr) && len(findings) > 0:
		return findings, nil
	case errors.As(err, &exitErr):
		// It ran but failed without a diagnostic: report its output as one
		// finding on go.mod, the usual culprit (an unsupported go line).
		return []Finding{{File: filepath.Join(dir, "go.mod"), Check: check,
			Msg: check + " failed: " + strings.TrimSpace(string(out))}}, nil
	default:
		return nil, fmt.Errorf("lint: running %s: %w", strings.Join(argv, " "), err)
	}
}

// writeKeepMode replaces path's content atomically, keeping its mode.
func writeKeepMode(path string, data []byte) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, data, fi.Mode().Perm())
}

// StaticcheckCommand returns the command that runs the staticcheck pinned
// by the module in moduleDir (its go.mod `tool` line), resolved with
// `go tool -n`, or, when that module has no such tool line (a consumer's
// repository), the version perftrack pins, run with `go run`.
func StaticcheckCommand(ctx context.Context, goCmd, moduleDir string) []string {
	if goCmd == "" {
		goCmd = "go"
	}
	cmd := exec.CommandContext(ctx, goCmd, "tool", "-n", "staticcheck")
	cmd.Dir = moduleDir
	cmd.Env = append(os.Environ(), "GOFLAGS=")
	if out, err := cmd.Output(); err == nil {
		if bin := strings.TrimSpace(string(out)); bin != "" {
			return []string{bin}
		}
	}
	return []string{goCmd, "run", "honnef.co/go/tools/cmd/staticcheck@" + StaticcheckVersion}
}

// StaticcheckVersion is the staticcheck release used when the calling
// module does not pin one; keep it equal to go.mod's.
const StaticcheckVersion = "v0.8.2"
