package mage

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/perf/benchproc"

	"github.com/perftrack/perftrack/mage/collect"
	"github.com/perftrack/perftrack/mage/explain"
	"github.com/perftrack/perftrack/mage/results"
	"github.com/perftrack/perftrack/mage/stats"
)

// Settings configures every target. Each field has an environment variable
// (named in its comment); a field left at its zero value takes the default,
// and a variable that is set overrides the field.
//
// Note: the settings are a plain struct, not flags, because mage has no
// variadic or optional arguments that survive //mage:import aliases well,
// and because a consumer's magefile can set them once in init().
type Settings struct {
	// Count is the number of samples per benchmark per toolchain
	// (PERF_COUNT, default 20, also with Quick).
	Count int
	// Benchtime is the target time of one sample; Collect calibrates it to
	// a fixed iteration count (PERF_BENCHTIME, default 3s; 50ms with Quick).
	Benchtime time.Duration
	// Bench is the benchmark regexp, as for go test -bench (PERF_BENCH, default ".").
	Bench string
	// Pkgs are the packages of the benchmark module to run (PERF_PKGS, default "./...").
	Pkgs string
	// Quick selects a short run for trying things out: a shorter
	// benchtime and fewer extra rounds, unless Count, Benchtime or Extra
	// are set (PERF_QUICK).
	Quick bool
	// Strict makes failed system checks stop Collect before it starts;
	// otherwise they are printed and recorded (PERF_STRICT).
	Strict bool
	// Benchmarks is the benchmark module's directory (PERF_BENCHMARKS, default "benchmarks").
	Benchmarks string
	// Results is the results root (PERF_RESULTS, default "results/stable").
	Results string
	// Docs is the docs site root (PERF_DOCS, default "docs").
	Docs string
	// Site is where the site target writes the deployable site: the
	// page's files and a copy of Docs/data, nothing else, the directory
	// to publish (PERF_SITE, default "_site").
	Site string
	// SDK is the toolchain root shared with golang.org/dl (PERF_SDK, default ~/sdk).
	SDK string
	// Source is where toolchains come from: "proxy" (GOPROXY and the
	// checksum database) or "dl" (release archives and their sha256)
	// (PERF_SOURCE, default "proxy").
	Source string
	// Alpha is the significance level, in (0, 1) (PERF_ALPHA, default 0.05).
	Alpha float64
	// Confidence is the level of compare's confidence intervals and
	// bounds, in (0, 1) (PERF_CONFIDENCE, default 0.95; "95%" is accepted).
	Confidence float64
	// Filter keeps only matching results in compare, in benchstat's
	// -filter syntax, e.g. ".unit:sec/op" or "/size:1KB" (PERF_FILTER,
	// default all).
	Filter string
	// Row and Col are compare's row and column projections, as
	// benchstat's -row and -col (PERF_ROW, default .fullname; PERF_COL,
	// default .file, one column per toolchain).
	Row, Col string
	// Format is the compare output: text, markdown, csv or json (PERF_FORMAT, default text).
	Format string
	// FailOn, when positive, makes compare fail when a change that is
	// significant after the Holm correction is worse by more than this
	// fraction (PERF_FAIL_ON, e.g. "5%"; default off).
	FailOn float64
	// Addr is the address serve listens on (PERF_ADDR, default 127.0.0.1:8000).
	Addr string
	// Hostname records the machine's host name in a run's manifest and
	// keeps it in the export (PERF_HOSTNAME; default off, since results
	// are committed and published).
	Hostname bool
	// Title is the docs page's title (PERF_TITLE; default one naming the
	// benchmark module's path).
	Title string
	// Categories names the page's categories by package directory of the
	// benchmark module, "." for its root package, as comma-separated
	// dir=name pairs (PERF_CATEGORIES, e.g. ".=core,internal/codec=codec";
	// default the directory, and for the root package the module path's
	// last element). A string, not a map, so that Settings stay comparable.
	Categories string
	// Fix makes lint rewrite what it can: gofmt and the go.mod pin (PERF_FIX).
	Fix bool
	// Resume makes Collect continue the newest interrupted run with the same
	// specs (PERF_RESUME).
	Resume bool
	// CVMax is the coefficient of variation above which a benchmark gets
	// extra rounds, as a fraction (PERF_CV_MAX, e.g. "10%"; default 10%).
	CVMax float64
	// Extra is the fixed budget of extra rounds for noisy benchmarks
	// (PERF_EXTRA, default 10, 4 with Quick; PERF_EXTRA=0 or a negative
	// field disables them).
	Extra int
	// DLURL is the release list (JSON) used to resolve "1.27" and by the dl
	// source (PERF_DL_URL, default https://go.dev/dl/?mode=json&include=all).
	DLURL string
	// Explain makes Track explain the regressions it finds, as the
	// explain target does (PERF_EXPLAIN).
	Explain bool
	// ExplainTime is the time each toolchain spends profiling one
	// regressed benchmark, per kind of profile (PERF_EXPLAIN_TIME,
	// default 3s).
	ExplainTime time.Duration
	// ExplainMax is how many regressions explain profiles, the largest
	// first (PERF_EXPLAIN_MAX, default 5).
	ExplainMax int

	// extraSet records that Extra was given explicitly, so 0 can mean "none".
	extraSet bool
}

// Options holds the settings of every target. A magefile that imports these
// targets may set fields in its init function; PERF_* environment variables
// still override them.
var Options Settings

// Defaults of the settings; the Quick profile has its own count,
// benchtime and extra rounds.
//
// The quick profile takes 20 samples of 50ms rather than 5 of 100ms
// because a rank test needs samples to see anything: 5 per side can never
// give p < 0.008 (unpaired) or 0.06 (paired), which no correction over a
// suite survives. From 20 samples on, tools/sensitivity found samples and
// benchtime to trade evenly at equal cost (the noise is within a sample),
// with more, shorter samples paying for more process starts, so both
// profiles take 20 (see the README).
const (
	defaultCount      = collect.DefaultCount
	defaultBenchtime  = collect.DefaultBenchtime
	quickCount        = 20
	quickBenchtime    = 50 * time.Millisecond
	defaultAlpha      = stats.DefaultAlpha
	defaultCVMax      = collect.DefaultCVMax
	defaultExtra      = 10
	quickExtra        = 4
	defaultAddr       = "127.0.0.1:8000"
	defaultReleaseURL = "https://go.dev/dl/?mode=json&include=all"
)

// SettingError reports an environment variable whose value is not accepted.
type SettingError struct {
	Var      string // the environment variable, e.g. PERF_COUNT
	Value    string // the value it had
	Accepted string // what would have been accepted
}

func (e *SettingError) Error() string {
	return fmt.Sprintf("%s=%q: want %s", e.Var, e.Value, e.Accepted)
}

// resolve returns s with the environment applied (lookup is os.LookupEnv in
// real use) and every zero field set to its default. home is the user's home
// directory, for the default SDK root.
func (s Settings) resolve(lookup func(string) (string, bool), home string) (Settings, error) {
	var errs []error
	get := func(name string) (string, bool) {
		v, ok := lookup(name)
		if !ok || strings.TrimSpace(v) == "" {
			return "", false
		}
		return strings.TrimSpace(v), true
	}
	bad := func(name, v, accepted string) {
		errs = append(errs, &SettingError{Var: name, Value: v, Accepted: accepted})
	}
	positiveInt := func(name string, dst *int, allowZero bool) bool {
		v, ok := get(name)
		if !ok {
			return false
		}
		n, err := strconv.Atoi(v)
		switch {
		case err != nil, n < 0, n == 0 && !allowZero:
			if allowZero {
				bad(name, v, "a whole number >= 0")
			} else {
				bad(name, v, "a whole number >= 1")
			}
			return false
		}
		*dst = n
		return true
	}
	boolean := func(name string, dst *bool) {
		v, ok := get(name)
		if !ok {
			return
		}
		switch strings.ToLower(v) {
		case "1", "true", "yes", "on":
			*dst = true
		case "0", "false", "no", "off":
			*dst = false
		default:
			bad(name, v, "1 or 0 (also true/false, yes/no, on/off)")
		}
	}
	str := func(name string, dst *string) {
		if v, ok := get(name); ok {
			*dst = v
		}
	}
	oneOf := func(name string, dst *string, choices ...string) {
		v, ok := get(name)
		if !ok {
			return
		}
		for _, c := range choices {
			if strings.EqualFold(v, c) {
				*dst = c
				return
			}
		}
		bad(name, v, "one of "+strings.Join(choices, ", "))
	}
	percent := func(name string, dst *float64, allowOff bool) {
		v, ok := get(name)
		if !ok {
			return
		}
		if allowOff && (strings.EqualFold(v, "off") || v == "0") {
			*dst = 0
			return
		}
		f, err := parsePercent(v)
		if err != nil {
			accepted := "a percentage such as 10%"
			if allowOff {
				accepted = "a percentage such as 5%, or off"
			}
			bad(name, v, accepted)
			return
		}
		*dst = f
	}

	boolean("PERF_QUICK", &s.Quick)
	boolean("PERF_STRICT", &s.Strict)
	boolean("PERF_FIX", &s.Fix)
	boolean("PERF_HOSTNAME", &s.Hostname)
	boolean("PERF_RESUME", &s.Resume)
	boolean("PERF_EXPLAIN", &s.Explain)
	positiveInt("PERF_EXPLAIN_MAX", &s.ExplainMax, false)
	if v, ok := get("PERF_EXPLAIN_TIME"); ok {
		if d, err := time.ParseDuration(v); err != nil || d <= 0 || d > collect.MaxBenchtime {
			bad("PERF_EXPLAIN_TIME", v, "a positive duration with a unit, such as 3s or 500ms, at most "+collect.MaxBenchtime.String())
		} else {
			s.ExplainTime = d
		}
	}
	positiveInt("PERF_COUNT", &s.Count, false)
	if positiveInt("PERF_EXTRA", &s.Extra, true) {
		s.extraSet = true
	}
	if v, ok := get("PERF_BENCHTIME"); ok {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 || d > collect.MaxBenchtime {
			bad("PERF_BENCHTIME", v, "a positive duration with a unit, such as 3s or 500ms, at most "+collect.MaxBenchtime.String())
		} else {
			s.Benchtime = d
		}
	}
	if v, ok := get("PERF_BENCH"); ok {
		// Checked here, as the testing package splits and compiles it:
		// a test binary would find a bad part only after the build.
		if err := collect.CheckBench(v); err != nil {
			bad("PERF_BENCH", v, "a go test -bench regexp whose every part compiles ("+err.Error()+")")
		} else {
			s.Bench = v
		}
	}
	str("PERF_TITLE", &s.Title)
	str("PERF_CATEGORIES", &s.Categories)
	if _, err := parseCategories(s.Categories); err != nil {
		bad("PERF_CATEGORIES", s.Categories, "comma-separated dir=name pairs such as .=core,internal/codec=codec ("+err.Error()+")")
	}
	str("PERF_PKGS", &s.Pkgs)
	str("PERF_BENCHMARKS", &s.Benchmarks)
	str("PERF_RESULTS", &s.Results)
	str("PERF_DOCS", &s.Docs)
	str("PERF_SITE", &s.Site)
	str("PERF_SDK", &s.SDK)
	oneOf("PERF_SOURCE", &s.Source, "proxy", "dl")
	oneOf("PERF_FORMAT", &s.Format, "text", "markdown", "csv", "json")
	str("PERF_FILTER", &s.Filter)
	str("PERF_ROW", &s.Row)
	str("PERF_COL", &s.Col)
	// The syntax is checked here, so the error names the variable.
	filter, err := benchproc.NewFilter(cmp.Or(s.Filter, "*"))
	if err != nil {
		bad("PERF_FILTER", s.Filter, "a benchstat filter such as .unit:sec/op or /size:1KB ("+err.Error()+")")
	} else {
		var parser benchproc.ProjectionParser
		for _, p := range []struct{ name, v string }{{"PERF_ROW", s.Row}, {"PERF_COL", s.Col}} {
			if _, err := parser.Parse(p.v, filter); p.v != "" && err != nil {
				bad(p.name, p.v, "a benchstat projection such as .fullname or .file,/size ("+err.Error()+")")
			}
		}
	}
	if v, ok := get("PERF_CONFIDENCE"); ok {
		f, err := strconv.ParseFloat(strings.TrimSuffix(v, "%"), 64)
		if strings.HasSuffix(v, "%") {
			f /= 100
		}
		if err != nil || !(f > 0 && f < 1) {
			bad("PERF_CONFIDENCE", v, "a level between 0 and 1 (exclusive), such as 0.95 or 95%")
		} else {
			s.Confidence = f
		}
	}
	if v, ok := get("PERF_ALPHA"); ok {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !(f > 0 && f < 1) {
			bad("PERF_ALPHA", v, "a number between 0 and 1 (exclusive), such as 0.05")
		} else {
			s.Alpha = f
		}
	}
	percent("PERF_FAIL_ON", &s.FailOn, true)
	percent("PERF_CV_MAX", &s.CVMax, false)
	if v, ok := get("PERF_ADDR"); ok {
		if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
			bad("PERF_ADDR", v, "host:port, such as 127.0.0.1:8000")
		} else {
			s.Addr = v
		}
	}
	if v, ok := get("PERF_DL_URL"); ok {
		if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "file") || (u.Scheme != "file" && u.Host == "") {
			bad("PERF_DL_URL", v, "an http, https or file URL of the release list")
		} else {
			s.DLURL = v
		}
	}
	if len(errs) > 0 {
		return Settings{}, errors.Join(errs...)
	}
	return s.withDefaults(home), nil
}

// withDefaults fills every zero field with its default.
func (s Settings) withDefaults(home string) Settings {
	if s.Count == 0 {
		s.Count = defaultCount
		if s.Quick {
			s.Count = quickCount
		}
	}
	if s.Benchtime == 0 {
		s.Benchtime = defaultBenchtime
		if s.Quick {
			s.Benchtime = quickBenchtime
		}
	}
	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	def(&s.Bench, collect.DefaultBench)
	def(&s.Pkgs, collect.DefaultPkgs)
	def(&s.Benchmarks, collect.DefaultDir)
	def(&s.Results, filepath.FromSlash(results.DefaultRoot))
	def(&s.Docs, "docs")
	def(&s.Site, "_site")
	def(&s.SDK, filepath.Join(home, "sdk"))
	def(&s.Source, "proxy")
	def(&s.Format, "text")
	def(&s.Addr, defaultAddr)
	def(&s.DLURL, defaultReleaseURL)
	if s.Alpha == 0 {
		s.Alpha = defaultAlpha
	}
	if s.CVMax == 0 {
		s.CVMax = defaultCVMax
	}
	if s.ExplainTime == 0 {
		s.ExplainTime = explain.DefaultBudget
	}
	if s.ExplainMax == 0 {
		s.ExplainMax = explain.DefaultMax
	}
	switch {
	case s.Extra < 0:
		s.Extra = 0
	case s.Extra == 0 && !s.extraSet && s.Quick:
		s.Extra = quickExtra
	case s.Extra == 0 && !s.extraSet:
		s.Extra = defaultExtra
	}
	return s
}

// parsePercent parses "5%" or "2.5%" into a fraction (0.05, 0.025).
func parsePercent(v string) (float64, error) {
	num, ok := strings.CutSuffix(v, "%")
	if !ok {
		return 0, fmt.Errorf("%q has no %% sign", v)
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || !(f > 0 && f <= 1000) { // NaN too: it compares false with every limit
		return 0, fmt.Errorf("%q is not a percentage in (0%%, 1000%%]", v)
	}
	return f / 100, nil
}

// parseCategories parses PERF_CATEGORIES: "dir=name" pairs separated by
// commas, each dir given once; "" is no names.
func parseCategories(v string) (map[string]string, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	m := map[string]string{}
	for _, pair := range strings.Split(v, ",") {
		dir, name, ok := strings.Cut(strings.TrimSpace(pair), "=")
		dir, name = strings.TrimSpace(dir), strings.TrimSpace(name)
		switch {
		case !ok || dir == "" || name == "":
			return nil, fmt.Errorf("%q is not dir=name", pair)
		case m[dir] != "":
			return nil, fmt.Errorf("%q is named twice", dir)
		}
		m[dir] = name
	}
	return m, nil
}

// settings returns Options with the environment applied and defaults filled.
func settings() (Settings, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		home = "."
	}
	return Options.resolve(os.LookupEnv, home)
}
