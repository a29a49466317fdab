package collect

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDefaultLockFileIsPerMachine: two users, or one user with two
// environments, get the same lock, so they cannot collect at once.
func TestDefaultLockFileIsPerMachine(t *testing.T) {
	var paths []string
	for _, user := range []string{"one", "two"} {
		home := filepath.Join(t.TempDir(), user)
		t.Setenv("HOME", home)
		t.Setenv("XDG_CACHE_HOME", filepath.Join(home, "cache"))
		t.Setenv("TMPDIR", filepath.Join(home, "tmp"))
		for _, v := range []string{"LOCALAPPDATA", "APPDATA", "TMP", "TEMP", "USERPROFILE"} { // Windows
			t.Setenv(v, filepath.Join(home, v))
		}
		paths = append(paths, DefaultLockFile())
	}
	if paths[0] != paths[1] {
		t.Errorf("DefaultLockFile depends on the user's environment: %s and %s", paths[0], paths[1])
	}
	if strings.Contains(paths[0], "one") {
		t.Errorf("DefaultLockFile = %s, in the user's directories", paths[0])
	}
}

// fakeStat returns a stat function that knows one directory.
func fakeStat(dir string, mode fs.FileMode) func(string) (fs.FileInfo, error) {
	return func(p string) (fs.FileInfo, error) {
		if p != dir {
			return nil, fs.ErrNotExist
		}
		return fakeInfo{mode}, nil
	}
}

type fakeInfo struct{ mode fs.FileMode }

func (f fakeInfo) Name() string       { return "lock" }
func (f fakeInfo) Size() int64        { return 0 }
func (f fakeInfo) Mode() fs.FileMode  { return f.mode }
func (f fakeInfo) ModTime() time.Time { return time.Time{} }
func (f fakeInfo) IsDir() bool        { return f.mode.IsDir() }
func (f fakeInfo) Sys() any           { return nil }

func TestLockDir(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, tt := range []struct {
		goos string
		stat func(string) (fs.FileInfo, error)
		env  map[string]string
		want string
	}{
		{"linux", fakeStat("/var/lock", fs.ModeDir|fs.ModeSticky|0o777), nil, "/var/lock"},
		// Only root could write it: other users would lock elsewhere.
		{"linux", fakeStat("/var/lock", fs.ModeDir|0o755), nil, "/tmp"},
		{"linux", fakeStat("/var/lock", 0o666), nil, "/tmp"}, // not a directory
		{"darwin", fakeStat("/nothing", 0), map[string]string{"TMPDIR": "/var/folders/xy/T"}, "/tmp"},
		{"windows", fakeStat("/nothing", 0), map[string]string{"ProgramData": `C:\ProgramData`}, `C:\ProgramData`},
	} {
		if got := lockDir(tt.goos, tt.stat, env(tt.env)); got != tt.want {
			t.Errorf("lockDir(%s) = %s, want %s", tt.goos, got, tt.want)
		}
	}
}

// lockHelperEnv makes the test binary a Collect of another user taking
// the lock at its value (see TestMain and TestLockOtherUser).
const lockHelperEnv = "PERFTRACK_LOCK_HELPER"

// lockHelper takes and releases the lock at path, checking that the
// holder file names this process meanwhile.
func lockHelper(path string) error {
	l, _, err := acquireLock(context.Background(), path, -1, Holder{PID: os.Getpid()}, os.Stdout)
	if err != nil {
		return err
	}
	defer l.release()
	if h := readHolder(path + ".holder"); h == nil || h.PID != os.Getpid() {
		return fmt.Errorf("holder file = %+v, want pid %d", h, os.Getpid())
	}
	return nil
}
