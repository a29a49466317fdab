package collect

import (
	"runtime"
	"strings"

	"github.com/perftrack/perftrack/mage/toolchain"
)

// ChildEnv returns the environment under which Collect runs the go command
// of the toolchain at goroot, and the test binaries it builds. environ is the
// parent's environment (os.Environ() in real use); the result is a new slice
// with each variable set once:
//
//   - GOROOT=<goroot>: the go command and the binaries use this tree's
//     standard library and tools, whatever the user has set.
//   - PATH starts with <goroot>/bin, so a child that runs "go" or "gofmt"
//     gets this toolchain's.
//   - GOTOOLCHAIN=local: the go command never switches to another toolchain
//     because of a go or toolchain line in go.mod (under the default "auto"
//     it would silently download and benchmark a different Go).
//   - GOENV=off: the user's go env file (written by "go env -w") is not
//     read, so a GOTOOLCHAIN or GOFLAGS set there cannot undo the above.
//     $GOROOT/go.env and ordinary environment variables still apply.
//   - GOFLAGS keeps only flags that cannot change the compiled code
//     (-mod, -modcacherw, -buildvcs, -p); -race, -gcflags, -tags, -cover,
//     -toolexec and the like are removed, and so is -modfile, which Collect
//     sets itself when it must lower the module's go line. The removed
//     flags are returned so the caller can say they were ignored.
//   - GOEXPERIMENT, GOOS and GOARCH are removed: an experiment changes the
//     build of one toolchain in ways its name does not show, and a cross
//     build could not run here. To benchmark an experiment, build that
//     toolchain and give it a label.
//
// Everything else (GOMAXPROCS, GOGC, GODEBUG, GOAMD64, CGO_ENABLED, GOPROXY,
// GOCACHE, ...) is kept: it applies to every toolchain alike.
//
// ChildEnv is pure: it reads nothing but its arguments.
func ChildEnv(environ []string, goroot string) (env []string, droppedFlags []string) {
	// The last GOFLAGS wins, as in os/exec; it alone is filtered and kept.
	var goflags string
	base := make([]string, 0, len(environ)+1)
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			continue
		}
		switch envName(k) {
		case "GOFLAGS":
			goflags = v
			continue
		case "GOENV", "GOEXPERIMENT", "GOOS", "GOARCH":
			continue
		}
		base = append(base, kv)
	}
	if goflags != "" {
		var kept string
		kept, droppedFlags = filterGOFLAGS(goflags)
		if kept != "" {
			base = append(base, "GOFLAGS="+kept)
		}
	}
	return append(toolchain.Env(goroot, base), "GOENV=off"), droppedFlags
}

// envName folds a variable name the way the platform compares them.
func envName(k string) string {
	if runtime.GOOS == "windows" {
		return strings.ToUpper(k)
	}
	return k
}

// keptGOFLAGS are the go command flags that select how modules are found or
// how much runs in parallel, never what is compiled.
var keptGOFLAGS = map[string]bool{"-mod": true, "-modcacherw": true, "-buildvcs": true, "-p": true}

// filterGOFLAGS splits a GOFLAGS value into the flags Collect keeps and the
// ones it drops (see ChildEnv).
func filterGOFLAGS(v string) (kept string, dropped []string) {
	var keep []string
	for _, f := range strings.Fields(v) {
		name, _, _ := strings.Cut(f, "=")
		name = "-" + strings.TrimLeft(name, "-")
		if keptGOFLAGS[name] {
			keep = append(keep, f)
		} else {
			dropped = append(dropped, f)
		}
	}
	return strings.Join(keep, " "), dropped
}
