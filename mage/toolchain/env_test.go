package toolchain

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func TestEnv(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("PATH lists use ';' and keys fold case on Windows")
	}
	root := "/sdk/go1.27.3"
	bin := filepath.Join(root, "bin")
	tests := []struct {
		name string
		base []string
		want []string
	}{
		{
			name: "empty",
			base: nil,
			want: []string{"GOTOOLCHAIN=local", "GOROOT=" + root, "PATH=" + bin},
		},
		{
			name: "overrides GOROOT and GOTOOLCHAIN, keeps the rest in order",
			base: []string{"HOME=/root", "GOROOT=/usr/local/go", "GOTOOLCHAIN=auto", "PATH=/usr/bin:/bin", "GOFLAGS=-count=1"},
			want: []string{"HOME=/root", "GOFLAGS=-count=1", "GOTOOLCHAIN=local", "GOROOT=" + root, "PATH=" + bin + ":/usr/bin:/bin"},
		},
		{
			name: "bin already on PATH moves first, duplicates and empty entries go",
			base: []string{"PATH=/usr/bin::" + bin + ":/usr/bin:/bin/"},
			want: []string{"GOTOOLCHAIN=local", "GOROOT=" + root, "PATH=" + bin + ":/usr/bin:/bin/"},
		},
		{
			name: "the last duplicate of a variable wins",
			base: []string{"A=1", "PATH=/old", "A=2", "PATH=/new"},
			want: []string{"A=2", "GOTOOLCHAIN=local", "GOROOT=" + root, "PATH=" + bin + ":/new"},
		},
		{
			name: "bin with a trailing slash counts as the same directory",
			base: []string{"PATH=" + bin + "/:/bin"},
			want: []string{"GOTOOLCHAIN=local", "GOROOT=" + root, "PATH=" + bin + ":/bin"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := slices.Clone(tt.base)
			got := Env(root, tt.base)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Env =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if !slices.Equal(base, tt.base) {
				t.Errorf("Env modified its base")
			}
		})
	}
}

// TestEnvRunsThatGo checks the environment in a real child: the local go
// run through Env reports the GOROOT it was given.
func TestEnvRunsThatGo(t *testing.T) {
	root := localGOROOT(t)
	out := runGo(t, root, Env(root, append(os.Environ(), "GOTOOLCHAIN=go1.99.0")), "env", "GOROOT", "GOTOOLCHAIN")
	if want := root + "\nlocal\n"; out != want {
		t.Errorf("go env under Env = %q, want %q", out, want)
	}
}
