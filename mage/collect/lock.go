package collect

import (
	"github.com/perftrack/perftrack/mage/results"

	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/gofrs/flock"
)

// DefaultLockFile returns the lock file that keeps Collect to one run per
// machine, whoever runs it: perftrack-collect.lock in a directory every
// user shares, /var/lock when every user can write it, else /tmp
// (ProgramData on Windows).
//
// Note: the lock used to live in the user's cache directory, which let
// two users (or one user with two XDG_CACHE_HOME values) collect at once
// and spoil each other's measurements.
func DefaultLockFile() string {
	return filepath.Join(lockDir(runtime.GOOS, os.Stat, os.Getenv), "perftrack-collect.lock")
}

// lockDir returns the machine-wide directory of the lock on goos: on
// Unix, /var/lock when it is a directory every user can write, else
// /tmp; on Windows, ProgramData. It is a function of the machine, never
// of the user's environment: $TMPDIR, the user cache directory and
// Windows' %TEMP% are often per user, and would split the lock.
func lockDir(goos string, stat func(string) (fs.FileInfo, error), getenv func(string) string) string {
	switch goos {
	case "windows":
		if d := getenv("ProgramData"); d != "" {
			return d
		}
		return os.TempDir()
	case "plan9", "js", "wasip1", "android", "ios":
		return os.TempDir()
	}
	if fi, err := stat("/var/lock"); err == nil && fi.IsDir() && fi.Mode().Perm()&0o002 != 0 {
		return "/var/lock"
	}
	return "/tmp"
}

// Holder describes the Collect holding the lock. It is written beside the
// lock file (<lock>.holder, like the lock readable and writable by every
// user) once the lock is taken, so a second Collect can say whom it waits
// for.
type Holder struct {
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
	Specs   []string  `json:"specs"`
	Host    string    `json:"host,omitempty"`
}

func (h *Holder) String() string {
	if h == nil {
		return "an unknown process"
	}
	return fmt.Sprintf("pid %d (collect %s, started %s)", h.PID, strings.Join(h.Specs, ","), h.Started.Format(time.RFC3339))
}

// LockedError is returned when another Collect held the lock for longer
// than Config.LockTimeout, or at all when it is negative.
type LockedError struct {
	Path   string
	Holder *Holder // nil if the holder file could not be read
	Waited time.Duration
}

func (e *LockedError) Error() string {
	if e.Waited == 0 {
		return fmt.Sprintf("another collect is running: %s holds %s", e.Holder, e.Path)
	}
	return fmt.Sprintf("another collect is running: %s holds %s; gave up after %s", e.Holder, e.Path, e.Waited.Round(time.Millisecond))
}

// lockRetry is how often a waiting Collect retries the lock.
const lockRetry = 250 * time.Millisecond

// machineLock is a held lock.
type machineLock struct {
	fl     *flock.Flock
	holder string
}

// acquireLock takes the lock at path, waiting up to timeout and saying on
// out whom it waits for. A negative timeout does not wait: a held lock is
// a *LockedError at once; 0 waits until ctx is done (Config.withDefaults
// turns a zero LockTimeout into DefaultLockTimeout before this). The Check
// it returns is the "another Collect running" system check.
func acquireLock(ctx context.Context, path string, timeout time.Duration, me Holder, out io.Writer) (*machineLock, results.Check, error) {
	check := results.Check{Name: "collect", Status: results.CheckOK, Detail: "no other collect running"}
	if out == nil {
		out = io.Discard
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, check, fmt.Errorf("lock: %w", err)
	}
	if err := createShared(path); err != nil {
		return nil, check, fmt.Errorf("lock %s: %w", path, err)
	}
	// Opened without O_CREATE: in a sticky world-writable directory
	// (/tmp, /var/lock) Linux refuses an O_CREATE open of another user's
	// file (fs.protected_regular), even one that exists and is 0666.
	flag := os.O_RDONLY
	switch runtime.GOOS {
	case "aix", "solaris", "illumos": // no exclusive lock on a read-only file
		flag = os.O_RDWR
	}
	fl := flock.New(path, flock.SetFlag(flag))
	ok, err := fl.TryLock()
	if err != nil {
		return nil, check, fmt.Errorf("lock %s: %w", path, err)
	}
	holderPath := path + ".holder"
	if !ok {
		other := readHolder(holderPath)
		if timeout < 0 {
			return nil, check, &LockedError{Path: path, Holder: other}
		}
		fmt.Fprintf(out, "collect: waiting for %s, held by %s\n", path, other)
		start := time.Now()
		wctx := ctx
		if timeout > 0 {
			var cancel context.CancelFunc
			wctx, cancel = context.WithTimeout(ctx, timeout)
			defer cancel()
		}
		ok, err = fl.TryLockContext(wctx, lockRetry)
		waited := time.Since(start)
		if !ok {
			if ctx.Err() != nil {
				return nil, check, fmt.Errorf("%w while waiting for the lock: %w", ErrInterrupted, ctx.Err())
			}
			if err != nil && !errors.Is(err, context.DeadlineExceeded) {
				return nil, check, fmt.Errorf("lock %s: %w", path, err)
			}
			return nil, check, &LockedError{Path: path, Holder: other, Waited: waited}
		}
		check.Detail = fmt.Sprintf("waited %s for %s", waited.Round(time.Second), other)
	}
	b, _ := json.MarshalIndent(me, "", "\t")
	if err := writeShared(holderPath, append(b, '\n')); err != nil {
		// The holder only tells a waiting Collect whom it waits for. A
		// file another user left that this one cannot write (on Windows,
		// files in ProgramData are read-only to other users) must not
		// stop the run.
		fmt.Fprintf(out, "collect: cannot record the lock's holder: %v\n", err)
	}
	return &machineLock{fl: fl, holder: holderPath}, check, nil
}

// Lock takes the machine lock at path as Collect does (waiting up to
// timeout, saying on out whom it waits for; a negative timeout does not
// wait) for other work that runs benchmarks and must neither disturb a
// Collect nor be disturbed by one (explain). release gives it back.
func Lock(ctx context.Context, path string, timeout time.Duration, me Holder, out io.Writer) (release func(), err error) {
	l, _, err := acquireLock(ctx, path, timeout, me, out)
	if err != nil {
		return nil, err
	}
	return l.release, nil
}

// release removes the holder file, then unlocks (in that order, so the
// next holder's file is never removed). A holder file of another user,
// left by a Collect that was killed, cannot be removed from a sticky
// directory: it is emptied instead.
func (l *machineLock) release() {
	if err := os.Remove(l.holder); err != nil && !errors.Is(err, fs.ErrNotExist) {
		if f, err := os.OpenFile(l.holder, os.O_WRONLY|os.O_TRUNC, 0); err == nil {
			f.Close()
		}
	}
	l.fl.Unlock()
}

// sharedMode is the mode of the lock and holder files: every user of the
// machine must be able to open the lock and rewrite the holder.
const sharedMode = 0o666

// createShared creates path, empty and with sharedMode whatever the
// umask, unless it exists.
func createShared(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, sharedMode)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	err = f.Chmod(sharedMode) // the umask applied to OpenFile's mode
	return errors.Join(err, f.Close())
}

// writeShared replaces the content of path, a sharedMode file that
// another user may own, creating it if needed. It truncates and writes in
// place, because another user's file in a sticky directory can be neither
// removed nor renamed over, nor opened with O_CREATE (see acquireLock).
func writeShared(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if errors.Is(err, fs.ErrNotExist) {
		if err = createShared(path); err == nil {
			f, err = os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
		}
	}
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return errors.Join(err, f.Close())
}

func readHolder(path string) *Holder {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var h Holder
	if json.Unmarshal(b, &h) != nil {
		return nil
	}
	return &h
}
