package toolchain

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Env returns the environment of a child process that must run the Go
// toolchain at goroot and no other: base (e.g. os.Environ()) with
// GOTOOLCHAIN=local, GOROOT=goroot and goroot/bin first on PATH.
//
// Note: unlike golang.org/dl's wrappers, which leave GOTOOLCHAIN alone on
// purpose, a benchmark run must never switch toolchains: under the default
// "auto" a go.mod asking for a newer Go would silently run another release.
// Later duplicates of a variable in base win, as in os/exec; empty PATH
// entries (the current directory) and repeated ones are dropped.
func Env(goroot string, base []string) []string {
	bin := filepath.Join(goroot, "bin")
	override := map[string]bool{"GOTOOLCHAIN": true, "GOROOT": true, "PATH": true}
	var path string
	last := map[string]int{}
	for i, kv := range base {
		k, v, _ := strings.Cut(kv, "=")
		k = envKey(k)
		last[k] = i
		if k == "PATH" {
			path = v
		}
	}
	env := make([]string, 0, len(base)+3)
	for i, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		if last[envKey(k)] != i || override[envKey(k)] {
			continue
		}
		env = append(env, kv)
	}
	dirs := []string{bin}
	seen := map[string]bool{filepath.Clean(bin): true}
	for _, d := range filepath.SplitList(path) {
		if d == "" || seen[filepath.Clean(d)] {
			continue
		}
		seen[filepath.Clean(d)] = true
		dirs = append(dirs, d)
	}
	return append(env,
		"GOTOOLCHAIN=local",
		"GOROOT="+goroot,
		"PATH="+strings.Join(dirs, string(os.PathListSeparator)))
}

// envKey folds a variable name the way the platform compares them.
func envKey(k string) string {
	if runtime.GOOS == "windows" {
		return strings.ToUpper(k)
	}
	return k
}
