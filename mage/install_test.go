package mage

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/magefile/mage/mg"

	"github.com/perftrack/perftrack/mage/toolchain"
)

func TestInstallerForBadSpecExits2(t *testing.T) {
	sdk := t.TempDir()
	t.Setenv("PERF_SDK", sdk)
	t.Setenv("PERF_SOURCE", "dl")
	t.Setenv("PERF_DL_URL", "http://127.0.0.1:1/dl/?mode=json")
	for _, spec := range []string{"nope", "", "1.27.3,1.27.3"} {
		_, _, err := installerFor(spec)
		if got := mg.ExitStatus(err); got != 2 {
			t.Errorf("installerFor(%q): exit %d (%v), want 2", spec, got, err)
		}
	}
	in, specs, err := installerFor("1.27.3,local")
	if err != nil || len(specs) != 2 || in.Progress == nil || in.SDK != sdk || in.Source != "dl" || in.ReleaseURL != "http://127.0.0.1:1/dl/?mode=json" {
		t.Errorf("installerFor(1.27.3,local) = %+v, %+v, %v", in, specs, err)
	}
}

// TestListShowsStagingLeftovers lists an SDK root holding one toolchain and
// the staging directory of a killed install (its lock file is there, held
// by no one): the leftover is listed with its size and fate.
func TestListShowsStagingLeftovers(t *testing.T) {
	sdk := t.TempDir()
	leftover := ".perftrack-tmp-go1.27.3-123"
	files := map[string]string{
		"go1.27.3/bin/go": "", "go1.27.3/VERSION": "go1.27.3\n", "go1.27.3/" + toolchain.Marker: "",
		leftover + ".lock": "", leftover + "/go/bin/go": strings.Repeat("x", 1_500_000),
	}
	for name, body := range files {
		p := filepath.Join(sdk, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errs bytes.Buffer
	if err := listToolchains(&out, &errs, &toolchain.Installer{SDK: sdk}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		got = append(got, strings.Join(strings.Fields(l), " "))
	}
	want := []string{
		"NAME VERSION STATUS SOURCE GOROOT",
		"go1.27.3 go1.27.3 complete unknown " + filepath.Join(sdk, "go1.27.3"),
		"",
		"STAGING SIZE STATUS PATH",
		leftover + " 1.5 MB staging leftover: removed by the next install " + filepath.Join(sdk, leftover),
	}
	if !slices.Equal(got, want) {
		t.Errorf("toolchain:list printed\n%s\nwant (spacing aside)\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if errs.Len() > 0 {
		t.Errorf("stderr: %q", errs.String())
	}

	// Without toolchains, the leftovers are still listed.
	if err := os.RemoveAll(filepath.Join(sdk, "go1.27.3")); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := listToolchains(&out, &errs, &toolchain.Installer{SDK: sdk}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errs.String(), "no toolchains under "+sdk) || !strings.HasPrefix(out.String(), "STAGING ") || !strings.Contains(out.String(), leftover) {
		t.Errorf("toolchain:list without toolchains: stdout %q, stderr %q", out.String(), errs.String())
	}
}

// TestInstallSignals stops an install target running in a child process
// (this test binary, as TestHelperInstallTarget) in the middle of its
// download, with SIGINT as Ctrl-C sends it and with SIGTERM as CI runners
// do: it must exit 130, naming the signal, with nothing left under
// PERF_SDK. Without a handler either signal kills the child at once, its
// staging directory left behind.
func TestInstallSignals(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM to send on Windows")
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			started := make(chan struct{}, 1)
			archive := "go1.99.1." + runtime.GOOS + "-" + runtime.GOARCH + ".tar.gz"
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/dl/":
					json.NewEncoder(w).Encode([]toolchain.Release{{Version: "go1.99.1", Stable: true, Files: []toolchain.ReleaseFile{{
						Filename: archive, OS: runtime.GOOS, Arch: runtime.GOARCH, Version: "go1.99.1",
						SHA256: strings.Repeat("ab", 32), Size: 100_000, Kind: "archive",
					}}}})
				case "/dl/" + archive:
					w.Header().Set("Content-Length", "100000")
					if r.Method != http.MethodGet {
						return
					}
					w.Write(bytes.Repeat([]byte("P"), 5000))
					w.(http.Flusher).Flush()
					select {
					case started <- struct{}{}:
					default:
					}
					<-r.Context().Done() // the rest never comes
				default:
					http.NotFound(w, r)
				}
			}))
			defer srv.Close()

			sdk, home := t.TempDir(), t.TempDir()
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperInstallTarget$")
			cmd.Env = append(os.Environ(), "PERFTRACK_HELPER_INSTALL_TARGET=1",
				"PERF_SDK="+sdk, "PERF_SOURCE=dl", "PERF_DL_URL="+srv.URL+"/dl/?mode=json&include=all",
				"HOME="+home, "XDG_CACHE_HOME="+filepath.Join(home, "cache"))
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			defer func() {
				select {
				case <-done:
				default: // the test failed with the helper running
					cmd.Process.Kill()
					<-done
				}
			}()
			select {
			case <-started:
			case err := <-done:
				done <- err
				t.Fatalf("helper exited before its download (%v):\n%s", err, out.Bytes())
			}
			// The download runs inside the staging directory.
			if entries, _ := os.ReadDir(sdk); len(entries) == 0 {
				t.Fatalf("no staging directory under %s during the download", sdk)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			var err error
			select {
			case err = <-done:
				done <- err
			case <-time.After(time.Minute): // a guard against a hang, not a timing check
				t.Fatalf("helper still running a minute after %v:\n%s", sig, out.Bytes())
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 130 {
				t.Fatalf("helper: %v, want exit 130\n%s", err, out.Bytes())
			}
			if want := sig.String() + " signal received: stopped: "; !strings.Contains(out.String(), want) {
				t.Errorf("output does not say %q:\n%s", want, out.Bytes())
			}
			entries, _ := os.ReadDir(sdk)
			for _, e := range entries {
				t.Errorf("left under PERF_SDK: %s", e.Name())
			}
		})
	}
}

// TestHelperInstallTarget is the helper process of TestInstallSignals: it
// runs the install target as mage would, without mage's own SIGINT handler.
func TestHelperInstallTarget(t *testing.T) {
	if os.Getenv("PERFTRACK_HELPER_INSTALL_TARGET") != "1" {
		t.Skip("helper process for TestInstallSignals")
	}
	err := Install(context.Background(), "1.99.1")
	if err == nil {
		fmt.Fprintln(os.Stderr, "install succeeded")
		os.Exit(0)
	}
	fmt.Fprintln(os.Stderr, err)
	os.Exit(mg.ExitStatus(err))
}
