package toolchain

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/dirhash"
	"golang.org/x/mod/sumdb/note"
)

func TestParseProxyList(t *testing.T) {
	tests := []struct {
		in      string
		want    []proxyEntry
		wantErr bool
	}{
		{in: "https://proxy.golang.org,direct", want: []proxyEntry{{URL: "https://proxy.golang.org"}, {URL: "direct"}}},
		{in: "https://a.example/|https://b.example,off", want: []proxyEntry{{URL: "https://a.example", AnyError: true}, {URL: "https://b.example"}, {URL: "off"}}},
		{in: " off ", want: []proxyEntry{{URL: "off"}}},
		{in: "https://a.example,,direct", want: []proxyEntry{{URL: "https://a.example"}, {URL: "direct"}}},
		{in: "", wantErr: true},
		{in: ",", wantErr: true},
		{in: "file:///srv/proxy", wantErr: true},
		{in: "proxy.golang.org", wantErr: true},
	}
	for _, tt := range tests {
		got, err := parseProxyList(tt.in)
		if (err != nil) != tt.wantErr || !slices.Equal(got, tt.want) {
			t.Errorf("parseProxyList(%q) = %+v, %v; want %+v (error %v)", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseGOSUMDB(t *testing.T) {
	const key = "example.test+0123abcd+AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA="
	tests := []struct {
		in      string
		want    sumDB
		wantErr string
	}{
		{in: "sum.golang.org", want: sumDB{Name: "sum.golang.org", Key: SumGolangOrgKey, URL: "https://sum.golang.org"}},
		{in: "sum.golang.google.cn", want: sumDB{Name: "sum.golang.google.cn", Key: SumGolangOrgKey, URL: "https://sum.golang.google.cn"}},
		{in: key, want: sumDB{Name: "example.test", Key: key, URL: "https://example.test"}},
		{in: key + " http://127.0.0.1:8080/db/", want: sumDB{Name: "example.test", Key: key, URL: "http://127.0.0.1:8080/db"}},
		{in: "off", wantErr: "GOSUMDB=off"},
		{in: "", wantErr: "want a database name"},
		{in: "example.test", wantErr: "unknown database without a key"},
		{in: key + " ftp://x", wantErr: "bad URL"},
		{in: "a b c", wantErr: "want a database name"},
	}
	for _, tt := range tests {
		got, err := parseGOSUMDB(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parseGOSUMDB(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("parseGOSUMDB(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestNewestPatch(t *testing.T) {
	rels := []Release{
		{Version: "go1.27.3", Stable: true}, {Version: "go1.27.10", Stable: true}, {Version: "go1.27.11rc1"},
		{Version: "go1.28rc1"}, {Version: "go1.26.8", Stable: true}, {Version: "go1.20", Stable: true},
		{Version: "go1.20.1", Stable: true}, {Version: "go1.21.0", Stable: true}, {Version: "bogus", Stable: true},
	}
	for minor, want := range map[string]string{
		"go1.27": "go1.27.10", "go1.26": "go1.26.8", "go1.20": "go1.20.1", "go1.21": "go1.21.0", "go1.28": "", "go1.19": "",
	} {
		if got := newestPatch(rels, minor); got != want {
			t.Errorf("newestPatch(%s) = %q, want %q", minor, got, want)
		}
	}
}

func TestNewestInstalled(t *testing.T) {
	names := []string{"go1.27.3", "go1.27.10", "go1.28rc1", "go1.27.11rc1", "gotip", "go1.20", "tip"}
	for minor, want := range map[string]string{"go1.27": "go1.27.10", "go1.28": "", "go1.20": "go1.20", "go1.26": ""} {
		if got := newestStable(names, minor); got != want {
			t.Errorf("newestStable(%s) = %q, want %q", minor, got, want)
		}
	}
}

func TestPickArchive(t *testing.T) {
	rels := []Release{{Version: "go1.27.3", Stable: true, Files: []ReleaseFile{
		{Filename: "go1.27.3.src.tar.gz", Kind: "source"},
		{Filename: "go1.27.3.linux-amd64.tar.gz", OS: "linux", Arch: "amd64", Kind: "archive"},
		{Filename: "go1.27.3.linux-armv6l.tar.gz", OS: "linux", Arch: "armv6l", Kind: "archive"},
		{Filename: "go1.27.3.windows-amd64.msi", OS: "windows", Arch: "amd64", Kind: "installer"},
		{Filename: "go1.27.3.windows-amd64.zip", OS: "windows", Arch: "amd64", Kind: "archive"},
	}}}
	for _, tt := range []struct{ v, goos, goarch, want string }{
		{"go1.27.3", "linux", "amd64", "go1.27.3.linux-amd64.tar.gz"},
		{"go1.27.3", "linux", "arm", "go1.27.3.linux-armv6l.tar.gz"},
		{"go1.27.3", "windows", "amd64", "go1.27.3.windows-amd64.zip"},
		{"go1.27.3", "darwin", "arm64", ""},
		{"go1.27.4", "linux", "amd64", ""},
	} {
		f, err := pickArchive(rels, tt.v, tt.goos, tt.goarch)
		if tt.want == "" {
			var nr *NoReleaseError
			if !errors.As(err, &nr) || err.Error() != "no release "+tt.v+" for "+tt.goos+"/"+tt.goarch {
				t.Errorf("pickArchive(%s, %s/%s) error = %v", tt.v, tt.goos, tt.goarch, err)
			}
			continue
		}
		if err != nil || f.Filename != tt.want {
			t.Errorf("pickArchive(%s, %s/%s) = %q, %v; want %q", tt.v, tt.goos, tt.goarch, f.Filename, err, tt.want)
		}
	}
}

func TestArchiveURL(t *testing.T) {
	for _, tt := range []struct{ list, file, want string }{
		{DefaultReleaseURL, "go1.27.3.linux-amd64.tar.gz", "https://go.dev/dl/go1.27.3.linux-amd64.tar.gz"},
		{"http://127.0.0.1:8080/mirror/list.json", "go1.27.3.linux-amd64.tar.gz", "http://127.0.0.1:8080/mirror/go1.27.3.linux-amd64.tar.gz"},
		{"https://m.example/dl/?mode=json", "../evil", "https://m.example/dl/..%2Fevil"},
	} {
		if got, err := archiveURL(tt.list, tt.file); err != nil || got != tt.want {
			t.Errorf("archiveURL(%q, %q) = %q, %v; want %q", tt.list, tt.file, got, err, tt.want)
		}
	}
}

func TestCheckEntries(t *testing.T) {
	ok := []entry{{name: "go/", mode: fs.ModeDir | 0o755}, {name: "go/bin/go", mode: 0o755, size: 10}, {name: "go/VERSION", mode: 0o644, size: 5}}
	lim := Limits{Download: 1 << 20, Files: 4, FileSize: 100, Total: 150}
	tests := []struct {
		name  string
		extra entry
		want  string // part of the reason; "" means accepted
	}{
		{"fine", entry{name: "go/src/x.go", size: 100}, ""},
		{"dotdot", entry{name: "go/../x"}, "leaves the archive"},
		{"dotdot at the end", entry{name: "go/.."}, "leaves the archive"},
		{"dot", entry{name: "go/./x"}, "not clean"},
		{"double slash", entry{name: "go//x"}, "not clean"},
		{"absolute", entry{name: "/go/x"}, "absolute path"},
		{"drive letter", entry{name: "C:/go/x"}, "absolute path"},
		{"backslash", entry{name: `go\..\x`}, "backslash"},
		{"outside the prefix", entry{name: "other/x"}, "not under go/"},
		{"prefix lookalike", entry{name: "gopher/x"}, "not under go/"},
		{"symlink", entry{name: "go/l", mode: fs.ModeSymlink | 0o777}, "symbolic link"},
		{"setuid", entry{name: "go/s", mode: fs.ModeSetuid | 0o755}, "setuid"},
		{"setgid dir", entry{name: "go/d/", mode: fs.ModeDir | fs.ModeSetgid | 0o755}, "setgid"},
		{"sticky", entry{name: "go/t", mode: fs.ModeSticky | 0o644}, "sticky"},
		{"device", entry{name: "go/dev", mode: fs.ModeDevice}, "not a regular file"},
		{"fifo", entry{name: "go/fifo", mode: fs.ModeNamedPipe}, "not a regular file"},
		{"oversized", entry{name: "go/big", size: 101}, "more than the limit of 100"},
		{"negative size", entry{name: "go/neg", size: -1}, "more than the limit"},
		{"total", entry{name: "go/a", size: 90}, "more than the limit of 150 bytes unpacked"},
	}
	for _, tt := range tests {
		entries := append(slices.Clone(ok), tt.extra)
		if tt.name == "total" {
			entries = append(ok[:2:2], entry{name: "go/a", size: 90}, entry{name: "go/b", size: 90})
		}
		err := checkEntries("a.tar.gz", "go/", entries, lim)
		if tt.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		var ae *ArchiveError
		if !errors.As(err, &ae) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want an ArchiveError saying %q", tt.name, err, tt.want)
		}
	}
	many := append(slices.Clone(ok), entry{name: "go/a"}, entry{name: "go/b"})
	if err := checkEntries("a.zip", "go/", many, lim); err == nil || !strings.Contains(err.Error(), "more than the limit of 4 entries") {
		t.Errorf("too many entries: %v", err)
	}
	if err := checkEntries("a.zip", "go/", nil, lim); err == nil {
		t.Error("an empty archive was accepted")
	}
}

// TestUnpackTarGzTruncatedTrailer refuses a tar.gz cut inside its gzip
// trailer, after the tar end marker, which tar alone never reads.
func TestUnpackTarGzTruncatedTrailer(t *testing.T) {
	body := makeTarGz(t, fakeGoFiles("go/", "go1.99.1"))
	dir := t.TempDir()
	whole, cut := filepath.Join(dir, "whole.tar.gz"), filepath.Join(dir, "cut.tar.gz")
	if err := os.WriteFile(whole, body, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cut, body[:len(body)-8], 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := unpackTarGz(ctx, whole, "whole", "go/", filepath.Join(dir, "a"), Limits{}); err != nil {
		t.Fatalf("whole archive: %v", err)
	}
	var ae *ArchiveError
	if err := unpackTarGz(ctx, cut, "cut", "go/", filepath.Join(dir, "b"), Limits{}); !errors.As(err, &ae) {
		t.Errorf("archive without its gzip trailer: %v, want an ArchiveError", err)
	}
}

// TestHash1 holds the h1 that unpackZip computes from the reads that
// unpack a zip to dirhash.HashZip of the same zip, the hash the checksum
// database signs: entries out of order, directory entries, empty files.
func TestHash1(t *testing.T) {
	const pfx = "example.com/m@v1.0.0/"
	toolchainPfx := toolchainModule + "@" + modVersion("go1.99.1") + "/"
	for _, tt := range []struct {
		prefix string
		files  []file
	}{
		{toolchainPfx, fakeGoFiles(toolchainPfx, "go1.99.1")},
		{pfx, []file{{name: pfx + "z", body: "last"}, {name: pfx + "a/", mode: 0o755}, {name: pfx + "a/empty"}, {name: pfx + "M", body: strings.Repeat("x", 100_000)}}},
		{pfx, []file{{name: pfx}, {name: pfx + "only", body: "one"}}},
	} {
		prefix, files := tt.prefix, tt.files
		data := makeZip(t, files)
		zipFile := filepath.Join(t.TempDir(), "m.zip")
		if err := os.WriteFile(zipFile, data, 0o644); err != nil {
			t.Fatal(err)
		}
		want, err := dirhash.HashZip(zipFile, dirhash.Hash1)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := zip.OpenReader(zipFile)
		if err != nil {
			t.Fatal(err)
		}
		root := filepath.Join(t.TempDir(), "root")
		got, err := unpackZip(context.Background(), &zr.Reader, "m.zip", prefix, root, moduleMode, true)
		zr.Close()
		if err != nil || got != want {
			t.Errorf("unpackZip h1 = %q, %v; dirhash.HashZip = %q", got, err, want)
		}
		for _, f := range files {
			if rel := strings.TrimPrefix(f.name, prefix); rel != "" && !strings.HasSuffix(rel, "/") {
				if data, err := os.ReadFile(filepath.Join(root, rel)); err != nil || string(data) != f.body {
					t.Errorf("%s unpacked as %q, %v; want %q", rel, data, err, f.body)
				}
			}
		}
	}
	// A name with a newline cannot be hashed, as in dirhash.
	if _, err := hash1([]string{"a\nb"}, make([][32]byte, 1)); err == nil {
		t.Error("hash1 accepted a name with a newline")
	}
}

// TestUnpackZipRefuses checks what unpackZip itself refuses once checkZip
// passed an archive: an entry given twice, a body that is not what its
// header says, and a cancelled context.
func TestUnpackZipRefuses(t *testing.T) {
	const pfx = "go/"
	open := func(t *testing.T, data []byte) *zip.Reader {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		return zr
	}
	mode := func(string, *zip.File) fs.FileMode { return 0o644 }
	twice := makeZip(t, []file{{name: pfx + "a", body: "1"}, {name: pfx + "a", body: "2"}})
	var ae *ArchiveError
	if _, err := unpackZip(context.Background(), open(t, twice), "twice.zip", pfx, filepath.Join(t.TempDir(), "r"), mode, false); !errors.As(err, &ae) || !strings.Contains(err.Error(), "given twice") {
		t.Errorf("an entry given twice: %v, want an ArchiveError", err)
	}
	// Flip a byte of the deflated body: the CRC no longer matches.
	good := makeZip(t, []file{{name: pfx + "a", body: strings.Repeat("hello ", 1000)}})
	zr := open(t, good)
	off, err := zr.File[0].DataOffset()
	if err != nil {
		t.Fatal(err)
	}
	bad := slices.Clone(good)
	bad[off+10] ^= 0xff
	if _, err := unpackZip(context.Background(), open(t, bad), "bad.zip", pfx, filepath.Join(t.TempDir(), "r"), mode, true); !errors.As(err, &ae) {
		t.Errorf("a corrupt body: %v, want an ArchiveError", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := unpackZip(ctx, open(t, good), "good.zip", pfx, filepath.Join(t.TempDir(), "r"), mode, true); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled unpack: %v, want context.Canceled", err)
	}
}

func TestExecutable(t *testing.T) {
	for rel, want := range map[string]bool{
		"bin/go": true, "bin/gofmt": true, "pkg/tool/linux_amd64/compile": true,
		"lib/wasm/go_js_wasm_exec": true, "lib/wasm/go_wasip1_wasm_exec": true, "misc/wasm/go_js_wasm_exec": false,
		"lib/time/zoneinfo.zip": false, "lib/wasm/go__exec": false, "src/cmd/go/main.go": false,
		"VERSION": false, "binx/go": false, "pkg/include/asm.h": false,
	} {
		if got := executable(rel); got != want {
			t.Errorf("executable(%q) = %v, want %v", rel, got, want)
		}
	}
}

func TestParseGoVersion(t *testing.T) {
	for out, want := range map[string]string{
		"go version go1.27.3 linux/amd64\n":                                          "go1.27.3",
		"go version go1.21rc1 darwin/arm64":                                          "go1.21rc1",
		"go version devel go1.28-1a2b3c4d Tue Nov 3 10:00:00 2026 +0000 linux/amd64": "devel go1.28-1a2b3c4d",
		"go version go1.27.3 X:nocoverageredesign linux/amd64":                       "go1.27.3",
		"":                                 "",
		"go: cannot find GOROOT directory": "",
		"go version 1.27.3 linux/amd64":    "",
		"gccgo (GCC) 14.1.0\ngo version go1.22.2": "",
	} {
		got, ok := parseGoVersion(out)
		if got != want || ok != (want != "") {
			t.Errorf("parseGoVersion(%q) = %q, %v; want %q", out, got, ok, want)
		}
	}
}

func TestSumGolangOrgKey(t *testing.T) {
	v, err := note.NewVerifier(SumGolangOrgKey)
	if err != nil || v.Name() != "sum.golang.org" {
		t.Errorf("note.NewVerifier(SumGolangOrgKey) = %v, %v", v, err)
	}
}

// hostileVersions are release-list versions that must never become a
// directory name under the SDK root.
var hostileVersions = []string{
	"go1.27.9-/../../1", "go1.27.9-/x", `go1.27.9-\..\..\1`, "go1.27.3-x", "go1.27x", "go1.27.3/..",
	"../go1.27.3", "/go1.27.3", "go1.27.3 ", "go1.27.3\n", " go1.27.3", "go1.27..3", "go1.27.3.4",
	"go1.27.03", "go1.21.0rc1", "go1", "1.27.3", "", ".", "..", "go1.27.3\x00",
}

func TestIsReleaseName(t *testing.T) {
	for _, v := range []string{"go1.27.3", "go1.20", "go1.20.1", "go1.21.0", "go1.21rc1", "go1.22beta1", "go1.0", "go1.100.200"} {
		if !isReleaseName(v) {
			t.Errorf("isReleaseName(%q) = false, want true", v)
		}
	}
	for _, v := range hostileVersions {
		if isReleaseName(v) {
			t.Errorf("isReleaseName(%q) = true, want false", v)
		}
	}
}

func TestCheckReleases(t *testing.T) {
	var rels []Release
	for _, v := range append([]string{"go1.27.3"}, hostileVersions...) {
		rels = append(rels, Release{Version: v, Stable: true})
	}
	rels = append(rels, Release{Version: "go1.28rc1"})
	ok, bad := checkReleases(rels)
	var got []string
	for _, r := range ok {
		got = append(got, r.Version)
	}
	if !slices.Equal(got, []string{"go1.27.3", "go1.28rc1"}) || !slices.Equal(bad, hostileVersions) {
		t.Errorf("checkReleases kept %q and refused %q; want go1.27.3 and go1.28rc1 kept, %q refused", got, bad, hostileVersions)
	}
	// Before the check, the hostile go1.27.9-... was the newest go1.27.
	if v := newestPatch(rels, "go1.27"); v != "go1.27.9-/../../1" {
		t.Fatalf("newestPatch of the unchecked list = %q; the test no longer shows the hole it guards", v)
	}
	if v := newestPatch(ok, "go1.27"); v != "go1.27.3" {
		t.Errorf("newestPatch of the checked list = %q, want go1.27.3", v)
	}
}

func TestGoroot(t *testing.T) {
	sdk := filepath.Join(t.TempDir(), "sdk")
	in := &Installer{SDK: sdk}
	for _, v := range []string{"go1.27.3", "go1.21rc1", "gotip"} {
		if root, err := in.goroot(v); err != nil || root != filepath.Join(sdk, v) {
			t.Errorf("goroot(%q) = %q, %v; want %q", v, root, err, filepath.Join(sdk, v))
		}
	}
	// Whatever gets past isReleaseName, goroot keeps inside the SDK root,
	// one level down.
	for _, v := range []string{"go1.27.9-/../../1", "go1.27.3/..", "../go1.27.3", "/go1.27.3", "a/b", "a/../go1.27.3", "./go1.27.3", "go1.27.3/", "", ".", ".."} {
		if root, err := in.goroot(v); err == nil {
			t.Errorf("goroot(%q) = %q, want an error", v, root)
		}
	}
}
