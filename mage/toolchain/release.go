package toolchain

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/version"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/perftrack/perftrack/mage/internal/atomicfile"
)

// DefaultReleaseURL is the release list of go.dev: every release with its
// files and their sha256.
const DefaultReleaseURL = "https://go.dev/dl/?mode=json&include=all"

// releaseListMaxAge is how long a cached release list is used without
// asking again: releases come out weeks apart.
const releaseListMaxAge = 24 * time.Hour

// Release is one entry of the release list.
type Release struct {
	Version string        `json:"version"` // e.g. go1.27.3
	Stable  bool          `json:"stable"`  // false for rc and beta
	Files   []ReleaseFile `json:"files"`
}

// ReleaseFile is one downloadable file of a release.
type ReleaseFile struct {
	Filename string `json:"filename"` // e.g. go1.27.3.linux-amd64.tar.gz
	OS       string `json:"os"`
	Arch     string `json:"arch"`
	Version  string `json:"version"`
	SHA256   string `json:"sha256"`
	Size     int64  `json:"size"`
	Kind     string `json:"kind"` // archive, installer or source
}

// NoReleaseError reports that a version has no download for a platform
// (a 404 from the proxy, or no matching file in the release list).
type NoReleaseError struct {
	Version, GOOS, GOARCH string
	Err                   error // the underlying error, if any
}

func (e *NoReleaseError) Error() string {
	msg := fmt.Sprintf("no release %s for %s/%s", e.Version, e.GOOS, e.GOARCH)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *NoReleaseError) Unwrap() error { return e.Err }

// newestPatch returns the newest stable release of minor (go1.27) in rels,
// or "" if there is none. Before 1.21 the first release of 1.N is go1.N.
func newestPatch(rels []Release, minor string) string {
	var vs []string
	for _, r := range rels {
		if r.Stable {
			vs = append(vs, r.Version)
		}
	}
	return newestStable(vs, minor)
}

// newestStable returns the newest of versions (release versions or SDK
// directory names) that is of minor (go1.27), or "". Pre-releases never
// count, since 1.27 means the newest stable patch.
func newestStable(versions []string, minor string) string {
	best := ""
	for _, n := range versions {
		if !version.IsValid(n) || version.Lang(n) != minor || !isStable(n) {
			continue
		}
		if best == "" || version.Compare(n, best) > 0 {
			best = n
		}
	}
	return best
}

// isStable reports whether v is a release, not an rc or beta.
func isStable(v string) bool {
	_, rest := splitMinor(v)
	return rest == "" || (rest[0] == '.' && !containsLetter(rest))
}

func containsLetter(s string) bool {
	for _, c := range s {
		if c >= 'a' && c <= 'z' {
			return true
		}
	}
	return false
}

// pickArchive returns the archive of release v for goos/goarch.
func pickArchive(rels []Release, v, goos, goarch string) (ReleaseFile, error) {
	arch := goarch
	if goos == "linux" && goarch == "arm" {
		arch = "armv6l" // the only linux/arm archive go.dev publishes
	}
	for _, r := range rels {
		if r.Version != v {
			continue
		}
		for _, f := range r.Files {
			if f.Kind == "archive" && f.OS == goos && f.Arch == arch {
				return f, nil
			}
		}
	}
	return ReleaseFile{}, &NoReleaseError{Version: v, GOOS: goos, GOARCH: goarch}
}

// archiveURL returns the URL of a release file: go.dev serves the files
// beside the list (https://go.dev/dl/<file>), and so does a mirror.
func archiveURL(listURL, filename string) (string, error) {
	u, err := url.Parse(listURL)
	if err != nil {
		return "", fmt.Errorf("release list URL: %w", err)
	}
	f, err := url.Parse(url.PathEscape(filename))
	if err != nil {
		return "", err
	}
	u.RawQuery = ""
	return u.ResolveReference(f).String(), nil
}

// checkReleases returns the entries of rels whose version is a release
// name (isReleaseName) and the versions it left out. The versions of the
// list become directory names under the SDK root, so one such as
// go1.27.9-/../../1 must go no further than this.
func checkReleases(rels []Release) (ok []Release, bad []string) {
	for _, r := range rels {
		if isReleaseName(r.Version) {
			ok = append(ok, r)
		} else {
			bad = append(bad, r.Version)
		}
	}
	return ok, bad
}

// releases returns the release list, from the cache when it is younger than
// a day, without the entries checkReleases refuses (said on Progress).
// stale says the list came from an older cache because the network
// failed; err is set only when no list could be had at all.
func (in *Installer) releases(ctx context.Context) (rels []Release, stale bool, err error) {
	rels, stale, err = in.releaseList(ctx)
	if err != nil {
		return nil, false, err
	}
	rels, bad := checkReleases(rels)
	if len(bad) > 0 {
		in.notef("release list %s: ignoring %d entries whose version is not a Go release name: %q", in.releaseURL(), len(bad), bad)
	}
	return rels, stale, nil
}

// releaseList is releases without the check of the versions.
func (in *Installer) releaseList(ctx context.Context) (rels []Release, stale bool, err error) {
	listURL := in.releaseURL()
	sum := sha256.Sum256([]byte(listURL))
	cache := filepath.Join(in.cacheDir(), "releases", hex.EncodeToString(sum[:8])+".json")
	if fi, err := os.Stat(cache); err == nil && in.now().Sub(fi.ModTime()) < releaseListMaxAge {
		if rels, err := readReleases(cache); err == nil {
			return rels, false, nil
		}
	}
	data, fetchErr := in.fetchReleaseList(ctx, listURL)
	if fetchErr == nil {
		if err := json.Unmarshal(data, &rels); err != nil {
			return nil, false, fmt.Errorf("release list %s: %w", listURL, err)
		}
		// A cache that cannot be written (a read-only HOME, a CacheDir
		// that is a file) costs a fetch next time, not this install.
		if err := atomicfile.WriteFile(cache, data, 0o644); err != nil {
			in.notef("release list not cached: %v", err)
		} else if err := os.Chtimes(cache, in.now(), in.now()); err != nil {
			// The age of the cache is measured on the installer's clock.
			in.notef("release list cache: %v", err)
		}
		return rels, false, nil
	}
	if rels, err := readReleases(cache); err == nil {
		return rels, true, nil
	}
	return nil, false, fetchErr
}

func readReleases(file string) ([]Release, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var rels []Release
	if err := json.Unmarshal(data, &rels); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return rels, nil
}

// fetchReleaseList reads the list over http(s), or from disk for a file URL.
func (in *Installer) fetchReleaseList(ctx context.Context, listURL string) ([]byte, error) {
	u, err := url.Parse(listURL)
	if err != nil {
		return nil, fmt.Errorf("release list URL: %w", err)
	}
	if u.Scheme == "file" {
		return os.ReadFile(filepath.FromSlash(u.Path))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, listURL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := in.httpClient().Do(req)
	if err != nil {
		return nil, fmt.Errorf("release list: %w", err)
	}
	defer resp.Body.Close()
	// 64 MiB is far above the real list (a few MB) and stops a hostile one.
	return io.ReadAll(io.LimitReader(resp.Body, 64<<20))
}
