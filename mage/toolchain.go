package mage

import (
	"context"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/magefile/mage/mg"
)

// Toolchain groups the targets that inspect and remove installed toolchains.
type Toolchain mg.Namespace

// List lists the toolchains under PERF_SDK with version, status, source and GOROOT.
func (Toolchain) List() error {
	s, err := settings()
	if err != nil {
		return mg.Fatal(2, err)
	}
	list, err := newInstaller(s).List()
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintf(os.Stderr, "no toolchains under %s\n", s.SDK)
		return nil
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tVERSION\tSTATUS\tSOURCE\tGOROOT")
	for _, t := range list {
		status := "complete"
		if !t.Complete {
			status = "partial"
		}
		v := t.Version
		if v == "" {
			v = "?"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", t.Name, v, status, t.Source, t.GOROOT)
	}
	return w.Flush()
}

// Path prints the GOROOT of one installed toolchain spec (1.27 is the newest installed 1.27.x).
func (Toolchain) Path(ctx context.Context, spec string) error {
	in, list, err := installerFor(spec)
	if err != nil {
		return err
	}
	if len(list) != 1 {
		return mg.Fatalf(2, "toolchain:path takes one spec, got %d", len(list))
	}
	tcs, err := in.Find(ctx, list)
	if err != nil {
		return err
	}
	fmt.Println(tcs[0].GOROOT)
	return nil
}

// Remove deletes one toolchain spec installed under PERF_SDK.
func (Toolchain) Remove(spec string) error {
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
