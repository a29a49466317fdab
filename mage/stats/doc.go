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
//  5. Beyond benchstat: the Holm correction over every comparison of the
//     report, the direction of each change (better, worse), and for
//     unchanged rows the largest change the intervals cannot rule out.
//
// # Grouping
//
// perftrack's defaults differ from benchstat's in two places, both so
// that results of different toolchains on the same machine compare:
//
//   - The cpu: and toolchain: file keys are ignored (benchstat -ignore
//     cpu,toolchain): Go before 1.16 prints no cpu: line, and perftrack's
//     result files name their toolchain in a toolchain: line; benchstat
//     would put such results in tables of their own, compared with
//     nothing. Options.KeepConfig turns this off.
//   - When the same benchmark appears with different -GOMAXPROCS name
//     suffixes (Fib-8 in one file, Fib-4 in another), the suffix is
//     dropped from every name, and Report.Notes says so. benchstat has no
//     flag for this; when suffixes agree (the usual case) nothing changes.
//     Options.KeepProcs turns this off.
//
// Options.BenchstatArgs returns the benchstat flags equivalent to a set of
// Options; the oracle test runs benchstat with them.
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
//
// # JSON schema, version 1
//
// WriteJSON writes one object. Numbers are JSON numbers; values that are
// not finite (an unbounded bound, an undefined delta) are null.
//
//	{
//	  "schema": 1,                       // bumped on incompatible changes
//	  "alpha": 0.05, "confidence": 0.95,
//	  "inputs": ["go1.26.8", "go1.27.3"], // input labels, baseline first
//	  "comparisons": 90,                 // the Holm family size
//	  "significant": 5,                  // P <= alpha
//	  "significant_holm": 3,             // still significant after Holm
//	  "summary": "5 significant changes at alpha=0.05; 3 after Holm correction over 90 comparisons",
//	  "fail_on": 0.05,                   // the gate (PERF_FAIL_ON); omitted when off
//	  "verdict": "FAIL: 1 change worse than 5% after Holm correction: Fib-8 sec/op +8.00% (new)",
//	  "failed": true,                    // the gate tripped
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
//	                                       // p_holm: p adjusted over the report
//	           "significant": true, "p_holm": 0.009, "significant_holm": true,
//	           "direction": "better",      // "better", "worse", "unknown" or "none"
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
