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

	Machine    json.RawMessage `json:"machine"` // the fingerprint, passed through
	Checks     json.RawMessage `json:"checks"`  // the system checks, passed through
	Benchmarks []struct {
		Pkg   string `json:"pkg"`
		Name  string `json:"name"`
		Noise map[string]struct {
			CV    float64 `json:"cv"`
			Class string  `json:"class"`
		} `json:"noise"` // by toolchain name
	} `json:"benchmarks"`

	classes map[string]map[string]string // benchmark ID -> toolchain -> class
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
