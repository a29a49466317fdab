package toolchain

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/gofrs/flock"
	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb"
	modzip "golang.org/x/mod/zip"

	"github.com/perftrack/perftrack/mage/internal/atomicfile"
)

// SumGolangOrgKey is the public key of sum.golang.org, as the go command
// carries it (cmd/go/internal/modfetch/key.go); TestSumGolangOrgKey checks
// that it parses.
const SumGolangOrgKey = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"

// toolchainModule is the module the go command downloads toolchains as.
const toolchainModule = "golang.org/toolchain"

// SecurityError reports a checksum database that answered with data that
// does not verify: a tampered record, a forked log, a bad signature. It
// wraps sumdb.ErrSecurity.
type SecurityError struct {
	Module string // path@version looked up
	Msg    string
}

func (e *SecurityError) Error() string {
	return fmt.Sprintf("checksum database security error for %s: %s", e.Module, e.Msg)
}

func (e *SecurityError) Unwrap() error { return sumdb.ErrSecurity }

// CacheError reports a cache directory that cannot be created, written or
// read: a fault of this machine (a read-only HOME, a file where the
// directory should be, a full disk), not of anything downloaded.
type CacheError struct {
	Dir string // the directory
	Op  string // "write" or "read"
	Err error  // the os error
}

func (e *CacheError) Error() string {
	return fmt.Sprintf("cannot %s the cache directory %s: %v", e.Op, e.Dir, e.Err)
}

func (e *CacheError) Unwrap() error { return e.Err }

// proxyEntry is one element of GOPROXY.
type proxyEntry struct {
	URL string // an http(s) URL, "direct" or "off"
	// AnyError says the entry was followed by '|': any error falls
	// through to the next entry, not only 404 and 410.
	AnyError bool
}

// parseProxyList parses GOPROXY as the go command does: entries separated
// by ',' (fall through on 404/410 only) or '|' (fall through on any error).
func parseProxyList(s string) ([]proxyEntry, error) {
	var list []proxyEntry
	for s != "" {
		i := strings.IndexAny(s, ",|")
		var e proxyEntry
		if i < 0 {
			e.URL, s = strings.TrimSpace(s), ""
		} else {
			e.URL, e.AnyError, s = strings.TrimSpace(s[:i]), s[i] == '|', s[i+1:]
		}
		if e.URL == "" {
			continue
		}
		switch e.URL {
		case "direct", "off":
		default:
			u, err := url.Parse(e.URL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return nil, fmt.Errorf("GOPROXY entry %q: want an http or https URL, direct or off", e.URL)
			}
			e.URL = strings.TrimSuffix(e.URL, "/")
		}
		list = append(list, e)
	}
	if len(list) == 0 {
		return nil, errors.New("GOPROXY is empty")
	}
	return list, nil
}

// sumDB names a checksum database: its name, verifier key and URL.
type sumDB struct{ Name, Key, URL string }

// parseGOSUMDB parses GOSUMDB: "sum.golang.org", "<key>" or "<key> <url>".
// "off" is an error: a toolchain is only trusted through the database.
func parseGOSUMDB(s string) (sumDB, error) {
	f := strings.Fields(s)
	if len(f) == 0 || len(f) > 2 {
		return sumDB{}, fmt.Errorf("GOSUMDB=%q: want a database name, a key, or a key and a URL", s)
	}
	if f[0] == "off" {
		return sumDB{}, errors.New("GOSUMDB=off: toolchains from the module proxy are verified against the checksum database; set GOSUMDB or use PERF_SOURCE=dl")
	}
	db := sumDB{Name: f[0], Key: f[0]}
	if name, _, ok := strings.Cut(f[0], "+"); ok {
		db.Name = name
	} else {
		switch f[0] {
		case "sum.golang.org", "sum.golang.google.cn":
			// The go command uses sum.golang.org's key for both.
			db.Key = SumGolangOrgKey
		default:
			return sumDB{}, fmt.Errorf("GOSUMDB=%q: unknown database without a key", s)
		}
	}
	db.URL = "https://" + db.Name
	if len(f) == 2 {
		u, err := url.Parse(f[1])
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return sumDB{}, fmt.Errorf("GOSUMDB=%q: bad URL %q", s, f[1])
		}
		db.URL = strings.TrimSuffix(f[1], "/")
	}
	return db, nil
}

// toolchainVersion returns the module version of release v for a platform:
// v0.0.1-go1.27.3.linux-amd64.
func toolchainVersion(v, goos, goarch string) string {
	return "v0.0.1-" + v + "." + goos + "-" + goarch
}

// installProxy fetches release v from the module proxy into root (which
// must not exist), verified against the checksum database. tmp is a
// scratch directory on the same filesystem.
func (in *Installer) installProxy(ctx context.Context, v, tmp, root string) (source string, err error) {
	cfg, err := in.goConfig(ctx)
	if err != nil {
		return "", err
	}
	db, err := parseGOSUMDB(cfg.GOSUMDB)
	if err != nil {
		return "", err
	}
	proxies, err := parseProxyList(cfg.GOPROXY)
	if err != nil {
		return "", err
	}
	mod := module.Version{Path: toolchainModule, Version: toolchainVersion(v, in.goos(), in.goarch())}

	// Note: the checksum database lookup (several round trips on a cold
	// cache) runs while the zip downloads and unpacks; nothing unpacked
	// runs, gets the marker or is renamed into place before both are done
	// and agree. A failed lookup cancels the download and the unpacking.
	dctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var want string
	var lookupErr error
	lookupDone := make(chan struct{})
	go func() {
		defer close(lookupDone)
		want, lookupErr = in.lookupSum(dctx, db, proxies, mod, v)
		if lookupErr != nil {
			cancel()
		}
	}()
	wantSum := func() (string, error) {
		<-lookupDone
		return want, lookupErr
	}

	if cfg.GOMODCACHE != "" && cfg.GOMODCACHE != "off" {
		// A zip the go command downloaded for GOTOOLCHAIN=go1.X.Y is the same
		// file; it is used only if its hash is the database's.
		cached := filepath.Join(cfg.GOMODCACHE, "cache", "download", toolchainModule, "@v", mod.Version+".zip")
		if _, err := os.Stat(cached); err == nil {
			got, uerr := in.unpackModule(dctx, cached, cached, mod, root)
			w, err := wantSum()
			if err != nil {
				return "", err
			}
			if uerr == nil && got == w {
				return "proxy (module cache)", nil
			}
			// Not the zip the database knows, or not one at all: start
			// again from the proxy.
			if err := removeAll(root); err != nil {
				return "", err
			}
		}
	}
	file, proxy, err := in.fetchModuleZip(dctx, proxies, mod, v, tmp)
	if err != nil {
		if _, lerr := wantSum(); lerr != nil {
			return "", lerr // the cause of a cancelled download
		}
		return "", err
	}
	u := moduleZipURL(proxy, mod)
	in.notef("unpacking %s, checking it against the checksum database %s", v, db.Name)
	got, uerr := in.unpackModule(dctx, file, u, mod, root)
	w, lerr := wantSum()
	switch {
	case lerr != nil:
		return "", lerr
	case uerr != nil:
		return "", uerr
	case got != w:
		return "", &ChecksumError{File: u, Expected: w, Found: got}
	}
	return "proxy " + proxy, nil
}

// unpackModule checks the module zip file (display names it in errors),
// unpacks it into root (which must not exist) with the go command's
// modes and go.mod files, and returns its dirhash h1, which the caller
// must compare with the checksum database's before trusting root.
func (in *Installer) unpackModule(ctx context.Context, file, display string, mod module.Version, root string) (string, error) {
	prefix := mod.Path + "@" + mod.Version + "/"
	zr, err := zip.OpenReader(file)
	if err != nil {
		return "", &ArchiveError{File: display, Reason: err.Error()}
	}
	defer zr.Close()
	if err := checkZip(&zr.Reader, display, prefix, in.limits()); err != nil {
		return "", err
	}
	// x/mod's rules for module zips (paths it can represent, no case-fold
	// collisions, no entry given twice, sizes) on top of ours.
	if _, err := modzip.CheckZip(mod, file); err != nil {
		return "", &ArchiveError{File: display, Reason: err.Error()}
	}
	h1, err := unpackZip(ctx, &zr.Reader, display, prefix, root, moduleMode, true)
	if err != nil {
		return "", err
	}
	return h1, restoreGoMods(root, zr.File, prefix)
}

// moduleZipURL is where a proxy serves a module zip.
func moduleZipURL(proxy string, mod module.Version) string {
	return proxy + "/" + mod.Path + "/@v/" + mod.Version + ".zip"
}

// fetchModuleZip downloads the module zip from the first proxy that has it;
// it returns the file and the proxy URL. The caller checks the hash.
func (in *Installer) fetchModuleZip(ctx context.Context, proxies []proxyEntry, mod module.Version, v, tmp string) (file, proxy string, err error) {
	var errs []error
	for _, p := range proxies {
		switch p.URL {
		case "off":
			errs = append(errs, errors.New("GOPROXY=off disallows downloads"))
			return "", "", in.proxyErr(v, errs)
		case "direct":
			errs = append(errs, errors.New("direct: toolchains are only served by module proxies"))
			continue
		}
		u := moduleZipURL(p.URL, mod)
		dir, err := os.MkdirTemp(tmp, "zip-")
		if err != nil {
			return "", "", err
		}
		f, err := in.download(ctx, u, dir, "toolchain.zip", "download "+v, "")
		if err != nil {
			errs = append(errs, err)
			var se *HTTPStatusError
			if ctx.Err() == nil && (p.AnyError || (errors.As(err, &se) && se.NotFound())) {
				continue
			}
			return "", "", in.proxyErr(v, errs)
		}
		return f, p.URL, nil
	}
	return "", "", in.proxyErr(v, errs)
}

// proxyErr turns the errors of every proxy tried into one: a NoReleaseError
// when every proxy said 404 or 410.
func (in *Installer) proxyErr(v string, errs []error) error {
	notFound := len(errs) > 0
	for _, err := range errs {
		var se *HTTPStatusError
		if !errors.As(err, &se) || !se.NotFound() {
			notFound = false
		}
	}
	err := errors.Join(errs...)
	if notFound {
		return &NoReleaseError{Version: v, GOOS: in.goos(), GOARCH: in.goarch(), Err: err}
	}
	return err
}

// lookupSum asks the checksum database for the h1: hash of mod.
func (in *Installer) lookupSum(ctx context.Context, db sumDB, proxies []proxyEntry, mod module.Version, v string) (string, error) {
	ops := &sumdbOps{ctx: ctx, in: in, db: db, proxies: proxies, dir: filepath.Join(in.cacheDir(), "sumdb")}
	if cfg, _ := in.goConfig(ctx); cfg.GOMODCACHE != "" && cfg.GOMODCACHE != "off" {
		ops.goCache = filepath.Join(cfg.GOMODCACHE, "cache", "download", "sumdb")
	}
	if err := ops.checkDir(); err != nil {
		return "", err
	}
	lines, err := sumdb.NewClient(ops).Lookup(mod.Path, mod.Version)
	ops.mu.Lock()
	security, remoteErr, cacheErr := ops.security, ops.remoteErr, ops.cacheErr
	ops.mu.Unlock()
	switch {
	case len(security) > 0:
		return "", &SecurityError{Module: mod.String(), Msg: strings.Join(security, "; ")}
	case err != nil && cacheErr != nil:
		// The client fails when it cannot keep the tree head it must
		// compare the next answer with: a fault of this machine.
		return "", cacheErr
	case err != nil && remoteErr != nil:
		var se *HTTPStatusError
		if errors.As(remoteErr, &se) && se.NotFound() {
			return "", &NoReleaseError{Version: v, GOOS: in.goos(), GOARCH: in.goarch(), Err: fmt.Errorf("checksum database: %w", se)}
		}
		return "", fmt.Errorf("checksum database %s: %w", db.Name, remoteErr)
	case err != nil:
		// Every answer arrived, yet the lookup failed: what the server
		// said does not verify (e.g. a record outside the signed tree).
		return "", &SecurityError{Module: mod.String(), Msg: strings.TrimPrefix(err.Error(), mod.String()+": ")}
	}
	prefix := mod.Path + " " + mod.Version + " "
	for _, l := range lines {
		if h, ok := strings.CutPrefix(l, prefix); ok && strings.HasPrefix(h, "h1:") {
			return h, nil
		}
	}
	return "", &SecurityError{Module: mod.String(), Msg: "no h1: hash in the checksum database's answer"}
}

// sumdbOps implements sumdb.ClientOps: remote reads through the first proxy
// that serves the database (else the database itself), tiles and lookups
// cached under the user cache dir (and read from the go command's cache),
// the latest signed tree head kept there with compare-and-swap writes so
// that a fork between runs is detected.
type sumdbOps struct {
	ctx     context.Context
	in      *Installer
	db      sumDB
	proxies []proxyEntry
	dir     string // our cache: <user cache>/perftrack/sumdb
	goCache string // the go command's, read only; "" for none

	mu        sync.Mutex
	base      string // resolved remote base URL
	remoteErr error
	cacheErr  *CacheError // the last config file that could not be read or written
	security  []string
}

// checkDir makes sure the database's directory of the cache can be
// written before the lookup starts, so that a cache that cannot be used
// fails as what it is, before any download.
func (o *sumdbOps) checkDir() error {
	dir := filepath.Join(o.dir, o.db.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return &CacheError{Dir: dir, Op: "write", Err: err}
	}
	f, err := os.CreateTemp(dir, ".write-test-")
	if err != nil {
		return &CacheError{Dir: dir, Op: "write", Err: err}
	}
	f.Close()
	if err := os.Remove(f.Name()); err != nil {
		return &CacheError{Dir: dir, Op: "write", Err: err}
	}
	return nil
}

// cacheFailed records and returns the error of a config file of the cache.
func (o *sumdbOps) cacheFailed(op, file string, err error) error {
	ce := &CacheError{Dir: filepath.Dir(file), Op: op, Err: err}
	o.mu.Lock()
	o.cacheErr = ce
	o.mu.Unlock()
	return ce
}

// remoteBase picks the URL the database is read from: the first proxy
// whose /sumdb/<name>/supported answers 200, as the go command does.
func (o *sumdbOps) remoteBase() (string, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.base != "" {
		return o.base, nil
	}
	base := o.db.URL
loop:
	for _, p := range o.proxies {
		switch p.URL {
		case "direct", "off":
			break loop
		}
		u := p.URL + "/sumdb/" + o.db.Name
		_, err := o.get(u + "/supported")
		if err == nil {
			base = u
			break
		}
		var se *HTTPStatusError
		if (errors.As(err, &se) && se.NotFound()) || p.AnyError {
			continue
		}
		return "", fmt.Errorf("checksum database through %s: %w", p.URL, err)
	}
	o.base = base
	return base, nil
}

func (o *sumdbOps) get(u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(o.ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := o.in.httpClient().Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	// Tiles are 8 KiB and records a few hundred bytes.
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}

func (o *sumdbOps) ReadRemote(path string) ([]byte, error) {
	base, err := o.remoteBase()
	if err == nil {
		var data []byte
		data, err = o.get(base + path)
		if err == nil {
			return data, nil
		}
	}
	o.mu.Lock()
	o.remoteErr = err
	o.mu.Unlock()
	return nil, err
}

func (o *sumdbOps) ReadConfig(file string) ([]byte, error) {
	if file == "key" {
		return []byte(o.db.Key), nil
	}
	p := o.localPath(file)
	data, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return []byte{}, nil
	}
	if err != nil {
		return nil, o.cacheFailed("read", p, err)
	}
	return data, nil
}

// localPath is where file (a config or cache file of the client) lives in
// o.dir.
func (o *sumdbOps) localPath(file string) string {
	return filepath.Join(o.dir, filepath.FromSlash(file))
}

// WriteConfig replaces the stored tree head if it still is old. A file
// lock makes the compare-and-swap atomic across processes.
func (o *sumdbOps) WriteConfig(file string, old, new []byte) error {
	if file == "key" {
		return errors.New("the checksum database key is never written")
	}
	p := o.localPath(file)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return o.cacheFailed("write", p, err)
	}
	lock := flock.New(p + ".lock")
	if err := lock.Lock(); err != nil {
		return o.cacheFailed("write", p, err)
	}
	defer lock.Unlock()
	cur, err := os.ReadFile(p)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return o.cacheFailed("read", p, err)
	}
	if !bytes.Equal(cur, old) {
		return sumdb.ErrWriteConflict
	}
	if err := atomicfile.WriteFile(p, new, 0o644); err != nil {
		return o.cacheFailed("write", p, err)
	}
	return nil
}

func (o *sumdbOps) ReadCache(file string) ([]byte, error) {
	data, err := os.ReadFile(o.localPath(file))
	if err != nil && o.goCache != "" {
		data, err = os.ReadFile(filepath.Join(o.goCache, filepath.FromSlash(file)))
	}
	return data, err
}

func (o *sumdbOps) WriteCache(file string, data []byte) {
	// ClientOps gives no way to report it: a cache that cannot be written
	// only makes the next lookup fetch again.
	_ = atomicfile.WriteFile(o.localPath(file), data, 0o644)
}

// Log drops the client's chatter; errors come back from Lookup.
func (o *sumdbOps) Log(msg string) {}

func (o *sumdbOps) SecurityError(msg string) {
	o.mu.Lock()
	o.security = append(o.security, msg)
	o.mu.Unlock()
}
