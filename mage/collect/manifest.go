package collect

import (
	"github.com/perftrack/perftrack/mage/toolchain"

	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/perftrack/perftrack/mage/results"
)

// ErrNothingToResume is returned (wrapped) by Run with Config.Resume when
// no interrupted run of the same toolchains exists.
var ErrNothingToResume = errors.New("no interrupted run to resume")

// findResumable returns the newest run under root for this platform that
// did not finish and has the same toolchain names, in the same order.
// Its toolchains must still report the versions it recorded.
func findResumable(root, platform string, tcs []toolchain.Toolchain) (*results.Manifest, error) {
	paths, err := filepath.Glob(filepath.Join(root, platform, "*.json"))
	if err != nil {
		return nil, err
	}
	slices.Sort(paths)
	var names []string
	for _, tc := range tcs {
		names = append(names, tc.Name)
	}
	for _, p := range slices.Backward(paths) {
		stamp := strings.TrimSuffix(filepath.Base(p), ".json")
		if _, err := time.Parse(results.StampLayout, stamp); err != nil {
			continue
		}
		m, err := results.ReadManifest(p)
		if err != nil || !m.Resumable() {
			continue
		}
		var got []string
		for _, t := range m.Toolchains {
			got = append(got, t.Name)
		}
		if !slices.Equal(got, names) {
			continue
		}
		for i, t := range m.Toolchains {
			if t.Version != tcs[i].Version {
				return nil, fmt.Errorf("cannot resume %s: %s was %s and is now %s", p, t.Name, t.Version, tcs[i].Version)
			}
		}
		return m, nil
	}
	return nil, fmt.Errorf("%w of %s in %s", ErrNothingToResume, strings.Join(names, ","), filepath.Join(root, platform))
}
