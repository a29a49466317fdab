package toolchain

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/mod/sumdb"
)

// checkInstalled checks the layout of a finished install of v.
func checkInstalled(t *testing.T, in *Installer, tc Toolchain, v string) {
	t.Helper()
	root := filepath.Join(in.SDK, v)
	if want := (Toolchain{Name: v, Version: v, GOROOT: root}); tc != want {
		t.Fatalf("toolchain = %+v, want %+v", tc, want)
	}
	for _, f := range []string{Marker, "VERSION", "src/go.mod", "src/cmd/go.mod"} {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	for f, want := range map[string]fs.FileMode{
		"bin/go": 0o755, "pkg/tool/" + runtime.GOOS + "_" + runtime.GOARCH + "/compile": 0o755,
		"lib/time/zoneinfo.zip": 0o644, "VERSION": 0o644, "bin": fs.ModeDir | 0o755,
	} {
		fi, err := os.Stat(filepath.Join(root, f))
		if err != nil {
			t.Errorf("%s: %v", f, err)
		} else if fi.Mode() != want {
			t.Errorf("%s has mode %v, want %v", f, fi.Mode(), want)
		}
	}
	if out := runGo(t, root, Env(root, os.Environ()), "version"); !strings.HasPrefix(out, "go version "+v+" ") {
		t.Errorf("go version = %q", out)
	}
	entries, _ := os.ReadDir(in.SDK)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left behind in the SDK root: %s", e.Name())
		}
	}
}

func TestInstallFromFakes(t *testing.T) {
	needShell(t)
	for _, tt := range []struct{ source, ext string }{{"proxy", ""}, {"dl", "tar.gz"}, {"dl", "zip"}} {
		t.Run(tt.source+tt.ext, func(t *testing.T) {
			f := newFakeGo(t)
			f.addModule("go1.99.1", moduleZip(t, "go1.99.1"))
			name, body := releaseArchive(t, "go1.99.1", tt.ext, nil)
			f.addRelease("go1.99.1", name, body, "")
			in := f.installer(t, tt.source)
			var progress bytes.Buffer
			in.Progress = &progress
			tcs, err := in.Install(context.Background(), []Spec{{Kind: Exact, Version: "go1.99.1"}})
			if err != nil {
				t.Fatal(err)
			}
			checkInstalled(t, in, tcs[0], "go1.99.1")
			if !strings.Contains(progress.String(), "download go1.99.1: ") || !strings.Contains(progress.String(), ", done") {
				t.Errorf("progress = %q, want a plain line ending in done", progress.String())
			}

			// Installed: Install and Find need no network at all. The
			// server stays up, so a request would be answered: it fails
			// the test instead.
			f.mu.Lock()
			f.serve = func(w http.ResponseWriter, r *http.Request) bool {
				t.Errorf("request %s %s for an installed release", r.Method, r.URL.Path)
				http.Error(w, "unexpected request", http.StatusTeapot)
				return true
			}
			f.mu.Unlock()
			for _, s := range []Spec{{Kind: Exact, Version: "go1.99.1"}} {
				if _, err := in.Install(context.Background(), []Spec{s}); err != nil {
					t.Errorf("Install of an installed release: %v", err)
				}
				if _, err := in.Find(context.Background(), []Spec{s}); err != nil {
					t.Errorf("Find: %v", err)
				}
			}

			list, err := in.List()
			if err != nil || len(list) != 1 || !list[0].Complete || list[0].Version != "go1.99.1" || !strings.HasPrefix(list[0].Source, tt.source+" ") {
				t.Errorf("List = %+v, %v", list, err)
			}
			root, err := in.Remove(Spec{Kind: Newest, Version: "go1.99"})
			if err != nil || root != filepath.Join(in.SDK, "go1.99.1") {
				t.Errorf("Remove = %q, %v", root, err)
			}
			assertEmpty(t, in.SDK)
		})
	}
}

// TestInstallHostile feeds the installer every kind of bad download; each
// must fail with the right error and leave the SDK root empty.
func TestInstallHostile(t *testing.T) {
	needShell(t)
	const v = "go1.99.1"
	pfx := toolchainModule + "@" + modVersion(v) + "/"
	good := fakeGoFiles(pfx, v)
	goodRel := fakeGoFiles("go/", v)
	with := func(files []file, extra ...file) []file {
		return append(append([]file(nil), files...), extra...)
	}
	// archive cases, applied to module zips (prefix pfx) and release
	// archives (prefix go/).
	type archiveCase struct {
		name   string
		extra  func(prefix string) []file
		limits Limits
	}
	archiveCases := []archiveCase{
		{name: "dotdot", extra: func(p string) []file { return []file{{name: p + "../../evil", body: "x"}} }},
		{name: "absolute", extra: func(string) []file { return []file{{name: "/etc/evil", body: "x"}} }},
		{name: "symlink", extra: func(p string) []file {
			return []file{{name: p + "bin/link", typ: tar.TypeSymlink, link: "/etc/passwd"}}
		}},
		{name: "setuid", extra: func(p string) []file {
			return []file{{name: p + "bin/suid", body: "x", mode: fs.ModeSetuid | 0o755}}
		}},
		{name: "too many files", limits: Limits{Download: 1 << 20, Files: 5, FileSize: 1 << 20, Total: 1 << 20}},
		{name: "oversized file", extra: func(p string) []file {
			return []file{{name: p + "big", body: strings.Repeat("x", 2000)}}
		}, limits: Limits{Download: 1 << 20, Files: 100, FileSize: 1000, Total: 1 << 20}},
	}

	type hostile struct {
		name   string
		source string
		setup  func(t *testing.T, f *fakeGo, in *Installer)
		check  func(t *testing.T, err error)
	}
	isA := func(target any) func(*testing.T, error) {
		return func(t *testing.T, err error) {
			t.Helper()
			if !errors.As(err, target) {
				t.Errorf("error %q (%T) is not a %T", err, err, target)
			}
		}
	}
	var cases []hostile
	for _, ac := range archiveCases {
		ac := ac
		cases = append(cases,
			hostile{name: "proxy " + ac.name, source: "proxy", setup: func(t *testing.T, f *fakeGo, in *Installer) {
				var extra []file
				if ac.extra != nil {
					extra = ac.extra(pfx)
				}
				f.addModule(v, makeZip(t, with(good, extra...)))
				in.Limits = ac.limits
			}, check: isA(new(*ArchiveError))},
		)
		for _, ext := range []string{"tar.gz", "zip"} {
			ext := ext
			cases = append(cases, hostile{name: "dl " + ext + " " + ac.name, source: "dl", setup: func(t *testing.T, f *fakeGo, in *Installer) {
				var extra []file
				if ac.extra != nil {
					extra = ac.extra("go/")
				}
				name, body := releaseArchive(t, v, ext, with(goodRel, extra...))
				f.addRelease(v, name, body, "")
				in.Limits = ac.limits
			}, check: isA(new(*ArchiveError))})
		}
	}
	noRelease := func(t *testing.T, err error) {
		t.Helper()
		isA(new(*NoReleaseError))(t, err)
		if want := "no release go1.99.1 for " + runtime.GOOS + "/" + runtime.GOARCH; !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	checksum := func(t *testing.T, err error) {
		t.Helper()
		var ce *ChecksumError
		if !errors.As(err, &ce) {
			t.Fatalf("error %q (%T) is not a *ChecksumError", err, err)
		}
		if ce.File == "" || ce.Expected == ce.Found || ce.Expected == "" || ce.Found == "" {
			t.Errorf("ChecksumError %+v lacks the file or the two hashes", ce)
		}
	}
	// cutShort wants a download that ended before its Content-Length
	// to fail as such, not as a checksum or archive problem.
	cutShort := func(t *testing.T, err error) {
		t.Helper()
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("error %q (%T) is not io.ErrUnexpectedEOF", err, err)
		}
	}
	truncate := func(t *testing.T, f *fakeGo, suffix string) {
		f.serve = func(w http.ResponseWriter, r *http.Request) bool {
			if r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, suffix) {
				return false
			}
			w.Header().Set("Content-Length", "100000")
			w.Write(bytes.Repeat([]byte("P"), 5000))
			w.(http.Flusher).Flush()
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return true
		}
	}
	cases = append(cases,
		hostile{name: "proxy checksum mismatch", source: "proxy", setup: func(t *testing.T, f *fakeGo, in *Installer) {
			f.addModule(v, moduleZip(t, v))
			f.zips[modVersion(v)] = makeZip(t, with(good, file{name: pfx + "extra", body: "trojan"}))
		}, check: checksum},
		hostile{name: "dl checksum mismatch", source: "dl", setup: func(t *testing.T, f *fakeGo, in *Installer) {
			name, body := releaseArchive(t, v, "tar.gz", nil)
			f.addRelease(v, name, body, strings.Repeat("ab", 32))
		}, check: checksum},
		hostile{name: "proxy truncated", source: "proxy", setup: func(t *testing.T, f *fakeGo, in *Installer) {
			f.addModule(v, moduleZip(t, v))
			truncate(t, f, ".zip")
		}, check: cutShort},
		hostile{name: "dl truncated", source: "dl", setup: func(t *testing.T, f *fakeGo, in *Installer) {
			name, body := releaseArchive(t, v, "tar.gz", nil)
			f.addRelease(v, name, body, "")
			truncate(t, f, ".tar.gz")
		}, check: cutShort},
		hostile{name: "proxy download too large", source: "proxy", setup: func(t *testing.T, f *fakeGo, in *Installer) {
			f.addModule(v, moduleZip(t, v))
			in.Limits = Limits{Download: 100, Files: 100, FileSize: 1 << 20, Total: 1 << 20}
		}, check: isA(new(*TooLargeError))},
		hostile{name: "proxy 404 everywhere", source: "proxy", setup: func(t *testing.T, f *fakeGo, in *Installer) {}, check: noRelease},
		hostile{name: "proxy 404 zip", source: "proxy", setup: func(t *testing.T, f *fakeGo, in *Installer) {
			f.addModule(v, moduleZip(t, v))
			delete(f.zips, modVersion(v))
		}, check: noRelease},
		hostile{name: "dl not in list", source: "dl", setup: func(t *testing.T, f *fakeGo, in *Installer) {}, check: noRelease},
		hostile{name: "dl 404", source: "dl", setup: func(t *testing.T, f *fakeGo, in *Installer) {
			name, body := releaseArchive(t, v, "tar.gz", nil)
			f.addRelease(v, name, body, "")
			delete(f.files, name)
		}, check: noRelease},
		hostile{name: "tampered checksum database record", source: "proxy", setup: func(t *testing.T, f *fakeGo, in *Installer) {
			f.addModule(v, makeZip(t, with(good, file{name: pfx + "extra", body: "trojan"})))
			honest := hashZip(t, moduleZip(t, v))
			trojan := f.sums[modVersion(v)]
			f.tamper = func(path string, body []byte) []byte {
				if strings.Contains(path, "/lookup/") {
					return bytes.ReplaceAll(body, []byte(trojan), []byte(honest))
				}
				return body
			}
			// The proxy serves the honest zip the forged record names.
			f.zips[modVersion(v)] = moduleZip(t, v)
		}, check: func(t *testing.T, err error) {
			isA(new(*SecurityError))(t, err)
			if !errors.Is(err, sumdb.ErrSecurity) {
				t.Errorf("error %q is not sumdb.ErrSecurity", err)
			}
		}},
		hostile{name: "GOSUMDB off", source: "proxy", setup: func(t *testing.T, f *fakeGo, in *Installer) {
			f.addModule(v, moduleZip(t, v))
			in.GOSUMDB = "off"
		}, check: func(t *testing.T, err error) {
			if !strings.Contains(err.Error(), "GOSUMDB=off") {
				t.Errorf("error %q does not name GOSUMDB=off", err)
			}
		}},
		hostile{name: "GOPROXY off", source: "proxy", setup: func(t *testing.T, f *fakeGo, in *Installer) {
			f.addModule(v, moduleZip(t, v))
			in.GOPROXY = "off"
		}, check: func(t *testing.T, err error) {
			if !strings.Contains(err.Error(), "GOPROXY=off") {
				t.Errorf("error %q does not name GOPROXY=off", err)
			}
		}},
		hostile{name: "bin/go reports another version", source: "proxy", setup: func(t *testing.T, f *fakeGo, in *Installer) {
			files := fakeGoFiles(pfx, "go1.99.2")
			f.addModule(v, makeZip(t, files))
		}, check: func(t *testing.T, err error) {
			if !strings.Contains(err.Error(), "reports go1.99.2") {
				t.Errorf("error %q does not name the version found", err)
			}
		}},
	)
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeGo(t)
			in := f.installer(t, tt.source)
			tt.setup(t, f, in)
			_, err := in.Install(context.Background(), []Spec{{Kind: Exact, Version: v}})
			if err == nil {
				t.Fatal("Install succeeded")
			}
			t.Logf("refused: %v", err)
			tt.check(t, err)
			assertEmpty(t, in.SDK)
		})
	}
}

// TestInstallCancelled cancels the context in the middle of a download:
// the error says so and nothing is left under the SDK root.
func TestInstallCancelled(t *testing.T) {
	needShell(t)
	for _, source := range []string{"proxy", "dl"} {
		t.Run(source, func(t *testing.T) {
			f := newFakeGo(t)
			f.addModule("go1.99.1", moduleZip(t, "go1.99.1"))
			name, body := releaseArchive(t, "go1.99.1", "tar.gz", nil)
			f.addRelease("go1.99.1", name, body, "")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			f.serve = func(w http.ResponseWriter, r *http.Request) bool {
				if r.Method != http.MethodGet || !(strings.HasSuffix(r.URL.Path, ".zip") || strings.HasSuffix(r.URL.Path, ".tar.gz")) {
					return false
				}
				w.Header().Set("Content-Length", "100000")
				w.Write(bytes.Repeat([]byte("P"), 5000))
				w.(http.Flusher).Flush()
				cancel()
				<-r.Context().Done()
				return true
			}
			in := f.installer(t, source)
			_, err := in.Install(ctx, []Spec{{Kind: Exact, Version: "go1.99.1"}})
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Install error = %v, want context.Canceled", err)
			}
			assertEmpty(t, in.SDK)
		})
	}
}

// TestInstallFork points one cache at two checksum databases that share a
// key but disagree on history: the second must be refused as a fork.
func TestInstallFork(t *testing.T) {
	needShell(t)
	f1 := newFakeGo(t)
	f1.addModule("go1.99.1", moduleZip(t, "go1.99.1"))
	in := f1.installer(t, "proxy")
	if _, err := in.Install(context.Background(), []Spec{{Kind: Exact, Version: "go1.99.1"}}); err != nil {
		t.Fatal(err)
	}

	// Same key, other history: go1.99.3 enters its log before go1.99.2.
	f2 := newFakeGoKey(t, f1.skey, f1.vkey)
	f2.addModule("go1.99.3", moduleZip(t, "go1.99.3"))
	f2.addModule("go1.99.2", moduleZip(t, "go1.99.2"))
	resp, err := f2.srv.Client().Get(f2.srv.URL + "/sumdb-direct/lookup/" + toolchainModule + "@" + modVersion("go1.99.3"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	in2 := f2.installer(t, "proxy")
	in2.CacheDir = in.CacheDir
	_, err = in2.Install(context.Background(), []Spec{{Kind: Exact, Version: "go1.99.2"}})
	t.Logf("refused: %v", err)
	if !errors.Is(err, sumdb.ErrSecurity) {
		t.Fatalf("Install against a forked log: %v, want a security error", err)
	}
	assertEmpty(t, in2.SDK)
}

// TestInstallConcurrent runs two installers of one release into one SDK
// root at once: both succeed and one good copy remains.
func TestInstallConcurrent(t *testing.T) {
	needShell(t)
	f := newFakeGo(t)
	f.addModule("go1.99.1", moduleZip(t, "go1.99.1"))
	sdk := t.TempDir()
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		in := f.installer(t, "proxy")
		in.SDK = sdk
		wg.Go(func() {
			_, errs[i] = in.Install(context.Background(), []Spec{{Kind: Exact, Version: "go1.99.1"}})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("installer %d: %v", i, err)
		}
	}
	in := f.installer(t, "proxy")
	in.SDK = sdk
	tc, err := in.Find(context.Background(), []Spec{{Kind: Exact, Version: "go1.99.1"}})
	if err != nil {
		t.Fatal(err)
	}
	checkInstalled(t, in, tc[0], "go1.99.1")
}

// TestInstallReplacesPartial finds a directory without the marker (an
// interrupted install) and replaces it.
func TestInstallReplacesPartial(t *testing.T) {
	needShell(t)
	f := newFakeGo(t)
	f.addModule("go1.99.1", moduleZip(t, "go1.99.1"))
	in := f.installer(t, "proxy")
	partial := filepath.Join(in.SDK, "go1.99.1")
	if err := os.MkdirAll(filepath.Join(partial, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(partial, "bin", "go"), []byte("half"), 0o755)
	os.WriteFile(filepath.Join(partial, "junk"), []byte("x"), 0o644)
	// The leftovers of a killed install: one stale, one maybe still running.
	stale, fresh := filepath.Join(in.SDK, tempPrefix+"go1.99.1-1"), filepath.Join(in.SDK, tempPrefix+"go1.99.1-2")
	writeTree(t, stale, map[string]string{"go/bin/go": ""})
	writeTree(t, fresh, map[string]string{"go/bin/go": ""})
	old := time.Now().Add(-25 * time.Hour)
	os.Chtimes(stale, old, old)
	list, _ := in.List()
	if len(list) != 1 || list[0].Complete {
		t.Fatalf("List before = %+v, want one partial install", list)
	}
	if _, err := in.Find(context.Background(), []Spec{{Kind: Exact, Version: "go1.99.1"}}); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("Find of a partial install: %v, want ErrNotInstalled", err)
	}
	tcs, err := in.Install(context.Background(), []Spec{{Kind: Exact, Version: "go1.99.1"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(partial, "junk")); err == nil {
		t.Error("the partial install's files survived")
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("a day-old staging directory survived")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a recent staging directory was removed: %v", err)
	}
	os.RemoveAll(fresh)
	checkInstalled(t, in, tcs[0], "go1.99.1")
}

// stagingHelper starts a helper process (TestHelperStage) that owns a
// staging directory under sdk holding one 1000-byte file, and returns it
// with its stdin (closing it lets the helper finish) and the directory.
func stagingHelper(t *testing.T, sdk string) (*exec.Cmd, io.WriteCloser, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperStage$")
	cmd.Env = append(os.Environ(), "PERFTRACK_HELPER_STAGE=1", "HELPER_SDK="+sdk)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if dir, ok := strings.CutPrefix(sc.Text(), "staging "); ok {
			go io.Copy(io.Discard, stdout)
			return cmd, stdin, dir
		}
	}
	cmd.Process.Kill()
	t.Fatalf("helper ended without a staging directory: %v, %v", sc.Err(), cmd.Wait())
	return nil, nil, ""
}

// TestHelperStage is the helper process of stagingHelper.
func TestHelperStage(t *testing.T) {
	if os.Getenv("PERFTRACK_HELPER_STAGE") != "1" {
		t.Skip("helper process for TestStagingLeftovers")
	}
	st, err := newOwnedDir(os.Getenv("HELPER_SDK"), "go1.99.1")
	if err != nil {
		t.Fatal(err)
	}
	writeTree(t, st.Dir, map[string]string{"go/bin/go": strings.Repeat("x", 1000)})
	fmt.Println("staging " + st.Dir)
	io.Copy(io.Discard, os.Stdin) // until the parent closes it
	if err := st.remove(); err != nil {
		t.Fatal(err)
	}
}

// TestStagingLeftovers kills one process in the middle of its staging
// (kill -9, so it cleans nothing) while another one stays: StagingDirs
// lists the first as a leftover with its size and the second as in use,
// and the next install removes the first, at once, and keeps the second.
func TestStagingLeftovers(t *testing.T) {
	needShell(t)
	f := newFakeGo(t)
	f.addModule("go1.99.1", moduleZip(t, "go1.99.1"))
	in := f.installer(t, "proxy")
	var notes bytes.Buffer
	in.Progress = &notes

	dead, _, deadDir := stagingHelper(t, in.SDK)
	if err := dead.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	dead.Wait()
	live, liveStdin, liveDir := stagingHelper(t, in.SDK)

	dirs, err := in.StagingDirs()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]StagingDir{
		deadDir: {Name: filepath.Base(deadDir), Path: deadDir, Size: 1000},
		liveDir: {Name: filepath.Base(liveDir), Path: liveDir, Size: 1000, InUse: true},
	}
	if len(dirs) != 2 {
		t.Fatalf("StagingDirs = %+v, want %+v", dirs, want)
	}
	for _, d := range dirs {
		if d != want[d.Path] {
			t.Errorf("StagingDirs has %+v, want %+v", d, want[d.Path])
		}
	}
	if !dirs[slices.IndexFunc(dirs, func(d StagingDir) bool { return d.Path == deadDir })].Leftover() {
		t.Errorf("the dead process's directory is not a leftover")
	}

	tcs, err := in.Install(context.Background(), []Spec{{Kind: Exact, Version: "go1.99.1"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{deadDir, deadDir + lockSuffix} {
		if _, err := os.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s survived the install: %v", p, err)
		}
	}
	if !strings.Contains(notes.String(), "removed "+deadDir+", left by an interrupted install") {
		t.Errorf("the removal is not reported: %q", notes.String())
	}
	for _, p := range []string{filepath.Join(liveDir, "go", "bin", "go"), liveDir + lockSuffix} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("the running process lost %s: %v", p, err)
		}
	}
	// Once it is done, the running one cleans up after itself.
	liveStdin.Close()
	if err := live.Wait(); err != nil {
		t.Errorf("helper: %v", err)
	}
	checkInstalled(t, in, tcs[0], "go1.99.1")
}

// TestInstallNewest resolves 1.99 through the release list, from its cache
// within a day, and from the installed releases when offline.
func TestInstallNewest(t *testing.T) {
	needShell(t)
	f := newFakeGo(t)
	for _, v := range []string{"go1.99.1", "go1.99.2", "go1.99rc1", "go1.98.7"} {
		f.addModule(v, moduleZip(t, v))
		name, body := releaseArchive(t, v, "tar.gz", nil)
		f.addRelease(v, name, body, "")
	}
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	in := f.installer(t, "proxy")
	in.Now = func() time.Time { return now }
	var notes bytes.Buffer
	in.Progress = &notes
	tcs, err := in.Install(context.Background(), []Spec{{Kind: Newest, Version: "go1.99"}})
	if err != nil {
		t.Fatal(err)
	}
	checkInstalled(t, in, tcs[0], "go1.99.2")

	// A go1.99.3 appears, but the cached list is younger than a day.
	f.addModule("go1.99.3", moduleZip(t, "go1.99.3"))
	name, body := releaseArchive(t, "go1.99.3", "tar.gz", nil)
	f.addRelease("go1.99.3", name, body, "")
	if tcs, err := in.Install(context.Background(), []Spec{{Kind: Newest, Version: "go1.99"}}); err != nil || tcs[0].Name != "go1.99.2" {
		t.Errorf("Install 1.99 with a fresh cache = %+v, %v; want go1.99.2", tcs, err)
	}
	now = now.Add(25 * time.Hour)
	if tcs, err := in.Install(context.Background(), []Spec{{Kind: Newest, Version: "go1.99"}}); err != nil || tcs[0].Name != "go1.99.3" {
		t.Errorf("Install 1.99 a day later = %+v, %v; want go1.99.3", tcs, err)
	}

	// Offline with no cached list: the newest installed 1.99.x, said so.
	in2 := f.installer(t, "proxy")
	in2.SDK = in.SDK
	in2.Progress = &notes
	f.srv.Close()
	notes.Reset()
	if tcs, err := in2.Install(context.Background(), []Spec{{Kind: Newest, Version: "go1.99"}}); err != nil || tcs[0].Name != "go1.99.3" {
		t.Errorf("offline Install 1.99 = %+v, %v; want go1.99.3", tcs, err)
	}
	if !strings.Contains(notes.String(), "using the newest installed go1.99.x: go1.99.3") {
		t.Errorf("offline fallback not reported: %q", notes.String())
	}
	if _, err := in2.Install(context.Background(), []Spec{{Kind: Newest, Version: "go1.97"}}); err == nil {
		t.Error("offline Install of an uninstalled minor succeeded")
	}
}

// TestInstallHostileReleaseList serves a release list whose newest 1.99
// is go1.99.9-/../../1, with a complete GOROOT where that name points,
// outside the SDK root: 1.99 must resolve to go1.99.1 under the SDK root,
// and no call must reach the GOROOT outside.
func TestInstallHostileReleaseList(t *testing.T) {
	needShell(t)
	const hostile = "go1.99.9-/../../1"
	for _, source := range []string{"proxy", "dl"} {
		t.Run(source, func(t *testing.T) {
			f := newFakeGo(t)
			f.addModule("go1.99.1", moduleZip(t, "go1.99.1"))
			name, body := releaseArchive(t, "go1.99.1", "tar.gz", nil)
			f.addRelease("go1.99.1", name, body, "")
			f.addRelease(hostile, "go1.99.9.tar.gz", []byte("x"), "")
			in := f.installer(t, source)
			in.SDK = filepath.Join(t.TempDir(), "a", "sdk")
			outside := filepath.Join(in.SDK, hostile)
			if rel, _ := filepath.Rel(in.SDK, outside); filepath.IsLocal(rel) {
				t.Fatalf("%s is inside %s: the test shows nothing", outside, in.SDK)
			}
			writeTree(t, outside, map[string]string{
				"bin/go":  "#!/bin/sh\necho go version go1.99.9 " + runtime.GOOS + "/" + runtime.GOARCH + "\n",
				"VERSION": "go1.99.9\n", Marker: "",
			})
			var notes bytes.Buffer
			in.Progress = &notes
			tcs, err := in.Install(context.Background(), []Spec{{Kind: Newest, Version: "go1.99"}})
			if err != nil {
				t.Fatal(err)
			}
			checkInstalled(t, in, tcs[0], "go1.99.1")
			if !strings.Contains(notes.String(), "ignoring 1 entries whose version is not a Go release name") || !strings.Contains(notes.String(), hostile) {
				t.Errorf("the refused version is not reported: %q", notes.String())
			}
			// Specs never hold such a version, but the Installer is a
			// library: one built by hand is refused too.
			bad := Spec{Kind: Exact, Version: hostile}
			if tcs, err := in.Find(context.Background(), []Spec{bad}); err == nil {
				t.Errorf("Find(%q) = %+v", hostile, tcs)
			}
			if tcs, err := in.Install(context.Background(), []Spec{bad}); err == nil {
				t.Errorf("Install(%q) = %+v", hostile, tcs)
			}
			if root, err := in.Remove(bad); err == nil {
				t.Errorf("Remove(%q) removed %s", hostile, root)
			}
			if !isComplete(outside) {
				t.Errorf("the GOROOT outside the SDK root was touched")
			}
		})
	}
}

// TestInstallUnwritableCache makes the checksum database's cache directory
// impossible to create or use (tests run as root, whom chmod does not
// stop, so the way is a regular file where a directory must be): the
// install fails with a *CacheError naming the directory, never as a
// checksum or security error, and leaves nothing under the SDK root.
func TestInstallUnwritableCache(t *testing.T) {
	needShell(t)
	for _, tt := range []struct {
		name string
		// file is made a regular file, under CacheDir
		file, dir, op string
		errno         syscall.Errno
	}{
		{name: "cache dir under a file", file: "", dir: "sumdb/" + fakeDB, op: "write", errno: syscall.ENOTDIR},
		{name: "database dir is a file", file: "sumdb/" + fakeDB, dir: "sumdb/" + fakeDB, op: "write", errno: syscall.ENOTDIR},
		// The directory is fine; the tree head in it is a directory, which
		// the client finds only once the lookup has started.
		{name: "tree head is a directory", file: "sumdb/" + fakeDB + "/latest/x", dir: "sumdb/" + fakeDB, op: "read", errno: syscall.EISDIR},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeGo(t)
			f.addModule("go1.99.1", moduleZip(t, "go1.99.1"))
			in := f.installer(t, "proxy")
			if tt.file == "" {
				// CacheDir itself is <tmp>/file/cache, under a regular file.
				parent := filepath.Join(t.TempDir(), "file")
				if err := os.WriteFile(parent, []byte("not a directory"), 0o644); err != nil {
					t.Fatal(err)
				}
				in.CacheDir = filepath.Join(parent, "cache")
			} else {
				writeTree(t, in.CacheDir, map[string]string{tt.file: "not a directory"})
			}
			_, err := in.Install(context.Background(), []Spec{{Kind: Exact, Version: "go1.99.1"}})
			if err == nil {
				t.Fatal("Install succeeded")
			}
			t.Logf("refused: %v", err)
			var ce *CacheError
			if !errors.As(err, &ce) {
				t.Fatalf("error %q (%T) is not a *CacheError", err, err)
			}
			want := "cannot " + tt.op + " the cache directory " + filepath.Join(in.CacheDir, filepath.FromSlash(tt.dir)) + ": "
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not say %q", err, want)
			}
			var se *SecurityError
			var cse *ChecksumError
			if errors.As(err, &se) || errors.As(err, &cse) || errors.Is(err, sumdb.ErrSecurity) {
				t.Errorf("error %q reads as a checksum or security error", err)
			}
			if !errors.Is(err, tt.errno) {
				t.Errorf("error %q does not wrap the os error %v", err, tt.errno)
			}
			assertEmpty(t, in.SDK)
		})
	}
}

// TestReleasesUncachable keeps a fetched release list when the cache cannot
// be written (CacheDir is a regular file), and says so.
func TestReleasesUncachable(t *testing.T) {
	f := newFakeGo(t)
	f.addRelease("go1.99.1", "go1.99.1.tar.gz", []byte("x"), "")
	in := f.installer(t, "dl")
	in.CacheDir = filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(in.CacheDir, []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	var notes bytes.Buffer
	in.Progress = &notes
	rels, stale, err := in.releases(context.Background())
	if err != nil || stale || len(rels) != 1 || rels[0].Version != "go1.99.1" {
		t.Fatalf("releases = %+v, %v, %v; want the fetched list", rels, stale, err)
	}
	if !strings.Contains(notes.String(), "release list not cached") {
		t.Errorf("cache failure not reported: %q", notes.String())
	}
}

// TestInstallStalled fails a download that stops sending, with nothing
// left under the SDK root.
func TestInstallStalled(t *testing.T) {
	needShell(t)
	f := newFakeGo(t)
	f.addModule("go1.99.1", moduleZip(t, "go1.99.1"))
	f.serve = func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, ".zip") {
			return false
		}
		w.Header().Set("Content-Length", "100000")
		w.Write(bytes.Repeat([]byte("P"), 5000))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
		return true
	}
	in := f.installer(t, "proxy")
	in.StallTimeout = 200 * time.Millisecond
	_, err := in.Install(context.Background(), []Spec{{Kind: Exact, Version: "go1.99.1"}})
	var se *StallError
	if !errors.As(err, &se) {
		t.Errorf("Install error = %v, want a *StallError", err)
	}
	assertEmpty(t, in.SDK)
}

// TestProxyList checks GOPROXY's separators: ',' falls through on 404 and
// 410 only, '|' on any error; the checksum database is read through the
// first proxy that supports it, else directly.
func TestProxyList(t *testing.T) {
	needShell(t)
	f := newFakeGo(t)
	f.addModule("go1.99.1", moduleZip(t, "go1.99.1"))
	f.serve = func(w http.ResponseWriter, r *http.Request) bool {
		switch {
		case strings.HasPrefix(r.URL.Path, "/gone/"):
			http.Error(w, "gone", http.StatusGone)
		case strings.HasPrefix(r.URL.Path, "/broken/"):
			http.Error(w, "broken", http.StatusInternalServerError)
		default:
			return false
		}
		return true
	}
	for _, tt := range []struct {
		goproxy string
		ok      bool
	}{
		{"{}/gone,{}/proxy", true},
		{"{}/broken|{}/proxy", true},
		{"{}/broken,{}/proxy", false},
		{"direct,{}/proxy", true},
		{"{}/gone,off,{}/proxy", false},
	} {
		t.Run(tt.goproxy, func(t *testing.T) {
			in := f.installer(t, "proxy")
			in.GOPROXY = strings.ReplaceAll(tt.goproxy, "{}", f.srv.URL)
			before := f.requestCount()
			_, err := in.Install(context.Background(), []Spec{{Kind: Exact, Version: "go1.99.1"}})
			if (err == nil) != tt.ok {
				t.Fatalf("Install with GOPROXY=%s: %v, want success %v", tt.goproxy, err, tt.ok)
			}
			if err != nil {
				assertEmpty(t, in.SDK)
				return
			}
			f.mu.Lock()
			reqs := strings.Join(f.requests[before:], "\n")
			f.mu.Unlock()
			// gone and broken do not serve the database: it is read from
			// the proxy that does, or directly when direct comes first.
			wantDB := "/proxy/sumdb/" + fakeDB + "/lookup/"
			if strings.HasPrefix(tt.goproxy, "direct") {
				wantDB = "/sumdb-direct/lookup/"
			}
			if !strings.Contains(reqs, wantDB) {
				t.Errorf("no lookup through %s in\n%s", wantDB, reqs)
			}
		})
	}
}

// TestInstallTwoProcesses runs two processes (this test binary, as
// helpers) installing one release into one SDK root at once: both succeed
// and one good copy remains.
func TestInstallTwoProcesses(t *testing.T) {
	needShell(t)
	f := newFakeGo(t)
	f.addModule("go1.99.1", moduleZip(t, "go1.99.1"))
	sdk := t.TempDir()
	var cmds []*exec.Cmd
	var outs []*bytes.Buffer
	for range 2 {
		in := f.installer(t, "proxy")
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperInstall$", "-test.v")
		cmd.Env = append(os.Environ(),
			"PERFTRACK_HELPER_INSTALL=1", "HELPER_SDK="+sdk, "HELPER_CACHE="+in.CacheDir,
			"HELPER_GOPROXY="+in.GOPROXY, "HELPER_GOSUMDB="+in.GOSUMDB)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, &out)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("helper %d: %v\n%s", i, err, outs[i])
		}
	}
	in := f.installer(t, "proxy")
	in.SDK = sdk
	tc, err := in.Find(context.Background(), []Spec{{Kind: Exact, Version: "go1.99.1"}})
	if err != nil {
		t.Fatal(err)
	}
	checkInstalled(t, in, tc[0], "go1.99.1")
}

// TestHelperInstall is the helper process of TestInstallTwoProcesses.
func TestHelperInstall(t *testing.T) {
	if os.Getenv("PERFTRACK_HELPER_INSTALL") != "1" {
		t.Skip("helper process for TestInstallTwoProcesses")
	}
	in := &Installer{
		SDK: os.Getenv("HELPER_SDK"), CacheDir: os.Getenv("HELPER_CACHE"),
		GOPROXY: os.Getenv("HELPER_GOPROXY"), GOSUMDB: os.Getenv("HELPER_GOSUMDB"), GOMODCACHE: "off",
	}
	if _, err := in.Install(context.Background(), []Spec{{Kind: Exact, Version: "go1.99.1"}}); err != nil {
		t.Fatal(err)
	}
}
