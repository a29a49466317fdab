//go:build unix

package collect

import (
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
)

// TestLockFilesShared: the lock and holder files can be opened and
// written by every user, whatever the umask of the Collect that made them.
func TestLockFilesShared(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "collect.lock")
	l, _, err := acquireLock(t.Context(), path, -1, Holder{PID: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l.release()
	for _, p := range []string{path, path + ".holder"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != sharedMode {
			t.Errorf("%s: mode %v, want %v", filepath.Base(p), fi.Mode().Perm(), os.FileMode(sharedMode))
		}
	}
}

// TestLockOtherUser leaves the lock and holder files of a Collect of root
// that was killed in a sticky world-writable directory, as /tmp and
// /var/lock are, and has user nobody take the lock.
func TestLockOtherUser(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root, to run a child as another user")
	}
	nobody, err := user.Lookup("nobody")
	if err != nil {
		t.Skip("no user nobody:", err)
	}
	uid, _ := strconv.Atoi(nobody.Uid)
	gid, _ := strconv.Atoi(nobody.Gid)

	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} { // t.TempDir's are 0700
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	shared := filepath.Join(dir, "shared")
	if err := os.Mkdir(shared, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(shared, 0o777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(shared, "collect.lock")
	old := syscall.Umask(0o022)
	l, _, err := acquireLock(t.Context(), path, -1, Holder{PID: 1}, nil)
	syscall.Umask(old)
	if err != nil {
		t.Fatal(err)
	}
	l.fl.Unlock() // killed: the holder file stays

	// The test binary, where nobody can run it.
	bin := filepath.Join(dir, "collect.test")
	copyFile(t, os.Args[0], bin)
	cmd := exec.Command(bin, "-test.run=^$")
	cmd.Env = append(os.Environ(), lockHelperEnv+"="+path)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nobody could not take the lock root left: %v\n%s", err, out)
	}
	// root's holder file cannot be removed by nobody: it is emptied.
	if h := readHolder(path + ".holder"); h != nil {
		t.Errorf("holder file after nobody's release: %+v, want none", h)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}
