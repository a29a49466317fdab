// Package repo finds the perftrack repository the tools belong to, so that
// a command can run `go tool mage` or read benchmarks/ wherever it is
// started inside the repository.
package repo

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
)

// Root returns the directory of the github.com/perftrack/perftrack module:
// the repository root. It asks the go command, which sees that module
// from the tools module (through its replace directive) and from the root
// module itself, so it works from either, and fails elsewhere.
func Root() (string, error) {
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/perftrack/perftrack")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("finding the perftrack repository (run this inside it, e.g. in tools/): go list -m: %w: %s",
			err, strings.TrimSpace(stderr.String()))
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		return "", fmt.Errorf("finding the perftrack repository: go list -m printed no directory")
	}
	return dir, nil
}
