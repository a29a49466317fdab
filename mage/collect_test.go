package mage

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/magefile/mage/mg"

	"github.com/perftrack/perftrack/mage/collect"
	"github.com/perftrack/perftrack/mage/results"
)

func TestCollectExit(t *testing.T) {
	noBench := fmt.Errorf("%w \"NoSuch\" in ./...", collect.ErrNoBenchmarks)
	for _, tt := range []struct {
		name string
		err  error
		want int
	}{
		{"interrupted", fmt.Errorf("%w: canceled", collect.ErrInterrupted), 130},
		{"failures", &collect.FailuresError{Failures: []results.Failure{{Toolchain: "a", Stage: results.StageSample}}}, 1},
		{"bad config", &collect.ConfigError{Field: "CVMax", Value: "NaN", Want: "a finite fraction"}, 2},
		{"no benchmarks", noBench, 2},
		// A package that does not exist fails to build, and matches nothing.
		{"no benchmarks and failures", errors.Join(noBench, &collect.FailuresError{}), 2},
		{"strict", &collect.CheckError{}, 3},
		{"locked", &collect.LockedError{}, 4},
		{"other", errors.New("no benchmark module"), 5},
	} {
		if got := mg.ExitStatus(collectExit(tt.err)); got != tt.want {
			t.Errorf("%s: exit %d, want %d", tt.name, got, tt.want)
		}
	}
}

// TestCollectChecksOptionsFirst: a bad setting given as an Options field
// (not the environment, which resolve checks) stops Collect before it
// installs anything: the spec here would fail to install.
func TestCollectChecksOptionsFirst(t *testing.T) {
	for _, tt := range []struct {
		field string
		set   func(*Settings)
	}{
		{"CVMax", func(s *Settings) { s.CVMax = math.NaN() }},
		{"CVMax", func(s *Settings) { s.CVMax = math.Inf(1) }},
		{"Bench", func(s *Settings) { s.Bench = "Fast|(" }},
		{"Benchtime", func(s *Settings) { s.Benchtime = -1 }},
	} {
		saved := Options
		tt.set(&Options)
		err := Collect(context.Background(), "x=/nonexistent/goroot")
		Options = saved
		if mg.ExitStatus(err) != 2 || !strings.Contains(fmt.Sprint(err), "Config."+tt.field) {
			t.Errorf("%s: Collect = %v (exit %d), want exit 2 naming the field", tt.field, err, mg.ExitStatus(err))
		}
	}
}
