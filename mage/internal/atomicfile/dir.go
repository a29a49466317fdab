package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// NotOwnedError says a directory holds files that ReplaceDir did not
// write: it is not empty and has no marker file. ReplaceDir replaces the
// whole directory, so it refuses rather than delete them.
type NotOwnedError struct {
	Dir    string // the directory
	Marker string // the marker file it lacks
}

// Error names the directory and the marker it lacks.
func (e *NotOwnedError) Error() string {
	return fmt.Sprintf("%s is not empty and has no %s file, so it was not written here; refusing to replace it", e.Dir, e.Marker)
}

// ReplaceDir replaces the directory dir with a new one that fill writes,
// provided dir is missing, empty, or holds the regular file marker (which
// says an earlier ReplaceDir wrote it); otherwise it returns a
// *NotOwnedError and changes nothing. The new directory gets marker, with
// markerData, before fill runs; fill writes the rest into the directory
// it is given.
//
// Note: the new tree is written completely into a temporary directory
// beside dir (same file system) and only then swapped in with two
// renames, dir -> old and new -> dir. An error or a crash before the swap
// leaves dir as it was; there is no moment when dir holds a mix of old and
// new files, only one (between the renames) when it is missing. A crash
// leaves the temporary directory behind; the next ReplaceDir removes those
// that carry marker (or are empty), which is why marker goes in first.
func ReplaceDir(dir, marker string, markerData []byte, fill func(tmp string) error) (err error) {
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	if err := checkOwned(dir, marker); err != nil {
		return err
	}
	prefix := "." + filepath.Base(dir) + ".new-"
	if err := removeLeftovers(parent, prefix, marker); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, prefix)
	if err != nil {
		return fmt.Errorf("creating a temporary directory beside %s: %w", dir, err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := WriteNew(filepath.Join(tmp, marker), markerData); err != nil {
		return err
	}
	if err := fill(tmp); err != nil {
		return err
	}
	SyncDir(tmp)
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
	SyncDir(parent)
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("removing the previous %s, now %s: %w", dir, old, err)
		}
	}
	return nil
}

// WriteNew writes data to a new file p (it must not exist) and syncs it.
func WriteNew(p string, data []byte) error {
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

// checkOwned returns a *NotOwnedError unless dir is missing, empty, or
// has marker.
func checkOwned(dir, marker string) error {
	fi, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s exists and is not a directory (%s), refusing to replace it", dir, fi.Mode().Type())
	}
	mine, err := hasMarkerOrEmpty(dir, marker)
	if err != nil {
		return err
	}
	if !mine {
		return &NotOwnedError{Dir: dir, Marker: marker}
	}
	return nil
}

// hasMarkerOrEmpty reports whether the directory dir has marker (a
// regular file) or nothing at all.
func hasMarkerOrEmpty(dir, marker string) (bool, error) {
	fi, err := os.Lstat(filepath.Join(dir, marker))
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
// ReplaceDir left: named with prefix, and holding marker or nothing. Any
// other entry, even one with that prefix, stays.
func removeLeftovers(parent, prefix, marker string) error {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return fmt.Errorf("looking for leftovers of an interrupted write: %w", err)
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		p := filepath.Join(parent, e.Name())
		mine, err := hasMarkerOrEmpty(p, marker)
		if err != nil {
			return fmt.Errorf("looking for leftovers of an interrupted write: %w", err)
		}
		if !mine {
			continue
		}
		if err := os.RemoveAll(p); err != nil {
			return fmt.Errorf("removing %s, left by an interrupted write: %w", p, err)
		}
	}
	return nil
}
