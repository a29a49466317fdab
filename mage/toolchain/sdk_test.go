package toolchain

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb"
)

// writeTree creates files (name -> body) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func TestListAndRemove(t *testing.T) {
	sdk := t.TempDir()
	writeTree(t, sdk, map[string]string{
		// golang.org/dl's layout: archive kept in the GOROOT, marker.
		"go1.22.5/bin/go": "", "go1.22.5/VERSION": "go1.22.5\ntime x\n", "go1.22.5/" + Marker: "",
		"go1.22.5/go1.22.5.linux-amd64.tar.gz": "",
		// Ours.
		"go1.27.3/bin/go": "", "go1.27.3/VERSION": "go1.27.3\n", "go1.27.3/" + Marker: "",
		"go1.27.3/" + sourceFile: "proxy https://proxy.golang.org\n",
		// Interrupted: no marker.
		"go1.27.10/bin/go": "",
		// Not toolchains.
		"gotip/README": "", ".perftrack-tmp-go1.27.4-123/go/bin/go": "", "notes.txt": "",
	})
	in := &Installer{SDK: sdk}
	list, err := in.List()
	if err != nil {
		t.Fatal(err)
	}
	want := []Installed{
		{Name: "go1.22.5", GOROOT: filepath.Join(sdk, "go1.22.5"), Version: "go1.22.5", Source: "golang.org/dl", Complete: true},
		{Name: "go1.27.3", GOROOT: filepath.Join(sdk, "go1.27.3"), Version: "go1.27.3", Source: "proxy https://proxy.golang.org", Complete: true},
		{Name: "go1.27.10", GOROOT: filepath.Join(sdk, "go1.27.10"), Version: "", Source: "unknown", Complete: false},
	}
	if len(list) != len(want) {
		t.Fatalf("List = %+v, want %+v", list, want)
	}
	for i := range want {
		if list[i] != want[i] {
			t.Errorf("List[%d] = %+v, want %+v", i, list[i], want[i])
		}
	}

	// 1.27 is the newest complete 1.27.x: the partial go1.27.10 does not count.
	tcs, err := in.Find(context.Background(), []Spec{{Kind: Newest, Version: "go1.27"}, {Kind: Exact, Version: "go1.22.5"}})
	if err != nil || tcs[0].Name != "go1.27.3" || tcs[1].GOROOT != filepath.Join(sdk, "go1.22.5") {
		t.Errorf("Find = %+v, %v", tcs, err)
	}
	if _, err := in.Find(context.Background(), []Spec{{Kind: Exact, Version: "go1.27.10"}}); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("Find of a partial install: %v, want ErrNotInstalled", err)
	}

	if _, err := in.Remove(Spec{Kind: Local}); err == nil {
		t.Error("Remove(local) succeeded")
	}
	if _, err := in.Remove(Spec{Kind: Exact, Version: "go1.26.1"}); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("Remove of a missing release: %v, want ErrNotInstalled", err)
	}
	for _, v := range []string{"go1.27.10", "go1.22.5"} {
		if _, err := in.Remove(Spec{Kind: Exact, Version: v}); err != nil {
			t.Errorf("Remove(%s): %v", v, err)
		}
		if _, err := os.Stat(filepath.Join(sdk, v)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s still there after Remove", v)
		}
	}
	entries, _ := os.ReadDir(sdk)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != ".perftrack-tmp-go1.27.4-123 go1.27.3 gotip notes.txt" {
		t.Errorf("SDK root after Remove: %s", got)
	}

	// A missing SDK root lists nothing.
	if list, err := (&Installer{SDK: filepath.Join(sdk, "nope")}).List(); err != nil || len(list) != 0 {
		t.Errorf("List of a missing root = %+v, %v", list, err)
	}
}

func TestLocalAndLabel(t *testing.T) {
	root := localGOROOT(t)
	in := &Installer{SDK: t.TempDir()}
	tcs, err := in.Install(context.Background(), []Spec{{Kind: Local}, {Kind: Label, Label: "mine", Path: root}})
	if err != nil {
		t.Fatal(err)
	}
	out := runGo(t, root, Env(root, os.Environ()), "env", "GOVERSION")
	v := strings.TrimSpace(out)
	if want := (Toolchain{Name: versionName(v), Version: v, GOROOT: root}); tcs[0] != want {
		t.Errorf("local = %+v, want %+v", tcs[0], want)
	}
	if want := (Toolchain{Name: "mine", Version: v, GOROOT: root}); tcs[1] != want {
		t.Errorf("label = %+v, want %+v", tcs[1], want)
	}
	assertEmpty(t, in.SDK)

	// A label GOROOT without a VERSION file (a source build) is asked.
	needShell(t)
	src := t.TempDir()
	writeTree(t, src, map[string]string{"bin/go": "#!/bin/sh\necho go version devel go1.28-abcdef Tue Nov 3 2026 linux/amd64\n"})
	tc, err := in.Find(context.Background(), []Spec{{Kind: Label, Label: "tip", Path: src}})
	if err != nil || tc[0] != (Toolchain{Name: "tip", Version: "devel go1.28-abcdef", GOROOT: src}) {
		t.Errorf("label of a source build = %+v, %v", tc, err)
	}
	if _, err := in.Find(context.Background(), []Spec{{Kind: Label, Label: "x", Path: t.TempDir()}}); err == nil || !strings.Contains(err.Error(), "no bin/go") {
		t.Errorf("label without bin/go: %v", err)
	}
}

// TestWriteConfigCAS checks the compare-and-swap the checksum database
// client relies on to detect forks between runs.
func TestWriteConfigCAS(t *testing.T) {
	o := &sumdbOps{dir: t.TempDir(), db: sumDB{Name: fakeDB, Key: "k"}}
	file := fakeDB + "/latest"
	if got, err := o.ReadConfig(file); err != nil || len(got) != 0 {
		t.Fatalf("ReadConfig on first use = %q, %v; want empty", got, err)
	}
	if got, _ := o.ReadConfig("key"); string(got) != "k" {
		t.Errorf("ReadConfig(key) = %q", got)
	}
	if err := o.WriteConfig(file, nil, []byte("tree 1")); err != nil {
		t.Fatal(err)
	}
	if err := o.WriteConfig(file, []byte("tree 0"), []byte("tree 2")); !errors.Is(err, sumdb.ErrWriteConflict) {
		t.Errorf("WriteConfig with a stale old value: %v, want ErrWriteConflict", err)
	}
	if err := o.WriteConfig("key", nil, []byte("x")); err == nil {
		t.Error("WriteConfig(key) succeeded")
	}
	// Racing writers from the same old value: exactly one wins.
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := range 8 {
		wg.Go(func() {
			if o.WriteConfig(file, []byte("tree 1"), []byte{byte('a' + i)}) == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Errorf("%d racing WriteConfig calls won, want 1", wins)
	}

	// A cache that cannot be written is a *CacheError, kept for Lookup's
	// caller, and never a write conflict.
	under := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(under, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	o = &sumdbOps{dir: filepath.Join(under, "cache"), db: sumDB{Name: fakeDB, Key: "k"}}
	err := o.WriteConfig(file, nil, []byte("tree 1"))
	var ce *CacheError
	if !errors.As(err, &ce) || ce.Op != "write" || ce.Dir != filepath.Join(o.dir, fakeDB) || errors.Is(err, sumdb.ErrWriteConflict) {
		t.Errorf("WriteConfig into a cache under a file: %v (%T), want a *CacheError writing %s", err, err, filepath.Join(o.dir, fakeDB))
	}
	if o.cacheErr == nil || o.cacheErr.Err == nil {
		t.Errorf("the cache error was not recorded for Lookup's caller")
	}
}

func TestProgressPlain(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&buf, "download go1.99.1", 1<<20)
	p.interval = 0 // a line per read, so the test needs no clock
	r := p.TrackProgress("x.zip", 0, 3_000_000, io.NopCloser(strings.NewReader(strings.Repeat("x", 1_500_000))))
	if _, err := io.Copy(io.Discard, r); err == nil {
		t.Error("reading past the 1 MiB limit succeeded")
	}
	var tl *TooLargeError
	if !errors.As(p.err, &tl) {
		t.Errorf("limit error = %v", p.err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "download go1.99.1: ") || !strings.Contains(lines[len(lines)-1], " of 3.0 MB (") {
		t.Errorf("progress lines = %q", lines)
	}

	buf.Reset()
	p = newProgress(&buf, "download go1.99.1", 1<<20)
	r = p.TrackProgress("x.zip", 0, -1, io.NopCloser(strings.NewReader("hello")))
	io.Copy(io.Discard, r)
	p.finish(nil)
	if got := buf.String(); !strings.HasPrefix(got, "download go1.99.1: 0.0 MB") || !strings.HasSuffix(got, ", done\n") {
		t.Errorf("progress with an unknown size = %q", got)
	}
	// No writer, no output, limit still enforced.
	p = newProgress(nil, "x", 3)
	if _, err := io.Copy(io.Discard, p.TrackProgress("x", 0, 5, io.NopCloser(strings.NewReader("hello")))); err == nil {
		t.Error("limit not enforced without a writer")
	}
}

// TestFindNewestNotInstalled checks the wording of a Newest spec with no
// install: "<spec>: go1.97.x not installed under <SDK>".
func TestFindNewestNotInstalled(t *testing.T) {
	in := &Installer{SDK: t.TempDir()}
	s := Spec{Kind: Newest, Version: "go1.97"}
	_, err := in.Find(context.Background(), []Spec{s})
	if !errors.Is(err, ErrNotInstalled) {
		t.Fatalf("Find = %v, want ErrNotInstalled", err)
	}
	if want := s.String() + ": go1.97.x not installed under " + in.SDK; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
}

// TestOwnedDirs checks the owner locks of the directories perftrack works
// in under the SDK root, within one process (flock locks belong to an open
// file, so a second open of the lock file finds it held).
func TestOwnedDirs(t *testing.T) {
	sdk := t.TempDir()
	now := time.Now()
	in := &Installer{SDK: sdk, Now: func() time.Time { return now }}
	names := func() []string {
		entries, _ := os.ReadDir(sdk)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names
	}

	owned, err := newOwnedDir(sdk, "go1.99.1")
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(owned.Dir); err != nil || !fi.IsDir() || filepath.Dir(owned.Dir) != sdk || !strings.HasPrefix(filepath.Base(owned.Dir), tempPrefix+"go1.99.1-") {
		t.Fatalf("newOwnedDir made %q: %v", owned.Dir, err)
	}
	if o, _ := probeOwner(owned.Dir); o != ownerLive {
		t.Errorf("probeOwner of a held directory = %v, want ownerLive", o)
	}
	// A lock file whose owner has not made its directory yet is kept; one
	// whose owner died is removed.
	early, err := newOwnedDir(sdk, "go1.99.2")
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(early.Dir)
	deadLock := filepath.Join(sdk, tempPrefix+"go1.99.3-1"+lockSuffix)
	writeTree(t, sdk, map[string]string{filepath.Base(deadLock): ""})
	// Directories without a lock file (an older perftrack's): kept for a
	// day, listed with the time they go.
	writeTree(t, sdk, map[string]string{tempPrefix + "go1.99.4-1/go/VERSION": "go1.99.4\n", tempPrefix + "go1.99.5-1/go/VERSION": "go1.99.5\n"})
	old := now.Add(-25 * time.Hour)
	os.Chtimes(filepath.Join(sdk, tempPrefix+"go1.99.5-1"), old, old)

	dirs, err := in.StagingDirs()
	if err != nil {
		t.Fatal(err)
	}
	young, _ := os.Stat(filepath.Join(sdk, tempPrefix+"go1.99.4-1"))
	want := []StagingDir{
		{Name: filepath.Base(owned.Dir), Path: owned.Dir, InUse: true},
		{Name: tempPrefix + "go1.99.4-1", Path: filepath.Join(sdk, tempPrefix+"go1.99.4-1"), Size: 9, RemovedAfter: young.ModTime().Add(staleAfter)},
		{Name: tempPrefix + "go1.99.5-1", Path: filepath.Join(sdk, tempPrefix+"go1.99.5-1"), Size: 9},
	}
	if !slices.Equal(dirs, want) {
		t.Errorf("StagingDirs = %+v\nwant %+v", dirs, want)
	}
	for i, leftover := range []bool{false, false, true} {
		if i < len(dirs) && dirs[i].Leftover() != leftover {
			t.Errorf("%s: Leftover() = %v, want %v", dirs[i].Name, !leftover, leftover)
		}
	}

	in.removeLeftovers()
	wantNames := []string{filepath.Base(owned.Dir), filepath.Base(owned.Dir) + lockSuffix, filepath.Base(early.Dir) + lockSuffix, tempPrefix + "go1.99.4-1"}
	slices.Sort(wantNames)
	if got := names(); !slices.Equal(got, wantNames) {
		t.Errorf("after removeLeftovers the SDK root holds %q, want %q", got, wantNames)
	}

	// Its owner done, nothing of a directory is left.
	for _, o := range []*ownedDir{owned, early} {
		if err := o.remove(); err != nil {
			t.Error(err)
		}
	}
	if got := names(); !slices.Equal(got, []string{tempPrefix + "go1.99.4-1"}) {
		t.Errorf("after remove the SDK root holds %q", got)
	}
}
