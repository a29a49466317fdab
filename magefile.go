//go:build mage

// perftrack tracks Go performance across Go releases: install toolchains,
// collect benchmarks under each (interleaved), compare them with benchstat's
// statistics, export the results for the docs page, lint the suite and serve
// the page. Options come from PERF_* environment variables (see README.md).
package main

import (
	//mage:import
	_ "github.com/perftrack/perftrack/mage"
)
