package docs

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/netip"
	"path"
	"strconv"
	"strings"
	"sync"
)

// contentTypes maps the extensions the site uses to their media types.
//
// Note: a fixed table rather than mime.TypeByExtension, whose answers
// depend on the machine's /etc/mime.types; a file of another type is
// served as application/octet-stream (and nosniff keeps browsers from
// guessing).
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".json": "application/json",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".ico":  "image/x-icon",
	".txt":  "text/plain; charset=utf-8",
}

// csp allows only the site's own scripts, styles and data: the page
// never needs anything else, and an injected element could not load or run
// anything. There is no frame-ancestors directive, so other docs sites can
// embed the page in an iframe.
const csp = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'"

// Handler returns a handler that serves the site: the files ReadFile
// returns from site, a docs directory (pass an *os.Root's FS, see
// ReadFile), or from the embedded page. site may be nil to serve only the
// embedded page. Every other name is 404: Go sources, dot files,
// directories (never listed), named pipes and devices, links out of the
// directory.
//
// It answers GET and HEAD only (405 otherwise), serves "/" as index.html,
// rejects paths with ".." or other invalid segments (400), refuses a file
// over MaxFileSize (500, saying so), sets content types from a fixed
// table, gzips text when the client accepts it, and marks every response
// no-cache with an ETag, so a browser revalidates data files after each
// export instead of showing stale numbers. It does not look at the Host
// header: wrap it in LocalOnly when it listens on loopback.
func Handler(site fs.FS) http.Handler {
	return &handler{site: site}
}

type handler struct {
	site fs.FS
	gz   gzipCache
}

// gzipCache keeps the gzipped bytes of the files served, by content hash:
// compressing an 800 KB data file anew took longer than sending it, on
// every request of every reader. It holds at most gzipCacheBytes of
// compressed data; when full it starts over (after an export, the old
// contents are never asked for again).
type gzipCache struct {
	sync.Mutex
	m    map[[sha256.Size]byte][]byte
	size int
}

const gzipCacheBytes = 64 << 20

// get returns data gzipped, from the cache when sum is there.
func (c *gzipCache) get(sum [sha256.Size]byte, data []byte) []byte {
	c.Lock()
	z, ok := c.m[sum]
	c.Unlock()
	if ok {
		return z
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	zw.Write(data)
	zw.Close()
	z = buf.Bytes()
	c.Lock()
	defer c.Unlock()
	if c.m == nil || c.size+len(z) > gzipCacheBytes {
		c.m, c.size = map[[sha256.Size]byte][]byte{}, 0
	}
	if _, ok := c.m[sum]; !ok {
		c.m[sum] = z
		c.size += len(z)
	}
	return z
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed: use GET or HEAD", http.StatusMethodNotAllowed)
		return
	}
	name, ok := cleanName(r.URL.Path)
	if !ok {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	var data []byte
	err := fs.ErrNotExist // a directory
	if name != "" {
		data, err = ReadFile(h.site, name)
	}
	if err != nil {
		var big *TooLargeError
		switch {
		case errors.Is(err, fs.ErrNotExist), errors.Is(err, ErrNotRegular):
			http.Error(w, "404 page not found", http.StatusNotFound)
		case errors.As(err, &big):
			http.Error(w, fmt.Sprintf("not served: %s is %d bytes, over the limit of %d bytes per file", name, big.Size, MaxFileSize), http.StatusInternalServerError)
		default:
			http.Error(w, "cannot read "+name, http.StatusInternalServerError)
		}
		return
	}
	ctype, ok := contentTypes[path.Ext(name)]
	if !ok {
		ctype = "application/octet-stream"
	}
	hdr := w.Header()
	hdr.Set("Content-Type", ctype)
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "no-referrer")
	if strings.HasSuffix(name, ".html") {
		hdr.Set("Content-Security-Policy", csp)
	}
	sum := sha256.Sum256(data)
	etag := hex.EncodeToString(sum[:12])
	zip := false
	if compressible(ctype) {
		hdr.Add("Vary", "Accept-Encoding")
		if len(data) > 512 && acceptsGzip(r.Header.Get("Accept-Encoding")) {
			zip = true
			etag += "-gz"
		}
	}
	etag = `"` + etag + `"`
	hdr.Set("ETag", etag)
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, etag) {
		hdr.Del("Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := data
	if zip {
		body = h.gz.get(sum, data)
		hdr.Set("Content-Encoding", "gzip")
	}
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// cleanName turns a URL path into a file name for fs.FS, or reports that
// it is not acceptable: not absolute, a ".." or "." segment, a backslash or
// NUL, or an empty segment in the middle. A trailing slash names a
// directory, which is never listed (it returns "" and true, served as 404
// unless it is the root).
func cleanName(p string) (string, bool) {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return "", false
	}
	if p == "/" {
		return "index.html", true
	}
	rest := p[1:]
	for _, seg := range strings.Split(strings.TrimSuffix(rest, "/"), "/") {
		if seg == "" || seg == "." || seg == ".." {
			return "", false
		}
	}
	if strings.HasSuffix(rest, "/") {
		return "", true // a directory: not found
	}
	return rest, fs.ValidPath(rest)
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || ctype == "application/json" || ctype == "image/svg+xml"
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip
// (present and not q=0).
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q := strings.ReplaceAll(params, " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// LocalOnly wraps h for a server listening on the loopback port port: it
// answers 403, with a short explanation, to a request whose Host header is
// not localhost or a loopback address (127.0.0.1, [::1]) with that port.
//
// Note: a loopback listener is out of other machines' reach, but not of
// the user's browser. A page on any site can point its own host name at
// 127.0.0.1 (DNS rebinding) and then read this server as its own origin;
// the Host header it sends still carries its name, which is what this
// refuses. An IP literal in the Host cannot be rebound, so any loopback
// one is accepted.
func LocalOnly(h http.Handler, port int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !localHost(r.Host, port) {
			http.Error(w, fmt.Sprintf("403 forbidden: this server answers only to http://localhost:%d/ and http://127.0.0.1:%d/, not to the host name %q (a web page may have pointed that name at this machine to read it: DNS rebinding)", port, port, r.Host),
				http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// localHost reports whether host, a request's Host header, names this
// machine's loopback with port (no port means 80, as a browser omits it).
func localHost(host string, port int) bool {
	name, p := host, "80"
	if h, hp, err := net.SplitHostPort(host); err == nil {
		name, p = h, hp
	} else if strings.Contains(strings.Trim(host, "[]"), ":") && !strings.HasPrefix(host, "[") {
		return false // a bare IPv6 address is not a valid Host
	}
	name = strings.TrimSuffix(strings.TrimPrefix(name, "["), "]")
	if p != strconv.Itoa(port) {
		return false
	}
	if strings.EqualFold(name, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(name)
	return err == nil && ip.Zone() == "" && ip.IsLoopback()
}
