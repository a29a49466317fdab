package collect

import (
	"github.com/perftrack/perftrack/mage/toolchain"

	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"regexp/syntax"
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	for _, tt := range []struct {
		cfg   Config
		field string // "" when valid
		value string // a fragment of the message
	}{
		{Config{}, "", ""},
		{Config{Count: 3, Benchtime: time.Second, Bench: "Fast|Sub/n=1", CVMax: 0.05, Extra: 2, Pkgs: "./a, ./b"}, "", ""},
		{Config{Count: -1}, "Count", "-1"},
		{Config{Benchtime: -time.Second}, "Benchtime", "-1s"},
		{Config{Benchtime: MaxBenchtime + time.Second}, "Benchtime", "24h0m1s"},
		{Config{Extra: -1}, "Extra", "-1"},
		{Config{CVMax: math.NaN()}, "CVMax", "NaN"},
		{Config{CVMax: math.Inf(1)}, "CVMax", "+Inf"},
		{Config{CVMax: -0.1}, "CVMax", "-0.1"},
		{Config{SampleTimeout: -time.Second}, "SampleTimeout", "-1s"},
		{Config{Pkgs: " , "}, "Pkgs", `" , "`},
		{Config{Bench: "Fast|Sub/("}, "Bench", `"Fast|Sub/("`},
		{Config{Bench: "["}, "Bench", `"["`},
	} {
		err := tt.cfg.Validate()
		var ce *ConfigError
		switch {
		case tt.field == "":
			if err != nil {
				t.Errorf("%+v: %v", tt.cfg, err)
			}
		case !errors.As(err, &ce) || ce.Field != tt.field:
			t.Errorf("Validate() = %v, want a ConfigError for %s", err, tt.field)
		case !strings.Contains(err.Error(), "Config."+tt.field) || !strings.Contains(err.Error(), tt.value):
			t.Errorf("error %q names neither Config.%s nor %s", err, tt.field, tt.value)
		}
	}
	// A bad regexp's syntax error is there for a caller to inspect.
	var se *syntax.Error
	if err := (Config{Bench: "a("}).Validate(); !errors.As(err, &se) {
		t.Errorf("Validate() = %v, does not wrap the *syntax.Error", err)
	}
}

// TestRunBadConfig: Run checks its Config before it takes the lock,
// builds or writes anything.
func TestRunBadConfig(t *testing.T) {
	cfg := testConfig(t)
	cfg.CVMax = math.NaN()
	_, err := Run(context.Background(), cfg, []toolchain.Toolchain{{Name: "a", Version: "go1.26.8", GOROOT: "/nonexistent"}})
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Field != "CVMax" {
		t.Fatalf("Run = %v, want a ConfigError for CVMax", err)
	}
	for _, p := range []string{cfg.LockFile, cfg.Results} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: %v, want nothing written", filepath.Base(p), err)
		}
	}
}
