//go:build mage

// An example repository that tracks its own benchmarks with perftrack.
package main

import (
	//mage:import perf
	perf "github.com/perftrack/perftrack/mage"
)

func init() {
	// This repository keeps its benchmark module in bench/ and wants three
	// samples by default; PERF_* variables still override both.
	perf.Options.Benchmarks = "bench"
	perf.Options.Count = 3
}
