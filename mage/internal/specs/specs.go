// Package specs reads the spec lists of compare and track: each spec a
// result file ("a.txt", "old=a.txt") or a toolchain whose newest run on
// a platform is used. The one grammar of spec lists that name results.
package specs

import (
	"context"
	"errors"
	"fmt"
	"go/version"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/perftrack/perftrack/mage/results"
	"github.com/perftrack/perftrack/mage/stats"
	"github.com/perftrack/perftrack/mage/toolchain"
)

// Resolve turns a comma-separated spec list into stats file
// arguments ("label=path"). A spec is a result file ("a.txt" or
// "old=a.txt"), or names a toolchain whose newest run with samples on
// this platform is used (results.NewestRun): "1.27.3" or "go1.27.3"
// (exact), "1.27" (the newest go1.27.x with results), "local" (the
// version of the go on PATH), a bare label, or "label=/path/to/goroot"
// (that label's results). It writes to stderr which run of each
// toolchain it took and what it skipped, since the newest file is not
// always the run used.
func Resolve(ctx context.Context, stderr io.Writer, specs, root, platform string, local func(context.Context) (string, error)) ([]string, error) {
	var args []string
	toolchains := make(map[string]string) // results name -> spec
	for _, spec := range strings.Split(specs, ",") {
		spec = strings.TrimSpace(spec)
		if spec == "" {
			return nil, fmt.Errorf("empty spec in %q: want a comma-separated list such as 1.26.8,1.27.3 or old=a.txt,new=b.txt", specs)
		}
		label, path, labeled := stats.ParseFileArg(spec)
		if labeled {
			info, err := os.Stat(path)
			switch {
			case err != nil:
				return nil, fmt.Errorf("spec %q: %w", spec, err)
			case !info.IsDir():
				args = append(args, spec)
				continue
			}
			// label=/path/to/goroot: the results are under the label.
			spec = label
		} else if info, err := os.Stat(spec); err == nil && !info.IsDir() {
			args = append(args, spec)
			continue
		} else if err != nil && strings.ContainsAny(spec, `/\`) {
			// Not a toolchain name either: report the missing file.
			return nil, fmt.Errorf("spec %q: %w", spec, err)
		}
		name, err := resultsName(ctx, spec, root, platform, local)
		if err != nil {
			return nil, err
		}
		if prev, ok := toolchains[name]; ok {
			return nil, fmt.Errorf("specs %q and %q both name the results of %s", prev, spec, name)
		}
		toolchains[name] = spec
		run, warnings, err := results.NewestRun(root, platform, name)
		for _, w := range warnings {
			fmt.Fprintf(stderr, "compare: warning: %v\n", w)
		}
		if err != nil {
			return nil, fmt.Errorf("spec %q: %w", spec, err)
		}
		fmt.Fprintf(stderr, "compare: %s: run %s (%s)\n", name, run.ID(), run.File)
		args = append(args, name+"="+run.File)
	}
	return args, nil
}

// ResultsName returns the results directory name of one toolchain spec
// (not a file), as Resolve maps it: for explain, which needs a run of
// toolchains rather than result files.
func ResultsName(ctx context.Context, spec, root, platform string, local func(context.Context) (string, error)) (string, error) {
	return resultsName(ctx, spec, root, platform, local)
}

// resultsName maps a toolchain spec, as toolchain.ParseSpec reads it, or
// a bare label to its results directory name.
func resultsName(ctx context.Context, spec, root, platform string, local func(context.Context) (string, error)) (string, error) {
	ts, err := toolchain.ParseSpec(spec)
	if err != nil {
		if err := results.CheckName(spec); err != nil {
			return "", fmt.Errorf("spec %q is not a file, a Go version or a label: %w", spec, err)
		}
		return spec, nil
	}
	switch ts.Kind {
	case toolchain.Local:
		v, err := local(ctx)
		if err != nil {
			return "", fmt.Errorf("spec local: %w", err)
		}
		return v, nil
	case toolchain.Label:
		return ts.Label, nil
	case toolchain.Exact:
		return ts.Version, nil
	}
	// Newest (go1.27): the newest release of it with results.
	names, err := results.Names(root, platform)
	if err != nil {
		return "", fmt.Errorf("spec %q: %w", spec, err)
	}
	names = slices.DeleteFunc(names, func(n string) bool {
		return !version.IsValid(n) || version.Lang(n) != ts.Version
	})
	slices.SortFunc(names, version.Compare)
	for i := len(names) - 1; i >= 0; i-- {
		if _, _, err := results.NewestRun(root, platform, names[i]); err == nil {
			return names[i], nil
		} else if !errors.Is(err, results.ErrNoResults) && !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("spec %q: %w", spec, err)
		}
	}
	return "", fmt.Errorf("spec %q: %w for any %s.x in %s", spec, results.ErrNoResults, ts.Version, filepath.Join(root, platform))
}
