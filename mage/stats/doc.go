// Package stats compares benchmark result files with benchstat's
// statistics and renders the comparison as text, markdown, csv or json.
//
// It is built on golang.org/x/perf's public packages (benchfmt, benchproc,
// benchmath, benchunit), not on the deprecated x/perf/benchstat package,
// and it computes the same numbers as `go tool benchstat` for the same
// files and options: medians, confidence intervals, deltas, p-values, n
// and geomeans; the text and csv renderers print benchstat's bytes.
//
// The pipeline (Build):
//
//  1. Read each input with benchfmt, setting the .file key to its label;
//     keep syntax errors as Report.Errors and go on.
//  2. Apply the filter (benchstat's -filter syntax).
//  3. Group: tables by file configuration and unit, rows by the row
//     projection (.fullname), columns by the column projection (.file);
//     keys sort in first-observation order.
//  4. Per cell: the median and its order-statistic confidence interval;
//     per non-baseline cell: the Mann-Whitney U test against the first
//     column of its row; per column: the geomean row.
//  5. Beyond benchstat: exact comparisons (two samples that are each one
//     value need no test), the Holm correction per metric over the
//     comparisons that are tests (Family), what the sample sizes can see
//     (Family.Power), each change's direction, its confidence interval
//     (of the ratio itself, the interval belonging to the U test) and for
//     unchanged rows the largest change it leaves open; what undermines
//     the verdict (Report.Caveats); the gate (Regressions, GateError,
//     Verdict).
//
// # Grouping
//
// perftrack's defaults differ from benchstat's in two places, both so
// that results of different toolchains on the same machine compare:
//
//   - The toolchain: file key, which perftrack's result files carry, is
//     ignored (benchstat -ignore toolchain); Options.KeepConfig turns this
//     off. Every other key, cpu: included, splits tables as in benchstat:
//     results of different machines are never compared, and the caveats
//     say which key kept two inputs apart.
//   - A -GOMAXPROCS name suffix is taken off where go test added it
//     (GoTestSuffix: the run's GOMAXPROCS is known, or one -N ends every
//     name of the input), so Fib-8 in one file and Fib-4 in another share
//     a row, and Report.Notes says so. When every input has the same
//     suffix it is put back, so the tables equal benchstat's. Distinct
//     names of one input are never merged. Options.KeepProcs turns this
//     off.
//
// Options.BenchstatArgs returns the benchstat flags equivalent to a set of
// Options; the oracle tests run benchstat with them, and with no flags at
// all on files without a toolchain: line.
//
// # Where perftrack is stricter than benchstat
//
//   - An input without any result (after filtering) is an error wrapping
//     ErrNoResults, not a silently missing column.
//   - A result with a NaN value is dropped and reported as
//     "file:line: <unit> value is NaN; result dropped": benchstat's U test
//     never returns on NaN samples.
//   - Malformed lines are reported as benchstat reports them
//     ("file:line: message", in Report.Errors) and the rest is used.
//   - A gate with nothing compared, or that cannot fire at the sample
//     sizes at hand, is an error (GateError), never a pass.
//
// # JSON schema, version 2
//
// WriteJSON writes one object. Numbers are JSON numbers; values that are
// not finite (an unbounded bound, an undefined delta) are null. Version 2
// added families, caveats, exact comparisons and intervals, and counts
// "comparisons" and "significant" as described below.
//
//	{
//	  "schema": 2,                       // bumped on incompatible changes
//	  "alpha": 0.05, "confidence": 0.95,
//	  "inputs": ["go1.26.8", "go1.27.3"], // input labels, baseline first
//	  "comparisons": 90,                 // every comparison, tests and exact
//	  "significant": 5,                  // tests with P <= alpha, and exact changes
//	  "significant_holm": 3,             // tests significant after Holm, and exact changes
//	  "summary": "sec/op: 5 significant at alpha=0.05, 3 after Holm correction over 90 tests",
//	  "fail_on": 0.05,                   // the gate (PERF_FAIL_ON); omitted when off
//	  "verdict": "FAIL: 1 change worse than 5% after Holm correction: Fib-8 sec/op +8.00% (new)",
//	  "failed": true,                    // the gate tripped
//	  "gate_error": "the gate cannot fire: ...", // omitted unless the gate is blind
//	  "ungated": ["hits"],               // metrics of unknown direction
//	  "caveats": ["the inputs are not one interleaved run (...)"],
//	  "exact_changes": ["Alloc allocs/op 76.00 -> 24.00 (-68.42%, new)"],
//	  "families": [{                     // one per metric: its Holm family
//	    "unit": "sec/op", "direction": "lower",
//	    "tests": 90, "significant": 5, "significant_holm": 3,
//	    "exact": 0, "exact_changed": 0,
//	    "n": 20, "reachable": true,       // some test can be significant
//	    "need_count": 8, "power": "n=5: no change can be ...", // when not reachable
//	    "unchanged": 85, "median_bound": 0.021, "max_bound": 0.084, "max_bound_row": "Fib/n=10",
//	    "text": "sec/op: ...", "bound_text": "sec/op: unchanged rows rule out ..."}],
//	  "regressions": [{"unit": "sec/op", "row": "Fib-8", "column": "new", "delta": 0.08}],
//	  "errors": ["a.txt:3: parsing iteration count: invalid syntax"],
//	  "notes": ["..."],
//	  "tables": [{
//	    "config": [{"key": "goos", "value": "linux"}, ...],
//	    "unit": "sec/op",
//	    "direction": "lower",            // "higher", "lower" or "unknown"
//	    "columns": ["go1.26.8", "go1.27.3"],
//	    "rows": [{
//	      "name": "Fib/n=10-8",
//	      "cells": [                      // one per column; null if missing
//	        {"n": 20, "center": 1.2e-06, "lo": 1.1e-06, "hi": 1.3e-06,
//	         "range": "3%", "values": [...], "warnings": [...]},
//	                                      // lo and hi are null when the interval
//	                                      // is unbounded (too few samples)
//	        {"n": 20, "center": ..., "lo": ..., "hi": ..., "range": "2%",
//	         "values": [...],
//	         "compare": {
//	           "delta": -0.052,            // new/old-1; null if old is 0
//	           "delta_text": "-5.20%",     // benchstat's text ("~" if not significant)
//	           "p": 0.0001, "n1": 20, "n2": 20, "text": "p=0.000 n=20",
//	                                       // p_holm: p adjusted over the metric's
//	                                       // tests; null when exact
//	           "significant": true, "p_holm": 0.009, "significant_holm": true,
//	           "direction": "better",      // "better", "worse", "unknown" or "none"
//	           "test": "mann-whitney",     // or "exact": no test, both samples one value
//	           "exact": false,
//	           "lo": -0.06, "hi": -0.045,  // interval of the change at the confidence
//	                                       // level; null if unbounded
//	           "bound": null,              // for non-significant rows: largest
//	                                       // change not ruled out (0.031 = ±3.1%),
//	                                       // null if unbounded or significant
//	           "warnings": []}}]
//	    }],
//	    "geomean": [                       // one per column
//	      {"center": 1.1e-06, "delta": null, "warnings": []}, // center null if not all > 0
//	      {"center": 1.0e-06, "delta": -0.05, "warnings": []}]
//	  }]
//	}
package stats
