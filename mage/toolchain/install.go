package toolchain

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Toolchain is a Go toolchain ready to run.
type Toolchain struct {
	// Name is the results directory name: the exact version (go1.27.3),
	// the label of a label= spec, or the local go's version for "local".
	Name string
	// Version is what GOROOT/bin/go version reports, e.g. go1.26.8.
	Version string
	// GOROOT is the toolchain's root; run it with Env(GOROOT, ...).
	GOROOT string
}

// Installer installs and finds toolchains under an SDK root laid out like
// golang.org/dl's ~/sdk. The zero value of every field but SDK has a
// working default; an Installer is safe for use by one goroutine at a
// time, and several processes may install into one SDK root at once.
type Installer struct {
	// SDK is the toolchain root (PERF_SDK, usually ~/sdk).
	SDK string
	// Source is where toolchains come from: "proxy" (the default: the
	// module proxy, verified with the checksum database) or "dl" (release
	// archives, verified with the release list's sha256).
	Source string
	// ReleaseURL is the release list (JSON), used to resolve "1.27" and by
	// the dl source; default DefaultReleaseURL.
	ReleaseURL string
	// Client makes every HTTP request; nil means a plain http.Client.
	Client *http.Client
	// Progress receives download progress and notes (offline fallbacks);
	// nil means silence.
	Progress io.Writer

	// GOPROXY, GOSUMDB and GOMODCACHE override `go env` (read only when a
	// download is needed). GOSUMDB takes the go command's forms, e.g.
	// "sum.golang.org" or "<name>+<hash>+<key> <url>". GOMODCACHE "off"
	// stops the reuse of zips from the Go module cache.
	GOPROXY, GOSUMDB, GOMODCACHE string
	// CacheDir holds the release list and checksum database caches;
	// default os.UserCacheDir()/perftrack.
	CacheDir string
	// GoCmd is the go command for "local" and `go env`; default "go".
	GoCmd string
	// GOOS and GOARCH select the platform to install; default this one.
	GOOS, GOARCH string
	// Limits bounds downloads and archives; zero means DefaultLimits.
	Limits Limits
	// Now is the clock for cache ages; nil means time.Now.
	Now func() time.Time
	// StallTimeout fails a download that receives nothing for this long;
	// zero means DefaultStallTimeout. The whole install has no deadline
	// but the context's, since a slow link needs minutes for 76 MB.
	StallTimeout time.Duration

	cfgOnce sync.Once
	cfg     goConfig
	cfgErr  error
}

func (in *Installer) releaseURL() string {
	if in.ReleaseURL != "" {
		return in.ReleaseURL
	}
	return DefaultReleaseURL
}

func (in *Installer) cacheDir() string {
	if in.CacheDir != "" {
		return in.CacheDir
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "perftrack")
	}
	return filepath.Join(os.TempDir(), "perftrack-cache")
}

func (in *Installer) goCmd() string {
	if in.GoCmd != "" {
		return in.GoCmd
	}
	return "go"
}

func (in *Installer) goos() string {
	if in.GOOS != "" {
		return in.GOOS
	}
	return runtime.GOOS
}

func (in *Installer) goarch() string {
	if in.GOARCH != "" {
		return in.GOARCH
	}
	return runtime.GOARCH
}

func (in *Installer) limits() Limits { return in.Limits.orDefault() }

func (in *Installer) stallTimeout() time.Duration {
	if in.StallTimeout > 0 {
		return in.StallTimeout
	}
	return DefaultStallTimeout
}

func (in *Installer) now() time.Time {
	if in.Now != nil {
		return in.Now()
	}
	return time.Now()
}

func (in *Installer) notef(format string, args ...any) {
	if in.Progress != nil {
		fmt.Fprintf(in.Progress, format+"\n", args...)
	}
}

func isWindows() bool { return runtime.GOOS == "windows" }

// goConfig is what the installer needs from `go env`.
type goConfig struct{ GOPROXY, GOSUMDB, GOMODCACHE string }

// goConfig returns the fields of the Installer, completed from `go env`
// (run once, only if a field is empty).
func (in *Installer) goConfig(ctx context.Context) (goConfig, error) {
	in.cfgOnce.Do(func() {
		in.cfg = goConfig{GOPROXY: in.GOPROXY, GOSUMDB: in.GOSUMDB, GOMODCACHE: in.GOMODCACHE}
		if in.cfg.GOPROXY != "" && in.cfg.GOSUMDB != "" && in.cfg.GOMODCACHE != "" {
			return
		}
		cmd := exec.CommandContext(ctx, in.goCmd(), "env", "-json", "GOPROXY", "GOSUMDB", "GOMODCACHE")
		cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
		out, err := cmd.Output()
		if err != nil {
			in.cfgErr = fmt.Errorf("go env: %w", err)
			return
		}
		var env goConfig
		if err := json.Unmarshal(out, &env); err != nil {
			in.cfgErr = fmt.Errorf("go env: %w", err)
			return
		}
		for _, f := range []struct {
			dst *string
			v   string
		}{
			{&in.cfg.GOPROXY, env.GOPROXY}, {&in.cfg.GOSUMDB, env.GOSUMDB}, {&in.cfg.GOMODCACHE, env.GOMODCACHE},
		} {
			if *f.dst == "" {
				*f.dst = f.v
			}
		}
	})
	return in.cfg, in.cfgErr
}

// Install returns a Toolchain for every spec, downloading and verifying the
// releases that are not installed yet. An installed release is used
// without any network access; "1.27" consults the release list (cached for
// a day) and, offline, falls back to the newest installed 1.27.x. First it
// removes the leftovers of killed installs (see StagingDirs).
func (in *Installer) Install(ctx context.Context, specs []Spec) ([]Toolchain, error) {
	in.removeLeftovers()
	var out []Toolchain
	for _, s := range specs {
		t, err := in.install(ctx, s)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// Find returns a Toolchain for every spec from what is installed, without
// network access: "1.27" is the newest installed 1.27.x.
func (in *Installer) Find(ctx context.Context, specs []Spec) ([]Toolchain, error) {
	var out []Toolchain
	for _, s := range specs {
		t, err := in.find(ctx, s)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func (in *Installer) find(ctx context.Context, s Spec) (Toolchain, error) {
	switch s.Kind {
	case Local:
		return in.local(ctx)
	case Label:
		return in.label(ctx, s)
	case Newest:
		v := newestStable(in.completeNames(), s.Version)
		if v == "" {
			return Toolchain{}, fmt.Errorf("%s: %s.x %w under %s", s, s.Version, ErrNotInstalled, in.SDK)
		}
		return in.installed(ctx, v)
	}
	root, err := in.goroot(s.Version)
	if err != nil {
		return Toolchain{}, err
	}
	if !isComplete(root) {
		return Toolchain{}, fmt.Errorf("%s: %w under %s", s.Version, ErrNotInstalled, in.SDK)
	}
	return in.installed(ctx, s.Version)
}

func (in *Installer) install(ctx context.Context, s Spec) (Toolchain, error) {
	switch s.Kind {
	case Local, Label:
		return in.find(ctx, s)
	case Newest:
		v, err := in.resolveNewest(ctx, s)
		if err != nil {
			return Toolchain{}, err
		}
		s = Spec{Kind: Exact, Version: v}
	}
	root, err := in.goroot(s.Version)
	if err != nil {
		return Toolchain{}, err
	}
	if isComplete(root) {
		return in.installed(ctx, s.Version)
	}
	if err := in.installRelease(ctx, s.Version); err != nil {
		return Toolchain{}, err
	}
	return in.installed(ctx, s.Version)
}

// resolveNewest turns "1.27" into the newest stable 1.27.x of the release
// list, or, when the list cannot be had, the newest installed one.
func (in *Installer) resolveNewest(ctx context.Context, s Spec) (string, error) {
	rels, stale, err := in.releases(ctx)
	if err == nil {
		v := newestPatch(rels, s.Version)
		if v != "" {
			if stale {
				in.notef("release list %s unreachable; resolved %s to %s from an older cached list", in.releaseURL(), s, v)
			}
			return v, nil
		}
		err = fmt.Errorf("the release list has no stable %s release", s.Version)
	}
	if v := newestStable(in.completeNames(), s.Version); v != "" {
		in.notef("%v; using the newest installed %s.x: %s", err, s.Version, v)
		return v, nil
	}
	return "", fmt.Errorf("resolve %s: %w", s, err)
}

// installed returns the Toolchain of a complete install.
func (in *Installer) installed(ctx context.Context, v string) (Toolchain, error) {
	root, err := in.goroot(v)
	if err != nil {
		return Toolchain{}, err
	}
	ver, err := versionOf(ctx, root)
	if err != nil {
		return Toolchain{}, err
	}
	return Toolchain{Name: v, Version: ver, GOROOT: root}, nil
}

// versionOf returns the version of the GOROOT root: its VERSION file, or
// what its go command reports when that is missing (a devel build).
func versionOf(ctx context.Context, root string) (string, error) {
	if v := readVersionFile(root); v != "" {
		return v, nil
	}
	return goVersion(ctx, root)
}

// local returns the toolchain of the go command on PATH.
func (in *Installer) local(ctx context.Context) (Toolchain, error) {
	cmd := exec.CommandContext(ctx, in.goCmd(), "env", "GOROOT")
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	out, err := cmd.Output()
	if err != nil {
		return Toolchain{}, fmt.Errorf("local: go env GOROOT: %w", err)
	}
	root := strings.TrimSpace(string(out))
	v, err := goVersion(ctx, root)
	if err != nil {
		return Toolchain{}, fmt.Errorf("local: %w", err)
	}
	return Toolchain{Name: versionName(v), Version: v, GOROOT: root}, nil
}

// label returns the toolchain of a label= spec.
func (in *Installer) label(ctx context.Context, s Spec) (Toolchain, error) {
	root, err := filepath.Abs(s.Path)
	if err != nil {
		return Toolchain{}, err
	}
	if fi, err := os.Stat(filepath.Join(root, "bin", "go"+exeSuffix())); err != nil || fi.IsDir() {
		return Toolchain{}, fmt.Errorf("%s: %s is not a GOROOT: no bin/go", s.Label, root)
	}
	v, err := versionOf(ctx, root)
	if err != nil {
		return Toolchain{}, fmt.Errorf("%s: %w", s.Label, err)
	}
	return Toolchain{Name: s.Label, Version: v, GOROOT: root}, nil
}

// GoVersion returns the version the go command of the toolchain at root
// reports (go1.27.3, or "devel go1.28-abcdef"), as Install and Find record
// it: a caller holding a recorded version can check that root still has it.
func GoVersion(ctx context.Context, root string) (string, error) { return goVersion(ctx, root) }

// goVersion runs root/bin/go version under Env(root) and returns the
// version it reports: go1.27.3, or "devel go1.28-abcdef" for a devel build.
func goVersion(ctx context.Context, root string) (string, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(root, "bin", "go"+exeSuffix()), "version")
	cmd.Env = Env(root, os.Environ())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s/bin/go version: %w: %s", root, err, strings.TrimSpace(stderr.String()))
	}
	v, ok := parseGoVersion(string(out))
	if !ok {
		return "", fmt.Errorf("%s/bin/go version: unexpected output %q", root, out)
	}
	return v, nil
}

// parseGoVersion reads the output of go version: "go version go1.27.3
// linux/amd64", or "go version devel go1.28-abcdef Tue ... linux/amd64".
func parseGoVersion(out string) (string, bool) {
	f := strings.Fields(out)
	if len(f) < 3 || f[0] != "go" || f[1] != "version" {
		return "", false
	}
	if f[2] == "devel" && len(f) >= 4 {
		return "devel " + f[3], true
	}
	if !strings.HasPrefix(f[2], "go") {
		return "", false
	}
	return f[2], true
}

// versionName turns a reported version into a results directory name.
func versionName(v string) string {
	return strings.TrimPrefix(v, "devel ")
}

// installRelease installs release v under the SDK root: staged in a
// temporary directory beside it, checked, the marker written last, then
// renamed into place. A partial install is replaced; losing a rename race
// to another process that installed the same release is success.
func (in *Installer) installRelease(ctx context.Context, v string) (err error) {
	dst, err := in.goroot(v)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(in.SDK, 0o755); err != nil {
		return fmt.Errorf("install %s: %w", v, err)
	}
	staging, err := newOwnedDir(in.SDK, v)
	if err != nil {
		return fmt.Errorf("install %s: %w", v, err)
	}
	defer func() {
		if rerr := staging.remove(); rerr != nil && err == nil {
			err = rerr
		}
	}()
	tmp := staging.Dir
	root := filepath.Join(tmp, "go")
	var source string
	switch in.Source {
	case "", "proxy":
		source, err = in.installProxy(ctx, v, tmp, root)
	case "dl":
		source, err = in.installDL(ctx, v, tmp, root)
	default:
		return fmt.Errorf("install %s: unknown source %q: want proxy or dl", v, in.Source)
	}
	if err != nil {
		return fmt.Errorf("install %s: %w", v, err)
	}
	got, err := goVersion(ctx, root)
	if err != nil {
		return fmt.Errorf("install %s: %w", v, err)
	}
	if got != v {
		return fmt.Errorf("install %s: the unpacked toolchain reports %s", v, got)
	}
	if err := os.WriteFile(filepath.Join(root, sourceFile), []byte(source+"\n"), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(root, Marker), nil, 0o644); err != nil {
		return err
	}
	return place(v, root, dst)
}

// place renames the finished root of release v to dst.
func place(v, root, dst string) error {
	for attempt := 0; ; attempt++ {
		err := os.Rename(root, dst)
		if err == nil {
			return nil
		}
		if isComplete(dst) {
			return nil // another process installed it meanwhile
		}
		if _, serr := os.Lstat(dst); serr != nil || attempt > 2 {
			return fmt.Errorf("install %s: %w", v, err)
		}
		// A partial install (no marker): move it away and retry. If another
		// process does the same, one of the renames fails, which is fine.
		if err := removeTree(dst); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("install %s: removing the partial install: %w", v, err)
		}
	}
}

// removeAll removes dir at once, a staging directory or removeTree's
// trash. Read-only directories (module zips unpack read-only) are made
// writable first.
func removeAll(dir string) error {
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			_ = os.Chmod(p, 0o755)
		}
		return nil
	})
	return os.RemoveAll(dir)
}
