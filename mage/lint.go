package mage

import (
	"context"
	"fmt"

	"github.com/magefile/mage/mg"
	"github.com/perftrack/perftrack/mage/lint"
)

// Lint checks the benchmark module: go.mod pin, gofmt, go vet, staticcheck and dead benchmark loops.
//
// Every finding is printed as file:line: message. Lint exits 1 when
// anything is found. With PERF_FIX=1 it rewrites gofmt and go.mod pin
// problems in place and reports the rest. PERF_BENCHMARKS names the module.
func Lint(ctx context.Context) error {
	s, err := settings()
	if err != nil {
		return mg.Fatal(2, err)
	}
	findings, err := lint.Run(ctx, lint.Options{
		Dir:         s.Benchmarks,
		Fix:         s.Fix,
		Go:          mg.GoCmd(),
		Staticcheck: lint.StaticcheckCommand(ctx, mg.GoCmd(), "."),
	})
	if err != nil {
		return mg.Fatal(2, err)
	}
	for _, f := range findings {
		fmt.Println(f)
	}
	if n := len(lint.Problems(findings)); n > 0 {
		hint := "fix them by hand"
		if !s.Fix {
			hint = "PERF_FIX=1 rewrites gofmt and go.mod pin problems; fix the rest by hand"
		}
		return mg.Fatalf(1, "lint: %d problem(s) in %s; %s", n, s.Benchmarks, hint)
	}
	fmt.Printf("lint: %s is clean\n", s.Benchmarks)
	return nil
}
