package mage

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/magefile/mage/mg"
)

// Paths prints the directories the targets use (PERF_BENCHMARKS, PERF_RESULTS, PERF_DOCS, PERF_SITE, PERF_SDK) as NAME=absolute path lines.
//
// The values are the settings in effect here: PERF_* variables, else the
// Options an importing magefile set, else the defaults. The GitHub Action
// reads them, so that it uploads and caches what the targets wrote
// wherever a consumer's magefile put it.
func Paths(ctx context.Context) error {
	s, err := settings()
	if err != nil {
		return mg.Fatal(2, err)
	}
	return writePaths(os.Stdout, s)
}

// writePaths writes the lines of Paths for s.
func writePaths(w io.Writer, s Settings) error {
	for _, p := range []struct{ name, dir string }{
		{"PERF_BENCHMARKS", s.Benchmarks},
		{"PERF_RESULTS", s.Results},
		{"PERF_DOCS", s.Docs},
		{"PERF_SITE", s.Site},
		{"PERF_SDK", s.SDK},
	} {
		abs, err := filepath.Abs(p.dir)
		if err != nil {
			return fmt.Errorf("paths: %s=%q: %w", p.name, p.dir, err)
		}
		if _, err := fmt.Fprintf(w, "%s=%s\n", p.name, abs); err != nil {
			return err
		}
	}
	return nil
}

// Resolve prints a spec list with each 1.27 replaced by the newest patch release it names now, without installing anything.
//
// The line printed is a spec list for the other targets: exact releases,
// local and label= specs stay as given. The GitHub Action keys its cache
// of PERF_SDK on it and passes it to track, so that a new patch release
// is downloaded once, cached, and benchmarked under the name it was
// cached under.
func (Toolchain) Resolve(ctx context.Context, specs string) error {
	ctx, stop := interruptible(ctx)
	defer stop()
	in, list, err := installerFor(specs)
	if err != nil {
		return err
	}
	resolved, err := in.Resolve(ctx, list)
	if err != nil {
		return interrupted(ctx, fmt.Errorf("toolchain:resolve: %w", err))
	}
	names := make([]string, len(resolved))
	for i, s := range resolved {
		names[i] = s.String()
	}
	fmt.Println(strings.Join(names, ","))
	return nil
}

// targetName returns target as the user must type it, given the command
// line (os.Args) of the running target self: "perf:serve" when the running
// target was invoked as "perf:track", because a magefile imports these
// targets with //mage:import perf. Mage passes the target names through
// to the compiled magefile as typed, and nothing else tells a target its
// namespace. Without a match (an alias, the default target) it is target
// unprefixed, as this repository's own magefile lists it.
func targetName(args []string, self, target string) string {
	for _, a := range args[min(1, len(args)):] {
		if strings.HasPrefix(a, "-") || len(a) < len(self) {
			continue
		}
		prefix, name := a[:len(a)-len(self)], a[len(a)-len(self):]
		if strings.EqualFold(name, self) && (prefix == "" || strings.HasSuffix(prefix, ":")) {
			return prefix + target
		}
	}
	return target
}
