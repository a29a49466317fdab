package benchcheck_test

import (
	"path/filepath"
	"testing"

	"github.com/perftrack/perftrack/mage/lint/benchcheck"
	"golang.org/x/tools/go/analysis/analysistest"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), benchcheck.Analyzer, "a")
}

// TestLoopVersions checks that b.Loop keeps calls alive from go 1.24 on
// and not before.
func TestLoopVersions(t *testing.T) {
	for _, mod := range []string{"loop124", "loop123"} {
		t.Run(mod, func(t *testing.T) {
			analysistest.Run(t, filepath.Join(analysistest.TestData(), mod), benchcheck.Analyzer, "./...")
		})
	}
}
