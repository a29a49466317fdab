package stats_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/perftrack/perftrack/mage/stats"
)

// Build compares in-memory result files; the Report holds per-cell
// summaries and, against the first column, the comparisons.
func ExampleBuild() {
	old := "toolchain: go1.26.8\n" + strings.Repeat("BenchmarkFib-8 1000 100 ns/op\nBenchmarkFib-8 1000 102 ns/op\nBenchmarkFib-8 1000 101 ns/op\n", 2)
	cur := "toolchain: go1.27.3\n" + strings.Repeat("BenchmarkFib-8 1000 90 ns/op\nBenchmarkFib-8 1000 91 ns/op\nBenchmarkFib-8 1000 92 ns/op\n", 2)
	rep, err := stats.Build([]stats.Input{
		// Run says both files come from one interleaved run.
		{Name: "a.txt", Label: "go1.26.8", R: strings.NewReader(old), Run: "20261203T150405Z"},
		{Name: "b.txt", Label: "go1.27.3", R: strings.NewReader(cur), Run: "20261203T150405Z"},
	}, stats.Options{FailOn: 0.05})
	if err != nil {
		fmt.Println(err)
		return
	}
	t := rep.Tables[0]
	c := t.Rows[0].Cells[1]
	fmt.Printf("%s %s (%s is better): %s n=%d median=%.3g delta=%+.1f%% [%+.1f%%, %+.1f%%] p=%.3f %s\n",
		t.Rows[0].Name, t.Unit, t.Direction, t.Columns[1], c.N, c.Center, c.Compare.Delta*100,
		c.Compare.Lo*100, c.Compare.Hi*100, c.Compare.P, c.Compare.Change)
	fmt.Println(rep.Summary())
	fmt.Println(rep.Verdict())
	if err := rep.WriteText(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// Fib-8 sec/op (lower is better): go1.27.3 n=6 median=9.1e-08 delta=-9.9% [-10.9%, -8.9%] p=0.002 better
	// sec/op: 1 significant at alpha=0.05, 1 after Holm correction over 1 test (unpaired: Mann-Whitney U)
	// PASS: no change worse than 5% after Holm correction (1 better, 0 worse)
	//       │   go1.26.8   │             go1.27.3              │
	//       │    sec/op    │   sec/op     vs base              │
	// Fib-8   101.00n ± 1%   91.00n ± 1%  -9.90% (p=0.002 n=6)
	//
	// change: Fib-8 sec/op -9.90% [-10.89%, -8.91%] better (p=0.002 n=6, go1.27.3)
	// sec/op: 1 significant at alpha=0.05, 1 after Holm correction over 1 test (unpaired: Mann-Whitney U)
	// PASS: no change worse than 5% after Holm correction (1 better, 0 worse)
}
