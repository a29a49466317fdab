package export

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Marker is the file that says a data directory belongs to Export: Export
// writes it into every data directory it creates (holding the schema
// version), replaces only a directory that has it or is empty, and
// removes leftovers of its own interrupted writes only when they have it.
const Marker = ".perftrack-export"

// NotOwnedError says the data directory holds files Export did not write:
// it is not empty and has no Marker. Export replaces the whole directory,
// so it refuses rather than delete them.
type NotOwnedError struct {
	Dir string // the data directory
}

// Error names the directory and says how to proceed.
func (e *NotOwnedError) Error() string {
	return fmt.Sprintf("%s is not empty and was not written by export (it has no %s file), and export replaces the whole directory: remove %s if nothing in it is needed, or point PERF_DOCS (Options.Data) at another directory",
		e.Dir, Marker, e.Dir)
}

// markerData is the content of Marker.
func markerData() []byte {
	return fmt.Appendf(nil, "{\"schema_version\":%d}\n", SchemaVersion)
}

// writeDir replaces the directory dir with one holding exactly files and
// Marker, provided dir is Export's (see Marker) or empty or missing.
//
// Note: the new tree is written completely into a temporary directory next
// to dir (same filesystem), Marker first, each file synced, and only then
// swapped in with two renames: dir -> old, new -> dir. A crash or an error
// before the swap leaves dir as it was; there is no moment when dir holds a
// mix of old and new files, only a moment (between the renames) when it is
// missing, which the page and Serve report as "no data". Files of versions
// or platforms that no longer exist disappear with the old tree. A crash
// leaves the temporary directories behind; the next writeDir removes those
// that carry Marker (or are empty), which is why Marker goes in first. Two
// exports into one directory at the same time are not supported: each
// would take the other's temporary directory for a leftover.
func writeDir(dir string, files []File) (err error) {
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", parent, err)
	}
	if err := checkOwned(dir); err != nil {
		return err
	}
	prefix := tempPrefix(dir)
	if err := removeLeftovers(parent, prefix); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, prefix)
	if err != nil {
		return fmt.Errorf("creating a temporary data directory: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(tmp, Marker), markerData()); err != nil {
		return err
	}
	for _, f := range files {
		if !fs.ValidPath(f.Name) || f.Name == Marker {
			return fmt.Errorf("export: invalid file name %q", f.Name)
		}
		p := filepath.Join(tmp, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := writeFile(p, f.Data); err != nil {
			return err
		}
	}
	old := ""
	if _, err := os.Lstat(dir); err == nil {
		old = tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return fmt.Errorf("replacing %s: %w", dir, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			if err2 := os.Rename(old, dir); err2 != nil {
				return fmt.Errorf("replacing %s: %w (and restoring it from %s: %v)", dir, err, old, err2)
			}
		}
		return fmt.Errorf("replacing %s: %w", dir, err)
	}
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("removing the previous data directory %s: %w", old, err)
		}
	}
	return nil
}

// tempPrefix is the name prefix of writeDir's temporary directories for
// dir, beside it: the new tree, and the old one (with ".old" appended)
// while it is swapped out.
func tempPrefix(dir string) string {
	return "." + filepath.Base(dir) + ".new-"
}

// checkOwned returns a *NotOwnedError unless dir is missing, empty, or
// has Marker.
func checkOwned(dir string) error {
	fi, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("checking the data directory: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s exists and is not a directory", dir)
	}
	mine, err := hasMarkerOrEmpty(dir)
	if err != nil {
		return fmt.Errorf("checking the data directory: %w", err)
	}
	if !mine {
		return &NotOwnedError{Dir: dir}
	}
	return nil
}

// hasMarkerOrEmpty reports whether the directory dir has Marker (a
// regular file) or nothing at all.
func hasMarkerOrEmpty(dir string) (bool, error) {
	fi, err := os.Lstat(filepath.Join(dir, Marker))
	if err == nil {
		return fi.Mode().IsRegular(), nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	f, err := os.Open(dir)
	if err != nil {
		return false, err
	}
	defer f.Close()
	names, err := f.Readdirnames(1)
	if errors.Is(err, io.EOF) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return len(names) == 0, nil
}

// removeLeftovers removes the directories in parent that an interrupted
// writeDir left: named with prefix, and holding Marker or nothing. Any
// other entry, even one with that prefix, is not Export's and stays.
func removeLeftovers(parent, prefix string) error {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return fmt.Errorf("looking for leftovers of earlier exports: %w", err)
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		p := filepath.Join(parent, e.Name())
		mine, err := hasMarkerOrEmpty(p)
		if err != nil {
			return fmt.Errorf("looking for leftovers of earlier exports: %w", err)
		}
		if !mine {
			continue
		}
		if err := os.RemoveAll(p); err != nil {
			return fmt.Errorf("removing %s, left by an interrupted export: %w", p, err)
		}
	}
	return nil
}

// writeFile writes data to a new file p and syncs it.
func writeFile(p string, data []byte) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", p, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", p, err)
	}
	return f.Close()
}
