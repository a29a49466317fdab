package toolchain

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
)

// Limits bound what an archive may unpack to; they stop decompression bombs
// and runaway downloads. The zero value means DefaultLimits.
type Limits struct {
	Download int64 // bytes of one download
	Files    int   // entries in one archive, directories included
	FileSize int64 // bytes of one unpacked file
	Total    int64 // bytes of all unpacked files together
}

// DefaultLimits are well above a Go release (go1.27.3 linux-amd64: a 76 MB
// zip of 12,071 files, 227 MB unpacked, the largest file under 40 MB).
var DefaultLimits = Limits{Download: 512 << 20, Files: 50_000, FileSize: 256 << 20, Total: 1 << 30}

func (l Limits) orDefault() Limits {
	if l == (Limits{}) {
		return DefaultLimits
	}
	return l
}

// ArchiveError reports an archive refused before anything was unpacked.
type ArchiveError struct {
	File   string // the archive
	Entry  string // the offending entry, if one
	Reason string
}

func (e *ArchiveError) Error() string {
	if e.Entry == "" {
		return fmt.Sprintf("refusing archive %s: %s", e.File, e.Reason)
	}
	return fmt.Sprintf("refusing archive %s: entry %q: %s", e.File, e.Entry, e.Reason)
}

// entry is what checkEntries needs of a tar or zip header.
type entry struct {
	name string
	mode fs.FileMode
	size int64
}

// checkEntries applies the rules every archive must pass: names are
// relative, clean, under prefix and without backslashes; only regular
// files and directories; no setuid, setgid or sticky bits; within limits.
// It is pure; checkArchive feeds it the headers of a file.
func checkEntries(file, prefix string, entries []entry, lim Limits) error {
	lim = lim.orDefault()
	if len(entries) == 0 {
		return &ArchiveError{File: file, Reason: "empty"}
	}
	if len(entries) > lim.Files {
		return &ArchiveError{File: file, Reason: fmt.Sprintf("%d entries, more than the limit of %d", len(entries), lim.Files)}
	}
	var total int64
	for _, e := range entries {
		bad := func(reason string) error { return &ArchiveError{File: file, Entry: e.name, Reason: reason} }
		name := strings.TrimSuffix(e.name, "/")
		switch {
		case strings.Contains(e.name, `\`):
			return bad("backslash in name")
		case strings.HasPrefix(e.name, "/") || (len(e.name) > 1 && e.name[1] == ':'):
			return bad("absolute path")
		case name == "" || path.Clean(name) != name || name == ".." || strings.HasPrefix(name, "../"):
			return bad("path is not clean or leaves the archive")
		case !strings.HasPrefix(name+"/", prefix):
			return bad("not under " + prefix)
		}
		switch {
		case e.mode&fs.ModeSymlink != 0:
			return bad("symbolic link")
		case e.mode&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky) != 0:
			return bad("setuid, setgid or sticky bit")
		case e.mode&fs.ModeType&^fs.ModeDir != 0:
			return bad("not a regular file or directory")
		case e.size < 0 || e.size > lim.FileSize:
			return bad(fmt.Sprintf("%d bytes, more than the limit of %d", e.size, lim.FileSize))
		}
		total += e.size
		if total > lim.Total {
			return &ArchiveError{File: file, Reason: fmt.Sprintf("more than the limit of %d bytes unpacked", lim.Total)}
		}
	}
	return nil
}

// checkArchive reads the headers of a .zip or .tar.gz and checks them with
// checkEntries. A tar.gz is read to the end, so a truncated one fails here.
// Errors name the archive as display (its URL, say), not its temporary path.
func checkArchive(file, display, prefix string, lim Limits) error {
	err := checkArchiveFile(file, prefix, lim)
	var ae *ArchiveError
	if errors.As(err, &ae) {
		ae.File = display
	}
	return err
}

func checkArchiveFile(file, prefix string, lim Limits) error {
	lim = lim.orDefault()
	var entries []entry
	if strings.HasSuffix(file, ".zip") {
		zr, err := zip.OpenReader(file)
		if err != nil {
			return &ArchiveError{File: file, Reason: err.Error()}
		}
		defer zr.Close()
		for _, f := range zr.File {
			if len(entries) > lim.Files {
				break
			}
			size := int64(f.UncompressedSize64)
			if f.UncompressedSize64 > 1<<62 {
				size = -1
			}
			entries = append(entries, entry{name: f.Name, mode: f.Mode(), size: size})
		}
		return checkEntries(file, prefix, entries, lim)
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return &ArchiveError{File: file, Reason: err.Error()}
	}
	tr := tar.NewReader(gz)
	for len(entries) <= lim.Files {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			// tar stops at its end marker; the gzip trailer (CRC and
			// length) comes after, so a file cut there fails only when
			// the stream is read to its end. The padding after the
			// marker is bounded like the files, against a bomb.
			n, err := io.Copy(io.Discard, io.LimitReader(gz, lim.Total+1))
			if err != nil {
				return &ArchiveError{File: file, Reason: err.Error()}
			}
			if n > lim.Total {
				return &ArchiveError{File: file, Reason: fmt.Sprintf("more than the limit of %d bytes after the tar end", lim.Total)}
			}
			break
		}
		if err != nil {
			return &ArchiveError{File: file, Reason: err.Error()}
		}
		mode := h.FileInfo().Mode()
		if h.Typeflag == tar.TypeLink {
			mode |= fs.ModeSymlink // a hard link is refused like a symlink
		}
		entries = append(entries, entry{name: h.Name, mode: mode, size: h.Size})
	}
	return checkEntries(file, prefix, entries, lim)
}

// executable reports whether the file at rel (slash-separated, relative to
// GOROOT) must be executable. Module zips carry no modes, so this follows
// the go command's rule: bin/*, pkg/tool/**, lib/**/go_*_*_exec.
func executable(rel string) bool {
	switch {
	case strings.HasPrefix(rel, "bin/"), strings.HasPrefix(rel, "pkg/tool/"):
		return true
	case strings.HasPrefix(rel, "lib/"):
		ok, _ := path.Match("go_?*_?*_exec", path.Base(rel))
		return ok
	}
	return false
}

// fixTree prepares an unpacked GOROOT: directories 0755, files 0644, or
// 0755 when executable (for a module zip) or when the archive had an x bit
// (for a release archive), and a go.mod beside every _go.mod, which module
// zips cannot hold, with src/go.mod last as the go command does.
func fixTree(root string, fromModule bool) error {
	var goMods []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.Chmod(p, 0o755)
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file", p)
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		mode := fs.FileMode(0o644)
		if (fromModule && executable(rel)) || (!fromModule && info.Mode()&0o111 != 0) {
			mode = 0o755
		}
		if fromModule && path.Base(rel) == "_go.mod" {
			goMods = append(goMods, p)
		}
		if runtime.GOOS == "windows" {
			return nil
		}
		return os.Chmod(p, mode)
	})
	if err != nil {
		return err
	}
	src := filepath.Join(root, "src", "_go.mod")
	for _, m := range goMods {
		if m != src {
			if err := copyFile(filepath.Join(filepath.Dir(m), "go.mod"), m); err != nil {
				return err
			}
		}
	}
	if _, err := os.Stat(src); err == nil {
		return copyFile(filepath.Join(root, "src", "go.mod"), src)
	}
	return nil
}

func copyFile(dst, src string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}
