package mage

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/mod/semver"
	"gopkg.in/yaml.v3"
)

// actionFile is the part of action.yml the tests look at.
type actionFile struct {
	Inputs map[string]struct {
		Description string `yaml:"description"`
		Default     string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	Name             string            `yaml:"name"`
	ID               string            `yaml:"id"`
	If               string            `yaml:"if"`
	Uses             string            `yaml:"uses"`
	Run              string            `yaml:"run"`
	Shell            string            `yaml:"shell"`
	WorkingDirectory string            `yaml:"working-directory"`
	Env              map[string]string `yaml:"env"`
}

func readAction(t *testing.T) actionFile {
	t.Helper()
	data, err := os.ReadFile("../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return a
}

// TestActionIsSafe fails on an expression interpolated into a run: script
// (script injection: inputs must reach the shell through env:) and on an
// input without a description.
func TestActionIsSafe(t *testing.T) {
	a := readAction(t)
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using = %q, want composite", a.Runs.Using)
	}
	for _, s := range a.Runs.Steps {
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %q interpolates an expression into run:; pass it through env:", s.Name)
		}
		if s.Run != "" && s.Shell == "" {
			t.Errorf("step %q has no shell (composite actions need one)", s.Name)
		}
	}
	for name, in := range a.Inputs {
		if strings.TrimSpace(in.Description) == "" {
			t.Errorf("input %q has no description", name)
		}
	}
	for _, want := range []string{"command", "versions", "go-version", "count", "benchtime", "bench", "packages", "benchmarks", "results", "site", "working-directory", "fail-on", "quick"} {
		if _, ok := a.Inputs[want]; !ok {
			t.Errorf("input %q is missing", want)
		}
	}
}

// usesRE matches a uses: line; the reference must be a local path or a
// full commit SHA followed by a version comment.
var (
	usesRE   = regexp.MustCompile(`^\s*(?:-\s+)?uses:\s*(\S+)(.*)$`)
	pinnedRE = regexp.MustCompile(`^[\w.-]+/[\w./-]+@[0-9a-f]{40}$`)
)

// node24Since is, for every action the workflows may use, its first
// release that runs on Node 24, read from the action.yml at its tags
// (`using: node24`; a composite action's own pins for the ones it uses).
// GitHub removed Node 20 from its runners on 2026-09-16, so an older
// release fails to start. "" means no release runs on Node 24 yet.
var node24Since = map[string]string{
	"actions/checkout":              "v5.0.0",
	"actions/setup-go":              "v6.2.0",
	"actions/cache":                 "v5.0.0",
	"actions/cache/restore":         "v5.0.0",
	"actions/cache/save":            "v5.0.0",
	"actions/upload-artifact":       "v6.0.0",
	"actions/download-artifact":     "v7.0.0",
	"actions/deploy-pages":          "v5.0.0",
	"actions/upload-pages-artifact": "v5.0.0", // v4 uses upload-artifact v4.6.2
	"actions/configure-pages":       "",       // v5.0.0, the newest, is node20
}

var versionCommentRE = regexp.MustCompile(`#\s*(v\d+(?:\.\d+){0,2})\b`)

// TestActionsArePinned fails on a third-party action not pinned to a full
// commit SHA with a version comment, and on a version known to need
// Node 20, in action.yml and every workflow.
func TestActionsArePinned(t *testing.T) {
	files, _ := filepath.Glob("../.github/workflows/*.yml")
	files = append(files, "../action.yml")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			m := usesRE.FindStringSubmatch(line)
			if m == nil || strings.HasPrefix(m[1], "./") {
				continue
			}
			if !pinnedRE.MatchString(m[1]) {
				t.Errorf("%s:%d: %s is not pinned to a full commit SHA", file, i+1, m[1])
			}
			v := versionCommentRE.FindStringSubmatch(m[2])
			if v == nil {
				t.Errorf("%s:%d: %s has no version comment (# vX.Y.Z)", file, i+1, m[1])
				continue
			}
			if msg := node20(strings.SplitN(m[1], "@", 2)[0], v[1]); msg != "" {
				t.Errorf("%s:%d: %s", file, i+1, msg)
			}
		}
	}
}

// node20 says why action at version cannot run on GitHub's runners, or "".
func node20(action, version string) string {
	since, ok := node24Since[action]
	switch {
	case !ok:
		return action + " is not in node24Since: check which of its releases use node24, and add it"
	case since == "":
		return action + " has no release that runs on Node 24; do without it"
	case semver.Compare(version, since) < 0:
		return fmt.Sprintf("%s %s needs Node 20, which GitHub's runners no longer have: use %s or newer", action, version, since)
	}
	return ""
}

// TestNode20 checks the version rule on releases before and after the
// switch, so the pinning test can fail.
func TestNode20(t *testing.T) {
	for _, c := range []struct {
		action, version string
		ok              bool
	}{
		{"actions/checkout", "v4.2.2", false},
		{"actions/checkout", "v5.0.0", true},
		{"actions/checkout", "v7.0.1", true},
		{"actions/setup-go", "v6.1.0", false},
		{"actions/setup-go", "v6.2.0", true},
		{"actions/setup-go", "v5.4.0", false},
		{"actions/cache/restore", "v4.2.3", false},
		{"actions/upload-artifact", "v5.0.0", false},
		{"actions/download-artifact", "v6.0.0", false},
		{"actions/deploy-pages", "v4.0.5", false},
		{"actions/upload-pages-artifact", "v4", false},
		{"actions/configure-pages", "v5.0.0", false},
		{"someone/else", "v9.0.0", false},
	} {
		if got := node20(c.action, c.version) == ""; got != c.ok {
			t.Errorf("node20(%s, %s) = %q; want ok=%v", c.action, c.version, node20(c.action, c.version), c.ok)
		}
	}
}

// TestActionlint runs the pinned actionlint over the workflows.
func TestActionlint(t *testing.T) {
	if testing.Short() {
		t.Skip("builds actionlint")
	}
	cmd := exec.Command("go", "tool", "actionlint")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("actionlint: %v\n%s", err, out)
	}
}

// TestActionRunSteps runs action.yml as a runner would (runAction), on a
// Linux and a macOS runner: the local toolchain under two labels, two
// samples of two benchmarks. On Linux fail-on is set, so that the gate
// cannot fire (two samples a side can never be significant after the
// correction): track then fails with exit 2, and nothing may be lost: the
// report still runs, its summary heads with the blind gate and what
// undermines it, every output is set and the results are uploaded. On
// macOS there is no gate: the action passes and says so. Steps that use
// other actions are played by actionUses.
func TestActionRunSteps(t *testing.T) {
	if testing.Short() {
		t.Skip("runs track")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	goroot := goEnv(t, "GOROOT")
	for _, c := range []struct {
		os, arch, failOn string
		failed           bool
		gate, headline   string
	}{
		{"Linux", "X64", "5%", true, "blind", "## perftrack: BLIND GATE"},
		{"macOS", "ARM64", "", false, "off", "## perftrack: No gate (fail-on is empty)"},
	} {
		t.Run(c.os, func(t *testing.T) {
			tmp := t.TempDir()
			env, vars := actionEnv(t, tmp)
			env = append(env, "RUNNER_OS="+c.os)
			vars["runner.os"], vars["runner.arch"] = c.os, c.arch
			artifacts := filepath.Join(tmp, "artifacts")
			outs, failed := runAction(t, root, root, env, vars, map[string]string{
				"versions":  "base=" + goroot + ",new=" + goroot,
				"count":     "2",
				"benchtime": "5ms",
				"bench":     "SmallAllocation|GCPressure", // exact B/op and allocs/op: MapAllocation's B/op varies by a few bytes between processes
				"packages":  "./core",
				"results":   filepath.Join(tmp, "results"),
				"fail-on":   c.failOn,
				"explain":   "true", // two samples: nothing significant, so nothing to profile
			}, actionUses(t, artifacts, nil))
			if failed != c.failed {
				t.Errorf("the action failed = %v, want %v (fail-on %q)", failed, c.failed, c.failOn)
			}

			md, _ := os.ReadFile(filepath.Join(tmp, "summary.md"))
			t.Logf("step summary:\n%s", md)
			want := []string{c.headline, "| benchmark |", "SmallAllocation", "after Holm correction", "explain: nothing to explain"}
			if c.failed {
				want = append(want, "> Warning: the gate cannot fire", "track failed")
			}
			for _, w := range want {
				if !strings.Contains(string(md), w) {
					t.Errorf("step summary lacks %q", w)
				}
			}
			if got, want := outs["results-dir"], filepath.Join(tmp, "results"); got != want {
				t.Errorf("results-dir = %q, want %q", got, want)
			}
			if got := outs["gate"]; got != c.gate {
				t.Errorf("gate = %q, want %s", got, c.gate)
			}
			if got := outs["versions"]; got != "base="+goroot+",new="+goroot {
				t.Errorf("versions = %q, want the label specs as given", got)
			}
			if n, err := strconv.Atoi(outs["regressions"]); err != nil || n < 0 {
				t.Errorf("regressions = %q, want a count", outs["regressions"])
			}
			report, err := os.ReadFile(outs["report-json"])
			if err != nil {
				t.Fatalf("report-json: %v", err)
			}
			if !strings.Contains(string(report), `"schema": 2`) {
				t.Errorf("report-json is not a perftrack report:\n%.300s", report)
			}
			if c.failed && !strings.Contains(string(report), `"gate_error"`) {
				t.Errorf("report-json lacks the gate's error:\n%.300s", report)
			}
			uploaded, _ := filepath.Glob(filepath.Join(artifacts, "perftrack-results-"+c.os+"-"+c.arch, "*", "base", "*.txt"))
			if len(uploaded) != 1 {
				t.Errorf("uploaded runs of base: %q, want one", uploaded)
			}
		})
	}
}

// actionEnv returns the environment and contexts of a runner for a job
// whose temporary directory is tmp. perftrack's caches (the release list)
// go there too; Go's build cache stays where it is.
func actionEnv(t *testing.T, tmp string) ([]string, map[string]string) {
	env := append(os.Environ(),
		"GOCACHE="+goEnv(t, "GOCACHE"),
		"GITHUB_STEP_SUMMARY="+filepath.Join(tmp, "summary.md"),
		"RUNNER_TEMP="+tmp,
		"RUNNER_OS=Linux",
		"PERF_DOCS="+filepath.Join(tmp, "docs"),
		"PERF_SDK="+filepath.Join(tmp, "sdk"),
		"PERF_EXTRA=0",
		"XDG_CACHE_HOME="+filepath.Join(tmp, "cache"),
	)
	return env, map[string]string{"runner.os": "Linux", "runner.arch": "X64", "runner.temp": tmp}
}

// TestActionNothingCompared runs the action with a release that cannot be
// installed (1.99, resolved from a release list on disk that has no
// archive for it; PERF_SOURCE=dl, so nothing is fetched): the cache is keyed by the resolved release and never saved, track
// fails, and the report still runs, says that nothing was compared and
// sets the outputs.
func TestActionNothingCompared(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the magefile")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	list := filepath.Join(tmp, "releases.json")
	if err := os.WriteFile(list, []byte(`[{"version":"go1.99.2","stable":true,"files":[]},{"version":"go1.99.1","stable":true,"files":[]},{"version":"go1.100rc1","stable":false,"files":[]}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	env, vars := actionEnv(t, tmp)
	env = append(env, "PERF_DL_URL=file://"+list, "PERF_SOURCE=dl")
	var restored, saved []string
	uses := actionUses(t, filepath.Join(tmp, "artifacts"), nil)
	outs, failed := runAction(t, root, root, env, vars, map[string]string{
		"versions": "base=" + goEnv(t, "GOROOT") + ",1.99",
		"results":  filepath.Join(tmp, "results"),
	}, func(step simStep, with map[string]string) (map[string]string, error) {
		switch name, _, _ := strings.Cut(step.Uses, "@"); name {
		case "actions/cache/restore":
			restored = append(restored, with["key"], with["path"])
		case "actions/cache/save":
			saved = append(saved, with["key"])
		}
		return uses(step, with)
	})
	if !failed {
		t.Error("the action passed without installing 1.99")
	}
	sdk := filepath.Join(tmp, "sdk")
	if want := []string{"perftrack-sdk-Linux-X64-go1.99.2", filepath.Join(sdk, "go1.99.2")}; !slices.Equal(restored, want) {
		t.Errorf("cache restored %q, want %q", restored, want)
	}
	if len(saved) > 0 {
		t.Errorf("cache saved %q without a complete install", saved)
	}
	if got := outs["versions"]; !strings.HasSuffix(got, ",go1.99.2") {
		t.Errorf("versions = %q, want 1.99 resolved to go1.99.2", got)
	}
	if outs["gate"] != "error" || outs["regressions"] != "" || outs["report-json"] != "" {
		t.Errorf("outputs gate=%q regressions=%q report-json=%q; want error and two empty", outs["gate"], outs["regressions"], outs["report-json"])
	}
	md, _ := os.ReadFile(filepath.Join(tmp, "summary.md"))
	for _, want := range []string{"## perftrack: ERROR: nothing was compared", "> Error: compare: ", "no results for base"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("step summary lacks %q (that nothing was compared, and why):\n%s", want, md)
		}
	}
}

// TestActionWindows stops at the first step with a message on Windows.
func TestActionWindows(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	env, vars := actionEnv(t, tmp)
	env = append(env, "RUNNER_OS=Windows")
	vars["runner.os"] = "Windows"
	_, failed := runAction(t, root, root, env, vars, nil, func(step simStep, with map[string]string) (map[string]string, error) {
		t.Errorf("step %q ran after the Windows check", step.Uses)
		return nil, nil
	})
	if !failed {
		t.Error("the action went on on Windows")
	}
	if _, err := os.Stat(filepath.Join(tmp, "summary.md")); err == nil {
		t.Error("the action wrote a summary on Windows")
	}
}

// TestActionBenchmarkModule runs the action in a repository that has only
// a benchmark module (the consumer's bench/, no magefile): perftrack's
// own targets run there, on the benchmarks input.
func TestActionBenchmarkModule(t *testing.T) {
	if testing.Short() {
		t.Skip("runs track")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	repo := filepath.Join(tmp, "repo")
	if err := os.CopyFS(filepath.Join(repo, "perf"), os.DirFS(filepath.Join("testdata", "consumer", "bench"))); err != nil {
		t.Fatal(err)
	}
	env, vars := actionEnv(t, tmp)
	goroot := goEnv(t, "GOROOT")
	outs, failed := runAction(t, root, repo, env, vars, map[string]string{
		"working-directory": repo,
		"versions":          "old=" + goroot + ",new=" + goroot,
		"count":             "2",
		"benchtime":         "5ms",
		"benchmarks":        "perf",
	}, actionUses(t, filepath.Join(tmp, "artifacts"), nil))
	if failed {
		t.Fatal("the action failed")
	}
	if got, want := outs["results-dir"], filepath.Join(repo, "results", "stable"); got != want {
		t.Errorf("results-dir = %q, want %q", got, want)
	}
	if files, _ := filepath.Glob(filepath.Join(repo, "results", "stable", "*", "new", "*.txt")); len(files) != 1 {
		t.Errorf("results of new: %q, want one run", files)
	}
	if outs["gate"] != "off" {
		t.Errorf("gate = %q, want off", outs["gate"])
	}
}

// actionUses plays the actions action.yml and the example workflow use:
// setup-go (Go is installed; it checks that a version is named), the
// cache (a miss; save checks every path is a complete install),
// upload-artifact and download-artifact (directories under artifacts),
// and, through more, what a test adds (checkout, pages).
func actionUses(t *testing.T, artifacts string, more usesFunc) usesFunc {
	return func(step simStep, with map[string]string) (map[string]string, error) {
		uses, _, _ := strings.Cut(step.Uses, "@")
		switch uses {
		case "actions/setup-go":
			if with["go-version"] == "" && with["go-version-file"] == "" {
				return nil, fmt.Errorf("setup-go: neither go-version nor go-version-file")
			}
			if f := with["go-version-file"]; f != "" {
				if _, err := os.Stat(f); err != nil {
					return nil, fmt.Errorf("setup-go: %w", err)
				}
			}
			return nil, nil
		case "actions/cache/restore":
			return map[string]string{"cache-hit": "false"}, nil
		case "actions/cache/save":
			for _, p := range strings.Split(strings.TrimSpace(with["path"]), "\n") {
				if _, err := os.Stat(filepath.Join(p, ".unpacked-success")); err != nil {
					return nil, fmt.Errorf("cache save of an incomplete install: %w", err)
				}
			}
			return nil, nil
		case "actions/upload-artifact":
			if with["path"] == "" {
				return nil, fmt.Errorf("upload-artifact: no path")
			}
			if _, err := os.Stat(with["path"]); err != nil && with["if-no-files-found"] == "warn" {
				return nil, nil // a warning on GitHub
			}
			return nil, os.CopyFS(filepath.Join(artifacts, with["name"]), os.DirFS(with["path"]))
		case "actions/download-artifact":
			names, _ := filepath.Glob(filepath.Join(artifacts, with["pattern"]))
			for _, n := range names {
				if err := copyMerge(with["path"], n); err != nil {
					return nil, err
				}
			}
			return nil, nil
		}
		if more != nil {
			return more(step, with)
		}
		t.Fatalf("step uses %s: not simulated", step.Uses)
		return nil, nil
	}
}

// copyMerge copies the tree src into dst, replacing files of the same name.
func copyMerge(dst, src string) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// goEnv returns a variable of the local go command's environment.
func goEnv(t *testing.T, name string) string {
	t.Helper()
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}
