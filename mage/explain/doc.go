// Package explain says where the time (or the memory) of a regression
// went: it profiles each significant regression of a run under the
// baseline and the toolchain that regressed, and compares the profiles
// per benchmark iteration, function by function.
//
// The steps (Select, then Run):
//
//  1. Select takes the comparisons of a stats.Report that are
//     significant after the Holm correction and worse (Report.Regressions)
//     in sec/op (explained by a CPU profile), B/op or allocs/op (an
//     allocation profile), maps each to the run's benchmark and its
//     calibrated iteration count, orders them largest first and caps
//     their number.
//  2. Run checks that each toolchain's GOROOT still has the version the
//     run recorded, takes collect's machine lock (profiling runs
//     benchmarks: it must not overlap a collect), and rebuilds the test
//     binaries of the packages concerned as collect built them
//     (collect.BuildTests, collect.ChildEnv).
//  3. For each benchmark and kind of profile, it runs the benchmark in
//     rounds, each running every toolchain once in a shuffled order, all
//     with the same iteration count (the run's, unless the budget cannot
//     pay for it; see planRuns), with -test.cpuprofile or
//     -test.memprofile (a -test.memprofilerate that samples about 50,000
//     allocations a run). This happens after the timed samples, never
//     between them.
//  4. It merges each toolchain's profiles (github.com/google/pprof/profile),
//     keeps them in the run's directory
//     (<root>/<platform>/<stamp>/profiles/<toolchain>/<pkg>.<benchmark>.<kind>.pb.gz),
//     sums each function's values per op, flat (in its own code) and
//     cumulative (with its callees, once per stack), and reports those
//     that grew most, with their share of the whole profile's growth.
//     Functions on (nearly) every stack of both sides, the benchmark and
//     the testing package, are left out of the cumulative list; so are
//     the samples of the testing package's first call of the benchmark
//     (b.N = 1, which runs the setup once more), unless the benchmark
//     ran all its iterations there (b.Loop). The setup of the call that
//     runs the iterations stays in: per op it weighs 1/N, where the
//     measurement (after b.ResetTimer) has none of it.
//  5. It writes the explanation to the run's explain.json after each
//     benchmark, so Ctrl-C keeps what is done.
//
// A result repeats what undermines it: few CPU samples, profiles whose
// growth is far from the measured one, no growth at all, fewer iterations
// than the run's, an interrupted benchmark.
//
// # JSON schema, version 1
//
// WriteJSON writes, and Run keeps in the run's explain.json, one object.
// Values are per op in value_unit; numbers that are not finite (a share
// of no growth, a change from zero) are null. Paths are relative to the
// results root.
//
//	{
//	  "schema": 1,
//	  "run": "linux-amd64/20261203T172910Z",
//	  "baseline": "go1.26.8",
//	  "status": "finished",              // "running", "finished" or "interrupted"
//	  "budget_seconds": 3,               // per benchmark per toolchain per kind
//	  "rounds": 5,                       // the fewest rounds a benchmark gets (more when the budget pays for them)
//	  "wall_seconds": 41.2,
//	  "waited_seconds": 0.01,            // of the wall time, waiting for the machine lock
//	  "skipped": ["JSONMarshal-2 B/s -14.37% (go1.27.3): no profile explains B/s"],
//	  "regressions": [{                  // largest first
//	    "pkg": "github.com/perftrack/perftrack/benchmarks/stdlib",
//	    "benchmark": "BenchmarkGzipDecompress", "row": "GzipDecompress-2",
//	    "unit": "sec/op", "baseline": "go1.26.8", "toolchain": "go1.27.3",
//	    "delta": 0.2674,                 // the measured change of the medians
//	    "measured_base": 0.000171, "measured_new": 0.000217, // medians in unit
//	    "profile": "cpu",                // or "mem"
//	    "sample_type": "cpu",            // or alloc_space, alloc_objects (pprof -sample_index)
//	    "value_unit": "ns/op",           // or B/op, allocs/op
//	    "rounds": 20, "iterations": 921, // per run, the same under each toolchain
//	    "base_ops": 18420, "new_ops": 18420,
//	    "memprofilerate": 92,            // allocation profiles only
//	    "base_samples": 380, "new_samples": 460, // CPU profiles only
//	    "base": 208000, "new": 252000, "change": 44000, // whole profiles
//	    "measured_change": 45800,        // the medians' difference, in value_unit
//	    "flat": [{"function": "compress/flate.(*decompressor).huffSym",
//	              "base": 58600, "new": 95500, "delta": 36900, "share": 0.85}],
//	    "cum": [...],                    // the same, with callees
//	    "omitted_callers": 2,
//	    "ignored": "^testing\\.\\(\\*B\\)\\.run1", // frames whose samples are left out (pprof -ignore)
//	    "base_profile": "linux-amd64/20261203T172910Z/profiles/go1.26.8/stdlib.BenchmarkGzipDecompress.cpu.pb.gz",
//	    "new_profile": "linux-amd64/20261203T172910Z/profiles/go1.27.3/stdlib.BenchmarkGzipDecompress.cpu.pb.gz",
//	    "pprof": "go tool pprof -top -diff_base=results/stable/... results/stable/...",
//	    "warnings": [],
//	    "error": ""                      // set (and the profile fields zero) when it could not be explained
//	  }]
//	}
package explain
