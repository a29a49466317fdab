package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/perftrack/perftrack/mage/results"
	"github.com/perftrack/perftrack/mage/stats"
	"slices"
)

// manifest is what Export reads from a run manifest (<stamp>.json beside
// the version directories, written by Collect). Everything is optional:
// runs copied by hand or from older collectors have no manifest, and
// unknown fields are ignored.
type manifest struct {
	file string // relative to the results root, slash-separated

	Platform   string              `json:"platform"`
	Stamp      string              `json:"stamp"`
	Machine    json.RawMessage     `json:"machine"` // the fingerprint, passed through
	Checks     json.RawMessage     `json:"checks"`  // the system checks, passed through
	Toolchains []manifestToolchain `json:"toolchains"`
	Benchmarks []struct {
		Pkg   string `json:"pkg"`
		Name  string `json:"name"`
		Noise map[string]struct {
			CV    float64 `json:"cv"`
			Class string  `json:"class"`
		} `json:"noise"` // by toolchain name
		Rounds map[string][]int `json:"rounds"` // by toolchain name
	} `json:"benchmarks"`

	classes map[string]map[string]string // benchmark ID -> toolchain -> class
}

// manifestToolchain is a toolchain of a run manifest.
type manifestToolchain struct {
	Name string `json:"name"`
}

// describe fills in what the manifest knows of toolchain name's result
// file for stats, as compare does (collect.Manifest.Describe): the run,
// GOMAXPROCS and the rounds of the samples, so that two versions of one
// interleaved run compare pair by pair on the page too, and the failed
// system checks.
func (m *manifest) describe(in *stats.Input, name string) {
	if m == nil || !slices.ContainsFunc(m.Toolchains, func(t manifestToolchain) bool { return t.Name == name }) {
		return
	}
	in.Run = m.Platform + "/" + m.Stamp
	var machine struct {
		GOMAXPROCS int `json:"gomaxprocs"`
	}
	if json.Unmarshal(m.Machine, &machine) == nil {
		in.Procs = machine.GOMAXPROCS
	}
	for _, b := range m.Benchmarks {
		if r, ok := b.Rounds[name]; ok {
			if in.Rounds == nil {
				in.Rounds = map[stats.RoundKey][]int{}
			}
			in.Rounds[stats.RoundKey{Pkg: b.Pkg, Name: strings.TrimPrefix(b.Name, "Benchmark")}] = r
		}
	}
	var checks []struct{ Name, Status, Detail string }
	if json.Unmarshal(m.Checks, &checks) == nil {
		for _, c := range checks {
			if c.Status == "failed" {
				in.FailedChecks = append(in.FailedChecks, c.Name+": "+c.Detail)
			}
		}
	}
}

// readManifest reads the manifest of a run. A missing one is nil and no
// error; one that cannot be read or is not JSON is left out with an error
// the caller reports as a warning.
func readManifest(root, platform, stamp string, mod *module) (*manifest, error) {
	file := results.ManifestFile(root, platform, stamp)
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("leaving out the run manifest: %w", err)
	}
	m := &manifest{}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(m); err != nil {
		return nil, fmt.Errorf("leaving out the run manifest %s: %w", file, err)
	}
	rel, err := filepath.Rel(root, file)
	if err != nil {
		rel = file
	}
	m.file = filepath.ToSlash(rel)
	m.Machine = compact(m.Machine)
	m.Checks = compact(m.Checks)
	m.classes = map[string]map[string]string{}
	for _, b := range m.Benchmarks {
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

func compact(raw json.RawMessage) json.RawMessage {
	if raw == nil {
		return nil
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return nil
	}
	return buf.Bytes()
}

// classRank orders classes from good (0) to very high; an unknown class
// ranks above all, so it is never hidden behind a known one.
func classRank(class string) int {
	if i := slices.Index(stats.NoiseClasses, class); i >= 0 {
		return i
	}
	return len(stats.NoiseClasses)
}
