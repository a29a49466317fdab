package toolchain

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	getter "github.com/hashicorp/go-getter/v2"
)

// installDL fetches the release archive of v for this platform from the
// release list's server, checked against the list's sha256 by go-getter
// before anything is unpacked, into root (which must not exist).
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
	u, err := archiveURL(in.releaseURL(), f.Filename)
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp(tmp, "dl-")
	if err != nil {
		return "", err
	}
	file, err := in.download(ctx, u, dir, filepath.Base(f.Filename), "download "+v, "sha256:"+f.SHA256)
	if err != nil {
		var se *HTTPStatusError
		if errors.As(err, &se) && se.NotFound() {
			return "", &NoReleaseError{Version: v, GOOS: in.goos(), GOARCH: in.goarch(), Err: err}
		}
		return "", err
	}
	if err := checkArchive(file, u, "go/", in.limits()); err != nil {
		return "", err
	}
	lim := in.limits()
	var d getter.Decompressor
	switch {
	case strings.HasSuffix(file, ".zip"):
		d = &getter.ZipDecompressor{FilesLimit: lim.Files, FileSizeLimit: lim.Total}
	case strings.HasSuffix(file, ".tar.gz"):
		// FilesLimit+1: go-getter counts the end of the archive as a file.
		d = &getter.TarGzipDecompressor{FilesLimit: lim.Files + 1, FileSizeLimit: lim.Total}
	default:
		return "", &ArchiveError{File: u, Reason: "neither .zip nor .tar.gz"}
	}
	in.notef("unpacking %s", v)
	unpack := filepath.Join(tmp, "unpack")
	if err := d.Decompress(unpack, file, true, 0o022); err != nil {
		return "", &ArchiveError{File: u, Reason: err.Error()}
	}
	if err := os.Rename(filepath.Join(unpack, "go"), root); err != nil {
		return "", err
	}
	return "dl " + u, fixTree(root, false)
}
