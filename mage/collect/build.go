package collect

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"

	"github.com/perftrack/perftrack/mage/results"
	"github.com/perftrack/perftrack/mage/toolchain"
)

// listedPackage is what Collect needs from go list.
type listedPackage struct {
	ImportPath   string
	Dir          string
	TestGoFiles  []string
	XTestGoFiles []string
	Error        *struct{ Err string }
}

// Built is what BuildTests built under one toolchain.
type Built struct {
	Bins map[string]string // import path -> test binary
	Dirs map[string]string // import path -> package directory
	Pkgs []string          // import paths of the packages with tests, in go list order
	// Modfile is the -modfile argument the go command was given, when
	// the module's go.mod had to be rewritten; LoweredGo is the go line
	// written there, when it was lowered.
	Modfile, LoweredGo string
	// Failures are the packages that could not be listed or built.
	Failures []results.Failure
}

// BuildTests lists the packages pkgs (patterns separated by spaces or
// commas) of the module in moduleDir under tc, with the environment env
// (ChildEnv of tc.GOROOT), and builds the test binary of each package
// that has tests into dir with go test -c. When the module's go line is
// newer than tc, it builds with -modfile and the line lowered (see
// lowerGoMod). A package that cannot be listed or built is a Failure in
// the result; the error is for the build as a whole (reading go.mod,
// I/O). When ctx is cancelled it returns what it built, and no error.
// Collect builds through it, once per toolchain; explain rebuilds the
// binaries of a finished run the same way.
func BuildTests(ctx context.Context, tc toolchain.Toolchain, env []string, moduleDir, pkgs, dir string) (*Built, error) {
	b := &Built{Bins: map[string]string{}, Dirs: map[string]string{}}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	gomod, err := os.ReadFile(filepath.Join(moduleDir, "go.mod"))
	if err != nil {
		return nil, fmt.Errorf("reading the benchmark module: %w", err)
	}
	lowered, goLine, changed, err := lowerGoMod(gomod, tc.Version)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(moduleDir, "go.mod"), err)
	}
	var modArgs []string
	if changed {
		// -modfile=<dir>/go.mod makes the go command use <dir>/go.sum too.
		b.Modfile, b.LoweredGo = filepath.Join(dir, "go.mod"), goLine
		if err := os.WriteFile(b.Modfile, lowered, 0o644); err != nil {
			return nil, err
		}
		if sum, err := os.ReadFile(filepath.Join(moduleDir, "go.sum")); err == nil {
			if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
				return nil, err
			}
		}
		modArgs = []string{"-modfile=" + b.Modfile}
	}
	goCmd := filepath.Join(tc.GOROOT, "bin", "go")

	args := append([]string{"list", "-e", "-json=ImportPath,Dir,TestGoFiles,XTestGoFiles,Error"}, modArgs...)
	args = append(args, splitPkgs(pkgs)...)
	var stdout, stderr bytes.Buffer
	cmd := command(ctx, moduleDir, env, goCmd, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if settle(ctx, err); ctx.Err() != nil {
			return b, nil
		}
		b.Failures = append(b.Failures, results.Failure{Toolchain: tc.Name, Pkg: pkgs, Stage: results.StageList,
			Err: "go list: " + err.Error(), Output: tail(stderr.Bytes(), tailLines)})
		return b, nil
	}
	var listed []listedPackage
	for dec := json.NewDecoder(&stdout); ; {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("%s: reading go list output: %w", tc.Name, err)
		}
		listed = append(listed, p)
	}

	for i, p := range listed {
		if ctx.Err() != nil {
			return b, nil
		}
		if p.Error != nil {
			b.Failures = append(b.Failures, results.Failure{Toolchain: tc.Name, Pkg: p.ImportPath, Stage: results.StageBuild, Err: "go list", Output: tail([]byte(p.Error.Err), tailLines)})
			continue
		}
		if len(p.TestGoFiles)+len(p.XTestGoFiles) == 0 {
			continue
		}
		b.Pkgs = append(b.Pkgs, p.ImportPath)
		b.Dirs[p.ImportPath] = p.Dir
		bin := filepath.Join(dir, fmt.Sprintf("%03d-%s.test", i, filepath.Base(p.ImportPath)))
		args := append([]string{"test", "-c", "-o", bin}, modArgs...)
		args = append(args, p.ImportPath)
		out, err := command(ctx, moduleDir, env, goCmd, args...).CombinedOutput()
		if settle(ctx, err); ctx.Err() != nil {
			return b, nil
		}
		if err != nil {
			b.Failures = append(b.Failures, results.Failure{Toolchain: tc.Name, Pkg: p.ImportPath, Stage: results.StageBuild,
				Err: "go test -c: " + err.Error(), Output: tail(out, tailLines)})
			continue
		}
		if !exists(bin) {
			continue
		}
		b.Bins[p.ImportPath] = bin
	}
	return b, nil
}

// build builds the test binaries of the run under one toolchain
// (BuildTests) and records what it built and the failures.
func (c *collector) build(ctx context.Context, tc *tcState, dir string) error {
	b, err := BuildTests(ctx, tc.Toolchain, tc.env, c.cfg.Dir, c.m.Settings.Pkgs, dir)
	if err != nil {
		return err
	}
	tc.modfile, tc.loweredGo = b.Modfile, b.LoweredGo
	for _, f := range b.Failures {
		c.fail(f)
	}
	for _, p := range b.Pkgs {
		if _, ok := c.pkgDirs[p]; !ok {
			c.pkgDirs[p] = b.Dirs[p]
			c.pkgs = append(c.pkgs, p)
		}
	}
	maps.Copy(tc.bins, b.Bins)
	return nil
}

// splitPkgs splits a package list given with spaces or commas.
func splitPkgs(s string) []string {
	return strings.Fields(strings.ReplaceAll(s, ",", " "))
}
