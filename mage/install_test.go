package mage

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/magefile/mage/mg"

	"github.com/perftrack/perftrack/mage/toolchain"
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

// TestListShowsStagingLeftovers lists an SDK root holding one toolchain and
// the staging directory of a killed install (its lock file is there, held
// by no one): the leftover is listed with its size and fate.
func TestListShowsStagingLeftovers(t *testing.T) {
	sdk := t.TempDir()
	leftover := ".perftrack-tmp-go1.27.3-123"
	files := map[string]string{
		"go1.27.3/bin/go": "", "go1.27.3/VERSION": "go1.27.3\n", "go1.27.3/" + toolchain.Marker: "",
		leftover + ".lock": "", leftover + "/go/bin/go": strings.Repeat("x", 1_500_000),
	}
	for name, body := range files {
		p := filepath.Join(sdk, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errs bytes.Buffer
	if err := listToolchains(&out, &errs, &toolchain.Installer{SDK: sdk}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		got = append(got, strings.Join(strings.Fields(l), " "))
	}
	want := []string{
		"NAME VERSION STATUS SOURCE GOROOT",
		"go1.27.3 go1.27.3 complete unknown " + filepath.Join(sdk, "go1.27.3"),
		"",
		"STAGING SIZE STATUS PATH",
		leftover + " 1.5 MB staging leftover: removed by the next install " + filepath.Join(sdk, leftover),
	}
	if !slices.Equal(got, want) {
		t.Errorf("toolchain:list printed\n%s\nwant (spacing aside)\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if errs.Len() > 0 {
		t.Errorf("stderr: %q", errs.String())
	}

	// Without toolchains, the leftovers are still listed.
	if err := os.RemoveAll(filepath.Join(sdk, "go1.27.3")); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := listToolchains(&out, &errs, &toolchain.Installer{SDK: sdk}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errs.String(), "no toolchains under "+sdk) || !strings.HasPrefix(out.String(), "STAGING ") || !strings.Contains(out.String(), leftover) {
		t.Errorf("toolchain:list without toolchains: stdout %q, stderr %q", out.String(), errs.String())
	}
}
