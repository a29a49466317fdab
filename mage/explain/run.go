package explain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/pprof/profile"

	"github.com/perftrack/perftrack/mage/collect"
	"github.com/perftrack/perftrack/mage/internal/atomicfile"
	"github.com/perftrack/perftrack/mage/results"
	"github.com/perftrack/perftrack/mage/toolchain"
)

// ErrInterrupted is returned (wrapped with the ctx's error) when ctx is
// cancelled: the regressions explained so far are kept, in the
// explanation returned and on disk.
var ErrInterrupted = errors.New("explain interrupted")

// Config configures Run. The zero value of a field means its default.
type Config struct {
	Results  string            // the results root the run is in (default "results/stable")
	Manifest *results.Manifest // the run
	// Regressions are the regressions to explain, largest first
	// (Select); Skipped the sentences of those left out, recorded in
	// the explanation.
	Regressions []Regression
	Skipped     []string
	// Budget is the time each toolchain spends profiling one benchmark,
	// per kind of profile (default DefaultBudget), in Rounds runs
	// (default DefaultRounds), interleaved across the toolchains.
	Budget time.Duration
	Rounds int
	Top    int // functions listed per regression, flat and cumulative (default DefaultTop)
	// LockFile and LockTimeout are the machine lock, as Collect's
	// (default collect.DefaultLockFile() and collect.DefaultLockTimeout):
	// profiling runs benchmarks, which must not overlap a collect's.
	LockFile    string
	LockTimeout time.Duration
	// Progress receives a line per profiling step (rewritten in place on
	// a terminal). Nil shows none.
	Progress io.Writer
	// Environ is the parent environment of the children (default
	// os.Environ()); collect.ChildEnv makes theirs from it.
	Environ []string

	afterJob func() // test hook: called once a benchmark's results are saved
}

// withDefaults checks c and fills in the defaults.
func (c Config) withDefaults() (Config, error) {
	switch {
	case c.Manifest == nil:
		return c, errors.New("explain: no run")
	case c.Budget < 0:
		return c, fmt.Errorf("explain: budget %s: want a duration > 0", c.Budget)
	case c.Rounds < 0:
		return c, fmt.Errorf("explain: %d rounds: want >= 1", c.Rounds)
	}
	if c.Results == "" {
		c.Results = filepath.Join("results", "stable")
	}
	if c.Budget == 0 {
		c.Budget = DefaultBudget
	}
	if c.Rounds == 0 {
		c.Rounds = DefaultRounds
	}
	if c.Top <= 0 {
		c.Top = DefaultTop
	}
	if c.LockFile == "" {
		c.LockFile = collect.DefaultLockFile()
	}
	if c.LockTimeout == 0 {
		c.LockTimeout = collect.DefaultLockTimeout
	}
	if c.Environ == nil {
		c.Environ = os.Environ()
	}
	return c, nil
}

// job is one benchmark profiled one way under several toolchains: the
// regressions of its metrics of that kind, of every toolchain that
// regressed, share the runs.
type job struct {
	pkg, bench string
	kind       Kind
	sides      []string // toolchain names, the baseline first
	regs       []int    // indices into Config.Regressions
	nsPerOp    float64
	bytesPerOp float64
	n          int64
}

// jobs groups regressions into jobs, in the order of their largest
// regression.
func jobs(regs []Regression) []*job {
	var js []*job
	for i, r := range regs {
		kind := metrics[r.Unit].kind
		k := slices.IndexFunc(js, func(j *job) bool { return j.pkg == r.Pkg && j.bench == r.Benchmark && j.kind == kind })
		if k < 0 {
			js = append(js, &job{pkg: r.Pkg, bench: r.Benchmark, kind: kind, sides: []string{r.Baseline}, n: r.N})
			k = len(js) - 1
		}
		j := js[k]
		j.regs = append(j.regs, i)
		if !slices.Contains(j.sides, r.Toolchain) {
			j.sides = append(j.sides, r.Toolchain)
		}
		j.nsPerOp = max(j.nsPerOp, r.NsPerOp)
		j.bytesPerOp = max(j.bytesPerOp, r.BytesPerOp)
	}
	return js
}

// side is one toolchain of the explanation.
type side struct {
	toolchain.Toolchain
	env   []string
	built *collect.Built
}

// Run explains cfg.Regressions: for each benchmark and kind of profile,
// it rebuilds the run's test binaries under the baseline and the
// toolchains that regressed (as collect built them), runs the benchmark
// cfg.Rounds times under each, interleaved in a shuffled order, with a
// CPU or allocation profile, merges each toolchain's profiles, keeps them
// in the run's directory (results.ProfileFile) and compares them per op.
// It writes the explanation (results.ExplanationFile) after each
// benchmark, so an interruption keeps what is done, and returns it.
//
// Each toolchain's GOROOT must still have the version the run recorded.
// A benchmark that fails to build or run is a Result with Error; when ctx
// is cancelled the error wraps ErrInterrupted.
func Run(ctx context.Context, cfg Config) (*Explanation, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	m := cfg.Manifest
	start := time.Now()
	e := &Explanation{
		Schema: SchemaVersion, Run: m.Platform + "/" + m.Stamp, Status: StatusRunning,
		Budget: Number(cfg.Budget.Seconds()), Rounds: cfg.Rounds,
		Skipped: slices.Clone(cfg.Skipped), Regressions: []*Result{},
	}
	if e.Skipped == nil {
		e.Skipped = []string{}
	}
	if len(m.Toolchains) > 0 {
		e.Baseline = m.Toolchains[0].Name
	}
	if len(cfg.Regressions) == 0 {
		e.Status = StatusFinished
		return e, nil
	}
	e.Baseline = cfg.Regressions[0].Baseline
	path := results.ExplanationFile(cfg.Results, m.Platform, m.Stamp)
	save := func() error {
		e.Wall = Number(time.Since(start).Seconds())
		b, err := json.MarshalIndent(e, "", "\t")
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		return atomicfile.WriteFile(path, append(b, '\n'), 0o644)
	}

	js := jobs(cfg.Regressions)
	sides, err := cfg.sides(ctx, js)
	if err != nil {
		return nil, err
	}
	release, err := collect.Lock(ctx, cfg.LockFile, cfg.LockTimeout,
		collect.Holder{PID: os.Getpid(), Started: start, Specs: []string{"explain", e.Run}}, cfg.Progress)
	if err != nil {
		return nil, fmt.Errorf("explain: %w", err)
	}
	defer release()
	e.Waited = Number(time.Since(start).Seconds())

	tmp, err := os.MkdirTemp("", "perftrack-explain-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	var pkgs []string
	for _, j := range js {
		if !slices.Contains(pkgs, j.pkg) {
			pkgs = append(pkgs, j.pkg)
		}
	}
	for i, name := range sortedSides(m, sides) {
		s := sides[name]
		cfg.say("explain: building %d %s under %s", len(pkgs), plural(len(pkgs), "package", "packages"), name)
		s.built, err = collect.BuildTests(ctx, s.Toolchain, s.env, m.Settings.Dir, strings.Join(pkgs, " "),
			filepath.Join(tmp, "bin", strconv.Itoa(i)))
		if err != nil {
			return nil, fmt.Errorf("explain: building under %s: %w", name, err)
		}
		if ctx.Err() != nil {
			return e, interrupted(ctx, e, save)
		}
	}

	benchtime, _ := time.ParseDuration(m.Settings.Benchtime)
	p := &progress{w: cfg.Progress, start: time.Now()}
	plans := make([]plan, len(js))
	for ji, j := range js {
		plans[ji] = planRuns(j.kind, cfg.Budget, cfg.Rounds, j.nsPerOp, j.bytesPerOp, j.n, benchtime)
		p.total += plans[ji].rounds * len(j.sides)
	}
	for ji, j := range js {
		rs := cfg.explain(ctx, ji, j, plans[ji], sides, filepath.Join(tmp, "prof"), p)
		e.Regressions = append(e.Regressions, rs...)
		if ctx.Err() != nil {
			p.finish()
			for _, j := range js[ji:] {
				for _, i := range j.regs {
					if !slices.ContainsFunc(rs, func(r *Result) bool {
						return r.Row == cfg.Regressions[i].Row && r.Unit == cfg.Regressions[i].Unit && r.Toolchain == cfg.Regressions[i].Toolchain
					}) {
						e.Skipped = append(e.Skipped, cfg.Regressions[i].String()+": not explained: interrupted")
					}
				}
			}
			return e, interrupted(ctx, e, save)
		}
		if err := save(); err != nil {
			return e, fmt.Errorf("explain: writing %s: %w", path, err)
		}
		if cfg.afterJob != nil {
			cfg.afterJob()
		}
	}
	p.finish()
	e.Status = StatusFinished
	if err := save(); err != nil {
		return e, fmt.Errorf("explain: writing %s: %w", path, err)
	}
	return e, nil
}

// interrupted records an interruption and returns its error.
func interrupted(ctx context.Context, e *Explanation, save func() error) error {
	e.Status = StatusInterrupted
	return errors.Join(fmt.Errorf("%w: %w", ErrInterrupted, context.Cause(ctx)), save())
}

// say prints a line on the progress writer.
func (c *Config) say(format string, args ...any) {
	if c.Progress != nil {
		fmt.Fprintf(c.Progress, format+"\n", args...)
	}
}

// sides returns the toolchains the jobs need, by name, after checking
// that each is in the run and its GOROOT still has the version the run
// recorded: profiles of another Go would explain nothing.
func (c *Config) sides(ctx context.Context, js []*job) (map[string]*side, error) {
	m := c.Manifest
	out := map[string]*side{}
	for _, j := range js {
		for _, name := range j.sides {
			if out[name] != nil {
				continue
			}
			i := slices.IndexFunc(m.Toolchains, func(t results.ToolchainRecord) bool { return t.Name == name })
			if i < 0 {
				return nil, fmt.Errorf("explain: run %s has no toolchain %s", m.Stamp, name)
			}
			t := m.Toolchains[i]
			v, err := toolchain.GoVersion(ctx, t.GOROOT)
			if err != nil {
				return nil, fmt.Errorf("explain: toolchain %s of run %s: %w", name, m.Stamp, err)
			}
			if v != t.Version {
				return nil, fmt.Errorf("explain: toolchain %s of run %s: %s now has %s, the run was made with %s", name, m.Stamp, t.GOROOT, v, t.Version)
			}
			env, _ := collect.ChildEnv(c.Environ, t.GOROOT)
			out[name] = &side{Toolchain: toolchain.Toolchain{Name: t.Name, Version: t.Version, GOROOT: t.GOROOT}, env: env}
		}
	}
	return out, nil
}

// sortedSides returns the names of sides in the run's toolchain order.
func sortedSides(m *results.Manifest, sides map[string]*side) []string {
	var names []string
	for _, t := range m.Toolchains {
		if sides[t.Name] != nil {
			names = append(names, t.Name)
		}
	}
	return names
}

// sideRuns are the profiles of one toolchain of a job.
type sideRuns struct {
	profiles []*profile.Profile
	ops      []int64
}

// explain runs one job and returns the results of its regressions:
// none when ctx was cancelled before a round finished under every
// toolchain, those of the rounds done when it was cancelled later.
func (c *Config) explain(ctx context.Context, ji int, j *job, pl plan, sides map[string]*side, tmp string, p *progress) []*Result {
	m := c.Manifest
	fail := func(errMsg string) []*Result {
		var rs []*Result
		for _, i := range j.regs {
			rs = append(rs, c.newResult(c.Regressions[i], errMsg))
		}
		return rs
	}
	for _, name := range j.sides {
		b := sides[name].built
		if b.Bins[j.pkg] == "" {
			msg := fmt.Sprintf("the test binary of %s did not build under %s", j.pkg, name)
			for _, f := range b.Failures {
				if f.Pkg == j.pkg || f.Stage == results.StageList {
					msg += ": " + f.String()
				}
			}
			return fail(msg)
		}
	}
	timeout := 10*c.Budget + time.Minute
	procs := runtime.GOMAXPROCS(0)
	runs := map[string]*sideRuns{}
	for _, name := range j.sides {
		runs[name] = &sideRuns{}
	}
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return fail(err.Error())
	}
	rng := rand.New(rand.NewPCG(m.Seed, uint64(ji)))
	var failed string
rounds:
	for r := range pl.rounds {
		order := slices.Clone(j.sides)
		rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		for _, name := range order {
			s := sides[name]
			p.describe(fmt.Sprintf("%s %s round %d/%d under %s", j.bench, j.kind, r+1, pl.rounds, name))
			file := filepath.Join(tmp, fmt.Sprintf("%d-%s-%d.pb.gz", ji, name, r))
			args := []string{"-test.run=^$", "-test.bench=" + collect.ExactRegexp(j.bench),
				"-test.benchtime=" + strconv.FormatInt(pl.iters, 10) + "x", "-test.count=1", "-test.timeout=0"}
			if j.kind == CPU {
				args = append(args, "-test.cpuprofile="+file)
			} else {
				args = append(args, "-test.memprofile="+file, "-test.memprofilerate="+strconv.Itoa(pl.memRate))
			}
			out, err := collect.RunTest(ctx, s.built.Dirs[j.pkg], s.env, s.built.Bins[j.pkg], timeout, args...)
			if ctx.Err() != nil {
				break rounds
			}
			var iters int64
			if err == nil {
				iters, err = collect.ResultIters(out, j.bench, procs)
			}
			var prof *profile.Profile
			if err == nil {
				prof, err = readProfile(file)
			}
			if err != nil {
				failed = fmt.Sprintf("profiling %s under %s: %v\n%s", j.bench, name, err, tail(out, 10))
				break rounds
			}
			runs[name].profiles = append(runs[name].profiles, prof)
			runs[name].ops = append(runs[name].ops, iters)
			p.add()
		}
	}
	if failed != "" {
		return fail(failed)
	}
	done := pl.rounds
	for _, name := range j.sides {
		done = min(done, len(runs[name].profiles))
	}
	if done == 0 {
		return nil // interrupted before any round was complete
	}

	merged := map[string]*profile.Profile{}
	ops := map[string]int64{}
	files := map[string]string{}
	for _, name := range j.sides {
		sr := runs[name]
		mp, err := profile.Merge(sr.profiles[:done])
		if err != nil {
			return fail(fmt.Sprintf("merging the profiles of %s under %s: %v", j.bench, name, err))
		}
		merged[name] = mp
		for _, n := range sr.ops[:done] {
			ops[name] += n
		}
		rel := profileRel(m, name, fileName(j.pkg, j.bench, j.kind))
		if err := writeProfile(filepath.Join(c.Results, rel), mp); err != nil {
			return fail(err.Error())
		}
		files[name] = rel
	}

	// The saved profiles are whole; the comparison leaves out the
	// testing package's first call of the benchmark (b.N = 1), which
	// runs its setup once more for one iteration, unless every
	// iteration ran in it (a b.Loop benchmark: nothing under launch).
	ignore := ""
	if !slices.ContainsFunc(j.sides, func(name string) bool { return !hasFrame(merged[name], launchFrame) }) {
		ignore = run1Frames.String()
		for _, name := range j.sides {
			merged[name].FilterSamplesByName(nil, run1Frames, nil, nil)
		}
	}

	var rs []*Result
	for _, i := range j.regs {
		reg := c.Regressions[i]
		r := c.newResult(reg, "")
		met := metrics[reg.Unit]
		r.Rounds, r.Iterations, r.MemRate = done, pl.iters, pl.memRate
		r.BaseOps, r.NewOps = ops[reg.Baseline], ops[reg.Toolchain]
		r.BaseProfile, r.NewProfile = files[reg.Baseline], files[reg.Toolchain]
		r.Ignored = ignore
		r.Pprof = pprofCommand(c.Results, r)
		bi, err1 := merged[reg.Baseline].SampleIndexByName(met.sampleType)
		ni, err2 := merged[reg.Toolchain].SampleIndexByName(met.sampleType)
		if err := errors.Join(err1, err2); err != nil {
			r.Error = fmt.Sprintf("the profiles of %s have no %s samples: %v", j.bench, met.sampleType, err)
			rs = append(rs, r)
			continue
		}
		base := perOp(merged[reg.Baseline], bi, r.BaseOps)
		cur := perOp(merged[reg.Toolchain], ni, r.NewOps)
		d := compare(base, cur, c.Top)
		r.Base, r.New, r.Change = Number(base.total), Number(cur.total), Number(d.change())
		r.BaseSamples, r.NewSamples = base.samples, cur.samples
		r.Flat, r.Cum, r.OmittedCallers = d.flat, d.cum, d.omitted
		r.Warnings = warnings(r, done < pl.rounds, pl.rounds)
		if pl.reduced && r.Profile == Mem {
			r.Warnings = append(r.Warnings, fmt.Sprintf("%d iterations per run, not the run's %d, to fit the budget: allocations of the setup and first iterations weigh more per op (raise PERF_EXPLAIN_TIME)", pl.iters, j.n))
		}
		rs = append(rs, r)
	}
	return rs
}

// newResult returns the Result of reg before profiling; errMsg, if not
// empty, says why it cannot be explained.
func (c *Config) newResult(reg Regression, errMsg string) *Result {
	met := metrics[reg.Unit]
	r := &Result{
		Pkg: reg.Pkg, Benchmark: reg.Benchmark, Row: reg.Row, Unit: reg.Unit,
		Baseline: reg.Baseline, Toolchain: reg.Toolchain, Delta: Number(reg.Delta),
		MeasuredBase: Number(reg.Base), MeasuredNew: Number(reg.New),
		MeasuredChange: Number((reg.New - reg.Base) * met.scale),
		Profile:        met.kind, SampleType: met.sampleType, ValueUnit: met.valueUnit,
		Flat: []Func{}, Cum: []Func{}, Warnings: []string{}, Error: errMsg,
	}
	return r
}

// minCPUSamples is the number of CPU samples per side below which a
// function's share is mostly noise.
const minCPUSamples = 100

// warnings says what undermines a result.
func warnings(r *Result, partial bool, planned int) []string {
	w := []string{}
	if partial {
		w = append(w, fmt.Sprintf("interrupted: %d of %d rounds", r.Rounds, planned))
	}
	if r.Profile == CPU {
		for _, s := range []struct {
			name string
			n    int64
		}{{r.Baseline, r.BaseSamples}, {r.Toolchain, r.NewSamples}} {
			if s.n < minCPUSamples {
				w = append(w, fmt.Sprintf("only %d CPU samples under %s: the shares are rough (raise the budget)", s.n, s.name))
			}
		}
	}
	switch {
	case !(r.Change > 0):
		w = append(w, fmt.Sprintf("the profiles show no increase per op (%s): the regression is not in what they sample, or too small for them", formatValue(float64(r.Change), r.ValueUnit)))
	case r.MeasuredChange > 0:
		if f := float64(r.Change / r.MeasuredChange); f < 0.5 || f > 2 {
			w = append(w, fmt.Sprintf("the profiles' increase is %.0f%% of the measured one: they also hold the benchmark's setup (before b.ResetTimer) and, for time, the rest of the process, which the measurement leaves out; take the shares with care", 100*f))
		}
	}
	return w
}

// The testing package's frames: run1 calls a benchmark once with b.N = 1
// (on a goroutine of its own, testing.(*B).run1.func1), launch then calls
// it with the iteration count.
var (
	run1Frames  = regexp.MustCompile(`^testing\.\(\*B\)\.run1`)
	launchFrame = regexp.MustCompile(`^testing\.\(\*B\)\.launch$`)
)

// hasFrame reports whether a sample of p has a function matching re.
func hasFrame(p *profile.Profile, re *regexp.Regexp) bool {
	for _, loc := range p.Location {
		for _, l := range loc.Line {
			if l.Function != nil && re.MatchString(l.Function.Name) {
				return true
			}
		}
	}
	return false
}

// readProfile parses a profile a test binary wrote.
func readProfile(path string) (*profile.Profile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("the test binary wrote no profile: %w", err)
	}
	defer f.Close()
	p, err := profile.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// writeProfile writes p (gzipped protobuf, as go tool pprof reads it)
// to path atomically.
func writeProfile(path string, p *profile.Profile) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	var b strings.Builder
	if err := p.Write(&b); err != nil {
		return fmt.Errorf("encoding %s: %w", path, err)
	}
	return atomicfile.WriteFile(path, []byte(b.String()), 0o644)
}

// profileRel returns the path of a profile of the run relative to the
// results root.
func profileRel(m *results.Manifest, name, file string) string {
	return filepath.Join(m.Platform, m.Stamp, "profiles", name, file)
}

// fileName returns the profile file name of a benchmark: its name, with
// each character that is not safe in a file name replaced by '_', and
// the last element of its package, so benchmarks of the same name in two
// packages do not collide: stdlib.BenchmarkGzip_level=1.cpu.pb.gz.
func fileName(pkg, bench string, kind Kind) string {
	safe := func(s string) string {
		return strings.Map(func(r rune) rune {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '=', r == '.':
				return r
			}
			return '_'
		}, s)
	}
	return safe(pathBase(pkg)) + "." + safe(bench) + "." + string(kind) + ".pb.gz"
}

// pathBase returns the last element of an import path.
func pathBase(pkg string) string {
	if i := strings.LastIndex(pkg, "/"); i >= 0 {
		return pkg[i+1:]
	}
	return pkg
}

// pprofCommand returns the go tool pprof command that shows the
// difference of r's profiles, the files named under the results root.
func pprofCommand(root string, r *Result) string {
	cmd := "go tool pprof -top"
	if r.Profile == Mem {
		cmd += " -sample_index=" + r.SampleType
	}
	if r.Ignored != "" {
		cmd += " -ignore=" + shellQuote(r.Ignored)
	}
	return fmt.Sprintf("%s -diff_base=%s %s", cmd, shellQuote(filepath.Join(root, r.BaseProfile)), shellQuote(filepath.Join(root, r.NewProfile)))
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=./:+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// tail returns the last n lines of out, indented.
func tail(out []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "\t" + strings.Join(lines, "\n\t")
}

// formatValue formats a per-op value of unit (ns/op, B/op, allocs/op).
func formatValue(v float64, unit string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "?"
	}
	switch unit {
	case "ns/op":
		return formatScaled(v, []string{"ns", "µs", "ms", "s"}, 1000) + "/op"
	case "B/op":
		return formatScaled(v, []string{"B", "KiB", "MiB", "GiB"}, 1024) + "/op"
	}
	return strconv.FormatFloat(v, 'g', 4, 64) + " " + unit
}

// formatScaled formats v in the largest unit that keeps it >= 1.
func formatScaled(v float64, units []string, step float64) string {
	if v == 0 {
		return "0 " + units[0]
	}
	i := 0
	for i < len(units)-1 && math.Abs(v) >= step {
		v /= step
		i++
	}
	return strconv.FormatFloat(v, 'f', precision(v), 64) + " " + units[i]
}

// precision gives 3 or 4 significant digits.
func precision(v float64) int {
	switch a := math.Abs(v); {
	case a >= 100:
		return 0
	case a >= 10:
		return 1
	case a >= 1:
		return 2
	}
	return 3
}
