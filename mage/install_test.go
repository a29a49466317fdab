package mage

import (
	"testing"

	"github.com/magefile/mage/mg"
)

func TestInstallerForBadSpecExits2(t *testing.T) {
	sdk := t.TempDir()
	t.Setenv("PERF_SDK", sdk)
	t.Setenv("PERF_SOURCE", "dl")
	t.Setenv("PERF_DL_URL", "http://127.0.0.1:1/dl/?mode=json")
	for _, spec := range []string{"nope", "", "1.27.3,1.27.3"} {
		_, _, err := installerFor(spec)
		if got := mg.ExitStatus(err); got != 2 {
			t.Errorf("installerFor(%q): exit %d (%v), want 2", spec, got, err)
		}
	}
	in, specs, err := installerFor("1.27.3,local")
	if err != nil || len(specs) != 2 || in.Progress == nil || in.SDK != sdk || in.Source != "dl" || in.ReleaseURL != "http://127.0.0.1:1/dl/?mode=json" {
		t.Errorf("installerFor(1.27.3,local) = %+v, %+v, %v", in, specs, err)
	}
}
