package explain

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/google/pprof/profile"
)

// Func is one function's share of a regression: its value per op under
// the baseline and the toolchain that regressed, in the profile's value
// unit (ns/op, B/op or allocs/op), the difference, and the difference as
// a fraction of the whole profile's (NaN when the profile shows no
// increase).
type Func struct {
	Name  string `json:"function"`
	Base  Number `json:"base"`
	New   Number `json:"new"`
	Delta Number `json:"delta"`
	Share Number `json:"share"`
}

// totals are one profile's values per op, per function.
type totals struct {
	flat, cum map[string]float64
	total     float64
	samples   int64 // CPU samples (the samples/count values); 0 for other profiles
}

// perOp sums the values of sample type index of p per function, divided
// by ops: flat for the function a sample's stack ends in (the innermost
// inlined frame), cumulative for every function on the stack, once per
// sample. Functions are keyed by name only, as go tool pprof does by
// default, so the same function of two toolchains (at two GOROOTs) is
// one.
func perOp(p *profile.Profile, index int, ops int64) totals {
	t := totals{flat: map[string]float64{}, cum: map[string]float64{}}
	countIndex := -1
	if i, err := p.SampleIndexByName("samples"); err == nil && p.SampleType[i].Unit == "count" {
		countIndex = i
	}
	seen := map[string]bool{}
	for _, s := range p.Sample {
		v := float64(s.Value[index]) / float64(ops)
		if countIndex >= 0 {
			t.samples += s.Value[countIndex]
		}
		t.total += v
		clear(seen)
		for li, loc := range s.Location {
			if len(loc.Line) == 0 {
				name := fmt.Sprintf("0x%x", loc.Address)
				if li == 0 {
					t.flat[name] += v
				}
				if !seen[name] {
					seen[name] = true
					t.cum[name] += v
				}
				continue
			}
			for i, line := range loc.Line {
				name := "?"
				if line.Function != nil {
					name = line.Function.Name
				}
				if li == 0 && i == 0 {
					t.flat[name] += v
				}
				if !seen[name] {
					seen[name] = true
					t.cum[name] += v
				}
			}
		}
	}
	return t
}

// callerShare is the share of a side's total above which a function is
// a caller of (nearly) everything: the benchmark function, the testing
// package, runtime.goexit. Their cumulative values grow with any
// regression, so listing them first would say nothing.
const callerShare = 0.9

// diff is the difference of two profiles' per-op values.
type diff struct {
	base, new totals
	flat, cum []Func
	// omitted is the number of callers of nearly everything left out of
	// cum (callerShare).
	omitted int
}

// change is the difference of the whole profiles, per op.
func (d *diff) change() float64 { return d.new.total - d.base.total }

// compare returns the top functions by increase, flat and cumulative,
// of the new profile over the base one.
func compare(base, cur totals, top int) *diff {
	d := &diff{base: base, new: cur}
	change := cur.total - base.total
	d.flat = topFuncs(base.flat, cur.flat, change, top, nil)
	d.cum = topFuncs(base.cum, cur.cum, change, top, func(name string) bool {
		everywhere := base.cum[name] >= callerShare*base.total && cur.cum[name] >= callerShare*cur.total
		if everywhere {
			d.omitted++
		}
		return everywhere
	})
	return d
}

// topFuncs returns the top functions by increase from base to cur, at
// most top of them, only those that increased, leaving out those skip
// reports.
func topFuncs(base, cur map[string]float64, change float64, top int, skip func(string) bool) []Func {
	var fs []Func
	for i, m := range []map[string]float64{cur, base} {
		for name := range m {
			if _, done := cur[name]; done && i == 1 {
				continue // counted with cur
			}
			if skip != nil && skip(name) {
				continue
			}
			f := Func{Name: name, Base: Number(base[name]), New: Number(cur[name])}
			f.Delta = f.New - f.Base
			if !(f.Delta > 0) {
				continue
			}
			f.Share = Number(math.NaN())
			if change > 0 {
				f.Share = f.Delta / Number(change)
			}
			fs = append(fs, f)
		}
	}
	slices.SortFunc(fs, func(a, b Func) int {
		return cmp.Or(cmp.Compare(b.Delta, a.Delta), cmp.Compare(a.Name, b.Name))
	})
	if len(fs) > top {
		fs = fs[:top]
	}
	return fs
}
