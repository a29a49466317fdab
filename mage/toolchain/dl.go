package toolchain

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// installDL fetches the release archive of v for this platform from the
// release list's server, checked against the list's sha256 before anything
// is unpacked, into root (which must not exist).
func (in *Installer) installDL(ctx context.Context, v, tmp, root string) (string, error) {
	rels, stale, err := in.releases(ctx)
	if err != nil {
		return "", fmt.Errorf("release list: %w", err)
	}
	f, err := pickArchive(rels, v, in.goos(), in.goarch())
	if err != nil {
		if stale {
			return "", fmt.Errorf("%w (release list from an old cache; %s unreachable)", err, in.releaseURL())
		}
		return "", err
	}
	if len(f.SHA256) != 64 {
		return "", fmt.Errorf("release list: %s has no sha256", f.Filename)
	}
	if path.Base(f.Filename) != f.Filename || !filepath.IsLocal(f.Filename) || strings.HasPrefix(f.Filename, ".") {
		// The name becomes a file in the staging directory and a URL
		// beside the list: one name, nothing more.
		return "", fmt.Errorf("release list: %s has a file name that is not a plain file name: %q", v, f.Filename)
	}
	if !strings.HasSuffix(f.Filename, ".zip") && !strings.HasSuffix(f.Filename, ".tar.gz") {
		return "", &ArchiveError{File: f.Filename, Reason: "neither .zip nor .tar.gz"}
	}
	u, err := archiveURL(in.releaseURL(), f.Filename)
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp(tmp, "dl-")
	if err != nil {
		return "", err
	}
	file, err := in.download(ctx, u, dir, f.Filename, "download "+v, f.SHA256)
	if err != nil {
		var se *HTTPStatusError
		if errors.As(err, &se) && se.NotFound() {
			return "", &NoReleaseError{Version: v, GOOS: in.goos(), GOARCH: in.goarch(), Err: err}
		}
		return "", err
	}
	in.notef("unpacking %s", v)
	if strings.HasSuffix(file, ".tar.gz") {
		return "dl " + u, unpackTarGz(ctx, file, u, "go/", root, in.limits())
	}
	zr, err := zip.OpenReader(file)
	if err != nil {
		return "", &ArchiveError{File: u, Reason: err.Error()}
	}
	defer zr.Close()
	if err := checkZip(&zr.Reader, u, "go/", in.limits()); err != nil {
		return "", err
	}
	mode := func(_ string, f *zip.File) fs.FileMode { return archiveMode(f.Mode()) }
	_, err = unpackZip(ctx, &zr.Reader, u, "go/", root, mode, false)
	return "dl " + u, err
}
