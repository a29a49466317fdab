//go:build !unix

package docs

import "testing"

func mkfifo(t *testing.T, path string) {
	t.Skip("no named pipes in the file system here")
}
