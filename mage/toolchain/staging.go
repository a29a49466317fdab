package toolchain

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gofrs/flock"
)

// Note: every directory perftrack works in under the SDK root (an
// install's staging directory, the trash of a removal) has an owner: the
// process holding an flock on the lock file <dir>.lock beside it. The lock
// file is made and locked before the directory, and removed after it. A
// process's locks end with it, kill -9 included, so a directory whose lock
// can be taken is a leftover at once, however young, and one whose lock is
// held is in use, however old: the next install removes the first kind and
// never the second. Directories without a lock file were made by perftrack
// versions that had none (or on a file system without locks); they count
// as leftovers once staleAfter old, as those versions had it.

// tempPrefix starts the names of the directories perftrack works in under
// the SDK root; List skips them, StagingDirs lists them.
const tempPrefix = ".perftrack-tmp-"

// lockSuffix ends the name of the lock file beside each such directory.
const lockSuffix = ".lock"

// staleAfter is the age after which a directory without a lock file is
// taken for a leftover rather than the work of an older perftrack still
// running.
const staleAfter = 24 * time.Hour

// ownedDir is a directory under the SDK root and the lock that says its
// owner is alive.
type ownedDir struct {
	Dir  string
	lock *flock.Flock // nil where the file system has no locks
}

// newOwnedDir creates a directory <tempPrefix><name>-<random> in parent,
// owned by this process until remove.
func newOwnedDir(parent, name string) (*ownedDir, error) {
	for range 10 {
		f, err := os.CreateTemp(parent, tempPrefix+name+"-*"+lockSuffix)
		if err != nil {
			return nil, err
		}
		lockPath := f.Name()
		f.Close()
		dir := strings.TrimSuffix(lockPath, lockSuffix)
		l := flock.New(lockPath, flock.SetFlag(os.O_RDONLY))
		ok, err := l.TryLock()
		switch {
		case err != nil && !errors.Is(err, fs.ErrNotExist):
			// No locks here: a directory without a lock file, which the
			// next install leaves alone for staleAfter.
			os.Remove(lockPath)
			if err := os.Mkdir(dir, 0o755); err != nil {
				return nil, err
			}
			return &ownedDir{Dir: dir}, nil
		case err == nil && ok && lockedFileIs(l, lockPath):
			if err := os.Mkdir(dir, 0o755); err != nil {
				unlockAndRemove(l)
				return nil, err
			}
			return &ownedDir{Dir: dir, lock: l}, nil
		}
		// Between its creation and the lock, another install took the
		// new lock file for a leftover's (or toolchain:list looked at
		// it): start again with another name.
		if ok {
			l.Unlock()
		}
		os.Remove(lockPath)
	}
	return nil, fmt.Errorf("cannot create a directory in %s: its lock was taken every time", parent)
}

// remove deletes the directory, then its lock file, then lets the lock go.
// A directory that cannot be deleted keeps its lock file, so that the next
// install tries again at once.
func (o *ownedDir) remove() error {
	err := removeAll(o.Dir)
	switch {
	case o.lock == nil:
	case err == nil:
		unlockAndRemove(o.lock)
	default:
		o.lock.Unlock()
	}
	return err
}

// unlockAndRemove removes a held lock file and releases the lock. Removing
// it first means whoever takes the lock next finds the file gone
// (lockedFileIs); where an open file cannot be removed (Windows), it is
// removed after the lock is released.
func unlockAndRemove(l *flock.Flock) {
	if err := os.Remove(l.Path()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		l.Unlock()
		os.Remove(l.Path())
		return
	}
	l.Unlock()
}

// lockedFileIs reports whether path still names the file l locked: a lock
// taken on a file that was removed meanwhile guards nothing.
func lockedFileIs(l *flock.Flock, path string) bool {
	locked, err := l.Stat()
	if err != nil {
		return false
	}
	named, err := os.Stat(path)
	return err == nil && os.SameFile(locked, named)
}

// owner says who owns a directory of the SDK root that perftrack works in.
type owner int

const (
	ownerGone   owner = iota // the lock could be taken: a leftover
	ownerLive                // the lock is held
	ownerNoLock              // no lock file: see staleAfter
	ownerUnsure              // the lock file could not be tried
)

// probeOwner tries the lock of dir. For ownerGone it returns the lock,
// held, for the caller to release.
func probeOwner(dir string) (owner, *flock.Flock) {
	lockPath := dir + lockSuffix
	l := flock.New(lockPath, flock.SetFlag(os.O_RDONLY))
	ok, err := l.TryLock()
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return ownerNoLock, nil
	case err != nil:
		return ownerUnsure, nil
	case !ok:
		return ownerLive, nil
	case !lockedFileIs(l, lockPath):
		l.Unlock()
		return ownerUnsure, nil
	}
	return ownerGone, l
}

// StagingDir is a directory perftrack works in under the SDK root (the
// staging directory of an install, the trash of a removal), as
// StagingDirs finds it.
type StagingDir struct {
	Name string // e.g. .perftrack-tmp-go1.27.3-123456
	Path string
	Size int64 // bytes of the files in it
	// InUse says a running install or removal owns it.
	InUse bool
	// RemovedAfter is zero when the next install removes the directory;
	// for one without a lock file (made by an older perftrack), the time
	// from which an install removes it.
	RemovedAfter time.Time
}

// Leftover reports whether the next install removes the directory.
func (d StagingDir) Leftover() bool { return !d.InUse && d.RemovedAfter.IsZero() }

// StagingDirs returns the directories perftrack works in under the SDK
// root, sorted by name: the leftovers of installs and removals that were
// killed (removed by the next install), and those of running ones.
func (in *Installer) StagingDirs() ([]StagingDir, error) {
	dirs, _, err := in.tempEntries()
	if err != nil {
		return nil, fmt.Errorf("list staging directories: %w", err)
	}
	var list []StagingDir
	for _, name := range dirs {
		d := StagingDir{Name: name, Path: filepath.Join(in.SDK, name)}
		fi, err := os.Lstat(d.Path)
		if err != nil {
			continue // removed meanwhile
		}
		switch o, l := probeOwner(d.Path); o {
		case ownerGone:
			l.Unlock()
		case ownerLive, ownerUnsure:
			d.InUse = true
		case ownerNoLock:
			if at := fi.ModTime().Add(staleAfter); in.now().Before(at) {
				d.RemovedAfter = at
			}
		}
		d.Size = treeSize(d.Path)
		list = append(list, d)
	}
	return list, nil
}

// tempEntries returns the names of the directories and of the lock files
// under the SDK root that start with tempPrefix, sorted.
func (in *Installer) tempEntries() (dirs, locks []string, err error) {
	entries, err := os.ReadDir(in.SDK)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	for _, e := range entries {
		switch name := e.Name(); {
		case !strings.HasPrefix(name, tempPrefix):
		case e.IsDir():
			dirs = append(dirs, name)
		case strings.HasSuffix(name, lockSuffix) && e.Type().IsRegular():
			locks = append(locks, name)
		}
	}
	return dirs, locks, nil
}

// removeLeftovers deletes the directories under the SDK root that no
// running process owns (and the lock files of directories already gone),
// saying so on Progress. A directory a running install owns is never
// touched.
func (in *Installer) removeLeftovers() {
	dirs, locks, err := in.tempEntries()
	if err != nil {
		return // the install that follows reports what is wrong
	}
	for _, lock := range locks {
		if name := strings.TrimSuffix(lock, lockSuffix); !slices.Contains(dirs, name) {
			// The owner died before making its directory or after
			// removing it: the lock file alone is left.
			if o, l := probeOwner(filepath.Join(in.SDK, name)); o == ownerGone {
				unlockAndRemove(l)
			}
		}
	}
	for _, name := range dirs {
		dir := filepath.Join(in.SDK, name)
		switch o, l := probeOwner(dir); o {
		case ownerGone:
			if err := removeAll(dir); err != nil {
				l.Unlock()
				in.notef("cannot remove %s, left by an interrupted install: %v", dir, err)
				continue
			}
			unlockAndRemove(l)
			in.notef("removed %s, left by an interrupted install", dir)
		case ownerNoLock:
			if fi, err := os.Lstat(dir); err == nil && in.now().Sub(fi.ModTime()) > staleAfter {
				if err := removeAll(dir); err == nil {
					in.notef("removed %s, left by an interrupted install", dir)
				}
			}
		}
	}
}

// treeSize returns the bytes of the regular files under dir.
func treeSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}
