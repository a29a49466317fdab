package collect

import (
	"github.com/perftrack/perftrack/mage/results"

	"fmt"
	"strings"

	"github.com/perftrack/perftrack/mage/stats"
)

// noisy reports whether a benchmark needs extra rounds: whether its CV
// under any toolchain is above cvMax.
//
// Note: the decision looks at each toolchain's own spread only, never at
// how the toolchains compare. Adding samples until a difference looks
// significant is the mistake benchstat's documentation warns against; adding
// them, from a budget fixed in advance, where a sample is too noisy to say
// anything is not.
func noisy(cvs map[string]float64, cvMax float64) bool {
	for _, c := range cvs {
		if c > cvMax {
			return true
		}
	}
	return false
}

// decideExtra marks the benchmarks noisier than CVMax under any toolchain
// after the planned rounds.
func (c *collector) decideExtra() {
	c.m.ExtraDecided = true
	if c.m.Settings.Extra <= 0 {
		return
	}
	var extra []string
	for i := range c.m.Benchmarks {
		b := &c.m.Benchmarks[i]
		cvs := map[string]float64{}
		for _, tc := range c.tcs {
			if v, ok := stats.CV(tc.values[sampleKey{b.Pkg, b.Name}]); ok {
				cvs[tc.Name] = v
			}
		}
		if noisy(cvs, c.m.Settings.CVMax) {
			b.Extra, b.PlannedCV = true, cvs
			extra = append(extra, b.Name)
		}
	}
	if len(extra) > 0 {
		c.prog.clear()
		fmt.Fprintf(c.cfg.Out, "collect: %d extra rounds for %d benchmarks noisier than %.0f%%: %s\n",
			c.m.Settings.Extra, len(extra), 100*c.m.Settings.CVMax, strings.Join(extra, ", "))
	}
}

// noise records each benchmark's final spread per toolchain.
func (c *collector) noise() {
	for i := range c.m.Benchmarks {
		b := &c.m.Benchmarks[i]
		ns := map[string]results.Noise{}
		for _, tc := range c.tcs {
			vs := tc.values[sampleKey{b.Pkg, b.Name}]
			if len(vs) == 0 {
				continue
			}
			n := results.Noise{Samples: len(vs)}
			if v, ok := stats.CV(vs); ok {
				n.CV, n.Class = v, stats.NoiseClass(v)
			}
			ns[tc.Name] = n
		}
		b.Noise = ns
	}
}
