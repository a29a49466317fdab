// Package docs is perftrack's results page and the handler that serves it.
//
// The page (index.html, app.js, style.css) is hand-written HTML, CSS and
// JavaScript with no build step, no framework and nothing loaded from
// another site: it reads the JSON that package export writes under data/
// (schema in mage/export/schema.go) and draws its charts as SVG. The files
// are embedded in FS, so a repository that imports perftrack's targets and
// has only docs/data still gets the page.
//
// The site is the page's files and data/**, nothing else of a docs
// directory (ReadFile, Published): Handler serves it, from disk through
// an os.Root and falling back to FS for the page's own files, and the
// site target copies it into the directory to publish. LocalOnly keeps a
// loopback server to loopback Host names.
package docs

import "embed"

// FS holds the page: index.html, app.js and style.css at its root.
//
//go:embed index.html app.js style.css
var FS embed.FS
