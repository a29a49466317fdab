package mage

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	magecli "github.com/magefile/mage/mage"
)

// TestTargetList compares `mage -l` for the repository's magefile with a
// golden file, so a target that disappears or loses its doc is caught.
func TestTargetList(t *testing.T) {
	if testing.Short() {
		t.Skip("parses the magefile")
	}
	var stdout, stderr bytes.Buffer
	code := magecli.Invoke(magecli.Invocation{
		Dir:    "..",
		Stdout: &stdout,
		Stderr: &stderr,
		List:   true,
	})
	if code != 0 {
		t.Fatalf("mage -l exited %d: %s", code, stderr.String())
	}
	golden(t, "targets.golden", stdout.Bytes())
}

// golden compares got with testdata/name, writing testdata/name.got on a mismatch.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	want, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if bytes.Equal(got, want) {
		return
	}
	if err := os.WriteFile(path+".got", got, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Errorf("%s differs from the golden file; see %s.got:\n%s", path, path, got)
}
