package collect

import (
	"github.com/perftrack/perftrack/mage/toolchain"

	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/perftrack/perftrack/mage/results"
)

// freeStamp returns the stamp of now, or of a later second if a run with
// that stamp exists (two runs started within one second).
func (c *collector) freeStamp(tcs []toolchain.Toolchain) string {
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

// openFiles prepares the result files once the benchmarks are known. A
// fresh run creates none: each is created with its first sample (fileOf).
// A resumed run opens those that exist and reads the samples they hold.
// A fresh resume (of a run interrupted before calibration finished)
// removes any file such a run left (older versions of Collect wrote the
// header at once), so that it gets the header of this calibration.
func (c *collector) openFiles(fresh bool) error {
	if fresh && len(c.m.Header) == 0 {
		c.m.Header = []string{"goos: " + runtime.GOOS, "goarch: " + runtime.GOARCH}
	}
	for _, tc := range c.tcs {
		path := results.RunFile(c.cfg.Results, c.platform, tc.Name, c.m.Stamp)
		if fresh {
			if c.cfg.Resume {
				if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
					return fmt.Errorf("resuming: %w", err)
				}
			}
			continue
		}
		if !exists(path) {
			continue // no sample yet under tc
		}
		var err error
		if tc.file, err = openResultFile(path); err != nil {
			return fmt.Errorf("resuming: %w", err)
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		header, values, err := readResultFile(f, c.procs)
		f.Close()
		if err != nil {
			return fmt.Errorf("reading %s: %w", path, err)
		}
		tc.values = values
		if len(c.m.Header) == 0 {
			// A manifest of an older Collect, which kept the header
			// in the files only.
			c.m.Header = slices.DeleteFunc(header, func(l string) bool { return strings.HasPrefix(l, "toolchain:") })
		}
		c.reconcileRounds(tc)
	}
	if !fresh {
		for _, fl := range c.m.Failures {
			for _, tc := range c.tcs {
				if fl.Toolchain == tc.Name && fl.Benchmark != "" {
					tc.failed[sampleKey{fl.Pkg, fl.Benchmark}] = true
				}
			}
		}
	}
	if len(c.m.Header) == 0 {
		c.m.Header = []string{"goos: " + runtime.GOOS, "goarch: " + runtime.GOARCH}
	}
	return nil
}

// fileOf returns tc's result file, creating it with the run's header at
// tc's first sample.
//
// Note: a result file is a run to every reader (results.Runs), the newest
// one hiding the others. A run interrupted in its first second, or one
// whose benchmarks all failed, must not hide the last good run behind a
// file with a header and no samples.
func (c *collector) fileOf(tc *tcState) (*resultFile, error) {
	if tc.file != nil {
		return tc.file, nil
	}
	path := results.RunFile(c.cfg.Results, c.platform, tc.Name, c.m.Stamp)
	h := append(slices.Clone(c.m.Header), "toolchain: "+tc.Version)
	f, err := createResultFile(path, h)
	if err != nil {
		return nil, fmt.Errorf("creating the result file: %w", err)
	}
	tc.file = f
	return f, nil
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
