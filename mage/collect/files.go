package collect

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/perftrack/perftrack/mage/results"
)

// freeStamp returns the stamp of now, or of a later second if a run with
// that stamp exists (two runs started within one second).
func (c *collector) freeStamp(tcs []Toolchain) string {
	t := c.started
	for {
		stamp := results.Stamp(t)
		free := !exists(results.ManifestFile(c.cfg.Results, c.platform, stamp))
		for _, tc := range tcs {
			free = free && !exists(results.RunFile(c.cfg.Results, c.platform, tc.Name, stamp))
		}
		if free {
			return stamp
		}
		t = t.Add(time.Second)
	}
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// openFiles creates the result files when fresh, or opens them when
// resuming and reads the samples they already hold. A fresh resume (of a
// run interrupted before calibration finished) replaces the files, which
// hold no samples, so that they get the header of this calibration.
func (c *collector) openFiles(fresh bool) error {
	header := c.header
	if len(header) == 0 {
		header = []string{"goos: " + runtime.GOOS, "goarch: " + runtime.GOARCH}
	}
	for _, tc := range c.tcs {
		path := results.RunFile(c.cfg.Results, c.platform, tc.Name, c.m.Stamp)
		var err error
		if !fresh {
			if tc.file, err = openResultFile(path); err != nil {
				return fmt.Errorf("resuming: %w", err)
			}
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			tc.values, err = readSamples(f, c.procs)
			f.Close()
			if err != nil {
				return fmt.Errorf("reading %s: %w", path, err)
			}
			c.reconcileRounds(tc)
			for _, fl := range c.m.Failures {
				if fl.Toolchain == tc.Name && fl.Benchmark != "" {
					tc.failed[sampleKey{fl.Pkg, fl.Benchmark}] = true
				}
			}
			continue
		}
		if c.cfg.Resume {
			if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
				return fmt.Errorf("resuming: %w", err)
			}
		}
		h := append(append([]string(nil), header...), "toolchain: "+tc.Version)
		if tc.file, err = createResultFile(path, h); err != nil {
			return fmt.Errorf("creating the result file: %w", err)
		}
	}
	return nil
}

// closeFiles closes the result files and returns their errors, joined.
func (c *collector) closeFiles() error {
	var errs []error
	for _, tc := range c.tcs {
		if tc.file == nil {
			continue
		}
		if err := tc.file.Close(); err != nil {
			errs = append(errs, fmt.Errorf("closing the result file of %s: %w", tc.Name, err))
		}
	}
	return errors.Join(errs...)
}

// reconcileRounds makes the recorded rounds of tc's samples match the
// result file a resume found: samples written after the manifest was
// last saved (the process died mid-round) come from the rounds after the
// recorded ones. Round r only ever runs a toolchain that has exactly r
// samples of a benchmark, so each unrecorded sample's round is its index.
func (c *collector) reconcileRounds(tc *tcState) {
	for i := range c.m.Benchmarks {
		b := &c.m.Benchmarks[i]
		have := len(tc.values[sampleKey{b.Pkg, b.Name}])
		rec := b.Rounds[tc.Name]
		if len(rec) > have {
			rec = rec[:have] // a sample the file lost cannot be paired
		}
		for j := len(rec); j < have; j++ {
			rec = append(rec, j)
		}
		if have > 0 {
			if b.Rounds == nil {
				b.Rounds = map[string][]int{}
			}
			b.Rounds[tc.Name] = rec
		}
	}
}
