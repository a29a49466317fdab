package export

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"slices"

	"github.com/perftrack/perftrack/mage/results"
	"github.com/perftrack/perftrack/mage/runinfo"
	"github.com/perftrack/perftrack/mage/stats"
)

// manifest is a run's manifest (results.Manifest) as Export uses it: with
// its file, the parts the site carries as JSON, and the noise classes by
// benchmark ID. Runs copied by hand or from other tools have none (nil).
type manifest struct {
	run  *results.Manifest
	file string // relative to the results root, slash-separated
	// Checks are the manifest's system checks, as the site carries them.
	Checks json.RawMessage

	classes map[string]map[string]string // benchmark ID -> toolchain -> class
}

// describe fills in what the manifest knows of toolchain name's result
// file for stats, as compare does, so that two versions of one
// interleaved run compare pair by pair on the page too.
func (m *manifest) describe(in *stats.Input, name string) {
	if m != nil {
		runinfo.Describe(in, m.run, name)
	}
}

// machine returns the run's machine fingerprint as the site carries it:
// without the host name unless keepHostname, since results are often
// published.
func (m *manifest) machine(keepHostname bool) json.RawMessage {
	machine := m.run.Machine
	if !keepHostname {
		machine.Hostname = ""
	}
	b, err := json.Marshal(machine)
	if err != nil { // only a NaN could fail, and JSON cannot hold one
		return json.RawMessage("null")
	}
	return b
}

// readManifest reads the manifest of a run. A missing one is nil and no
// error; one that cannot be read or is not JSON is left out with an error
// the caller reports as a warning.
func readManifest(root, platform, stamp string, mod *module) (*manifest, error) {
	file := results.ManifestFile(root, platform, stamp)
	run, err := results.ReadManifest(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("leaving out the run manifest: %w", err)
	}
	rel, err := filepath.Rel(root, file)
	if err != nil {
		rel = file
	}
	m := &manifest{run: run, file: filepath.ToSlash(rel), classes: map[string]map[string]string{}}
	if m.Checks, err = json.Marshal(run.Checks); err != nil {
		return nil, fmt.Errorf("%s: checks: %w", file, err)
	}
	for _, b := range run.Benchmarks {
		// Collect names benchmarks as go test prints them, without the
		// -GOMAXPROCS suffix (BenchmarkX/n=10); IDs use benchfmt's names,
		// without the prefix.
		id := mod.category(b.Pkg) + ":" + strings.TrimPrefix(b.Name, "Benchmark")
		for toolchain, n := range b.Noise {
			if n.Class == "" {
				continue
			}
			if m.classes[id] == nil {
				m.classes[id] = map[string]string{}
			}
			m.classes[id][toolchain] = n.Class
		}
	}
	return m, nil
}

// class returns the noise class Collect recorded for a benchmark under a
// toolchain, or "".
func (m *manifest) class(id, toolchain string) string {
	if m == nil {
		return ""
	}
	return m.classes[id][toolchain]
}

// classRank orders classes from good (0) to very high; an unknown class
// ranks above all, so it is never hidden behind a known one.
func classRank(class string) int {
	if i := slices.Index(stats.NoiseClasses, class); i >= 0 {
		return i
	}
	return len(stats.NoiseClasses)
}
