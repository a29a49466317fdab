package results

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestChoose(t *testing.T) {
	good := func(f string) Run { return Run{File: f, Samples: 3} }
	for _, tc := range []struct {
		name    string
		runs    []Run
		want    string // the chosen file; "" means none
		skipped []string
	}{
		{name: "none"},
		{name: "newest", runs: []Run{good("a"), good("b")}, want: "b"},
		{name: "newest has no samples", runs: []Run{good("a"), {File: "b"}}, want: "a", skipped: []string{"skipping b: no samples"}},
		{
			name: "manifest says empty",
			runs: []Run{good("a"), {File: "b", Samples: 1, Manifest: "b.json", ManifestStatus: ManifestEmpty}},
			want: "a", skipped: []string{"skipping b: its run manifest b.json says the run is empty"},
		},
		{name: "interrupted run with samples", runs: []Run{good("a"), {File: "b", Samples: 1, ManifestStatus: "interrupted"}}, want: "b"},
		{name: "older empty runs are not skipped", runs: []Run{{File: "a"}, good("b")}, want: "b"},
		{name: "all empty", runs: []Run{{File: "a"}, {File: "b"}}, skipped: []string{"skipping b: no samples", "skipping a: no samples"}},
	} {
		got, skipped, ok := Choose(tc.runs)
		var msgs []string
		for _, s := range skipped {
			msgs = append(msgs, s.Error())
		}
		if got.File != tc.want || ok != (tc.want != "") || !slices.Equal(msgs, tc.skipped) {
			t.Errorf("%s: Choose = %q, %v, %q; want %q, %q", tc.name, got.File, ok, msgs, tc.want, tc.skipped)
		}
	}
}

func TestStatus(t *testing.T) {
	for _, tc := range []struct {
		run  Run
		want string
	}{
		{Run{Samples: 5, Manifest: "m", ManifestStatus: "finished"}, StatusComplete},
		{Run{Samples: 5, Manifest: "m", ManifestStatus: "complete"}, StatusComplete},
		{Run{Samples: 5, Manifest: "m", ManifestStatus: "interrupted"}, StatusPartial},
		{Run{Samples: 5, Manifest: "m", ManifestStatus: "running"}, StatusPartial},
		{Run{Samples: 5, Manifest: "m", ManifestStatus: ManifestEmpty}, StatusEmpty},
		{Run{Samples: 0, Manifest: "m", ManifestStatus: "finished"}, StatusEmpty},
		{Run{Samples: 0}, StatusEmpty},
		{Run{Samples: 5}, StatusNoManifest},
		{Run{Samples: 5, Manifest: "m", ManifestErr: errors.New("bad")}, "unreadable manifest"},
		{Run{Samples: 5, Manifest: "m", ManifestStatus: "paused"}, `manifest status "paused"`},
	} {
		if got := tc.run.Status(); got != tc.want {
			t.Errorf("%+v: Status = %q, want %q", tc.run, got, tc.want)
		}
	}
}

func TestParseRef(t *testing.T) {
	for _, tc := range []struct {
		ref, platform, name, id string
		err                     string
	}{
		{ref: "linux-amd64/go1.27.3/20261203T100000Z", platform: "linux-amd64", name: "go1.27.3", id: "20261203T100000Z"},
		{ref: "linux-amd64/go1.26.8/bench.txt", platform: "linux-amd64", name: "go1.26.8", id: "bench.txt"},
		{ref: "go1.27.3/20261203T100000Z", err: "want <platform>/<toolchain>/<stamp or file name>"},
		{ref: "a/b/c/d", err: "want <platform>/"},
		{ref: "", err: "want <platform>/"},
		{ref: "linux-amd64/../20261203T100000Z", err: `".." cannot name`},
		{ref: "../go1.27.3/20261203T100000Z", err: `".." cannot name`},
		{ref: "linux-amd64/go1.27.3/..", err: `".." cannot name`},
		{ref: "linux-amd64//20261203T100000Z", err: `"" cannot name`},
		{ref: `linux-amd64/go1.27.3/..\x`, err: "cannot name"},
		{ref: "linux-amd64/go1.27.3/.hidden", err: "cannot name"},
	} {
		p, n, id, err := ParseRef(tc.ref)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseRef(%q) = %v, want an error containing %q", tc.ref, err, tc.err)
			}
			continue
		}
		if err != nil || p != tc.platform || n != tc.name || id != tc.id {
			t.Errorf("ParseRef(%q) = %q, %q, %q, %v", tc.ref, p, n, id, err)
		}
	}
}

// runTree writes a tree with one interleaved run of go1.26.8 and
// go1.27.3 (stamp s1, finished), a newer run of go1.27.3 alone (s2, no
// manifest), a run that recorded nothing (s3: a manifest saying empty and
// no files) and a hand-saved file of go1.10.1.
func runTree(t *testing.T) (root string, s1, s2, s3 string) {
	t.Helper()
	root = t.TempDir()
	s1, s2, s3 = "20261203T100000Z", "20261204T100000Z", "20261205T100000Z"
	p := "linux-amd64"
	write(t, RunFile(root, p, "go1.26.8", s1), sample+sample, time.Time{})
	write(t, RunFile(root, p, "go1.27.3", s1), sample, time.Time{})
	write(t, ManifestFile(root, p, s1), `{"stamp":"`+s1+`","status":"finished","toolchains":[{"name":"go1.26.8"},{"name":"go1.27.3"}]}`, time.Time{})
	write(t, RunFile(root, p, "go1.27.3", s2), sample, time.Time{})
	write(t, ManifestFile(root, p, s3), `{"stamp":"`+s3+`","status":"empty","toolchains":[{"name":"go1.26.8"},{"name":"go1.27.3"}]}`, time.Time{})
	write(t, filepath.Join(root, p, "go1.10.1", "bench.txt"), sample, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	return root, s1, s2, s3
}

func TestList(t *testing.T) {
	root, s1, s2, s3 := runTree(t)
	runs, warnings, err := List(root)
	if err != nil || len(warnings) != 0 {
		t.Fatalf("List: %v, warnings %v", err, warnings)
	}
	var got []string
	for _, r := range runs {
		got = append(got, strings.Join([]string{r.Platform, r.Name, r.ID(), r.Status(), strings.Join(r.Interleaved(), "+")}, " "))
	}
	want := []string{
		"linux-amd64 go1.10.1 bench.txt no manifest ",
		"linux-amd64 go1.26.8 " + s1 + " complete go1.27.3",
		"linux-amd64 go1.26.8 " + s3 + " empty go1.27.3",
		"linux-amd64 go1.27.3 " + s1 + " complete go1.26.8",
		"linux-amd64 go1.27.3 " + s2 + " no manifest ",
		"linux-amd64 go1.27.3 " + s3 + " empty go1.26.8",
	}
	if !slices.Equal(got, want) {
		t.Errorf("List =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if runs[1].Samples != 2 || runs[2].File != "" {
		t.Errorf("samples %d, manifest-only file %q; want 2 and none", runs[1].Samples, runs[2].File)
	}
}

func TestRemove(t *testing.T) {
	const p = "linux-amd64"
	t.Run("interleaved run", func(t *testing.T) {
		root, s1, _, _ := runTree(t)
		m := ManifestFile(root, p, s1)
		// go1.26.8's directory had only that run: it goes too.
		removed, err := Remove(root, p, "go1.26.8", s1)
		if err != nil || !slices.Equal(removed, []string{RunFile(root, p, "go1.26.8", s1), filepath.Join(root, p, "go1.26.8")}) {
			t.Fatalf("Remove = %v, %v", removed, err)
		}
		if !exists(m) {
			t.Fatal("the manifest went while go1.27.3's file of the run remains")
		}
		prof := ProfileFile(root, p, s1, "go1.27.3", "BenchmarkX.cpu.pb.gz")
		write(t, prof, "profile", time.Time{})
		if names, err := Names(root, p); err != nil || slices.Contains(names, s1) {
			t.Fatalf("Names = %v, %v; the run's directory is not a toolchain", names, err)
		}
		removed, err = Remove(root, p, "go1.27.3", s1)
		if err != nil || !slices.Equal(removed, []string{RunFile(root, p, "go1.27.3", s1), m, RunDir(root, p, s1)}) || exists(prof) {
			t.Fatalf("Remove = %v, %v; want the file, the manifest and the run's directory", removed, err)
		}
		if !exists(RunFile(root, p, "go1.27.3", "20261204T100000Z")) {
			t.Error("the other run of go1.27.3 was removed")
		}
	})
	t.Run("last run of a directory", func(t *testing.T) {
		root, _, _, _ := runTree(t)
		dir := filepath.Join(root, p, "go1.10.1")
		removed, err := Remove(root, p, "go1.10.1", "bench.txt")
		if err != nil || !slices.Equal(removed, []string{filepath.Join(dir, "bench.txt"), dir}) || exists(dir) {
			t.Errorf("Remove = %v, %v; want the file and its directory", removed, err)
		}
	})
	t.Run("run without files", func(t *testing.T) {
		root, _, _, s3 := runTree(t)
		m := ManifestFile(root, p, s3)
		removed, err := Remove(root, p, "go1.27.3", s3)
		if err != nil || !slices.Equal(removed, []string{m}) || exists(m) {
			t.Errorf("Remove = %v, %v; want the manifest", removed, err)
		}
	})
	t.Run("not a run", func(t *testing.T) {
		root, s1, s2, _ := runTree(t)
		write(t, filepath.Join(root, p, "go1.27.3", "README.txt"), "notes\n", time.Time{})
		for _, tc := range []struct{ name, id, err string }{
			{"go1.27.3", "20261101T100000Z", "no result file 20261101T100000Z.txt"},
			{"go1.27.3", "README.txt", "not in Go benchmark format"},
			{"go1.27.3", "other.txt", "no result file other.txt"},
			{"go1.28.0", s1, "no result file"},
			{"go1.26.8", s2, "no run manifest naming go1.26.8"},
			{"go1.27.3", "..", "cannot name"},
		} {
			removed, err := Remove(root, p, tc.name, tc.id)
			if err == nil || !strings.Contains(err.Error(), tc.err) || removed != nil {
				t.Errorf("Remove(%s, %s) = %v, %v; want an error containing %q", tc.name, tc.id, removed, err, tc.err)
			}
			if tc.id != ".." && !errors.Is(err, ErrNotRun) {
				t.Errorf("Remove(%s, %s) = %v, want ErrNotRun", tc.name, tc.id, err)
			}
		}
		if !exists(filepath.Join(root, p, "go1.27.3", "README.txt")) {
			t.Error("README.txt removed")
		}
	})
	t.Run("file-less toolchain of a run with files", func(t *testing.T) {
		root, s1, _, _ := runTree(t)
		m := ManifestFile(root, p, s1)
		write(t, m, `{"status":"finished","toolchains":[{"name":"go1.26.8"},{"name":"go1.27.3"},{"name":"broken"}]}`, time.Time{})
		if _, err := Remove(root, p, "broken", s1); !errors.Is(err, ErrNotRun) || !strings.Contains(err.Error(), "keep its manifest") || !exists(m) {
			t.Errorf("Remove = %v; want ErrNotRun, the manifest kept", err)
		}
	})
}
