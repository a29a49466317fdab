package mage

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/magefile/mage/mg"

	"github.com/perftrack/perftrack/docs"
	"github.com/perftrack/perftrack/mage/export"
	"github.com/perftrack/perftrack/mage/internal/atomicfile"
)

// siteMarker is the file that says a directory was written by Site: Site
// replaces only a directory that has it, or is empty.
const siteMarker = ".perftrack-site"

// Site writes the deployable site (PERF_SITE): the page and a copy of PERF_DOCS/data, nothing else.
//
// PERF_SITE is the directory to publish (GitHub Pages, any static host):
// index.html, app.js and style.css, the bytes serve serves, and every
// file of PERF_DOCS/data but dot files; no Go source or anything else of
// PERF_DOCS. It refuses a data tree with anything but regular files
// inside PERF_DOCS (a link out of it, a pipe, a device), a file over 64
// MiB, and a PERF_DOCS without exported data. It replaces PERF_SITE only
// when an earlier site wrote it (its .perftrack-site marker says so) or it
// is empty, and swaps the new one in whole, so an interruption leaves the
// previous site. Every error exits 2.
func Site(ctx context.Context) error {
	s, err := settings()
	if err != nil {
		return mg.Fatal(2, err)
	}
	rep, err := writeSite(ctx, s.Docs, s.Site)
	if err != nil {
		var no *atomicfile.NotOwnedError
		if errors.As(err, &no) {
			return mg.Fatalf(2, "site: %s is not empty and was not written by site (it has no %s file), and site replaces the whole directory: remove %s if nothing in it is needed, or set PERF_SITE (Options.Site) to another directory",
				no.Dir, no.Marker, no.Dir)
		}
		return mg.Fatalf(2, "site: %w", err)
	}
	for _, name := range rep.skipped {
		fmt.Printf("warning: %s: a dot file, not published (the site never holds them)\n", name)
	}
	if rep.data < 2 {
		fmt.Printf("warning: %s has no results, only platforms.json: the page will say so (run %s, or %s and %s)\n", filepath.Join(s.Docs, "data"),
			targetName(os.Args, "site", "track"), targetName(os.Args, "site", "collect"), targetName(os.Args, "site", "export"))
	}
	fmt.Printf("wrote %s: %s and %d data files from %s (%d bytes)\n",
		s.Site, strings.Join(rep.page, ", "), rep.data, filepath.Join(s.Docs, "data"), rep.bytes)
	return nil
}

// siteReport says what writeSite wrote.
type siteReport struct {
	page    []string // the page's files
	data    int      // the number of data files
	bytes   int64    // the size of every file
	skipped []string // dot files under data/ left out, other than export's marker
}

// writeSite replaces the directory site with the site of the docs
// directory dir: the files docs.ReadFile returns for docs.PageFiles and
// for every file under dir/data.
func writeSite(ctx context.Context, dir, site string) (siteReport, error) {
	var rep siteReport
	data := filepath.Join(dir, "data")
	if err := checkApart(data, site); err != nil {
		return rep, err
	}
	root, err := os.OpenRoot(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return rep, fmt.Errorf("no exported data: %s does not exist; run export (go tool mage %s) first", data, targetName(os.Args, "site", "export"))
	}
	if err != nil {
		return rep, fmt.Errorf("opening PERF_DOCS: %w", err)
	}
	defer root.Close()
	fsys := root.FS()
	if fi, err := fs.Stat(fsys, "data/platforms.json"); err != nil || !fi.Mode().IsRegular() {
		return rep, fmt.Errorf("no exported data in %s (no platforms.json there); run export (go tool mage %s) first", data, targetName(os.Args, "site", "export"))
	}
	copyFile := func(tmp, name string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		b, err := docs.ReadFile(fsys, name)
		if err != nil {
			return fileError(filepath.Join(dir, filepath.FromSlash(name)), err)
		}
		p := filepath.Join(tmp, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		rep.bytes += int64(len(b))
		return atomicfile.WriteNew(p, b)
	}
	fill := func(tmp string) error {
		for _, name := range docs.PageFiles() {
			if err := copyFile(tmp, name); err != nil {
				return err
			}
			rep.page = append(rep.page, name)
		}
		return fs.WalkDir(fsys, "data", func(name string, d fs.DirEntry, err error) error {
			if err != nil {
				return fmt.Errorf("reading %s: %w", filepath.Join(dir, filepath.FromSlash(name)), err)
			}
			if base := path.Base(name); strings.HasPrefix(base, ".") {
				if base != export.Marker {
					rep.skipped = append(rep.skipped, filepath.Join(dir, filepath.FromSlash(name)))
				}
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			if err := copyFile(tmp, name); err != nil {
				return err
			}
			rep.data++
			return nil
		})
	}
	markerData := []byte("written by perftrack's site target, which replaces this directory whole\n")
	if err := atomicfile.ReplaceDir(site, siteMarker, markerData, fill); err != nil {
		return siteReport{}, err
	}
	return rep, nil
}

// fileError describes why docs.ReadFile refused the file p.
func fileError(p string, err error) error {
	var big *docs.TooLargeError
	if errors.As(err, &big) {
		return &docs.TooLargeError{Name: p, Size: big.Size}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // p names the file
	}
	if errors.Is(err, docs.ErrNotRegular) {
		return fmt.Errorf("%s: %w; the site holds regular files only: remove it, or put the file itself there", p, err)
	}
	return fmt.Errorf("%s: %w", p, err)
}

// checkApart returns an error if the site directory and the data
// directory are one inside the other: the site would copy itself, or
// replacing it would delete the data.
func checkApart(data, site string) error {
	a, err1 := filepath.Abs(data)
	b, err2 := filepath.Abs(site)
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	inside := func(p, dir string) bool {
		rel, err := filepath.Rel(dir, p)
		return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
	}
	if inside(a, b) || inside(b, a) {
		return fmt.Errorf("PERF_SITE (%s) and the data directory %s are one inside the other: set PERF_SITE to a directory of its own, such as _site", site, data)
	}
	return nil
}
