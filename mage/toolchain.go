package mage

import (
	"context"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/magefile/mage/mg"

	"github.com/perftrack/perftrack/mage/toolchain"
)

// Toolchain groups the targets that inspect and remove installed toolchains.
type Toolchain mg.Namespace

// List lists the toolchains under PERF_SDK with version, status, source and GOROOT.
//
// A second table lists the staging directories of installs under PERF_SDK
// (hidden, since their names start with a dot): the leftovers of killed
// installs, which the next install removes, and those of running ones.
func (Toolchain) List(ctx context.Context) error {
	_, stop := interruptible(ctx) // Ctrl-C or SIGTERM lets the listing finish
	defer stop()
	s, err := settings()
	if err != nil {
		return mg.Fatal(2, err)
	}
	return listToolchains(os.Stdout, os.Stderr, newInstaller(s))
}

// listToolchains writes the tables of toolchain:list to w, and to errw
// that there is no toolchain.
func listToolchains(w, errw io.Writer, in *toolchain.Installer) error {
	list, err := in.List()
	if err != nil {
		return err
	}
	staging, err := in.StagingDirs()
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintf(errw, "no toolchains under %s\n", in.SDK)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if len(list) > 0 {
		fmt.Fprintln(tw, "NAME\tVERSION\tSTATUS\tSOURCE\tGOROOT")
	}
	for _, t := range list {
		status := "complete"
		if !t.Complete {
			status = "partial"
		}
		v := t.Version
		if v == "" {
			v = "?"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.Name, v, status, t.Source, t.GOROOT)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(staging) == 0 {
		return nil
	}
	if len(list) > 0 {
		fmt.Fprintln(w)
	}
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STAGING\tSIZE\tSTATUS\tPATH")
	for _, d := range staging {
		fmt.Fprintf(tw, "%s\t%.1f MB\t%s\t%s\n", d.Name, float64(d.Size)/1e6, stagingStatus(d), d.Path)
	}
	return tw.Flush()
}

// stagingStatus says what becomes of a staging directory.
func stagingStatus(d toolchain.StagingDir) string {
	switch {
	case d.InUse:
		return "in use by a running install"
	case d.Leftover():
		return "staging leftover: removed by the next install"
	}
	return "staging leftover of an older perftrack: removed by the first install after " + d.RemovedAfter.UTC().Format(time.RFC3339)
}

// Path prints the GOROOT of one installed toolchain spec (1.27 is the newest installed 1.27.x).
func (Toolchain) Path(ctx context.Context, spec string) error {
	ctx, stop := interruptible(ctx)
	defer stop()
	in, list, err := installerFor(spec)
	if err != nil {
		return err
	}
	if len(list) != 1 {
		return mg.Fatalf(2, "toolchain:path takes one spec, got %d", len(list))
	}
	tcs, err := in.Find(ctx, list)
	if err != nil {
		return interrupted(ctx, err)
	}
	fmt.Println(tcs[0].GOROOT)
	return nil
}

// Remove deletes one toolchain spec installed under PERF_SDK.
//
// Ctrl-C or SIGTERM lets it finish the removal it started, which takes a
// moment: the toolchain is renamed aside first, then deleted.
func (Toolchain) Remove(ctx context.Context, spec string) error {
	_, stop := interruptible(ctx)
	defer stop()
	in, list, err := installerFor(spec)
	if err != nil {
		return err
	}
	if len(list) != 1 {
		return mg.Fatalf(2, "toolchain:remove takes one spec, got %d", len(list))
	}
	root, err := in.Remove(list[0])
	if err != nil {
		return err
	}
	fmt.Printf("removed %s\n", root)
	return nil
}
