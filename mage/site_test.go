package mage

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/magefile/mage/mg"

	"github.com/perftrack/perftrack/docs"
	"github.com/perftrack/perftrack/mage/export"
)

// exportedDocs exports the export package's testdata into a new docs
// directory, as export does for a user, and returns it.
func exportedDocs(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	td := filepath.Join("export", "testdata")
	_, err := export.Export(context.Background(), export.Options{
		Results:    filepath.Join(td, "results"),
		Data:       filepath.Join(dir, "data"),
		Benchmarks: filepath.Join(td, "benchmarks"),
		Root:       td,
	})
	if err != nil {
		t.Fatal(err)
	}
	// What a docs directory may hold besides: none of it is published.
	os.WriteFile(filepath.Join(dir, "handler.go"), []byte("package docs"), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("notes"), 0o644)
	os.WriteFile(filepath.Join(dir, "data", ".DS_Store"), []byte("x"), 0o644)
	os.MkdirAll(filepath.Join(dir, "data", ".git"), 0o755)
	os.WriteFile(filepath.Join(dir, "data", ".git", "config"), []byte("x"), 0o644)
	return dir
}

// tree returns every file under dir (slash-separated) with its content.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !d.Type().IsRegular() {
			t.Errorf("%s: not a regular file (%v)", p, d.Type())
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestSite writes the site of an exported docs directory and checks it
// holds exactly what serve serves: the page and data/, byte for byte.
func TestSite(t *testing.T) {
	dir := exportedDocs(t)
	site := filepath.Join(t.TempDir(), "_site")
	rep, err := writeSite(context.Background(), dir, site)
	if err != nil {
		t.Fatal(err)
	}
	got := tree(t, site)
	want := map[string]string{siteMarker: got[siteMarker]}
	for name, content := range tree(t, filepath.Join(dir, "data")) {
		if !strings.HasPrefix(name, ".") && !strings.Contains(name, "/.") {
			want["data/"+name] = content
		}
	}
	for _, name := range []string{"index.html", "app.js", "style.css"} {
		b, err := docs.FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		want[name] = string(b)
	}
	if len(want) < 6 {
		t.Fatalf("the export wrote too little to test with: %v", want)
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("the site holds %s, which it should not", name)
		}
	}
	for name, content := range want {
		if got[name] != content {
			t.Errorf("%s: %d bytes, want %d", name, len(got[name]), len(content))
		}
	}
	if rep.data != len(want)-4 || len(rep.skipped) != 2 || !slices.Equal(rep.page, docs.PageFiles()) {
		t.Errorf("report %+v", rep)
	}
	// The same bytes over HTTP from serve's handler.
	root := openRoot(t, dir)
	srv := httptest.NewServer(docs.Handler(root.FS()))
	defer srv.Close()
	for name, content := range want {
		if name == siteMarker {
			continue
		}
		resp, err := srv.Client().Get(srv.URL + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || b.String() != content {
			t.Errorf("serve gives %d with %d bytes for %s, the site %d bytes", resp.StatusCode, b.Len(), name, len(content))
		}
	}

	// A second run replaces its own output whole: a data file removed
	// since is gone from the site, and nothing is left beside it.
	os.Remove(filepath.Join(dir, "data", "platforms.json"))
	os.WriteFile(filepath.Join(dir, "data", "platforms.json"), []byte(`{"schema_version":1,"platforms":[]}`), 0o644)
	victim := ""
	for name := range want {
		if strings.HasPrefix(name, "data/") && name != "data/platforms.json" {
			victim = name
			break
		}
	}
	os.Remove(filepath.Join(dir, filepath.FromSlash(victim)))
	if _, err := writeSite(context.Background(), dir, site); err != nil {
		t.Fatal(err)
	}
	again := tree(t, site)
	if _, ok := again[victim]; ok {
		t.Errorf("%s was removed from the data but is still in the site", victim)
	}
	if again["data/platforms.json"] != `{"schema_version":1,"platforms":[]}` {
		t.Error("platforms.json not updated")
	}
	if names := entries(t, filepath.Dir(site)); !slices.Equal(names, []string{"_site"}) {
		t.Errorf("left beside the site: %v", names)
	}
}

func openRoot(t *testing.T, dir string) *os.Root {
	t.Helper()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	return root
}

func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// goodSite writes a site from a small docs directory and returns both.
func goodSite(t *testing.T) (dir, site string) {
	t.Helper()
	dir = t.TempDir()
	os.MkdirAll(filepath.Join(dir, "data", "linux-amd64"), 0o755)
	os.WriteFile(filepath.Join(dir, "data", "platforms.json"), []byte(`{"schema_version":1}`), 0o644)
	os.WriteFile(filepath.Join(dir, "data", "linux-amd64", "index.json"), []byte(`{"good":1}`), 0o644)
	site = filepath.Join(t.TempDir(), "_site")
	if _, err := writeSite(context.Background(), dir, site); err != nil {
		t.Fatal(err)
	}
	return dir, site
}

// TestSiteHostile adds to a docs directory with a good site what issue
// 13 attacked serve with: each makes site fail, naming the entry, and the
// good site stays as it was, with nothing from outside.
func TestSiteHostile(t *testing.T) {
	outside := t.TempDir()
	secret := "SECRET-" + filepath.Base(outside)
	os.WriteFile(filepath.Join(outside, "shadow"), []byte(secret), 0o644)
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, data string)
		want  string
	}{
		{"link to a file outside", func(t *testing.T, data string) {
			symlink(t, filepath.Join(outside, "shadow"), filepath.Join(data, "shadow.json"))
		}, "a symbolic link out of the directory"},
		{"link to a directory outside", func(t *testing.T, data string) { symlink(t, outside, filepath.Join(data, "etclink")) }, "etclink"},
		{"link to the environment", func(t *testing.T, data string) { symlink(t, "/proc/self/environ", filepath.Join(data, "env.json")) }, "env.json"},
		{"named pipe", func(t *testing.T, data string) { mkfifo(t, filepath.Join(data, "linux-amd64", "pipe.json")) }, "a named pipe"},
		{"file over the cap", func(t *testing.T, data string) {
			f, _ := os.Create(filepath.Join(data, "big.json"))
			f.Truncate(docs.MaxFileSize + 1) // sparse
			f.Close()
		}, "over the site's limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, site := goodSite(t)
			before := tree(t, site)
			tc.setup(t, filepath.Join(dir, "data"))
			_, err := writeSite(context.Background(), dir, site)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), dir) {
				t.Errorf("err = %v, want one naming the entry in %s and saying %q", err, dir, tc.want)
			}
			if after := tree(t, site); !mapsEqual(before, after) {
				t.Errorf("the good site changed: %v", after)
			}
			if names := entries(t, filepath.Dir(site)); !slices.Equal(names, []string{"_site"}) {
				t.Errorf("left beside the site: %v", names)
			}
			for name, content := range tree(t, filepath.Dir(site)) {
				if strings.Contains(content, secret) {
					t.Errorf("%s holds the secret", name)
				}
			}
		})
	}
	// A link that stays inside PERF_DOCS is published as the file.
	dir, site := goodSite(t)
	symlink(t, "../platforms.json", filepath.Join(dir, "data", "linux-amd64", "same.json"))
	if _, err := writeSite(context.Background(), dir, site); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, site)["data/linux-amd64/same.json"]; got != `{"schema_version":1}` {
		t.Errorf("link inside: %q", got)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("cannot make symbolic links here: %v", err)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestSiteTarget runs the target as a user does: a foreign non-empty
// PERF_SITE is refused and left alone, missing data says to run export,
// a PERF_SITE inside the data is refused, and a good one is written.
func TestSiteTarget(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PERF_DOCS", dir)
	foreign := filepath.Join(t.TempDir(), "public")
	os.MkdirAll(foreign, 0o755)
	os.WriteFile(filepath.Join(foreign, "index.html"), []byte("my own page"), 0o644)
	for _, tc := range []struct {
		name, site string
		setup      func()
		want       []string
	}{
		{"no docs", foreign, func() { os.RemoveAll(dir) }, []string{"no exported data", filepath.Join(dir, "data"), "run export"}},
		{"no data", foreign, func() { os.MkdirAll(dir, 0o755) }, []string{"no exported data", filepath.Join(dir, "data"), "run export"}},
		{"empty data", foreign, func() { os.MkdirAll(filepath.Join(dir, "data"), 0o755) }, []string{"no platforms.json", "run export"}},
		{"foreign site", foreign, func() {
			os.WriteFile(filepath.Join(dir, "data", "platforms.json"), []byte(`{}`), 0o644)
		}, []string{foreign + " is not empty and was not written by site", siteMarker, "PERF_SITE"}},
		{"site inside data", filepath.Join(dir, "data", "site"), func() {}, []string{"one inside the other"}},
		{"site holds data", dir, func() {}, []string{"one inside the other"}},
	} {
		tc.setup()
		t.Setenv("PERF_SITE", tc.site)
		err := Site(context.Background())
		if err == nil || mg.ExitStatus(err) != 2 {
			t.Errorf("%s: err = %v (exit %d), want exit 2", tc.name, err, mg.ExitStatus(err))
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q does not say %q", tc.name, err, w)
			}
		}
	}
	if got := tree(t, foreign); !mapsEqual(got, map[string]string{"index.html": "my own page"}) {
		t.Errorf("the foreign directory changed: %v", got)
	}
	site := filepath.Join(t.TempDir(), "_site")
	t.Setenv("PERF_SITE", site)
	if err := Site(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, ok := tree(t, site)["data/platforms.json"]; !ok {
		t.Error("no data/platforms.json in the site")
	}
}

// TestSiteInterrupted cancels the target while it copies: the previous
// site stays whole.
func TestSiteInterrupted(t *testing.T) {
	dir, site := goodSite(t)
	before := tree(t, site)
	os.WriteFile(filepath.Join(dir, "data", "linux-amd64", "index.json"), []byte(`{"new":1}`), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := writeSite(ctx, dir, site); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if after := tree(t, site); !mapsEqual(before, after) {
		t.Errorf("the site changed: %v", after)
	}
}
