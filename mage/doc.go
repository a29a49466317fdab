// Package mage holds perftrack's Mage targets and their settings.
//
// It is meant to be imported by magefiles:
//
//	//go:build mage
//
//	package main
//
//	import (
//		//mage:import perf
//		"github.com/perftrack/perftrack/mage"
//	)
//
// Every exported function here is a target, so the package holds only
// targets and the Options value; the work is done by the packages below it
// (toolchain, collect, stats, export, lint, docs). Targets read their
// settings from Options with PERF_* environment variables applied on top.
package mage
