// Package runinfo gives a comparison what a run manifest knows of a result
// file: compare, track and export describe their inputs to mage/stats the
// same way, through Describe.
package runinfo

import (
	"path/filepath"
	"strings"

	"github.com/perftrack/perftrack/mage/results"
	"github.com/perftrack/perftrack/mage/stats"
)

// Describe fills in what m knows of the result file of its toolchain
// name: the run (platform/stamp; inputs of one run compare pair by
// pair), GOMAXPROCS, the rounds of each benchmark's samples and the
// failed system checks. It leaves in as it is when m is nil or has no
// toolchain of that name.
func Describe(in *stats.Input, m *results.Manifest, name string) {
	if m == nil || !m.Names(name) {
		return
	}
	in.Run = m.Platform + "/" + m.Stamp
	in.Procs = m.Machine.GOMAXPROCS
	for _, b := range m.Benchmarks {
		if r, ok := b.Rounds[name]; ok {
			if in.Rounds == nil {
				in.Rounds = map[stats.RoundKey][]int{}
			}
			// Collect records go test's names (BenchmarkX/n=10); stats
			// keys by benchfmt's, without the prefix.
			in.Rounds[stats.RoundKey{Pkg: b.Pkg, Name: strings.TrimPrefix(b.Name, "Benchmark")}] = r
		}
	}
	for _, c := range m.Checks {
		if c.Status == results.CheckFailed {
			in.FailedChecks = append(in.FailedChecks, c.Name+": "+c.Detail)
		}
	}
}

// DescribeFile describes in from the manifest beside its file, when the
// file is a run of a results tree (<root>/<platform>/<name>/<stamp>.txt
// with <root>/<platform>/<stamp>.json). Any other file, or one its
// manifest does not list, is left as it is: it compares unpaired.
func DescribeFile(in *stats.Input) {
	stamp, ok := strings.CutSuffix(filepath.Base(in.Name), ".txt")
	if !ok {
		return
	}
	dir := filepath.Dir(in.Name)
	m, err := results.ReadManifest(filepath.Join(filepath.Dir(dir), stamp+".json"))
	if err != nil || m.Stamp != stamp {
		return
	}
	Describe(in, m, filepath.Base(dir))
}
