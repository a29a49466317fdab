package mage

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/perftrack/perftrack/mage/results"
)

// simWorkflow is the example workflow as the simulation reads it.
type simWorkflow struct {
	Env  map[string]string `yaml:"env"`
	Jobs map[string]struct {
		Needs any               `yaml:"needs"`
		If    string            `yaml:"if"`
		Env   map[string]string `yaml:"env"`
		Steps []simStep         `yaml:"steps"`
	} `yaml:"jobs"`
}

// git runs git in dir and returns its trimmed output.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// TestWorkflowTwoRuns copies the example workflow into the consumer
// repository of testdata/consumer (its magefile imports perftrack as perf
// and sets Options.Benchmarks = "bench") and runs its jobs' steps twice,
// as two scheduled runs would, with a local bare repository standing in
// for GitHub. The second run benchmarks a new toolchain beside the old
// one, as after a patch release, and another platform's job uploads too.
// Run 2's push loses a race against another push and is rebased onto it.
// The results branch must then hold both runs, both platforms and the
// other push, and the page written from it every version of both runs.
func TestWorkflowTwoRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the example workflow twice")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	goroot := goEnv(t, "GOROOT")
	tmp := t.TempDir()

	// The consumer repository, the workflow copied in, pushed to the remote.
	repo := filepath.Join(tmp, "consumer")
	if err := os.CopyFS(repo, os.DirFS(filepath.Join("testdata", "consumer"))); err != nil {
		t.Fatal(err)
	}
	gomod := filepath.Join(repo, "go.mod")
	data, err := os.ReadFile(gomod)
	if err != nil {
		t.Fatal(err)
	}
	data = []byte(strings.Replace(string(data), "=> ../../..", "=> "+root, 1))
	if err := os.WriteFile(gomod, data, 0o644); err != nil {
		t.Fatal(err)
	}
	wfData, err := os.ReadFile(filepath.Join(root, ".github", "workflows", "perf.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(repo, ".github", "workflows"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(repo, ".github", "workflows", "perf.yml"), wfData, 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, repo, "init", "-q", "-b", "main")
	git(t, repo, "add", ".")
	git(t, repo, "commit", "-q", "-m", "consumer")
	remote := filepath.Join(tmp, "remote.git")
	git(t, tmp, "clone", "-q", "--bare", repo, remote)
	sha := git(t, repo, "rev-parse", "HEAD")

	var wf simWorkflow
	if err := yaml.Unmarshal(wfData, &wf); err != nil {
		t.Fatalf("perf.yml: %v", err)
	}
	for _, job := range []string{"collect", "store", "publish"} {
		if _, ok := wf.Jobs[job]; !ok {
			t.Fatalf("perf.yml has no job %q", job)
		}
	}
	sdk := filepath.Join(tmp, "sdk")

	// runJob runs one job of run n in a fresh workspace; with overrides
	// the inputs of its perftrack step. It returns the job's step states.
	runJob := func(n int, job, platform string, with map[string]string) map[string]*stepState {
		t.Helper()
		j := wf.Jobs[job]
		base := filepath.Join(tmp, fmt.Sprintf("run%d-%s-%s", n, job, platform))
		ws, temp, artifacts := filepath.Join(base, "workspace"), filepath.Join(base, "temp"), filepath.Join(tmp, fmt.Sprintf("run%d-artifacts", n))
		for _, d := range []string{ws, temp, artifacts} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		env := append(os.Environ(),
			"GITHUB_WORKSPACE="+ws, "RUNNER_TEMP="+temp, "RUNNER_OS=Linux",
			"GITHUB_STEP_SUMMARY="+filepath.Join(temp, "summary.md"),
			"GITHUB_RUN_ID="+fmt.Sprint(n), "GITHUB_WORKFLOW=perf",
			"PERF_SDK="+sdk, "PERF_EXTRA=0", "GIT_CONFIG_GLOBAL=/dev/null",
		)
		vars := map[string]string{
			"github.repository": "example/consumer", "github.sha": sha,
			"runner.temp": temp, "runner.os": "Linux", "runner.arch": platform, "matrix.runner": "ubuntu-latest",
		}
		for k, v := range wf.Env {
			env = append(env, k+"="+v)
			vars["env."+k] = v
		}
		for k, v := range j.Env {
			env = append(env, k+"="+v)
			vars["env."+k] = v
		}
		var uses usesFunc
		uses = actionUses(t, artifacts, func(step simStep, w map[string]string) (map[string]string, error) {
			name, _, _ := strings.Cut(step.Uses, "@")
			switch name {
			case "actions/checkout":
				dest := filepath.Join(ws, w["path"])
				if w["repository"] == "perftrack/perftrack" {
					if w["ref"] != sha && w["ref"] != vars["env.PERFTRACK_REF"] {
						return nil, fmt.Errorf("perftrack checked out at %q", w["ref"])
					}
					return nil, os.Symlink(root, dest)
				}
				ref := w["ref"]
				if ref == "" {
					ref = "main"
				}
				out, err := exec.Command("git", "clone", "-q", "--branch", ref, remote, dest).CombinedOutput()
				if err != nil {
					return nil, fmt.Errorf("checkout %s: %v: %s", ref, err, out)
				}
				return nil, nil
			case "./.perftrack":
				for k, v := range with {
					w[k] = v
				}
				outs, failed := runAction(t, filepath.Join(ws, ".perftrack"), ws, env, vars, w, uses)
				if failed {
					return outs, fmt.Errorf("the perftrack action failed")
				}
				return outs, nil
			case "actions/upload-pages-artifact":
				if _, err := os.Stat(filepath.Join(w["path"], "index.html")); err != nil {
					return nil, fmt.Errorf("upload-pages-artifact: %w", err)
				}
				return nil, nil
			case "actions/deploy-pages":
				return map[string]string{"page_url": "https://example.github.io/consumer/"}, nil
			}
			t.Fatalf("step uses %s: not simulated", step.Uses)
			return nil, nil
		})
		states, failed := runSteps(t, j.Steps, ws, env, vars, uses)
		if failed {
			t.Fatalf("run %d: job %s failed", n, job)
		}
		return states
	}

	collect := func(n int, versions string) {
		runJob(n, "collect", "X64", map[string]string{"versions": versions, "count": "2", "benchtime": "5ms"})
	}
	collect(1, "old="+goroot+",new="+goroot)
	runJob(1, "store", "X64", nil)
	runJob(1, "publish", "X64", nil)

	collect(2, "old="+goroot+",newer="+goroot)
	// Another platform's matrix job of run 2: a copy of this run's tree
	// under another platform directory.
	other := filepath.Join(tmp, "run2-artifacts", "perftrack-results-macOS-ARM64")
	if err := os.CopyFS(filepath.Join(other, "darwin-arm64"), os.DirFS(filepath.Join(tmp, "run2-artifacts", "perftrack-results-Linux-X64", results.Platform()))); err != nil {
		t.Fatal(err)
	}
	// Run 2's store job loses a race: while it commits, someone else
	// pushes to the results branch (a racer's commit adding another file).
	// The remote's hook plays that on the first push and rejects it, as
	// GitHub would a push that is not a fast-forward any more.
	racer := filepath.Join(tmp, "racer")
	git(t, tmp, "clone", "-q", "--branch", "perf-results", remote, racer)
	racerFile := filepath.Join("results", "stable", "freebsd-amd64", "go1.27.3", "racer.txt")
	if err := os.MkdirAll(filepath.Dir(filepath.Join(racer, racerFile)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(racer, racerFile), []byte("BenchmarkX 1 1 ns/op\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, racer, "add", ".")
	git(t, racer, "commit", "-q", "-m", "racer")
	git(t, racer, "push", "-q", "origin", "HEAD:refs/heads/racer")
	hook := filepath.Join(remote, "hooks", "pre-receive")
	script := "#!/bin/sh\nif [ ! -f raced ]; then touch raced; unset GIT_QUARANTINE_PATH; git update-ref refs/heads/perf-results refs/heads/racer; echo 'rejected: the branch moved' >&2; exit 1; fi\n"
	if err := os.WriteFile(hook, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	runJob(2, "store", "X64", nil)
	if _, err := os.Stat(filepath.Join(remote, "raced")); err != nil {
		t.Error("run 2's store job did not lose the race the test set up")
	}
	publish := runJob(2, "publish", "X64", nil)

	// The history: both runs' manifests, both platforms.
	tree := git(t, remote, "ls-tree", "-r", "--name-only", "perf-results")
	manifests := 0
	for _, f := range strings.Split(tree, "\n") {
		if strings.HasPrefix(f, "results/stable/"+results.Platform()+"/") && strings.Count(f, "/") == 3 && strings.HasSuffix(f, ".json") {
			manifests++
		}
	}
	if manifests != 2 {
		t.Errorf("the results branch holds %d runs of %s, want 2:\n%s", manifests, results.Platform(), tree)
	}
	for _, want := range []string{"/old/", "/new/", "/newer/", "results/stable/darwin-arm64/", filepath.ToSlash(racerFile)} {
		if !strings.Contains(tree, want) {
			t.Errorf("the results branch lacks %s:\n%s", want, tree)
		}
	}
	if log := git(t, remote, "log", "--format=%s", "perf-results"); strings.Count(log, "\n")+1 != 3 {
		t.Errorf("the results branch has these commits, want one per run and the racer's:\n%s", log)
	}

	// The page's data from the whole history: every version of both runs.
	site := publish["site"].outputs["site-dir"]
	dataDir := filepath.Join(site, "data")
	entries, err := os.ReadDir(site)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		switch name := e.Name(); {
		case name == "index.html", name == "app.js", name == "style.css", name == "data" && e.IsDir(), strings.HasPrefix(name, "."):
		default:
			t.Errorf("the published site holds %s", name)
		}
	}
	for platform, versions := range map[string][]string{
		results.Platform(): {`"old"`, `"new"`, `"newer"`}, // run 1's new, run 2's newer
		"darwin-arm64":     {`"old"`, `"newer"`},          // only in run 2
	} {
		index, err := os.ReadFile(filepath.Join(dataDir, platform, "index.json"))
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range versions {
			if !strings.Contains(string(index), v) {
				t.Errorf("%s/index.json lacks version %s:\n%.600s", platform, v, index)
			}
		}
	}
}
