package toolchain

import (
	"archive/zip"
	"fmt"
	"io/fs"
	"path"
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
// It is pure; checkZip feeds it the headers of a zip, unpackTarGz one
// entry at a time as it reads them.
func checkEntries(file, prefix string, entries []entry, lim Limits) error {
	lim = lim.orDefault()
	if len(entries) == 0 {
		return &ArchiveError{File: file, Reason: "empty"}
	}
	var c entryChecker
	for _, e := range entries {
		if err := c.check(file, prefix, e, lim); err != nil {
			return err
		}
	}
	return nil
}

// entryChecker checks the entries of one archive in order, keeping the
// counts that the limits bound.
type entryChecker struct {
	files int
	total int64
}

// check applies checkEntries' rules to the next entry e of the archive.
func (c *entryChecker) check(file, prefix string, e entry, lim Limits) error {
	if c.files++; c.files > lim.Files {
		return &ArchiveError{File: file, Reason: fmt.Sprintf("more than the limit of %d entries", lim.Files)}
	}
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
	c.total += e.size
	if c.total > lim.Total {
		return &ArchiveError{File: file, Reason: fmt.Sprintf("more than the limit of %d bytes unpacked", lim.Total)}
	}
	return nil
}

// checkZip checks the headers of a zip with checkEntries. Errors name the
// archive as display (its URL, say), not its temporary path.
func checkZip(zr *zip.Reader, display, prefix string, lim Limits) error {
	lim = lim.orDefault()
	var entries []entry
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
	return checkEntries(display, prefix, entries, lim)
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
