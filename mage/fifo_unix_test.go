//go:build unix

package mage

import (
	"syscall"
	"testing"
)

// mkfifo makes a named pipe at path, which blocks whoever opens it for
// reading until a writer comes.
func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatal(err)
	}
}
