//go:build mage

// perftrack tracks Go performance across Go releases; PERF_* environment
// variables configure every target (see README.md).
package main

import (
	//mage:import
	_ "github.com/perftrack/perftrack/mage"
)
