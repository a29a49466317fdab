package docs

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
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

// maxFile bounds the size of a file the handler reads into memory.
const maxFile = 64 << 20

// Handler returns a handler that serves site, a docs directory (typically
// os.DirFS(PERF_DOCS)), falling back to the embedded page (FS) for files
// site does not have. site may be nil to serve only the embedded page.
//
// It answers GET and HEAD only (405 otherwise), serves "/" as index.html,
// never lists directories, rejects paths with ".." or other invalid
// segments (400) and hides dot files, sets content types from a fixed
// table, gzips text when the client accepts it, and marks every response
// no-cache with an ETag, so a browser revalidates data files after each
// export instead of showing stale numbers.
func Handler(site fs.FS) http.Handler {
	return &handler{site: site}
}

type handler struct {
	site fs.FS
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
	data, err := h.read(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			http.Error(w, "404 page not found", http.StatusNotFound)
			return
		}
		http.Error(w, "cannot read "+name, http.StatusInternalServerError)
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
	body := data
	if compressible(ctype) {
		hdr.Add("Vary", "Accept-Encoding")
		if len(data) > 512 && acceptsGzip(r.Header.Get("Accept-Encoding")) {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
			zw.Write(data)
			zw.Close()
			body = buf.Bytes()
			etag += "-gz"
			hdr.Set("Content-Encoding", "gzip")
		}
	}
	etag = `"` + etag + `"`
	hdr.Set("ETag", etag)
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, etag) {
		hdr.Del("Content-Type")
		hdr.Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
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

// read returns a regular file from the site, else from the embedded page.
// Dot files and directories do not exist for the handler.
func (h *handler) read(name string) ([]byte, error) {
	if name == "" {
		return nil, fs.ErrNotExist
	}
	for _, seg := range strings.Split(name, "/") {
		if strings.HasPrefix(seg, ".") {
			return nil, fs.ErrNotExist
		}
	}
	if h.site != nil {
		data, err := readRegular(h.site, name)
		if err == nil || !errors.Is(err, fs.ErrNotExist) {
			return data, err
		}
	}
	return readRegular(FS, name)
}

func readRegular(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fs.ErrNotExist
	}
	if fi.Size() > maxFile {
		return nil, errors.New("file too large")
	}
	return io.ReadAll(io.LimitReader(f, maxFile))
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
