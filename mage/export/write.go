package export

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/perftrack/perftrack/mage/internal/atomicfile"
)

// Marker is the file that says a data directory belongs to Export: Export
// writes it into every data directory it creates (holding the schema
// version), replaces only a directory that has it or is empty, and
// removes leftovers of its own interrupted writes only when they have it.
const Marker = ".perftrack-export"

// NotOwnedError says the data directory holds files Export did not write:
// it is not empty and has no Marker. Export replaces the whole directory,
// so it refuses rather than delete them.
type NotOwnedError struct {
	Dir string // the data directory
}

// Error names the directory and says how to proceed.
func (e *NotOwnedError) Error() string {
	return fmt.Sprintf("%s is not empty and was not written by export (it has no %s file), and export replaces the whole directory: remove %s if nothing in it is needed, or point PERF_DOCS (Options.Data) at another directory",
		e.Dir, Marker, e.Dir)
}

// markerData is the content of Marker.
func markerData() []byte {
	return fmt.Appendf(nil, "{\"schema_version\":%d}\n", SchemaVersion)
}

// writeDir replaces the directory dir with one holding exactly files and
// Marker, provided dir is Export's (see Marker) or empty or missing, with
// atomicfile.ReplaceDir: a crash or an error leaves dir as it was, and
// files of versions or platforms that no longer exist disappear with the
// old tree. Two exports into one directory at the same time are not
// supported: each would take the other's temporary directory for a
// leftover.
func writeDir(dir string, files []File) error {
	err := atomicfile.ReplaceDir(dir, Marker, markerData(), func(tmp string) error {
		for _, f := range files {
			if !fs.ValidPath(f.Name) || f.Name == Marker {
				return fmt.Errorf("export: invalid file name %q", f.Name)
			}
			p := filepath.Join(tmp, filepath.FromSlash(f.Name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := atomicfile.WriteNew(p, f.Data); err != nil {
				return err
			}
		}
		return nil
	})
	if no := (*atomicfile.NotOwnedError)(nil); errors.As(err, &no) {
		return &NotOwnedError{Dir: no.Dir}
	}
	return err
}
