package runinfo

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/perftrack/perftrack/mage/results"
	"github.com/perftrack/perftrack/mage/stats"
)

func testManifest() *results.Manifest {
	return &results.Manifest{
		Stamp: "20261203T100000Z", Platform: "linux-amd64",
		Toolchains: []results.ToolchainRecord{{Name: "go1.26.8"}, {Name: "go1.27.3"}},
		Benchmarks: []results.BenchmarkRecord{
			{Pkg: "p", Name: "BenchmarkA/n=1", Rounds: map[string][]int{"go1.26.8": {0, 1, 2}, "go1.27.3": {0, 2}}},
			{Pkg: "p", Name: "BenchmarkB", Rounds: map[string][]int{"go1.27.3": {1}}},
		},
		Checks: []results.Check{
			{Name: "load", Status: results.CheckFailed, Detail: "5.1 on 2 cores"},
			{Name: "swap", Status: results.CheckOK, Detail: "none"},
		},
		Machine: results.Machine{GOMAXPROCS: 2},
	}
}

func TestDescribe(t *testing.T) {
	m := testManifest()
	for _, tc := range []struct {
		name string
		m    *results.Manifest
		want stats.Input
	}{
		{"go1.26.8", m, stats.Input{Run: "linux-amd64/20261203T100000Z", Procs: 2,
			Rounds:       map[stats.RoundKey][]int{{Pkg: "p", Name: "A/n=1"}: {0, 1, 2}},
			FailedChecks: []string{"load: 5.1 on 2 cores"}}},
		// A hole in one toolchain's rounds stays a hole: the pairs are
		// the rounds both have.
		{"go1.27.3", m, stats.Input{Run: "linux-amd64/20261203T100000Z", Procs: 2,
			Rounds:       map[stats.RoundKey][]int{{Pkg: "p", Name: "A/n=1"}: {0, 2}, {Pkg: "p", Name: "B"}: {1}},
			FailedChecks: []string{"load: 5.1 on 2 cores"}}},
		{"tip", m, stats.Input{}},
		{"go1.26.8", nil, stats.Input{}},
	} {
		var got stats.Input
		Describe(&got, tc.m, tc.name)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Describe(%s) = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestDescribeFile(t *testing.T) {
	root := t.TempDir()
	m := testManifest()
	if err := os.MkdirAll(filepath.Join(root, m.Platform), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := results.WriteManifest(results.ManifestFile(root, m.Platform, m.Stamp), m); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file string
		run  string
	}{
		{results.RunFile(root, m.Platform, "go1.27.3", m.Stamp), m.Platform + "/" + m.Stamp},
		{results.RunFile(root, m.Platform, "tip", m.Stamp), ""},                 // not in the manifest
		{results.RunFile(root, m.Platform, "go1.27.3", "20261203T110000Z"), ""}, // no manifest
		{filepath.Join(root, "old.txt"), ""},                                    // not a run
	} {
		in := stats.Input{Name: tc.file}
		DescribeFile(&in)
		if in.Run != tc.run {
			t.Errorf("DescribeFile(%s): run %q, want %q", tc.file, in.Run, tc.run)
		}
	}
}
