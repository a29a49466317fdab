// Package export turns a results tree into the data files of the docs page.
//
// It reads the tree laid out by package results (every platform directory
// found, so results copied from several machines merge into one site) and
// writes PERF_DOCS/data in the schema documented in schema.go:
//
//  1. For each platform, take the newest run with samples of each
//     toolchain directory (results.NewestRun: any file in benchmark
//     format, whatever its name) and read its result file with benchfmt,
//     once; its run manifest (results.ManifestFile), when there is one, is
//     passed through.
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
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
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
	// Title is the page's title (PlatformsJSON.Title); "" means one
	// naming the benchmark module, "Go performance across releases"
	// without it.
	Title string
	// Categories names the categories of the benchmark module's
	// packages, by package directory relative to the module ("." for the
	// root package), e.g. {".": "core", "internal/codec": "codec"}; a
	// package not named keeps its directory (the root package: the
	// module path's last element). Names must be distinct, without ":".
	Categories map[string]string
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
	// Runs are the run each version was exported from, per platform
	// in index order (oldest version first).
	Runs []UsedRun
}

// UsedRun is the run a version was exported from.
type UsedRun struct {
	Platform, Version string
	Source            string // the result file, relative to the results root
	// Run is the collect run (platform/stamp) when a manifest lists the
	// file; "" for files of other tools. Consecutive versions with the
	// same Run were interleaved and compare pair by pair; any others
	// compare as independent samples.
	Run string
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
		for _, v := range vs {
			u := UsedRun{Platform: v.Platform, Version: v.Version, Source: v.Source}
			if v.Manifest != "" {
				u.Run = v.Platform + "/" + v.Stamp
			}
			r.Runs = append(r.Runs, u)
		}
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
	Series    []*SeriesJSON    // per platform; nil where IndexJSON.Series is ""
}

// File is one file of an export: a slash-separated name relative to the
// data directory, and its content.
type File struct {
	Name string
	Data []byte
}

// Files encodes the site, sorted by name, the files in parallel.
func (s *Site) Files() ([]File, error) {
	var files []File
	var values []any
	add := func(name string, v any) {
		files = append(files, File{Name: name})
		values = append(values, v)
	}
	add("platforms.json", &s.Platforms)
	for i, idx := range s.Indexes {
		add(idx.Platform+"/index.json", idx)
		for j, v := range s.Versions[i] {
			add(idx.Platform+"/"+idx.Versions[j].File, v)
		}
		if idx.Series != "" {
			add(idx.Platform+"/"+idx.Series, s.Series[i])
		}
	}
	err := forEach(context.Background(), len(files), func(i int) (err error) {
		if files[i].Data, err = encode(values[i]); err != nil {
			return fmt.Errorf("encoding %s: %w", files[i].Name, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
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
		opts.Alpha = stats.DefaultAlpha
	}
	if err := checkLayout(opts.Results); err != nil {
		return nil, nil, err
	}
	mod, warnings, err := readModule(opts.Benchmarks, opts.Root)
	if err != nil {
		return nil, nil, err
	}
	if err := mod.setNames(opts.Categories); err != nil {
		return nil, nil, fmt.Errorf("export: Options.Categories: %w", err)
	}
	platforms, err := results.Platforms(opts.Results)
	if err != nil {
		return nil, nil, fmt.Errorf("listing platforms in %s: %w", opts.Results, err)
	}
	// Note: the work is in phases so that both the reading and the
	// statistics, the costly part, spread over every CPU across platforms
	// and versions; the results land in slots fixed beforehand, so the
	// export does not depend on the scheduling.
	var builds []*platformBuild
	for _, p := range platforms {
		pb, err := listPlatform(opts, p)
		if err != nil {
			return nil, nil, err
		}
		builds = append(builds, pb)
	}
	var slots []*runSlot
	for _, pb := range builds {
		slots = append(slots, pb.slots...)
	}
	err = forEach(ctx, len(slots), func(i int) error {
		sl := slots[i]
		if sl.file == "" {
			return nil
		}
		run, warnings, err := readRun(sl.file, sl.name, sl.stamp, mod)
		sl.run, sl.warnings = run, append(sl.warnings, warnings...)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	var jobs []func() error
	for _, pb := range builds {
		jobs = append(jobs, pb.collect(opts, mod)...)
	}
	if err := forEach(ctx, len(jobs), func(i int) error { return jobs[i]() }); err != nil {
		return nil, nil, err
	}

	site := &Site{Platforms: PlatformsJSON{SchemaVersion: SchemaVersion, Title: title(opts.Title, mod.path), Module: mod.path, Platforms: []PlatformJSON{}}}
	for _, pb := range builds {
		warnings = append(warnings, pb.warnings...)
		if len(pb.runs) == 0 {
			continue
		}
		idx, versions := pb.finish(opts, mod)
		p := pb.platform
		pj := PlatformJSON{ID: p, Name: p, Versions: len(idx.Versions), Newest: idx.Versions[len(idx.Versions)-1].Name}
		if m := platformRE.FindStringSubmatch(p); m != nil {
			pj.GOOS, pj.GOARCH = m[1], m[2]
			pj.Name = displayName(m[1], m[2])
		}
		site.Platforms.Platforms = append(site.Platforms.Platforms, pj)
		site.Indexes = append(site.Indexes, idx)
		site.Versions = append(site.Versions, versions)
		series, warning := seriesOf(idx, versions)
		if warning != nil {
			warnings = append(warnings, warning)
		}
		site.Series = append(site.Series, series)
	}
	return site, warnings, nil
}

// title is the page's title: the one given, else one naming the
// benchmark module.
func title(given, module string) string {
	switch {
	case strings.TrimSpace(given) != "":
		return strings.TrimSpace(given)
	case module != "":
		return module + " across Go releases"
	}
	return "Go performance across releases"
}

// forEach calls f(0), ..., f(n-1), at most GOMAXPROCS at a time, and
// returns the error of the lowest i that failed (or the context's), so
// that which error is reported does not depend on the scheduling.
func forEach(ctx context.Context, n int, f func(i int) error) error {
	errs := make([]error, n)
	limit := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i := range n {
		limit <- struct{}{}
		wg.Go(func() {
			defer func() { <-limit }()
			if errs[i] = ctx.Err(); errs[i] == nil {
				errs[i] = f(i)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
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
	// records are the result file as benchfmt read it, Results cloned:
	// parsed once, for every stats.Build the run takes part in, which
	// must not modify them (stats.Input.Records).
	records   []benchfmt.Record
	config    map[string]string
	units     benchfmt.UnitMetadataMap
	benches   map[string]*bench // by ID
	manifest  *manifest
	summaries map[string]map[string]summary
}

// bench is one benchmark's samples in one run.
type bench struct {
	name, pkg, category string
	values              map[string][]float64 // by unit
}

// platformBuild is the export of one platform in the making.
type platformBuild struct {
	platform string
	slots    []*runSlot // one per toolchain directory, in results.Names order
	warnings []error

	// Set by collect: the runs with results, oldest first, and what is
	// computed of them.
	runs        []*run
	units       []string // in IndexJSON.Units order
	better      map[string]int
	versions    []*VersionJSON
	comparisons [][]ComparisonJSON // per version: previous, oldest
}

// runSlot is the newest run with samples of one toolchain directory, to
// be read.
type runSlot struct {
	platform, name string
	file           string // the run's result file; "" when the directory has no run with samples
	stamp          string // the run's stamp; "" when its file is not named by one
	run            *run
	warnings       []error // results.NewestRun's, then readRun's
}

// listPlatform chooses the run of each toolchain directory of a platform:
// its newest with samples (results.NewestRun), so a run that recorded
// nothing never replaces published data with nothing.
func listPlatform(opts Options, platform string) (*platformBuild, error) {
	pb := &platformBuild{platform: platform}
	names, err := results.Names(opts.Results, platform)
	if err != nil {
		return nil, fmt.Errorf("listing versions in %s: %w", filepath.Join(opts.Results, platform), err)
	}
	for _, name := range names {
		sl := &runSlot{platform: platform, name: name}
		pb.slots = append(pb.slots, sl)
		r, warnings, err := results.NewestRun(opts.Results, platform, name)
		sl.warnings = warnings
		if errors.Is(err, results.ErrNoResults) {
			sl.warnings = append(sl.warnings, fmt.Errorf("skipping %s: %w", filepath.Join(opts.Results, platform, name), err))
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("listing runs in %s: %w", filepath.Join(opts.Results, platform, name), err)
		}
		sl.file, sl.stamp = r.File, r.Stamp
	}
	return pb, nil
}

// collect takes the runs read into the slots, with their manifests,
// and returns the jobs computing their statistics: each version against
// the previous one (a report that also gives both versions' summaries)
// and against the oldest. The jobs may run in any order, in parallel.
func (pb *platformBuild) collect(opts Options, mod *module) []func() error {
	manifests := map[string]*manifest{}
	for _, sl := range pb.slots {
		pb.warnings = append(pb.warnings, sl.warnings...)
		r := sl.run
		if r == nil {
			continue
		}
		if len(r.benches) == 0 {
			pb.warnings = append(pb.warnings, fmt.Errorf("skipping %s: no benchmark results in it", r.file))
			continue
		}
		m, ok := manifests[r.stamp]
		if !ok {
			var err error
			m, err = readManifest(opts.Results, pb.platform, r.stamp, mod)
			if err != nil {
				pb.warnings = append(pb.warnings, err)
			}
			manifests[r.stamp] = m
		}
		r.manifest = m
		pb.runs = append(pb.runs, r)
	}
	if len(pb.runs) == 0 {
		if len(pb.slots) > 0 {
			pb.warnings = append(pb.warnings, fmt.Errorf("skipping platform %s: no version has results", filepath.Join(opts.Results, pb.platform)))
		}
		return nil
	}
	runs := pb.runs
	slices.SortFunc(runs, func(a, b *run) int { return compareNames(a.name, b.name) })

	// Units, their order and direction.
	pb.better = map[string]int{}
	for _, r := range runs {
		for _, b := range r.benches {
			for unit := range b.values {
				if _, ok := pb.better[unit]; !ok || pb.better[unit] == 0 {
					pb.better[unit] = r.units.GetBetter(unit)
				}
			}
		}
	}
	for u := range pb.better {
		pb.units = append(pb.units, u)
	}
	slices.SortFunc(pb.units, compareUnits)

	// Comparisons against the previous and the oldest version. A report
	// of two versions holds the summaries of both, the same as a report
	// of each alone: the previous versions' reports give every version's.
	pb.versions = make([]*VersionJSON, len(runs))
	pb.comparisons = make([][]ComparisonJSON, len(runs))
	summarize := func(rep *stats.Report, i int) error {
		v, err := summarizeRun(opts, pb.platform, runs[i], rep, mod, pb.units)
		pb.versions[i] = v
		return err
	}
	if len(runs) == 1 {
		return []func() error{func() error {
			rep, err := buildStats(opts.Alpha, runs[0])
			if err != nil {
				return err
			}
			return summarize(rep, 0)
		}}
	}
	var jobs []func() error
	for i := 1; i < len(runs); i++ {
		pb.comparisons[i] = make([]ComparisonJSON, min(i, 2))
		jobs = append(jobs, func() error {
			rep, err := buildStats(opts.Alpha, runs[i-1], runs[i])
			if err != nil {
				return err
			}
			pb.comparisons[i][0] = comparison("previous", rep, mod, runs[i-1], runs[i], pb.units)
			if i == 1 {
				if err := summarize(rep, 0); err != nil {
					return err
				}
			}
			return summarize(rep, i)
		})
		if i > 1 {
			jobs = append(jobs, func() error {
				rep, err := buildStats(opts.Alpha, runs[0], runs[i])
				if err != nil {
					return err
				}
				pb.comparisons[i][1] = comparison("oldest", rep, mod, runs[0], runs[i], pb.units)
				return nil
			})
		}
	}
	return jobs
}

// finish assembles the platform's index and version files once the jobs
// of collect have run.
func (pb *platformBuild) finish(opts Options, mod *module) (*IndexJSON, []*VersionJSON) {
	runs := pb.runs
	idx := &IndexJSON{
		SchemaVersion: SchemaVersion, Platform: pb.platform, Alpha: opts.Alpha, Confidence: confidence,
		Correction: "holm", Units: []UnitJSON{}, Categories: []string{}, Benchmarks: []BenchmarkJSON{},
	}
	for _, u := range pb.units {
		label := u
		if u == "sec/op" {
			label = "time/op"
		}
		idx.Units = append(idx.Units, UnitJSON{Unit: u, Label: label, Better: pb.better[u]})
	}
	for i, r := range runs {
		pb.versions[i].Comparisons = append(pb.versions[i].Comparisons, pb.comparisons[i]...)
		idx.Versions = append(idx.Versions, VersionRefJSON{
			Name: r.name, File: r.name + ".json", Release: version.IsValid(r.name),
			Stamp: r.stamp, Date: stampDate(r.stamp), Benchmarks: len(r.benches),
		})
	}

	// Benchmarks over every version, with their noise: the worst
	// class over the versions, from the run manifests when Collect
	// recorded them, else from the largest CV.
	byID := map[string]*BenchmarkJSON{}
	for _, r := range runs {
		for id, b := range r.benches {
			bj := byID[id]
			if bj == nil {
				bj = &BenchmarkJSON{ID: id, Name: b.name, Package: b.pkg, Category: b.category, Noise: "unknown"}
				if src, ok := mod.lookup(b.pkg, b.name); ok {
					bj.Description, bj.Source, bj.Line = src.description, src.file, src.line
				}
				byID[id] = bj
			}
			bj.Versions++
			for unit := range b.values {
				if !slices.Contains(bj.Units, unit) {
					bj.Units = append(bj.Units, unit)
				}
			}
		}
	}
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
		bj.MaxCV = derivedPtr(maxCV)
		switch {
		case class != "":
			bj.Noise = class
		case maxCV != nil:
			bj.Noise = stats.NoiseClass(*maxCV)
		}
		idx.Benchmarks = append(idx.Benchmarks, *bj)
	}
	slices.SortFunc(idx.Benchmarks, func(a, b BenchmarkJSON) int { return strings.Compare(a.ID, b.ID) })
	for c := range cats {
		idx.Categories = append(idx.Categories, c)
	}
	slices.Sort(idx.Categories)
	return idx, pb.versions
}

// seriesFile is the name of a platform's SeriesJSON.
const seriesFile = "series.json"

// seriesOf collects the platform's comparisons of each version with the
// previous one into its SeriesJSON and names it in idx; a version whose
// file has the series file's name leaves it out, with a warning.
func seriesOf(idx *IndexJSON, versions []*VersionJSON) (*SeriesJSON, error) {
	for _, v := range idx.Versions {
		if v.File == seriesFile {
			return nil, fmt.Errorf("%s: no %s for the whole-series view: version %s has that file name; the page reads every version file instead", idx.Platform, seriesFile, v.Name)
		}
	}
	s := &SeriesJSON{SchemaVersion: SchemaVersion, Platform: idx.Platform, Steps: []SeriesStepJSON{}}
	for _, v := range versions {
		for _, c := range v.Comparisons {
			if c.Kind == "previous" {
				s.Steps = append(s.Steps, SeriesStepJSON{Target: v.Version, ComparisonJSON: c})
			}
		}
	}
	idx.Series = seriesFile
	return s, nil
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

// A keeper copies the results of one file (the Reader reuses its
// Result) to keep in run.records, one configuration shared by every result
// that has it: a file's results have a handful of configurations, one per
// package, and files of collect interleave the packages round by round.
//
// Note: the records of every run stay in memory for the whole export, and
// a result's configuration is most of its allocations. Sharing is safe
// because stats copies a record before it changes anything and the
// records are read-only after readRun. A record that shares a
// configuration is a copy of the first result that had it (its donor)
// with its own name, iterations and values, so it shares the
// configuration's index too, which benchfmt.Result builds on the first
// GetConfig: it is built here, once per configuration, and the parallel
// Builds only read it. stats also places the values of results that
// share a configuration by their name, without projecting each. Such a
// copy reports its donor's position (Pos): stats reports a result's
// position only for a NaN value, so a result with one is copied whole.
type keeper struct {
	last   *benchfmt.Result
	donors map[string]*benchfmt.Result // by configKey
}

// keep returns the copy of res to keep; nan says that one of its values
// is NaN.
func (k *keeper) keep(res *benchfmt.Result, nan bool) *benchfmt.Result {
	donor, key := k.last, ""
	if donor == nil || !slices.EqualFunc(res.Config, donor.Config, func(a, b benchfmt.Config) bool {
		return a.Key == b.Key && a.File == b.File && bytes.Equal(a.Value, b.Value)
	}) {
		key = configKey(res.Config)
		donor = k.donors[key]
	}
	var c *benchfmt.Result
	if donor != nil && !nan {
		d := *donor
		d.Name, d.Iters, d.Values = bytes.Clone(res.Name), res.Iters, slices.Clone(res.Values)
		c = &d
	} else {
		c = res.Clone()
		c.ConfigIndex("")
		if donor == nil {
			if k.donors == nil {
				k.donors = map[string]*benchfmt.Result{}
			}
			k.donors[key] = c
		}
	}
	k.last = c
	return c
}

// configKey says a configuration in a string: equal configurations have
// equal keys, and different ones different keys whatever bytes their
// values hold (each field is preceded by its length).
func configKey(cfg []benchfmt.Config) string {
	var b []byte
	for _, c := range cfg {
		b = strconv.AppendInt(b, int64(len(c.Key)), 10)
		b = append(b, ':')
		b = append(b, c.Key...)
		b = strconv.AppendInt(b, int64(len(c.Value)), 10)
		b = append(b, ':')
		b = append(b, c.Value...)
		b = strconv.AppendBool(b, c.File)
	}
	return string(b)
}

// readRun reads one result file, the run of toolchain name with the
// given stamp ("" for a file not named by one). Malformed lines are
// warnings naming file:line; a file that cannot be read is an error.
func readRun(file, name, stamp string, mod *module) (*run, []error, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, nil, fmt.Errorf("reading results: %w", err)
	}
	defer f.Close()
	r := &run{name: name, stamp: stamp, file: file, config: map[string]string{}, benches: map[string]*bench{}}
	var warnings []error
	var names []string // distinct full names, for the suffix rule
	// The .file stats sets on each result is there already, so stats'
	// copies need not grow.
	var rd benchfmt.Reader
	rd.Reset(f, file, ".file", name)
	var k keeper
	for rd.Scan() {
		rec := rd.Result()
		res, ok := rec.(*benchfmt.Result)
		if !ok {
			r.records = append(r.records, rec)
			if rec, ok := rec.(*benchfmt.SyntaxError); ok {
				warnings = append(warnings, fmt.Errorf("skipping a line: %w", rec))
			}
			continue
		}
		nan := slices.IndexFunc(res.Values, func(v benchfmt.Value) bool { return math.IsNaN(v.Value) })
		r.records = append(r.records, k.keep(res, nan >= 0))
		if nan >= 0 {
			// mage/stats drops such a result too (its U test cannot
			// rank NaN), so samples and summaries stay in step.
			file, line := res.Pos()
			warnings = append(warnings, fmt.Errorf("skipping a result: %s:%d: %s value is NaN", file, line, res.Values[nan].Unit))
			continue
		}
		for _, c := range res.Config {
			if _, ok := r.config[c.Key]; c.File && !ok && c.Key != "pkg" {
				r.config[c.Key] = string(c.Value)
			}
		}
		pkg := res.GetConfig("pkg")
		cat := mod.category(pkg)
		n := res.Name.String()
		id := cat + ":" + n
		b := r.benches[id]
		if b == nil {
			b = &bench{name: n, pkg: pkg, category: cat, values: map[string][]float64{}}
			r.benches[id] = b
			names = append(names, n)
		}
		for _, v := range res.Values {
			b.values[v.Unit] = append(b.values[v.Unit], v.Value)
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
