package collect

import (
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func TestChildEnv(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the table uses Unix paths")
	}
	root := "/sdk/go1.27.3"
	fixed := []string{"GOTOOLCHAIN=local", "GOROOT=/sdk/go1.27.3", "PATH=/sdk/go1.27.3/bin", "GOENV=off"}
	for _, tt := range []struct {
		name    string
		environ []string
		want    []string // fixed is appended, with PATH adjusted when PATH is set
		path    string
		dropped []string
	}{
		{name: "empty", environ: nil},
		{
			name:    "user settings replaced",
			environ: []string{"HOME=/home/u", "GOROOT=/usr/local/go", "GOTOOLCHAIN=go1.28.0+auto", "GOENV=/home/u/.config/go/env", "PATH=/usr/bin:/bin"},
			want:    []string{"HOME=/home/u"},
			path:    "/usr/bin:/bin",
		},
		{
			name:    "GOFLAGS filtered",
			environ: []string{"GOFLAGS=-mod=mod -race -modcacherw -tags=foo --gcflags=-N", "GOGC=200"},
			want:    []string{"GOGC=200", "GOFLAGS=-mod=mod -modcacherw"},
			dropped: []string{"-race", "-tags=foo", "--gcflags=-N"},
		},
		{
			name:    "GOFLAGS dropped entirely",
			environ: []string{"GOFLAGS=-cover -modfile=x.mod", "A=1"},
			want:    []string{"A=1"},
			dropped: []string{"-cover", "-modfile=x.mod"},
		},
		{
			name:    "build-changing variables removed, others kept",
			environ: []string{"GOEXPERIMENT=arenas", "GOOS=windows", "GOARCH=arm64", "GOAMD64=v3", "GOMAXPROCS=2", "CGO_ENABLED=0"},
			want:    []string{"GOAMD64=v3", "GOMAXPROCS=2", "CGO_ENABLED=0"},
		},
		{
			name:    "duplicates: the last value wins",
			environ: []string{"A=1", "B=2", "A=3", "PATH=/x", "PATH=/y", "junk", "=bad", "GOFLAGS=-race", "GOFLAGS=-mod=mod"},
			want:    []string{"B=2", "A=3", "GOFLAGS=-mod=mod"},
			path:    "/y",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env, dropped := ChildEnv(tt.environ, root)
			want := append(append([]string(nil), tt.want...), fixed...)
			if tt.path != "" {
				want[len(tt.want)+2] = "PATH=" + filepath.Join(root, "bin") + ":" + tt.path
			}
			if !slices.Equal(env, want) {
				t.Errorf("env =\n\t%s\nwant\n\t%s", strings.Join(env, "\n\t"), strings.Join(want, "\n\t"))
			}
			if !slices.Equal(dropped, tt.dropped) {
				t.Errorf("dropped = %q, want %q", dropped, tt.dropped)
			}
		})
	}
}

func TestLowerGoMod(t *testing.T) {
	const head = "module example.com/m\n\n"
	for _, tt := range []struct {
		name, mod, version, want string
		goLine                   string
		changed                  bool
	}{
		{"older go line kept", head + "go 1.23\n", "go1.26.8", head + "go 1.23\n", "", false},
		{"equal go line kept", head + "go 1.26.8\n", "go1.26.8", head + "go 1.26.8\n", "", false},
		{"newer go line lowered", head + "go 1.27.3\n", "go1.26.8", head + "go 1.26\n", "1.26", true},
		{"toolchain dropped when lowering", head + "go 1.99.0\n\ntoolchain go1.99.1\n", "go1.26.8", head + "go 1.26\n", "1.26", true},
		{"toolchain kept otherwise", head + "go 1.23\n\ntoolchain go1.26.8\n", "go1.27.3", head + "go 1.23\n\ntoolchain go1.26.8\n", "", false},
		{"pre-1.21 toolchain gets no toolchain line", head + "go 1.19\n\ntoolchain go1.21.0\n", "go1.20.14", head + "go 1.19\n", "", true},
		{"devel version", head + "go 1.99.0\n", "devel go1.28-abcdef Tue Nov 3 2026", head + "go 1.28\n", "1.28", true},
		{"unreadable version: unchanged", head + "go 1.99.0\n", "mybuild", head + "go 1.99.0\n", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, goLine, changed, err := lowerGoMod([]byte(tt.mod), tt.version)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want || goLine != tt.goLine || changed != tt.changed {
				t.Errorf("lowerGoMod(%q, %s) = %q, %q, %v; want %q, %q, %v", tt.mod, tt.version, got, goLine, changed, tt.want, tt.goLine, tt.changed)
			}
		})
	}
	if _, _, _, err := lowerGoMod([]byte("module\n"), "go1.26.8"); err == nil {
		t.Error("lowerGoMod of a broken go.mod: no error")
	}
}
