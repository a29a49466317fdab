package mage

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentTargets runs two targets at once in one checkout the
// supported way: compile the magefile once (`go tool mage -compile`), then
// run the binary as often as wanted. Two `go tool mage` calls at once race
// on the file mage generates in the magefile's directory and one fails now
// and then with "open ./mage_output_file.go: no such file or directory";
// the Action compiles once for the same reason.
func TestConcurrentTargets(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the magefile")
	}
	bin := filepath.Join(t.TempDir(), "mage")
	cmd := exec.Command("go", "tool", "mage", "-compile", bin)
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go tool mage -compile: %v\n%s", err, out)
	}
	sdk := t.TempDir()
	var wg sync.WaitGroup
	outs := make([]string, 4)
	errs := make([]error, 4)
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := exec.Command(bin, "toolchain:list")
			c.Dir = ".."
			c.Env = append(os.Environ(), "PERF_SDK="+sdk)
			out, err := c.CombinedOutput()
			outs[i], errs[i] = string(out), err
		}()
	}
	wg.Wait()
	for i := range outs {
		if errs[i] != nil || !strings.Contains(outs[i], "no toolchains under "+sdk) {
			t.Errorf("run %d: %v\n%s", i, errs[i], outs[i])
		}
	}
}
