package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

const testMarker = ".test-marker"

// fillWith returns a fill function writing the named files.
func fillWith(names ...string) func(string) error {
	return func(tmp string) error {
		for _, n := range names {
			if err := WriteNew(filepath.Join(tmp, n), []byte(n)); err != nil {
				return err
			}
		}
		return nil
	}
}

func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestReplaceDir(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "site")
	if err := ReplaceDir(dir, testMarker, []byte("1"), fillWith("a", "b")); err != nil {
		t.Fatal(err)
	}
	if got, want := names(t, dir), []string{testMarker, "a", "b"}; !slices.Equal(got, want) {
		t.Errorf("first write: %v, want %v", got, want)
	}
	// Its own output is replaced whole: b disappears.
	if err := ReplaceDir(dir, testMarker, []byte("1"), fillWith("a", "c")); err != nil {
		t.Fatal(err)
	}
	if got, want := names(t, dir), []string{testMarker, "a", "c"}; !slices.Equal(got, want) {
		t.Errorf("second write: %v, want %v", got, want)
	}
	if got := names(t, parent); !slices.Equal(got, []string{"site"}) {
		t.Errorf("left beside the directory: %v", got)
	}
}

func TestReplaceDirFailureKeepsOld(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "site")
	if err := ReplaceDir(dir, testMarker, nil, fillWith("good")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("interrupted")
	err := ReplaceDir(dir, testMarker, nil, func(tmp string) error {
		fillWith("half")(tmp)
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the fill error", err)
	}
	if got, want := names(t, dir), []string{testMarker, "good"}; !slices.Equal(got, want) {
		t.Errorf("after a failed fill: %v, want the old %v", got, want)
	}
	if got := names(t, parent); !slices.Equal(got, []string{"site"}) {
		t.Errorf("left beside the directory: %v", got)
	}
}

func TestReplaceDirRefusesForeign(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "site")
	os.Mkdir(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "mine.txt"), []byte("keep"), 0o644)
	err := ReplaceDir(dir, testMarker, nil, fillWith("a"))
	var no *NotOwnedError
	if !errors.As(err, &no) || no.Dir != dir || no.Marker != testMarker {
		t.Fatalf("err = %v, want a *NotOwnedError for %s", err, dir)
	}
	if got := names(t, dir); !slices.Equal(got, []string{"mine.txt"}) {
		t.Errorf("the foreign directory changed: %v", got)
	}
	// A marker that is a directory does not count.
	os.Mkdir(filepath.Join(dir, testMarker), 0o755)
	if err := ReplaceDir(dir, testMarker, nil, fillWith("a")); !errors.As(err, &no) {
		t.Errorf("with a directory as marker: %v, want a *NotOwnedError", err)
	}
	// A file where the directory should be.
	file := filepath.Join(parent, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	if err := ReplaceDir(file, testMarker, nil, fillWith("a")); err == nil {
		t.Error("replaced a file")
	}
	// An empty directory is taken.
	empty := filepath.Join(parent, "empty")
	os.Mkdir(empty, 0o755)
	if err := ReplaceDir(empty, testMarker, nil, fillWith("a")); err != nil {
		t.Errorf("empty directory: %v", err)
	}
}

func TestReplaceDirLeftovers(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "site")
	// What a crash leaves: a temporary directory with the marker, and one
	// with the prefix that is someone else's.
	crashed := filepath.Join(parent, ".site.new-123")
	os.Mkdir(crashed, 0o755)
	os.WriteFile(filepath.Join(crashed, testMarker), nil, 0o644)
	os.WriteFile(filepath.Join(crashed, "half"), nil, 0o644)
	foreign := filepath.Join(parent, ".site.new-mine")
	os.Mkdir(foreign, 0o755)
	os.WriteFile(filepath.Join(foreign, "keep"), nil, 0o644)
	if err := ReplaceDir(dir, testMarker, nil, fillWith("a")); err != nil {
		t.Fatal(err)
	}
	if got, want := names(t, parent), []string{".site.new-mine", "site"}; !slices.Equal(got, want) {
		t.Errorf("beside the directory: %v, want %v", got, want)
	}
}
