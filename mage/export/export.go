// Package export turns a results tree into the data files of the docs page.
//
// It reads the tree laid out by package results (every platform directory
// found, so results copied from several machines merge into one site) and
// writes PERF_DOCS/data in the schema documented in schema.go:
//
//  1. For each platform, take the newest run of each toolchain directory
//     (results.Newest) and read its result file with benchfmt; its run
//     manifest (results.ManifestFile), when there is one, is passed through.
//  2. Describe each benchmark from the benchmark module's source: category
//     is its package directory, description the first sentence of its doc
//     comment, source the file that declares it.
//  3. Summarize each benchmark and unit (n, median, confidence interval,
//     coefficient of variation, the samples) and compare each version with
//     the previous one and with the oldest (delta, p, significance after
//     the Holm correction, direction, the bound of an undetected change),
//     with mage/stats, so the numbers are Compare's (see compute.go).
//  4. Encode every file deterministically, write the whole data directory
//     beside the old one and swap it in, so readers never see a half-written
//     directory and files of removed versions or platforms disappear. Only
//     a directory Export wrote (it holds Marker) or an empty one is
//     replaced; any other is an error (NotOwnedError), never deleted.
//
// Bad input is either an error naming the path (an unreadable file, a tree
// that is not laid out as results describes) or a warning naming the path
// and what was skipped (a version directory without results, a result file
// with no benchmarks, malformed lines, a manifest that is not JSON).
package export

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/version"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/perftrack/perftrack/mage/results"
	"github.com/perftrack/perftrack/mage/stats"
	"golang.org/x/perf/benchfmt"
)

// Options configures Export. The zero value of a field takes the default
// given in its comment.
type Options struct {
	Results    string  // results root (required)
	Data       string  // data directory to write (required), e.g. docs/data
	Benchmarks string  // benchmark module directory; "" means no descriptions
	Root       string  // repository root that source paths are relative to (default ".")
	Alpha      float64 // significance level (default 0.05)
	// KeepHostname keeps the "hostname" of the run manifests' machine
	// objects in VersionJSON.Machine. By default it is left out: the
	// data is published, and a host name says more about the network
	// than about the performance.
	KeepHostname bool
}

// Report says what Export did.
type Report struct {
	Platforms int     // platforms exported
	Versions  int     // versions exported, over all platforms
	Files     int     // data files written (not counting Marker)
	Largest   string  // the largest file, relative to the data directory
	Size      int64   // its size in bytes
	Warnings  []error // what was skipped, and why
}

// Export reads opts.Results and replaces opts.Data with its export. An
// empty results tree gives a data directory with an empty platforms.json,
// which the page explains. When opts.Data exists, is not empty and has no
// Marker, Export returns a *NotOwnedError and writes nothing.
func Export(ctx context.Context, opts Options) (*Report, error) {
	site, warnings, err := Build(ctx, opts)
	if err != nil {
		return nil, err
	}
	files, err := site.Files()
	if err != nil {
		return nil, err
	}
	if err := writeDir(opts.Data, files); err != nil {
		return nil, err
	}
	r := &Report{Platforms: len(site.Platforms.Platforms), Files: len(files), Warnings: warnings}
	for _, vs := range site.Versions {
		r.Versions += len(vs)
	}
	for _, f := range files {
		if int64(len(f.Data)) > r.Size {
			r.Largest, r.Size = f.Name, int64(len(f.Data))
		}
	}
	return r, nil
}

// Site is a whole export in memory.
type Site struct {
	Platforms PlatformsJSON
	Indexes   []*IndexJSON     // one per platform, in Platforms order
	Versions  [][]*VersionJSON // per platform, in index order
}

// File is one file of an export: a slash-separated name relative to the
// data directory, and its content.
type File struct {
	Name string
	Data []byte
}

// Files encodes the site, sorted by name.
func (s *Site) Files() ([]File, error) {
	var files []File
	add := func(name string, v any) error {
		data, err := encode(v)
		if err != nil {
			return fmt.Errorf("encoding %s: %w", name, err)
		}
		files = append(files, File{Name: name, Data: data})
		return nil
	}
	if err := add("platforms.json", &s.Platforms); err != nil {
		return nil, err
	}
	for i, idx := range s.Indexes {
		if err := add(idx.Platform+"/index.json", idx); err != nil {
			return nil, err
		}
		for j, v := range s.Versions[i] {
			if err := add(idx.Platform+"/"+idx.Versions[j].File, v); err != nil {
				return nil, err
			}
		}
	}
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	return files, nil
}

// encode is json.Marshal without HTML escaping (the page inserts text
// only, and "<" stays readable in the files) plus a final newline.
func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// platformRE matches a platform directory name, <goos>-<goarch>.
var platformRE = regexp.MustCompile(`^([a-z0-9]+)-([a-z0-9]+)$`)

// Build reads the results tree and computes the site without writing
// anything. Warnings name what was skipped.
func Build(ctx context.Context, opts Options) (*Site, []error, error) {
	if opts.Results == "" || opts.Data == "" {
		return nil, nil, errors.New("export: Options.Results and Options.Data are required")
	}
	if opts.Root == "" {
		opts.Root = "."
	}
	if opts.Alpha == 0 {
		opts.Alpha = 0.05
	}
	if err := checkLayout(opts.Results); err != nil {
		return nil, nil, err
	}
	mod, warnings, err := readModule(opts.Benchmarks, opts.Root)
	if err != nil {
		return nil, nil, err
	}
	platforms, err := results.Platforms(opts.Results)
	if err != nil {
		return nil, nil, fmt.Errorf("listing platforms in %s: %w", opts.Results, err)
	}
	site := &Site{Platforms: PlatformsJSON{SchemaVersion: SchemaVersion, Platforms: []PlatformJSON{}}}
	for _, p := range platforms {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		idx, versions, w, err := buildPlatform(opts, mod, p)
		warnings = append(warnings, w...)
		if err != nil {
			return nil, nil, err
		}
		if idx == nil {
			continue
		}
		pj := PlatformJSON{ID: p, Name: p, Versions: len(idx.Versions), Newest: idx.Versions[len(idx.Versions)-1].Name}
		if m := platformRE.FindStringSubmatch(p); m != nil {
			pj.GOOS, pj.GOARCH = m[1], m[2]
			pj.Name = displayName(m[1], m[2])
		}
		site.Platforms.Platforms = append(site.Platforms.Platforms, pj)
		site.Indexes = append(site.Indexes, idx)
		site.Versions = append(site.Versions, versions)
	}
	return site, warnings, nil
}

// checkLayout rejects a results root that is itself a platform directory
// or a version directory (a common mistake when copying results around):
// result files or manifests directly inside it, or in its subdirectories'
// place of platforms.
func checkLayout(root string) error {
	entries, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading results root: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() && (strings.HasSuffix(name, ".txt") || strings.HasSuffix(name, ".json")) {
			return fmt.Errorf("%s: unknown layout: %s is a file where platform directories (<goos>-<goarch>) belong; point PERF_RESULTS at the directory that holds them",
				root, name)
		}
		if e.IsDir() && version.IsValid(name) {
			return fmt.Errorf("%s: unknown layout: %s is a version directory where platform directories (<goos>-<goarch>) belong; point PERF_RESULTS at the directory that holds them",
				root, name)
		}
	}
	return nil
}

var (
	osNames   = map[string]string{"linux": "Linux", "darwin": "macOS", "windows": "Windows", "freebsd": "FreeBSD", "openbsd": "OpenBSD", "netbsd": "NetBSD", "android": "Android", "ios": "iOS", "illumos": "illumos", "solaris": "Solaris", "aix": "AIX", "plan9": "Plan 9", "js": "JS", "wasip1": "WASI"}
	archNames = map[string]string{"amd64": "x86-64", "386": "x86", "arm64": "ARM64", "arm": "ARM", "riscv64": "RISC-V 64", "ppc64le": "POWER LE", "ppc64": "POWER", "s390x": "s390x", "loong64": "LoongArch64", "mips64le": "MIPS64 LE", "wasm": "Wasm"}
)

func displayName(goos, goarch string) string {
	o, a := osNames[goos], archNames[goarch]
	if o == "" {
		o = goos
	}
	if a == "" {
		a = goarch
	}
	return o + " " + a
}

// run is the newest run of one toolchain on one platform, as read.
type run struct {
	name, stamp, file string
	data              []byte // the result file, read once for every stats.Build
	config            map[string]string
	units             benchfmt.UnitMetadataMap
	benches           map[string]*bench // by ID
	manifest          *manifest
	summaries         map[string]map[string]summary
}

// bench is one benchmark's samples in one run.
type bench struct {
	name, pkg, category string
	values              map[string][]float64 // by unit
}

// buildPlatform exports one platform. It returns a nil index (and a
// warning) when the platform has no usable version.
func buildPlatform(opts Options, mod *module, platform string) (*IndexJSON, []*VersionJSON, []error, error) {
	var warnings []error
	names, err := results.Names(opts.Results, platform)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("listing versions in %s: %w", filepath.Join(opts.Results, platform), err)
	}
	manifests := map[string]*manifest{}
	var runs []*run
	for _, name := range names {
		stamp, err := results.Newest(opts.Results, platform, name)
		if errors.Is(err, results.ErrNoResults) {
			warnings = append(warnings, fmt.Errorf("skipping %s: %w", filepath.Join(opts.Results, platform, name), err))
			continue
		}
		if err != nil {
			return nil, nil, warnings, fmt.Errorf("listing runs in %s: %w", filepath.Join(opts.Results, platform, name), err)
		}
		r, w, err := readRun(opts.Results, platform, name, stamp, mod)
		warnings = append(warnings, w...)
		if err != nil {
			return nil, nil, warnings, err
		}
		if len(r.benches) == 0 {
			warnings = append(warnings, fmt.Errorf("skipping %s: no benchmark results in it", r.file))
			continue
		}
		m, ok := manifests[stamp]
		if !ok {
			m, err = readManifest(opts.Results, platform, stamp, mod)
			if err != nil {
				warnings = append(warnings, err)
			}
			manifests[stamp] = m
		}
		r.manifest = m
		runs = append(runs, r)
	}
	if len(runs) == 0 {
		if len(names) > 0 {
			warnings = append(warnings, fmt.Errorf("skipping platform %s: no version has results", filepath.Join(opts.Results, platform)))
		}
		return nil, nil, warnings, nil
	}
	slices.SortFunc(runs, func(a, b *run) int { return compareNames(a.name, b.name) })

	// Units, their order and direction; benchmarks over every version.
	better := map[string]int{}
	byID := map[string]*BenchmarkJSON{}
	for _, r := range runs {
		for id, b := range r.benches {
			bj := byID[id]
			if bj == nil {
				bj = &BenchmarkJSON{ID: id, Name: b.name, Package: b.pkg, Category: b.category, Reliability: "unknown"}
				if src, ok := mod.lookup(b.category, b.name); ok {
					bj.Description, bj.Source, bj.Line = src.description, src.file, src.line
				}
				byID[id] = bj
			}
			bj.Versions++
			for unit := range b.values {
				if !slices.Contains(bj.Units, unit) {
					bj.Units = append(bj.Units, unit)
				}
				if _, ok := better[unit]; !ok || better[unit] == 0 {
					better[unit] = r.units.GetBetter(unit)
				}
			}
		}
	}
	unitNames := make([]string, 0, len(better))
	for u := range better {
		unitNames = append(unitNames, u)
	}
	slices.SortFunc(unitNames, compareUnits)
	idx := &IndexJSON{
		SchemaVersion: SchemaVersion, Platform: platform, Alpha: opts.Alpha, Confidence: confidence,
		Correction: "holm", Units: []UnitJSON{}, Categories: []string{}, Benchmarks: []BenchmarkJSON{},
	}
	for _, u := range unitNames {
		label := u
		if u == "sec/op" {
			label = "time/op"
		}
		idx.Units = append(idx.Units, UnitJSON{Unit: u, Label: label, Better: better[u]})
	}

	// Summaries, then comparisons against the previous and the oldest version.
	versions := make([]*VersionJSON, len(runs))
	for i, r := range runs {
		v, err := summarizeRun(opts, platform, r, mod, unitNames)
		if err != nil {
			return nil, nil, warnings, err
		}
		versions[i] = v
		idx.Versions = append(idx.Versions, VersionRefJSON{
			Name: r.name, File: r.name + ".json", Release: version.IsValid(r.name),
			Stamp: r.stamp, Date: stampDate(r.stamp), Benchmarks: len(r.benches),
		})
	}
	for i := 1; i < len(runs); i++ {
		bases := []*run{runs[i-1]}
		if i > 1 {
			bases = append(bases, runs[0])
		}
		for k, base := range bases {
			c, err := compareRuns([]string{"previous", "oldest"}[k], base, runs[i], mod, unitNames, opts.Alpha)
			if err != nil {
				return nil, nil, warnings, err
			}
			versions[i].Comparisons = append(versions[i].Comparisons, c)
		}
	}

	// Reliability: the worst class over the versions, from the run
	// manifests when Collect recorded them, else from the largest CV.
	cats := map[string]bool{}
	for _, bj := range byID {
		cats[bj.Category] = true
		slices.SortFunc(bj.Units, compareUnits)
		var maxCV *float64
		class := ""
		for _, r := range runs {
			for _, s := range r.summaries[bj.ID] {
				if s.cv != nil && (maxCV == nil || *s.cv > *maxCV) {
					maxCV = s.cv
				}
			}
			if c := r.manifest.class(bj.ID, r.name); c != "" && (class == "" || classRank(c) > classRank(class)) {
				class = c
			}
		}
		bj.MaxCV = maxCV
		switch {
		case class != "":
			bj.Reliability = class
		case maxCV != nil:
			bj.Reliability = stats.NoiseClass(*maxCV)
		}
		idx.Benchmarks = append(idx.Benchmarks, *bj)
	}
	slices.SortFunc(idx.Benchmarks, func(a, b BenchmarkJSON) int { return strings.Compare(a.ID, b.ID) })
	for c := range cats {
		idx.Categories = append(idx.Categories, c)
	}
	slices.Sort(idx.Categories)
	return idx, versions, warnings, nil
}

// compareNames orders toolchain directories: Go releases by go/version,
// then labels by name.
func compareNames(a, b string) int {
	va, vb := version.IsValid(a), version.IsValid(b)
	switch {
	case va && vb:
		if c := version.Compare(a, b); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	case va:
		return -1
	case vb:
		return 1
	}
	return strings.Compare(a, b)
}

// compareUnits puts the units go test reports first, then others by name.
func compareUnits(a, b string) int {
	rank := func(u string) int {
		switch u {
		case "sec/op":
			return 0
		case "B/op":
			return 1
		case "allocs/op":
			return 2
		}
		return 3
	}
	if c := rank(a) - rank(b); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

func stampDate(stamp string) string {
	t, err := time.Parse(results.StampLayout, stamp)
	if err != nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// readRun reads one result file. Malformed lines are warnings naming
// file:line; a file that cannot be read is an error.
func readRun(root, platform, name, stamp string, mod *module) (*run, []error, error) {
	file := results.RunFile(root, platform, name, stamp)
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, fmt.Errorf("reading results: %w", err)
	}
	r := &run{name: name, stamp: stamp, file: file, data: data, config: map[string]string{}, benches: map[string]*bench{}}
	var warnings []error
	var names []string // distinct full names, for the suffix rule
	rd := benchfmt.NewReader(bytes.NewReader(data), file)
	for rd.Scan() {
		switch rec := rd.Result().(type) {
		case *benchfmt.SyntaxError:
			warnings = append(warnings, fmt.Errorf("skipping a line: %w", rec))
		case *benchfmt.Result:
			if i := slices.IndexFunc(rec.Values, func(v benchfmt.Value) bool { return math.IsNaN(v.Value) }); i >= 0 {
				// mage/stats drops such a result too (its U test cannot
				// rank NaN), so samples and summaries stay in step.
				file, line := rec.Pos()
				warnings = append(warnings, fmt.Errorf("skipping a result: %s:%d: %s value is NaN", file, line, rec.Values[i].Unit))
				continue
			}
			for _, c := range rec.Config {
				if _, ok := r.config[c.Key]; c.File && !ok && c.Key != "pkg" {
					r.config[c.Key] = string(c.Value)
				}
			}
			pkg := rec.GetConfig("pkg")
			cat := mod.category(pkg)
			n := rec.Name.String()
			id := cat + ":" + n
			b := r.benches[id]
			if b == nil {
				b = &bench{name: n, pkg: pkg, category: cat, values: map[string][]float64{}}
				r.benches[id] = b
				names = append(names, n)
			}
			for _, v := range rec.Values {
				b.values[v.Unit] = append(b.values[v.Unit], v.Value)
			}
		}
	}
	if err := rd.Err(); err != nil {
		return nil, warnings, fmt.Errorf("reading %s: %w", file, err)
	}
	// Benchmarks are keyed without the -GOMAXPROCS suffix, so machines
	// with different CPU counts line up, but only where go test added it:
	// the rule mage/stats groups by, so samples and summaries match.
	if suffix := stats.GoTestSuffix(0, names); suffix != "" {
		byBase := make(map[string]*bench, len(r.benches))
		for _, b := range r.benches {
			b.name = strings.TrimSuffix(b.name, suffix)
			byBase[b.category+":"+b.name] = b
		}
		r.benches = byBase
	}
	r.units = rd.Units()
	return r, warnings, nil
}
