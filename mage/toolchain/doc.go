// Package toolchain installs, finds, lists and removes Go toolchains under
// an SDK root laid out like golang.org/dl's ~/sdk, so that both tools share
// their installs: <sdk>/go1.27.3 is a GOROOT, complete once it holds the
// .unpacked-success marker.
//
// A spec list (ParseSpecs) names the toolchains: exact releases, the newest
// patch of a minor version, the local go, or any GOROOT under a label.
// Installer.Install turns specs into Toolchains:
//
//  1. Resolve: "1.27" becomes the newest stable 1.27.x of the release list
//     (cached for a day; offline, the newest installed 1.27.x).
//  2. Reuse: a complete install is used as it is, without network access.
//  3. Fetch, with go-getter restricted to HTTP:
//     - source "proxy": the module golang.org/toolchain@v0.0.1-go1.X.Y.<goos>-<goarch>
//     from GOPROXY (or the Go module cache), its dirhash checked against
//     the checksum database through sumdb.Client, exactly as the go
//     command checks the zip it runs for GOTOOLCHAIN=go1.X.Y;
//     - source "dl": the release archive, its sha256 (taken as it
//     downloads) checked against the release list's.
//  4. Check the archive's entries (paths, types, modes, counts, sizes),
//     then unpack it in one pass into a staging directory beside the final
//     one, with exec bits and go.mod files as the go command has them. A
//     module zip's dirhash is computed by that same pass, since it is a
//     hash of the unpacked contents; a release archive is unpacked only
//     once its sha256 matched. Then run bin/go version and compare; no
//     file of the staging directory runs before the hash matched.
//  5. Write the marker last and rename the staging directory into place;
//     a partial install is replaced, a lost race with another process
//     installing the same release is success.
//
// A staging directory belongs to its process through a lock file beside
// it, so the leftovers of a killed install are known as such at once: the
// next install removes them, StagingDirs lists them, and the staging
// directory of an install still running is never touched.
//
// Children that run a toolchain get Env: GOTOOLCHAIN=local, GOROOT and
// GOROOT/bin first on PATH, so the go command never switches to another
// release behind the benchmark's back.
//
// The package never prints except to Installer.Progress, never exits and
// never logs; failures are typed errors (SpecError, NoReleaseError,
// ChecksumError, ArchiveError, SecurityError, CacheError, HTTPStatusError).
package toolchain
