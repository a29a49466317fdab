package collect

import (
	"github.com/perftrack/perftrack/mage/results"

	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// listedPackage is what Collect needs from go list.
type listedPackage struct {
	ImportPath   string
	Dir          string
	TestGoFiles  []string
	XTestGoFiles []string
	Error        *struct{ Err string }
}

// build lists the packages under one toolchain and builds a test binary
// for each package that has tests, into dir. Failures are recorded, not
// returned; the error is for the run as a whole (ctx, I/O).
func (c *collector) build(ctx context.Context, tc *tcState, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	gomod, err := os.ReadFile(filepath.Join(c.cfg.Dir, "go.mod"))
	if err != nil {
		return fmt.Errorf("reading the benchmark module: %w", err)
	}
	lowered, goLine, changed, err := lowerGoMod(gomod, tc.Version)
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(c.cfg.Dir, "go.mod"), err)
	}
	var modArgs []string
	if changed {
		// -modfile=<dir>/go.mod makes the go command use <dir>/go.sum too.
		tc.modfile, tc.loweredGo = filepath.Join(dir, "go.mod"), goLine
		if err := os.WriteFile(tc.modfile, lowered, 0o644); err != nil {
			return err
		}
		if sum, err := os.ReadFile(filepath.Join(c.cfg.Dir, "go.sum")); err == nil {
			if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
				return err
			}
		}
		modArgs = []string{"-modfile=" + tc.modfile}
	}
	goCmd := filepath.Join(tc.GOROOT, "bin", "go")

	args := append([]string{"list", "-e", "-json=ImportPath,Dir,TestGoFiles,XTestGoFiles,Error"}, modArgs...)
	args = append(args, splitPkgs(c.m.Settings.Pkgs)...)
	var stdout, stderr bytes.Buffer
	cmd := command(ctx, c.cfg.Dir, tc.env, goCmd, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if settle(ctx, err); ctx.Err() != nil {
			return nil
		}
		c.fail(results.Failure{Toolchain: tc.Name, Pkg: c.m.Settings.Pkgs, Stage: results.StageList,
			Err: "go list: " + err.Error(), Output: tail(stderr.Bytes(), tailLines)})
		return nil
	}
	var pkgs []listedPackage
	for dec := json.NewDecoder(&stdout); ; {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return fmt.Errorf("%s: reading go list output: %w", tc.Name, err)
		}
		pkgs = append(pkgs, p)
	}

	for i, p := range pkgs {
		if ctx.Err() != nil {
			return nil
		}
		if p.Error != nil {
			c.fail(results.Failure{Toolchain: tc.Name, Pkg: p.ImportPath, Stage: results.StageBuild, Err: "go list", Output: tail([]byte(p.Error.Err), tailLines)})
			continue
		}
		if len(p.TestGoFiles)+len(p.XTestGoFiles) == 0 {
			continue
		}
		if _, ok := c.pkgDirs[p.ImportPath]; !ok {
			c.pkgDirs[p.ImportPath] = p.Dir
			c.pkgs = append(c.pkgs, p.ImportPath)
		}
		bin := filepath.Join(dir, fmt.Sprintf("%03d-%s.test", i, filepath.Base(p.ImportPath)))
		args := append([]string{"test", "-c", "-o", bin}, modArgs...)
		args = append(args, p.ImportPath)
		out, err := command(ctx, c.cfg.Dir, tc.env, goCmd, args...).CombinedOutput()
		if settle(ctx, err); ctx.Err() != nil {
			return nil
		}
		if err != nil {
			c.fail(results.Failure{Toolchain: tc.Name, Pkg: p.ImportPath, Stage: results.StageBuild,
				Err: "go test -c: " + err.Error(), Output: tail(out, tailLines)})
			continue
		}
		if !exists(bin) {
			continue
		}
		tc.bins[p.ImportPath] = bin
	}
	return nil
}

// splitPkgs splits a package list given with spaces or commas.
func splitPkgs(s string) []string {
	return strings.Fields(strings.ReplaceAll(s, ",", " "))
}
