package toolchain

import (
	"archive/tar"
	"archive/zip"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Note: unpacking is one pass over an archive that was checked already
// (checkZip, or entry by entry for a tar.gz). Files are created with
// their final modes, so no walk fixes them afterwards. A module zip is
// hashed by the same reads that unpack it: its dirhash is over the
// contents of its files, so checking it first would read and inflate
// 227 MB twice. An unverified zip is unpacked only into the staging
// directory, and nothing there runs, gets the marker or is renamed into
// place before its hash is the checksum database's.

// unpackWorkers is how many files of a zip are inflated and written at
// once: inflating is most of the time an unpack takes.
func unpackWorkers() int { return min(runtime.GOMAXPROCS(0), 8) }

// copyBufSize is the buffer of each file copy.
const copyBufSize = 256 << 10

// unpackZip writes the entries of zr, already checked by checkZip, under
// root (which must not exist) without their prefix, each file with the
// mode mode gives it, n files at a time. With hashed, it returns the
// dirhash h1 of the archive (dirhash.HashZip) from the same reads.
func unpackZip(ctx context.Context, zr *zip.Reader, display, prefix, root string, mode func(rel string, f *zip.File) fs.FileMode, hashed bool) (h1 string, err error) {
	if err := mkdirs(root, zr.File, prefix); err != nil {
		return "", err
	}
	var sums [][sha256.Size]byte
	if hashed {
		sums = make([][sha256.Size]byte, len(zr.File))
	}
	var (
		next     atomic.Int64
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	failed := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return firstErr != nil
	}
	for range unpackWorkers() {
		wg.Go(func() {
			buf := make([]byte, copyBufSize)
			var h hash.Hash
			if hashed {
				h = sha256.New()
			}
			for {
				i := int(next.Add(1) - 1)
				if i >= len(zr.File) || failed() {
					return
				}
				if err := ctx.Err(); err != nil {
					fail(err)
					return
				}
				f := zr.File[i]
				rel := strings.TrimPrefix(f.Name, prefix)
				dst := ""
				if rel != "" && !strings.HasSuffix(rel, "/") {
					dst = filepath.Join(root, filepath.FromSlash(rel))
				}
				if h != nil {
					h.Reset()
				}
				if err := unzipFile(f, display, dst, mode(rel, f), h, buf); err != nil {
					fail(err)
					return
				}
				if h != nil {
					h.Sum(sums[i][:0])
				}
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return "", firstErr
	}
	if !hashed {
		return "", nil
	}
	names := make([]string, len(zr.File))
	for i, f := range zr.File {
		names[i] = f.Name
	}
	return hash1(names, sums)
}

// unzipFile copies the contents of f into a new file dst with mode perm,
// and into h when not nil. With dst "" (a directory entry, the prefix) it
// only hashes: dirhash hashes every entry of a zip. What is wrong with the
// archive (a bad stream, a duplicate name) is an *ArchiveError naming it as
// display; a file that cannot be written is an error of its own.
func unzipFile(f *zip.File, display, dst string, perm fs.FileMode, h hash.Hash, buf []byte) error {
	bad := func(err error) error { return &ArchiveError{File: display, Entry: f.Name, Reason: err.Error()} }
	rc, err := f.Open()
	if err != nil {
		return bad(err)
	}
	defer rc.Close()
	// archive/zip fails a file that is longer or shorter than its header
	// says, or whose CRC differs; the limit stops one whose header lies
	// beyond what checkZip let through.
	r := &readErr{r: io.LimitReader(rc, int64(f.UncompressedSize64)+1)}
	var w io.Writer = io.Discard
	var out *os.File
	if dst != "" {
		out, err = os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			return bad(errors.New("given twice"))
		}
		if err != nil {
			return err
		}
		w = out
	}
	if h != nil {
		w = io.MultiWriter(w, h)
	}
	// Hiding ReaderFrom makes io.CopyBuffer use buf.
	n, err := io.CopyBuffer(struct{ io.Writer }{w}, r, buf)
	if out != nil {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}
	switch {
	case err != nil && err == r.err:
		return bad(err)
	case err != nil:
		return err
	case n != int64(f.UncompressedSize64):
		return bad(fmt.Errorf("%d bytes, not the %d its header says", n, f.UncompressedSize64))
	}
	return nil
}

// readErr remembers the error of its reader, to tell it from the writer's.
type readErr struct {
	r   io.Reader
	err error
}

func (r *readErr) Read(b []byte) (int, error) {
	n, err := r.r.Read(b)
	if err != nil && err != io.EOF {
		r.err = err
	}
	return n, err
}

// mkdirs creates root and every directory the entries of a zip need,
// parents first, before files are written in parallel.
func mkdirs(root string, files []*zip.File, prefix string) error {
	seen := map[string]bool{}
	var dirs []string
	add := func(d string) {
		for ; d != "." && d != "" && !seen[d]; d = path.Dir(d) {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	for _, f := range files {
		rel := strings.TrimPrefix(f.Name, prefix)
		if strings.HasSuffix(rel, "/") {
			add(strings.TrimSuffix(rel, "/"))
		} else if rel != "" {
			add(path.Dir(rel))
		}
	}
	slices.Sort(dirs) // a parent sorts before its children
	if err := os.Mkdir(root, 0o755); err != nil {
		return err
	}
	for _, d := range dirs {
		if err := os.Mkdir(filepath.Join(root, filepath.FromSlash(d)), 0o755); err != nil {
			return err
		}
	}
	return nil
}

// hash1 returns dirhash.Hash1 of the files names whose contents have the
// sha256 sums: the sha256, in base64, of the lines "<hex sum>  <name>\n"
// in the order of the names. TestHash1 holds it to dirhash.HashZip.
func hash1(names []string, sums [][sha256.Size]byte) (string, error) {
	idx := make([]int, len(names))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(names[a], names[b]) })
	h := sha256.New()
	for _, i := range idx {
		if strings.Contains(names[i], "\n") {
			return "", errors.New("dirhash: filenames with newlines are not supported")
		}
		fmt.Fprintf(h, "%x  %s\n", sums[i], names[i])
	}
	return "h1:" + base64.StdEncoding.EncodeToString(h.Sum(nil)), nil
}

// moduleMode is the mode of a file of a toolchain module zip, which
// carries none: the go command's rule (executable).
func moduleMode(rel string, _ *zip.File) fs.FileMode {
	if executable(rel) {
		return 0o755
	}
	return 0o644
}

// archiveMode is the mode of a file of a release archive: executable if
// the archive says so for anyone, readable by all, nothing more.
func archiveMode(m fs.FileMode) fs.FileMode {
	if m&0o111 != 0 {
		return 0o755
	}
	return 0o644
}

// restoreGoMods copies every _go.mod under root to a go.mod beside it:
// module zips cannot hold go.mod files below their root. src/go.mod comes
// last, as the go command does it.
func restoreGoMods(root string, files []*zip.File, prefix string) error {
	var mods []string
	for _, f := range files {
		if rel := strings.TrimPrefix(f.Name, prefix); path.Base(rel) == "_go.mod" {
			mods = append(mods, rel)
		}
	}
	slices.SortFunc(mods, func(a, b string) int {
		return cmp.Or(cmp.Compare(boolInt(a == "src/_go.mod"), boolInt(b == "src/_go.mod")), cmp.Compare(a, b))
	})
	for _, rel := range mods {
		src := filepath.Join(root, filepath.FromSlash(rel))
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(filepath.Dir(src), "go.mod"), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// unpackTarGz unpacks a .tar.gz into root (which must not exist) without
// prefix, in one pass: each entry is checked (entryChecker) before it is
// written, and the stream is read to its end, so a cut gzip trailer fails
// too. Errors name the archive as display.
func unpackTarGz(ctx context.Context, file, display, prefix, root string, lim Limits) error {
	lim = lim.orDefault()
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	bad := func(err error) error { return &ArchiveError{File: display, Reason: err.Error()} }
	gz, err := gzip.NewReader(f)
	if err != nil {
		return bad(err)
	}
	if err := os.Mkdir(root, 0o755); err != nil {
		return err
	}
	tr := tar.NewReader(gz)
	var c entryChecker
	buf := make([]byte, copyBufSize)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return bad(err)
		}
		mode := h.FileInfo().Mode()
		if h.Typeflag != tar.TypeReg && h.Typeflag != tar.TypeDir {
			mode |= fs.ModeIrregular // links, devices, pax globals: refused
		}
		if err := c.check(display, prefix, entry{name: h.Name, mode: mode, size: h.Size}, lim); err != nil {
			return err
		}
		// The checker made sure the name is clean and under prefix.
		rel := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSuffix(h.Name, "/")+"/", prefix), "/")
		dst := filepath.Join(root, filepath.FromSlash(rel))
		if h.Typeflag == tar.TypeDir {
			if rel != "" {
				if err := os.MkdirAll(dst, 0o755); err != nil {
					return err
				}
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, archiveMode(mode))
		if errors.Is(err, fs.ErrExist) {
			return &ArchiveError{File: display, Entry: h.Name, Reason: "given twice"}
		}
		if err != nil {
			return err
		}
		r := &readErr{r: tr}
		_, err = io.CopyBuffer(struct{ io.Writer }{out}, r, buf)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil && err == r.err {
			return &ArchiveError{File: display, Entry: h.Name, Reason: err.Error()}
		}
		if err != nil {
			return err
		}
	}
	if c.files == 0 {
		return &ArchiveError{File: display, Reason: "empty"}
	}
	// tar stops at its end marker; the gzip trailer (CRC and length) comes
	// after, so a file cut there fails only when the stream is read to its
	// end. The padding after the marker is bounded like the files, against
	// a bomb.
	n, err := io.Copy(io.Discard, io.LimitReader(gz, lim.Total+1))
	if err != nil {
		return bad(err)
	}
	if n > lim.Total {
		return &ArchiveError{File: display, Reason: fmt.Sprintf("more than the limit of %d bytes after the tar end", lim.Total)}
	}
	return nil
}
