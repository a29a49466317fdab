package collect

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/perftrack/perftrack/mage/internal/atomicfile"
)

// resultFile is one toolchain's result file of a run, open for appending.
//
// Note: every sample is appended with a single write and then synced, so a
// crash or Ctrl-C leaves every finished sample on disk and at most the
// tail of one line half-written; openResultFile cuts such a tail off before
// a resumed run appends to the file.
type resultFile struct {
	f       *os.File
	lastPkg string // the pkg config line in effect at the end of the file
}

// createResultFile creates path (which must not exist) and writes the
// file-level config lines. Collect calls it with the first sample, never
// earlier: a file without samples would hide the toolchain's earlier runs.
func createResultFile(path string, header []string) (*resultFile, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	w := &resultFile{f: f}
	if err := w.write([]byte(strings.Join(header, "\n") + "\n")); err != nil {
		f.Close()
		return nil, err
	}
	atomicfile.SyncDir(filepath.Dir(path))
	return w, nil
}

// openResultFile opens an existing result file for appending, after
// cutting off a last line that has no newline.
func openResultFile(path string) (*resultFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	if n := bytes.LastIndexByte(b, '\n') + 1; n < len(b) {
		if err := f.Truncate(int64(n)); err != nil {
			f.Close()
			return nil, fmt.Errorf("cutting a half-written line: %w", err)
		}
	}
	return &resultFile{f: f}, nil
}

// appendSample appends one sample's result lines under pkg.
func (w *resultFile) appendSample(pkg string, lines ...string) error {
	var b bytes.Buffer
	if pkg != w.lastPkg {
		fmt.Fprintf(&b, "pkg: %s\n", pkg)
	}
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	if err := w.write(b.Bytes()); err != nil {
		return err
	}
	w.lastPkg = pkg
	return nil
}

func (w *resultFile) write(b []byte) error {
	if _, err := w.f.Write(b); err != nil {
		return fmt.Errorf("writing %s: %w", w.f.Name(), err)
	}
	if err := w.f.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", w.f.Name(), err)
	}
	return nil
}

func (w *resultFile) Close() error { return w.f.Close() }

// sampleKey names one benchmark of one package.
type sampleKey struct{ Pkg, Name string }

// readSamples reads a result file written by Collect and returns the ns/op
// of each benchmark's samples, keyed by names with the -procs suffix
// removed as in parseResultLine.
func readSamples(r io.Reader, procs int) (map[sampleKey][]float64, error) {
	_, counts, err := readResultFile(r, procs)
	return counts, err
}

// readResultFile reads a result file written by Collect: its file-level
// config lines (those before the first "pkg:" line or result) and, as
// readSamples, the samples.
func readResultFile(r io.Reader, procs int) (header []string, counts map[sampleKey][]float64, err error) {
	counts = map[sampleKey][]float64{}
	pkg := ""
	inHeader := true
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = strings.TrimSpace(p)
			inHeader = false
			continue
		}
		if res, ok := parseResultLine(line, procs); ok {
			k := sampleKey{pkg, res.Name}
			counts[k] = append(counts[k], res.NsPerOp)
			inHeader = false
			continue
		}
		if inHeader && isConfigLine(line) {
			header = append(header, line)
		}
	}
	return header, counts, sc.Err()
}
