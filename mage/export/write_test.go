package export

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// mkfile writes data to p, creating its directory.
func mkfile(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// entries lists the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// TestForeignDataRefused exports into a data directory that export did
// not write (a Hugo site's data/): it must refuse, say how to proceed,
// and leave the directory and its parent as they were.
func TestForeignDataRefused(t *testing.T) {
	opts := testOptions(t)
	mkfile(t, filepath.Join(opts.Data, "menus.yaml"), "main: []\n")
	_, err := Export(context.Background(), opts)
	var notOwned *NotOwnedError
	if !errors.As(err, &notOwned) || notOwned.Dir != opts.Data {
		t.Fatalf("err = %v, want a *NotOwnedError for %s", err, opts.Data)
	}
	for _, want := range []string{opts.Data, Marker, "remove", "PERF_DOCS"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if got := readTree(t, opts.Data); len(got) != 1 || string(got["menus.yaml"]) != "main: []\n" {
		t.Errorf("the foreign directory changed: %q", got)
	}
	if got := entries(t, filepath.Dir(opts.Data)); !slices.Equal(got, []string{"data"}) {
		t.Errorf("beside the data directory: %v", got)
	}
}

// TestEmptyDataAdopted exports into an existing empty directory, then
// again into the directory written: both are export's to replace.
func TestEmptyDataAdopted(t *testing.T) {
	opts := testOptions(t)
	if err := os.MkdirAll(opts.Data, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if _, err := Export(context.Background(), opts); err != nil {
			t.Fatalf("export %d: %v", i, err)
		}
		files := readTree(t, opts.Data)
		if string(files[Marker]) != string(markerData()) || files["platforms.json"] == nil {
			t.Errorf("export %d wrote %d files, marker %q", i, len(files), files[Marker])
		}
	}
}

// TestLeftoversRemoved puts beside the data directory what interrupted
// exports leave (a new tree not swapped in, an old one not removed, an
// empty temporary directory) and what is not export's: the next export
// removes exactly the former.
func TestLeftoversRemoved(t *testing.T) {
	opts := testOptions(t)
	parent := filepath.Dir(opts.Data)
	marked := func(name string, more ...string) {
		mkfile(t, filepath.Join(parent, name, Marker), string(markerData()))
		for _, f := range more {
			mkfile(t, filepath.Join(parent, name, f), "{}\n")
		}
	}
	marked(".data.new-111", "platforms.json", "linux-amd64/index.json") // interrupted while writing
	marked(".data.new-222.old", "platforms.json")                       // interrupted between the renames
	if err := os.MkdirAll(filepath.Join(parent, ".data.new-333"), 0o755); err != nil {
		t.Fatal(err)
	}
	mkfile(t, filepath.Join(parent, ".data.new-444", "notes.txt"), "mine\n") // export's prefix, no marker
	marked(".other.new-555", "platforms.json")                               // another directory's
	mkfile(t, filepath.Join(parent, ".data.new-666"), "a file\n")
	if _, err := Export(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	want := []string{".data.new-444", ".data.new-666", ".other.new-555", "data"}
	if got := entries(t, parent); !slices.Equal(got, want) {
		t.Errorf("beside the data directory: %v, want %v", got, want)
	}
	if got := readTree(t, filepath.Join(parent, ".data.new-444")); string(got["notes.txt"]) != "mine\n" {
		t.Errorf("a directory without the marker changed: %q", got)
	}
}

// TestMarkerNotRegular refuses a data path that is a file, and a
// marker that is not a regular file.
func TestMarkerNotRegular(t *testing.T) {
	opts := testOptions(t)
	if err := os.MkdirAll(filepath.Join(opts.Data, Marker), 0o755); err != nil {
		t.Fatal(err)
	}
	var notOwned *NotOwnedError
	if _, err := Export(context.Background(), opts); !errors.As(err, &notOwned) {
		t.Errorf("a directory named %s: err = %v, want a *NotOwnedError", Marker, err)
	}
	file := filepath.Join(t.TempDir(), "data")
	mkfile(t, file, "x")
	opts.Data = file
	if _, err := Export(context.Background(), opts); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("data is a file: err = %v", err)
	}
}
