package mage

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

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
	for _, want := range []string{"versions", "count", "benchtime", "bench", "packages", "working-directory", "fail-on", "quick"} {
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

// TestActionsArePinned fails on a third-party action not pinned to a full
// commit SHA with a version comment, in action.yml and every workflow.
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
			if !regexp.MustCompile(`#\s*v\d`).MatchString(m[2]) {
				t.Errorf("%s:%d: %s has no version comment (# vX.Y.Z)", file, i+1, m[1])
			}
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

// TestActionRunSteps executes the action's run: steps with bash, in order,
// as a runner would: inputs substituted into env: values only, temporary
// GITHUB_STEP_SUMMARY and GITHUB_OUTPUT files, the local toolchain under
// two labels and quick settings. Steps that use other actions (setup-go,
// cache, upload-artifact) are skipped: they need GitHub.
func TestActionRunSteps(t *testing.T) {
	if testing.Short() {
		t.Skip("runs track")
	}
	a := readAction(t)
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	goroot := goEnv(t, "GOROOT")
	tmp := t.TempDir()
	inputs := map[string]string{
		"versions":          "base=" + goroot + ",new=" + goroot,
		"count":             "2",
		"benchtime":         "5ms",
		"bench":             "SmallAllocation|MapAllocation",
		"packages":          "./core",
		"working-directory": root,
		"fail-on":           "",
		"quick":             "true",
		"explain":           "true", // two samples: nothing significant, so nothing to profile
	}
	for name, in := range a.Inputs {
		if _, ok := inputs[name]; !ok {
			inputs[name] = in.Default
		}
	}
	summary := filepath.Join(tmp, "summary.md")
	output := filepath.Join(tmp, "output")
	expand := func(s string) string {
		return exprRE.ReplaceAllStringFunc(s, func(m string) string {
			expr := exprRE.FindStringSubmatch(m)[1]
			switch {
			case expr == "github.action_path":
				return root
			case strings.HasPrefix(expr, "inputs."):
				return inputs[strings.TrimPrefix(expr, "inputs.")]
			}
			t.Fatalf("unknown expression %q", m)
			return ""
		})
	}
	ran := 0
	for _, step := range a.Runs.Steps {
		if step.Run == "" {
			continue
		}
		switch step.If {
		case "":
		case "inputs.fail-on != ''":
			if inputs["fail-on"] == "" {
				continue
			}
		default:
			t.Fatalf("step %q: unknown condition %q", step.Name, step.If)
		}
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step.Run)
		cmd.Dir = expand(step.WorkingDirectory)
		cmd.Env = append(os.Environ(),
			"GITHUB_STEP_SUMMARY="+summary,
			"GITHUB_OUTPUT="+output,
			"RUNNER_TEMP="+tmp,
			"PERF_RESULTS="+filepath.Join(tmp, "results"),
			"PERF_DOCS="+filepath.Join(tmp, "docs"),
			"PERF_EXTRA=0",
		)
		for k, v := range step.Env {
			cmd.Env = append(cmd.Env, k+"="+expand(v))
		}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("step %q: %v\n%s", step.Name, err, out)
		}
		ran++
	}
	if ran < 2 {
		t.Fatalf("ran %d steps, want track and report", ran)
	}

	md, _ := os.ReadFile(summary)
	for _, want := range []string{"| benchmark |", "SmallAllocation", "after Holm correction", "explain: nothing to explain"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("step summary lacks %q:\n%s", want, md)
		}
	}
	outs := map[string]string{}
	data, _ := os.ReadFile(output)
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		k, v, _ := strings.Cut(line, "=")
		outs[k] = v
	}
	if got, want := outs["results-dir"], filepath.Join(tmp, "results"); got != want {
		t.Errorf("results-dir = %q, want %q", got, want)
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
	for name := range a.Outputs {
		if _, ok := outs[name]; !ok {
			t.Errorf("output %q was not set", name)
		}
	}
}

var exprRE = regexp.MustCompile(`\$\{\{\s*([\w.-]+)\s*\}\}`)

// goEnv returns a variable of the local go command's environment.
func goEnv(t *testing.T, name string) string {
	t.Helper()
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}
