package mage

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/magefile/mage/mg"

	"github.com/perftrack/perftrack/mage/export"
)

// Export writes the docs page's data (PERF_DOCS/data) from the results tree (PERF_RESULTS).
//
// It replaces PERF_DOCS/data only when an earlier export wrote it (or it
// is empty). Every error exits 2: exit 1 is what CI reads as a regression.
func Export(ctx context.Context) error {
	s, err := settings()
	if err != nil {
		return mg.Fatal(2, err)
	}
	return exportData(ctx, s)
}

// exportData runs the export the settings describe and prints what it wrote.
func exportData(ctx context.Context, s Settings) error {
	data := filepath.Join(s.Docs, "data")
	categories, err := parseCategories(s.Categories)
	if err != nil {
		return mg.Fatalf(2, "export: PERF_CATEGORIES=%q: %w", s.Categories, err)
	}
	rep, err := export.Export(ctx, export.Options{
		Results:    s.Results,
		Data:       data,
		Benchmarks: s.Benchmarks,
		Root:       ".",
		Alpha:      s.Alpha,
		Title:      s.Title,
		Categories: categories,
		// KeepHostname: the manifest has it only when it was asked for.
		KeepHostname: s.Hostname,
	})
	if err != nil {
		return mg.Fatalf(2, "export: %w", err)
	}
	for _, w := range rep.Warnings {
		fmt.Println("warning:", w)
	}
	for i, u := range rep.Runs {
		run := u.Run
		if run == "" {
			run = "no run manifest"
		}
		fmt.Printf("export: %s/%s: %s (%s)\n", u.Platform, u.Version, u.Source, run)
		if i > 0 && rep.Runs[i-1].Platform == u.Platform && (u.Run == "" || u.Run != rep.Runs[i-1].Run) {
			fmt.Printf("export: note: %s and %s on %s are not one interleaved run: the page compares them as independent samples\n",
				rep.Runs[i-1].Version, u.Version, u.Platform)
		}
	}
	if rep.Platforms == 0 {
		fmt.Printf("no results under %s: wrote an empty %s (the page says how to produce results)\n", s.Results, data)
		return nil
	}
	fmt.Printf("exported %d versions on %d platforms to %s (%d files, largest %s: %d bytes)\n",
		rep.Versions, rep.Platforms, data, rep.Files, rep.Largest, rep.Size)
	return nil
}
