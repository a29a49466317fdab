package export

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// writeDir replaces the directory dir with one holding exactly files.
//
// Note: the new tree is written completely into a temporary directory next
// to dir (same filesystem), each file synced, and only then swapped in with
// two renames: dir -> old, new -> dir. A crash or an error before the swap
// leaves dir as it was; there is no moment when dir holds a mix of old and
// new files, only a moment (between the renames) when it is missing, which
// the page and Serve report as "no data". Files of versions or platforms
// that no longer exist disappear with the old tree. Export owns dir: do not
// keep anything else in it.
func writeDir(dir string, files []File) (err error) {
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", parent, err)
	}
	if fi, err := os.Lstat(dir); err == nil && !fi.IsDir() {
		return fmt.Errorf("%s exists and is not a directory", dir)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".new-")
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
	for _, f := range files {
		if !fs.ValidPath(f.Name) {
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
