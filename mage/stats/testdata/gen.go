//go:build ignore

// gen writes the oracle corpus (testdata/corpus/*.txt) from real
// `go test -bench` runs of ./benchprog. Run it from mage/stats:
//
//	go run testdata/gen.go
//
// The files are committed; tests never run it. Each file is the output
// of several go test runs, so sample sizes differ per benchmark (n from 1
// to 20). A few lines are edited in afterwards, each marked below: a
// malformed line, a unit metadata line, a missing cpu: line.
package main

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"os/exec"
	"regexp"
)

// run returns the output of one go test run of benchprog.
func run(variant, bench string, count int, extra ...string) []byte {
	args := append([]string{"test", "-run", "^$", "-bench", bench, "-benchtime", "300x",
		"-count", fmt.Sprint(count)}, extra...)
	args = append(args, "./testdata/benchprog")
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), "BENCHPROG_VARIANT="+variant)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		log.Fatalf("go %v: %v", args, err)
	}
	return out
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func write(name string, data []byte) {
	if err := os.WriteFile("testdata/corpus/"+name, data, 0o644); err != nil {
		log.Fatal(err)
	}
}

func main() {
	if err := os.MkdirAll("testdata/corpus", 0o755); err != nil {
		log.Fatal(err)
	}
	// old: the baseline; n=20, 20, 10, 6, 4.
	old := cat(
		[]byte("Unit items/op better=lower\n"), // edited in: unit metadata
		run("", "Fib", 20),
		run("", "Sort", 20),
		run("", "Alloc", 10),
		run("", "Zero", 6),
		run("", "OnlyOld", 4),
	)
	write("old.txt", old)
	// new: Fib and Alloc slower, Sort faster; OnlyOld missing, OnlyNew added.
	write("new.txt", cat(
		run("slow,fast", "Fib", 20),
		run("slow,fast", "Sort", 12),
		run("slow,fast", "Alloc", 10),
		run("slow,fast", "Zero", 6),
		run("slow,fast", "OnlyNew", 5),
	))
	// third: few samples everywhere (n=3, n=2 for Alloc, n=1 for Zero).
	write("third.txt", cat(
		run("fast", "Fib|Sort", 3),
		run("fast", "Alloc", 2),
		run("fast", "Zero", 1),
	))
	// one: a single sample of everything.
	write("one.txt", run("", ".", 1))
	// bad: a malformed line (edited in) among good results.
	write("bad.txt", cat(
		[]byte("BenchmarkBad-8 notanumber 12 ns/op\n"),
		run("slow", "Fib", 6),
	))
	// nocpu: as an old Go prints it, without a cpu: line (edited out).
	nocpu := regexp.MustCompile(`(?m)^cpu: .*\n`).ReplaceAll(run("slow", "Fib|Sort", 8), nil)
	write("nocpu.txt", nocpu)
	// procs: GOMAXPROCS=1, so names carry no -N suffix.
	write("procs.txt", run("slow", "Fib", 8, "-cpu", "1"))
}
