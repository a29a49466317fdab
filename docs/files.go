package docs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
)

// MaxFileSize is the largest file the site may hold: Handler refuses a
// bigger one (500, saying so) rather than read it into memory, and the
// site target refuses to publish it.
//
// Note: the handler reads a file whole, to gzip and tag it, so this
// bounds its memory per request; the page fetches data files whole too.
// An export of 3 platforms x 10 versions x 300 benchmarks is a few
// megabytes per file.
const MaxFileSize = 64 << 20

// ErrNotRegular says a name of the site is not a regular file inside the
// docs directory: a directory, named pipe, device or socket, or a
// symbolic link that leads out of the directory. Handler answers 404; the
// site target refuses to publish it.
var ErrNotRegular = errors.New("not a regular file inside the docs directory")

// errNotPublished says a name is not one of the site's files.
var errNotPublished = fmt.Errorf("not one of the site's files (the page's own, or under data/): %w", fs.ErrNotExist)

// TooLargeError says a file of the site is bigger than MaxFileSize.
type TooLargeError struct {
	Name string // the file, as ReadFile got it
	Size int64  // its size in bytes
}

// Error names the file, its size and the limit.
func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is %d bytes, over the site's limit of %d bytes per file (docs.MaxFileSize)", e.Name, e.Size, MaxFileSize)
}

// PageFiles returns the names of the page's own files (index.html,
// app.js, style.css: everything embedded in FS), sorted.
func PageFiles() []string {
	entries, err := fs.ReadDir(FS, ".")
	if err != nil {
		panic("docs: reading the embedded page: " + err.Error()) // cannot happen: FS is built in
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	return names
}

// isPageFile reports whether name is one of PageFiles.
func isPageFile(name string) bool {
	if name == "." || strings.Contains(name, "/") {
		return false
	}
	fi, err := fs.Stat(FS, name)
	return err == nil && fi.Mode().IsRegular()
}

// Published reports whether name, a slash-separated path as fs.FS takes
// it, is one of the site's files: a page file, or a file under data/
// none of whose segments starts with a dot. Nothing else of a docs
// directory is ever served or published: not Go sources, dot files, or
// anything else someone put there.
func Published(name string) bool {
	if !fs.ValidPath(name) {
		return false
	}
	if isPageFile(name) {
		return true
	}
	rest, ok := strings.CutPrefix(name, "data/")
	if !ok {
		return false
	}
	for _, seg := range strings.Split(rest, "/") {
		if strings.HasPrefix(seg, ".") {
			return false
		}
	}
	return true
}

// ReadFile returns the site's file name from site, a docs directory (nil
// for none), or, for a page file that site does not have as a regular
// file, from the embedded page. It is the one rule for what the site
// holds: Handler serves what it returns, and the site target publishes it.
//
// site should be the FS of an *os.Root (os.OpenRoot(dir).FS()), which
// never leaves its directory; os.DirFS follows symbolic links anywhere.
// The error wraps fs.ErrNotExist for a name that is not Published or not
// there, ErrNotRegular for anything but a regular file (a named pipe is
// never opened), and is a *TooLargeError past MaxFileSize.
func ReadFile(site fs.FS, name string) ([]byte, error) {
	if !Published(name) {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errNotPublished}
	}
	page := isPageFile(name)
	if site != nil {
		data, err := readRegular(site, name)
		if !page || !(errors.Is(err, fs.ErrNotExist) || errors.Is(err, ErrNotRegular)) {
			return data, err
		}
	}
	if !page {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	return readRegular(FS, name)
}

// readRegular reads name from fsys if it is a regular file of at most
// MaxFileSize bytes.
//
// Note: the type is checked before the file is opened, because opening a
// named pipe blocks until something writes to it (a request, and the
// server's shutdown, would hang), and again on the open file, in case the
// name was replaced in between.
func readRegular(fsys fs.FS, name string) ([]byte, error) {
	fi, err := fs.Stat(fsys, name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		if link := linkIn(fsys, name); link != "" {
			// An os.Root refuses to follow a link out of its directory.
			what := "a symbolic link out of the directory"
			if link != name {
				what = link + " is " + what
			}
			return nil, &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("%s: %w", what, ErrNotRegular)}
		}
		return nil, err
	}
	if err := checkRegular(name, fi); err != nil {
		return nil, err
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := checkRegular(name, fi); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	if len(data) > MaxFileSize {
		return nil, &TooLargeError{Name: name, Size: int64(len(data))}
	}
	return data, nil
}

// checkRegular returns an error unless fi is a regular file of at most
// MaxFileSize bytes.
func checkRegular(name string, fi fs.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("%s: %w", describeMode(fi.Mode()), ErrNotRegular)}
	}
	if fi.Size() > MaxFileSize {
		return &TooLargeError{Name: name, Size: fi.Size()}
	}
	return nil
}

// describeMode names the kind of a file that is not regular.
func describeMode(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "mode " + m.String()
}

// linkIn returns the first prefix of name that is a symbolic link in
// fsys, or "" (also when fsys cannot tell: an os.Root's FS and os.DirFS
// can).
func linkIn(fsys fs.FS, name string) string {
	l, ok := fsys.(fs.ReadLinkFS)
	if !ok {
		return ""
	}
	for i := range len(name) + 1 {
		if i < len(name) && name[i] != '/' {
			continue
		}
		if fi, err := l.Lstat(name[:i]); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return name[:i]
		}
	}
	return ""
}
