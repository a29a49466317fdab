// Package collect runs a Go benchmark module under several toolchains and
// writes the samples as Go benchmark format files that benchstat reads.
//
// It is opinionated about measuring well on a noisy machine:
//
//  1. Each package's test binary is built once per toolchain (go test -c),
//     in an environment computed by ChildEnv so that the go command cannot
//     switch to another toolchain; a module whose go line is newer than a
//     toolchain is built with a lowered go.mod (-modfile).
//  2. Each benchmark is calibrated once, under the baseline (the first
//     toolchain), to the iteration count N that takes about the target time;
//     every sample of every toolchain then runs exactly N iterations
//     (-test.benchtime=Nx), so samples are comparable and no time goes to
//     ramping up b.N.
//  3. One discarded warm-up sample per benchmark and toolchain.
//  4. Rounds: each runs every benchmark under every toolchain once, the
//     toolchains in an order shuffled per round from a recorded seed, so
//     that drift on the machine hits every toolchain alike.
//  5. Each sample is appended to its toolchain's result file and synced as
//     soon as it is done, and the manifest is rewritten after it, so an
//     interrupted or killed run keeps every finished sample, readable by
//     benchstat; Config.Resume continues it. A result file is created with
//     its first sample: a run that records none leaves no file to hide the
//     last good one.
//  6. Benchmarks noisier than a limit, judged by each toolchain's own
//     spread only, get extra rounds from a budget fixed in advance.
//
// Results go where package results says:
//
//	<root>/<goos>-<goarch>/<name>/<stamp>.txt   one file per toolchain
//	<root>/<goos>-<goarch>/<stamp>.json         the Manifest
//
// A result file starts with the test binary's file-level config lines
// (goos, goarch, cpu) and "toolchain: <version>"; a "pkg:" line precedes
// each package's results. Because the toolchain line differs between files,
// stock benchstat compares them with -col toolchain or -ignore toolchain.
//
// Only the result line of the benchmark that ran is recorded, once per
// sample, and only if benchfmt can read it back: what a benchmark prints
// to look like results is never taken for one.
//
// One Collect runs per machine at a time, whoever runs it (a lock file
// in a directory all users share, see DefaultLockFile), after system
// checks (CPU governor, load, temperature, memory, swap) that are printed
// and recorded, never prompted for.
package collect
