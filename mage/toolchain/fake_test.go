package toolchain

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/dirhash"
	"golang.org/x/mod/sumdb/note"
)

// This file builds the fakes the installer tests run against: toolchain
// archives whose bin/go is a shell script printing its version, a module
// proxy, a checksum database signed with a generated key (x/mod's
// sumdb.TestServer behind sumdb.Server), and a release list.

const fakeDB = "sum.perftrack.test"

// file is one archive entry.
type file struct {
	name string
	body string
	mode fs.FileMode // 0 means 0644 for files, 0755 for names ending in /
	typ  byte        // tar type; 0 means regular file or directory
	link string      // symlink target
}

// fakeGoFiles returns the files of a fake release v, with prefix before
// each name (go/ for release archives, path@version/ for module zips).
func fakeGoFiles(prefix, v string) []file {
	script := fmt.Sprintf("#!/bin/sh\necho \"go version %s %s/%s\"\n", v, runtime.GOOS, runtime.GOARCH)
	fs := []file{
		{name: prefix + "bin/go", body: script, mode: 0o755},
		{name: prefix + "pkg/tool/" + runtime.GOOS + "_" + runtime.GOARCH + "/compile", body: "#!/bin/sh\n", mode: 0o755},
		{name: prefix + "lib/time/zoneinfo.zip", body: "zones"},
		{name: prefix + "VERSION", body: v + "\ntime 2026-01-01T00:00:00Z\n"},
		{name: prefix + "src/_go.mod", body: "module std\n"},
		{name: prefix + "src/cmd/_go.mod", body: "module cmd\n"},
	}
	if prefix == "go/" {
		fs = append([]file{{name: "go/", mode: 0o755}}, fs...)
		fs[len(fs)-2].name = "go/src/go.mod"
		fs[len(fs)-1].name = "go/src/cmd/go.mod"
	}
	return fs
}

func makeTarGz(t *testing.T, files []file) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range files {
		h := &tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.body)), Typeflag: tar.TypeReg, Linkname: f.link}
		if f.mode != 0 {
			h.Mode = int64(f.mode.Perm())
			if f.mode&fs.ModeSetuid != 0 {
				h.Mode |= 0o4000
			}
		}
		switch {
		case f.typ != 0:
			h.Typeflag, h.Size = f.typ, 0
		case strings.HasSuffix(f.name, "/"):
			h.Typeflag, h.Mode, h.Size = tar.TypeDir, 0o755, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			if _, err := tw.Write([]byte(f.body)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func makeZip(t *testing.T, files []file) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		h := &zip.FileHeader{Name: f.name, Method: zip.Deflate}
		mode := f.mode
		if mode == 0 {
			mode = 0o644
		}
		if f.typ == tar.TypeSymlink {
			mode = fs.ModeSymlink | 0o777
			f.body = f.link
		}
		if strings.HasSuffix(f.name, "/") {
			mode |= fs.ModeDir
		}
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// modVersion is the toolchain module version of v on this platform.
func modVersion(v string) string { return toolchainVersion(v, runtime.GOOS, runtime.GOARCH) }

// moduleZip returns the proxy zip of fake release v.
func moduleZip(t *testing.T, v string) []byte {
	return makeZip(t, fakeGoFiles(toolchainModule+"@"+modVersion(v)+"/", v))
}

// releaseArchive returns the file name and body of the fake release
// archive of v, as a tar.gz or a zip.
func releaseArchive(t *testing.T, v, ext string, files []file) (string, []byte) {
	if files == nil {
		files = fakeGoFiles("go/", v)
	}
	name := v + "." + runtime.GOOS + "-" + runtime.GOARCH + "." + ext
	if ext == "zip" {
		return name, makeZip(t, files)
	}
	return name, makeTarGz(t, files)
}

// hashZip is dirhash.HashZip of zip bytes.
func hashZip(t *testing.T, data []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "m.zip")
	if err := os.WriteFile(f, data, 0o644); err != nil {
		t.Fatal(err)
	}
	h, err := dirhash.HashZip(f, dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// fakeGo is a module proxy, a checksum database and a release list.
type fakeGo struct {
	t    *testing.T
	srv  *httptest.Server
	skey string // the checksum database's signer key
	vkey string // the checksum database's verifier key

	mu       sync.Mutex
	zips     map[string][]byte // proxy: module version -> zip
	sums     map[string]string // checksum database: module version -> h1
	files    map[string][]byte // release list server: file name -> body
	releases []Release
	requests []string // every request path, in order
	// serve, if set, answers a request instead of the fake (return true).
	serve func(w http.ResponseWriter, r *http.Request) bool
	// tamper, if set, rewrites every checksum database response.
	tamper func(path string, body []byte) []byte
}

func newFakeGo(t *testing.T) *fakeGo {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, fakeDB)
	if err != nil {
		t.Fatal(err)
	}
	return newFakeGoKey(t, skey, vkey)
}

// newFakeGoKey is newFakeGo with a given signer and verifier key.
func newFakeGoKey(t *testing.T, skey, vkey string) *fakeGo {
	t.Helper()
	f := &fakeGo{t: t, skey: skey, vkey: vkey, zips: map[string][]byte{}, sums: map[string]string{}, files: map[string][]byte{}}
	db := sumdb.NewServer(sumdb.NewTestServer(skey, f.gosum))
	mux := http.NewServeMux()
	mux.HandleFunc("/proxy/golang.org/toolchain/@v/", f.proxyZip)
	mux.HandleFunc("/proxy/sumdb/"+fakeDB+"/supported", func(w http.ResponseWriter, r *http.Request) {})
	mux.Handle("/proxy/sumdb/"+fakeDB+"/", f.tampered(http.StripPrefix("/proxy/sumdb/"+fakeDB, db)))
	mux.Handle("/sumdb-direct/", f.tampered(http.StripPrefix("/sumdb-direct", db)))
	mux.HandleFunc("/dl/", f.dl)
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.requests = append(f.requests, r.Method+" "+r.URL.Path)
		serve := f.serve
		f.mu.Unlock()
		if serve != nil && serve(w, r) {
			return
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// addModule serves zip as release v on the proxy and records its hash in
// the checksum database.
func (f *fakeGo) addModule(v string, zip []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.zips[modVersion(v)] = zip
	f.sums[modVersion(v)] = hashZip(f.t, zip)
}

// addRelease lists release v with one archive and serves it; sum
// overrides the listed sha256 when not empty.
func (f *fakeGo) addRelease(v, name string, body []byte, sum string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if sum == "" {
		h := sha256.Sum256(body)
		sum = hex.EncodeToString(h[:])
	}
	f.files[name] = body
	f.releases = append(f.releases, Release{Version: v, Stable: isStable(v), Files: []ReleaseFile{
		{Filename: v + ".src.tar.gz", Kind: "source", SHA256: strings.Repeat("0", 64)},
		{Filename: name, OS: runtime.GOOS, Arch: runtime.GOARCH, Version: v, SHA256: sum, Size: int64(len(body)), Kind: "archive"},
	}})
}

func (f *fakeGo) gosum(path, vers string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	h, ok := f.sums[vers]
	if path != toolchainModule || !ok {
		return nil, os.ErrNotExist
	}
	return fmt.Appendf(nil, "%s %s %s\n%s %s/go.mod h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", path, vers, h, path, vers), nil
}

func (f *fakeGo) tampered(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		tamper := f.tamper
		f.mu.Unlock()
		if tamper == nil {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		w.WriteHeader(rec.Code)
		w.Write(tamper(r.URL.Path, rec.Body.Bytes()))
	})
}

func (f *fakeGo) proxyZip(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/proxy/golang.org/toolchain/@v/")
	f.mu.Lock()
	data, ok := f.zips[strings.TrimSuffix(name, ".zip")]
	f.mu.Unlock()
	if !ok || !strings.HasSuffix(name, ".zip") {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Length", fmt.Sprint(len(data)))
	w.Write(data)
}

func (f *fakeGo) dl(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/dl/")
	f.mu.Lock()
	defer f.mu.Unlock()
	if name == "" && r.URL.Query().Get("mode") == "json" {
		json.NewEncoder(w).Encode(f.releases)
		return
	}
	data, ok := f.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Length", fmt.Sprint(len(data)))
	w.Write(data)
}

// requestCount returns how many requests the fake answered.
func (f *fakeGo) requestCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

// installer returns an Installer pointed at the fake (never at the user's
// go env) with a fresh SDK root and cache.
func (f *fakeGo) installer(t *testing.T, source string) *Installer {
	return &Installer{
		SDK:        t.TempDir(),
		Source:     source,
		ReleaseURL: f.srv.URL + "/dl/?mode=json&include=all",
		Client:     f.srv.Client(),
		GOPROXY:    f.srv.URL + "/proxy",
		GOSUMDB:    f.vkey + " " + f.srv.URL + "/sumdb-direct",
		GOMODCACHE: "off",
		CacheDir:   t.TempDir(),
		GoCmd:      "go",
	}
}

// needShell skips tests whose fake bin/go is a shell script.
func needShell(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("the fake toolchains' bin/go is a shell script")
	}
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
}

// assertEmpty fails unless dir holds nothing.
func assertEmpty(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("%s holds %s after a failed install", dir, e.Name())
	}
}

// localGOROOT returns the GOROOT of the go running the tests.
func localGOROOT(t *testing.T) string {
	t.Helper()
	cmd := exec.Command("go", "env", "GOROOT")
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("go env GOROOT: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// runGo runs root/bin/go with args under env and returns its stdout.
func runGo(t *testing.T, root string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(filepath.Join(root, "bin", "go"+exeSuffix()), args...)
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go %v: %v", args, err)
	}
	return string(out)
}
