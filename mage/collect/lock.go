package collect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofrs/flock"
)

// DefaultLockFile returns the lock file that keeps Collect to one run per
// machine: <user cache dir>/perftrack/collect.lock.
func DefaultLockFile() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("finding the lock file: %w", err)
	}
	return filepath.Join(dir, "perftrack", "collect.lock"), nil
}

// Holder describes the Collect holding the lock. It is written beside the
// lock file (<lock>.holder) once the lock is taken, so a second Collect can
// say whom it waits for.
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
func acquireLock(ctx context.Context, path string, timeout time.Duration, me Holder, out io.Writer) (*machineLock, Check, error) {
	check := Check{Name: "collect", Status: CheckOK, Detail: "no other collect running"}
	if out == nil {
		out = io.Discard
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, check, fmt.Errorf("lock: %w", err)
	}
	fl := flock.New(path)
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
	if err := os.WriteFile(holderPath, append(b, '\n'), 0o644); err != nil {
		fl.Unlock()
		return nil, check, fmt.Errorf("lock: writing holder: %w", err)
	}
	return &machineLock{fl: fl, holder: holderPath}, check, nil
}

// release removes the holder file, then unlocks (in that order, so the
// next holder's file is never removed).
func (l *machineLock) release() {
	os.Remove(l.holder)
	l.fl.Unlock()
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
