package collect

import (
	"github.com/perftrack/perftrack/mage/toolchain"

	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/perftrack/perftrack/mage/results"
	"github.com/perftrack/perftrack/mage/stats"
)

func TestFindResumable(t *testing.T) {
	root := t.TempDir()
	const platform = "linux-amd64"
	write := func(stamp, status string, tcs ...toolchain.Toolchain) {
		t.Helper()
		m := &results.Manifest{Stamp: stamp, Status: status}
		for _, tc := range tcs {
			m.Toolchains = append(m.Toolchains, results.ToolchainRecord{Name: tc.Name, Version: tc.Version, GOROOT: tc.GOROOT})
		}
		if err := results.WriteManifest(results.ManifestFile(root, platform, stamp), m); err != nil {
			t.Fatal(err)
		}
	}
	a := toolchain.Toolchain{Name: "go1.26.8", Version: "go1.26.8", GOROOT: "/sdk/go1.26.8"}
	b := toolchain.Toolchain{Name: "tip", Version: "devel go1.28-abc", GOROOT: "/src/go"}
	b2 := toolchain.Toolchain{Name: "tip", Version: "devel go1.28-def", GOROOT: "/src/go"}
	write("20261101T100000Z", results.ManifestInterrupted, a, b)
	write("20261101T110000Z", results.ManifestRunning, a, b) // the process died
	write("20261101T120000Z", results.ManifestFinished, a, b)
	write("20261101T130000Z", results.ManifestInterrupted, b, a) // other order: another baseline
	write("20261101T140000Z", results.ManifestInterrupted, a)

	for _, tt := range []struct {
		tcs       []toolchain.Toolchain
		stamp     string
		errSubstr string
	}{
		{[]toolchain.Toolchain{a, b}, "20261101T110000Z", ""},
		{[]toolchain.Toolchain{b, a}, "20261101T130000Z", ""},
		{[]toolchain.Toolchain{a}, "20261101T140000Z", ""},
		{[]toolchain.Toolchain{b}, "", ErrNothingToResume.Error()},
		{[]toolchain.Toolchain{a, b2}, "", "tip was devel go1.28-abc and is now devel go1.28-def"},
	} {
		m, err := findResumable(root, platform, tt.tcs)
		switch {
		case tt.errSubstr != "":
			if err == nil || !strings.Contains(err.Error(), tt.errSubstr) {
				t.Errorf("findResumable(%v) = %v, want error %q", tt.tcs, err, tt.errSubstr)
			}
		case err != nil:
			t.Errorf("findResumable(%v): %v", tt.tcs, err)
		case m.Stamp != tt.stamp:
			t.Errorf("findResumable(%v) = %s, want %s", tt.tcs, m.Stamp, tt.stamp)
		}
	}
	if _, err := findResumable(filepath.Join(root, "none"), platform, []toolchain.Toolchain{a}); !errors.Is(err, ErrNothingToResume) {
		t.Errorf("empty root: %v", err)
	}
}

func TestProgressLines(t *testing.T) {
	var out strings.Builder
	now := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	p := newProgress(&out, 4, 10*time.Second)
	p.now = func() time.Time { return now }
	p.start, p.last = now, now
	p.describe(1, 2, "go1.26.8", "core") // the first line: always
	p.add()
	now = now.Add(5 * time.Second)
	p.describe(1, 2, "tip", "core") // within the interval: quiet
	p.add()
	now = now.Add(5 * time.Second)
	p.describe(2, 2, "go1.26.8", "core")
	p.add()
	p.addTotal(2)
	p.add()
	p.finish()
	want := "collect: 0/4 samples, round 1/2 go1.26.8 core, ETA unknown\n" +
		"collect: 2/4 samples, round 2/2 go1.26.8 core, ETA 10s\n" +
		"collect: 4/6 samples in 10s\n"
	if out.String() != want {
		t.Errorf("progress =\n%s\nwant\n%s", out.String(), want)
	}
}

// TestNoiseUnknown checks that a spread that cannot be measured (one sample, a zero
// mean) gets no class, rather than "good".
func TestNoiseUnknown(t *testing.T) {
	k := sampleKey{"p", "BenchmarkX"}
	c := &collector{m: &results.Manifest{Benchmarks: []results.BenchmarkRecord{{Pkg: k.Pkg, Name: k.Name}}}}
	for name, vs := range map[string][]float64{"one": {5}, "zero": {0, 0}, "two": {10, 10}} {
		c.tcs = append(c.tcs, &tcState{Toolchain: toolchain.Toolchain{Name: name}, values: map[sampleKey][]float64{k: vs}})
	}
	c.noise()
	ns := c.m.Benchmarks[0].Noise
	for _, name := range []string{"one", "zero"} {
		if n := ns[name]; n.Class != "" || n.CV != 0 || n.Samples == 0 {
			t.Errorf("%s: noise %+v, want no class", name, n)
		}
	}
	if n := ns["two"]; n.Class != stats.NoiseGood || n.Samples != 2 {
		t.Errorf("two equal samples: noise %+v, want good", n)
	}
}

// TestReconcileRounds: a run killed after writing samples but before
// saving the manifest is resumed with the rounds of the unrecorded
// samples restored, so the pairs of the whole run hold.
func TestReconcileRounds(t *testing.T) {
	k := sampleKey{"p", "BenchmarkA"}
	for _, tc := range []struct {
		recorded []int
		have     int
		want     []int
	}{
		{[]int{0, 1}, 3, []int{0, 1, 2}}, // killed mid-round 2
		{[]int{0, 1, 2}, 3, []int{0, 1, 2}},
		{nil, 2, []int{0, 1}},            // an older manifest without rounds
		{[]int{0, 1, 2}, 2, []int{0, 1}}, // the file lost a sample
		{nil, 0, nil},
	} {
		c := &collector{m: &results.Manifest{Benchmarks: []results.BenchmarkRecord{{Pkg: "p", Name: "BenchmarkA"}}}}
		if tc.recorded != nil {
			c.m.Benchmarks[0].Rounds = map[string][]int{"a": tc.recorded}
		}
		st := &tcState{Toolchain: toolchain.Toolchain{Name: "a"}, values: map[sampleKey][]float64{k: make([]float64, tc.have)}}
		c.reconcileRounds(st)
		if got := c.m.Benchmarks[0].Rounds["a"]; !slices.Equal(got, tc.want) {
			t.Errorf("recorded %v, %d samples: rounds %v, want %v", tc.recorded, tc.have, got, tc.want)
		}
	}
}
