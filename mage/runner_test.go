package mage

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"gopkg.in/yaml.v3"
)

// This file is a small stand-in for a GitHub Actions runner, enough to run
// action.yml and the example workflow's steps on this machine: `if:`
// conditions and ${{ }} values are evaluated (a subset of the expression
// language: contexts, literals, ==, !=, !, &&, ||, parentheses and the
// status functions), run: steps go to bash as the runner calls it, and the
// steps that use other actions are played by the test's handlers.

// exprValue is a value of the expression language: a string or a bool.
type exprValue any

func truthy(v exprValue) bool {
	switch v := v.(type) {
	case bool:
		return v
	case string:
		return v != ""
	}
	return v != nil
}

func exprString(v exprValue) string {
	switch v := v.(type) {
	case bool:
		if v {
			return "true"
		}
		return "false"
	case string:
		return v
	}
	return ""
}

// exprEnv resolves the contexts of an expression.
type exprEnv struct {
	vars   map[string]string // "inputs.count", "github.sha", "env.X", ...
	steps  map[string]*stepState
	failed bool // a step before this one failed
}

type stepState struct {
	outcome string // success or failure
	outputs map[string]string
}

func (e *exprEnv) lookup(t *testing.T, name string) exprValue {
	if rest, ok := strings.CutPrefix(name, "steps."); ok {
		id, field, _ := strings.Cut(rest, ".")
		st := e.steps[id]
		if st == nil {
			return ""
		}
		if field == "outcome" || field == "conclusion" {
			return st.outcome
		}
		if out, ok := strings.CutPrefix(field, "outputs."); ok {
			return st.outputs[out]
		}
		t.Fatalf("expression: unknown field %q", name)
	}
	v, ok := e.vars[name]
	if !ok && !strings.HasPrefix(name, "env.") && !strings.HasPrefix(name, "inputs.") {
		t.Fatalf("expression: unknown context %q", name)
	}
	return v
}

var tokenRE = regexp.MustCompile(`\s*(\|\||&&|==|!=|!|\(|\)|'(?:[^']|'')*'|[A-Za-z_][\w.-]*(?:\(\))?)`)

// eval evaluates one expression (without the ${{ }}).
func (e *exprEnv) eval(t *testing.T, expr string) exprValue {
	t.Helper()
	var toks []string
	rest := expr
	for strings.TrimSpace(rest) != "" {
		m := tokenRE.FindStringSubmatchIndex(rest)
		if m == nil || m[0] != 0 {
			t.Fatalf("expression %q: cannot read %q", expr, rest)
		}
		toks = append(toks, rest[m[2]:m[3]])
		rest = rest[m[1]:]
	}
	pos := 0
	peek := func() string {
		if pos < len(toks) {
			return toks[pos]
		}
		return ""
	}
	var or func() exprValue
	primary := func() exprValue {
		tok := peek()
		pos++
		switch {
		case tok == "(":
			v := or()
			if peek() != ")" {
				t.Fatalf("expression %q: missing )", expr)
			}
			pos++
			return v
		case strings.HasPrefix(tok, "'"):
			return strings.ReplaceAll(tok[1:len(tok)-1], "''", "'")
		case tok == "true", tok == "false":
			return tok == "true"
		case tok == "cancelled()":
			return false
		case tok == "always()":
			return true
		case tok == "success()":
			return !e.failed
		case tok == "failure()":
			return e.failed
		case tok != "" && (unicode.IsLetter(rune(tok[0])) || tok[0] == '_'):
			return e.lookup(t, tok)
		}
		t.Fatalf("expression %q: unexpected %q", expr, tok)
		return nil
	}
	var unary func() exprValue
	unary = func() exprValue {
		if peek() == "!" {
			pos++
			return !truthy(unary())
		}
		v := primary()
		if op := peek(); op == "==" || op == "!=" {
			pos++
			w := primary()
			eq := strings.EqualFold(exprString(v), exprString(w))
			return eq == (op == "==")
		}
		return v
	}
	and := func() exprValue {
		v := unary()
		for peek() == "&&" {
			pos++
			w := unary()
			if truthy(v) {
				v = w
			}
		}
		return v
	}
	or = func() exprValue {
		v := and()
		for peek() == "||" {
			pos++
			w := and()
			if !truthy(v) {
				v = w
			}
		}
		return v
	}
	v := or()
	if pos != len(toks) {
		t.Fatalf("expression %q: trailing %q", expr, toks[pos:])
	}
	return v
}

var interpRE = regexp.MustCompile(`\$\{\{(.*?)\}\}`)

// expand replaces every ${{ expr }} in s with its value.
func (e *exprEnv) expand(t *testing.T, s string) string {
	t.Helper()
	return interpRE.ReplaceAllStringFunc(s, func(m string) string {
		return exprString(e.eval(t, interpRE.FindStringSubmatch(m)[1]))
	})
}

// condition evaluates an if: field; empty means success().
func (e *exprEnv) condition(t *testing.T, cond string) bool {
	t.Helper()
	cond = strings.TrimSpace(cond)
	if cond == "" {
		return !e.failed
	}
	if m := interpRE.FindStringSubmatch(cond); m != nil && m[0] == cond {
		cond = m[1]
	}
	// As on GitHub: without a status function, success() is implied.
	v := truthy(e.eval(t, cond))
	if !regexp.MustCompile(`\b(cancelled|always|success|failure)\(\)`).MatchString(cond) {
		v = v && !e.failed
	}
	return v
}

// simStep is a step of an action or a job.
type simStep struct {
	Name             string            `yaml:"name"`
	ID               string            `yaml:"id"`
	If               string            `yaml:"if"`
	Uses             string            `yaml:"uses"`
	With             map[string]string `yaml:"with"`
	Run              string            `yaml:"run"`
	Shell            string            `yaml:"shell"`
	WorkingDirectory string            `yaml:"working-directory"`
	Env              map[string]string `yaml:"env"`
}

// usesFunc plays a step that uses another action: with holds its expanded
// inputs; it returns the step's outputs, or an error for a failed step.
type usesFunc func(step simStep, with map[string]string) (map[string]string, error)

// runSteps runs steps in order as a runner does, in dir with the base
// environment env; vars are the contexts. It returns the state of every
// step with an id and whether one failed. Every run: step's output goes to
// t.Log, so a failure can be read.
func runSteps(t *testing.T, steps []simStep, dir string, env []string, vars map[string]string, uses usesFunc) (map[string]*stepState, bool) {
	t.Helper()
	e := &exprEnv{vars: vars, steps: map[string]*stepState{}}
	tmp := t.TempDir()
	for i, step := range steps {
		name := step.Name
		if name == "" {
			name = step.Uses + step.ID
		}
		if !e.condition(t, step.If) {
			t.Logf("step %q skipped (if: %s)", name, step.If)
			continue
		}
		st := &stepState{outcome: "success", outputs: map[string]string{}}
		if step.Run != "" {
			output := filepath.Join(tmp, fmt.Sprintf("output-%d", i))
			if err := os.WriteFile(output, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step.Run)
			cmd.Dir = dir
			if wd := e.expand(t, step.WorkingDirectory); wd != "" {
				cmd.Dir = wd
				if !filepath.IsAbs(wd) {
					cmd.Dir = filepath.Join(dir, wd)
				}
			}
			cmd.Env = append(append([]string(nil), env...), "GITHUB_OUTPUT="+output)
			for k, v := range step.Env {
				cmd.Env = append(cmd.Env, k+"="+e.expand(t, v))
			}
			out, err := cmd.CombinedOutput()
			t.Logf("step %q:\n%s", name, out)
			if err != nil {
				t.Logf("step %q failed: %v", name, err)
				st.outcome = "failure"
			}
			st.outputs = readOutputs(t, output)
		} else {
			with := map[string]string{}
			for k, v := range step.With {
				with[k] = e.expand(t, v)
			}
			outs, err := uses(step, with)
			if err != nil {
				t.Logf("step %q (%s) failed: %v", name, step.Uses, err)
				st.outcome = "failure"
			}
			for k, v := range outs {
				st.outputs[k] = v
			}
		}
		if st.outcome == "failure" {
			e.failed = true
		}
		if step.ID != "" {
			e.steps[step.ID] = st
		}
	}
	return e.steps, e.failed
}

// readOutputs parses a GITHUB_OUTPUT file: name=value lines and
// name<<DELIMITER blocks.
func readOutputs(t *testing.T, file string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	outs := map[string]string{}
	lines := strings.Split(string(data), "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if name, delim, ok := strings.Cut(line, "<<"); ok && !strings.Contains(name, "=") {
			var value []string
			for i++; i < len(lines) && lines[i] != delim; i++ {
				value = append(value, lines[i])
			}
			if i == len(lines) {
				t.Fatalf("%s: %s<<%s is not closed", file, name, delim)
			}
			outs[name] = strings.Join(value, "\n")
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok {
			outs[k] = v
		}
	}
	return outs
}

// simAction is action.yml as the simulation reads it.
type simAction struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Steps []simStep `yaml:"steps"`
	} `yaml:"runs"`
}

// runAction runs the composite action in actionDir with the inputs given
// (the others take their defaults) and returns its outputs and whether it
// failed. vars are the job's contexts (github.*, runner.*, env.*).
func runAction(t *testing.T, actionDir, workspace string, env []string, vars map[string]string, with map[string]string, uses usesFunc) (map[string]string, bool) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(actionDir, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a simAction
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	v := map[string]string{"github.action_path": actionDir}
	for k, x := range vars {
		v[k] = x
	}
	for name, in := range a.Inputs {
		v["inputs."+name] = in.Default
	}
	for name, x := range with {
		if _, ok := a.Inputs[name]; !ok {
			t.Fatalf("action has no input %q", name)
		}
		v["inputs."+name] = x
	}
	steps, failed := runSteps(t, a.Runs.Steps, workspace, env, v, uses)
	e := &exprEnv{vars: v, steps: steps}
	outs := map[string]string{}
	for name, o := range a.Outputs {
		outs[name] = e.expand(t, o.Value)
	}
	return outs, failed
}
