package mage

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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
