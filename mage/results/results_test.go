package results

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestLayout(t *testing.T) {
	root := t.TempDir()
	write := func(p string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t1 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	t2 := t1.Add(time.Hour)
	write(RunFile(root, "linux-amd64", "go1.27.3", Stamp(t2)))
	write(RunFile(root, "linux-amd64", "go1.27.3", Stamp(t1)))
	write(RunFile(root, "linux-amd64", "go1.27.3", "notes"))
	write(ManifestFile(root, "linux-amd64", Stamp(t1)))
	write(RunFile(root, "darwin-arm64", "tip", Stamp(t1)))
	write(filepath.Join(root, ".hidden", "x"))

	if got, _ := Platforms(root); !slices.Equal(got, []string{"darwin-arm64", "linux-amd64"}) {
		t.Errorf("Platforms = %v", got)
	}
	if got, _ := Names(root, "linux-amd64"); !slices.Equal(got, []string{"go1.27.3"}) {
		t.Errorf("Names = %v", got)
	}
	if got, _ := Runs(root, "linux-amd64", "go1.27.3"); !slices.Equal(got, []string{"20261101T100000Z", "20261101T110000Z"}) {
		t.Errorf("Runs = %v", got)
	}
	if got, err := Newest(root, "linux-amd64", "go1.27.3"); err != nil || got != "20261101T110000Z" {
		t.Errorf("Newest = %v, %v", got, err)
	}
	if _, err := Newest(root, "linux-amd64", "go1.20"); !errors.Is(err, ErrNoResults) {
		t.Errorf("Newest of missing = %v, want ErrNoResults", err)
	}
	if got, err := Platforms(filepath.Join(root, "missing")); err != nil || got != nil {
		t.Errorf("Platforms of missing root = %v, %v", got, err)
	}
}

func TestCheckName(t *testing.T) {
	for name, ok := range map[string]bool{
		"go1.27.3": true, "tip-2026": true, "my_build": true,
		"": false, ".": false, "..": false, ".x": false, "a/b": false, `a\b`: false,
	} {
		if err := CheckName(name); (err == nil) != ok {
			t.Errorf("CheckName(%q) = %v, want ok=%v", name, err, ok)
		}
	}
}
