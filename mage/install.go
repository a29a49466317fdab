package mage

import (
	"context"
	"fmt"
	"os"

	"github.com/magefile/mage/mg"

	"github.com/perftrack/perftrack/mage/toolchain"
)

// Install installs the toolchains of a comma-separated spec list such as 1.27.3,1.26,local and prints each name and GOROOT.
//
// Each line is the toolchain's name, a tab and its GOROOT.
func Install(ctx context.Context, specs string) error {
	in, list, err := installerFor(specs)
	if err != nil {
		return err
	}
	tcs, err := in.Install(ctx, list)
	if err != nil {
		return err
	}
	for _, t := range tcs {
		fmt.Printf("%s\t%s\n", t.Name, t.GOROOT)
	}
	return nil
}

// installerFor parses a spec list and builds the installer the settings
// describe. A bad spec exits 2, like mage's own argument errors.
func installerFor(specs string) (*toolchain.Installer, []toolchain.Spec, error) {
	s, err := settings()
	if err != nil {
		return nil, nil, mg.Fatal(2, err)
	}
	list, err := toolchain.ParseSpecs(specs)
	if err != nil {
		// ParseSpecs fails only with a *toolchain.SpecError.
		return nil, nil, mg.Fatal(2, err)
	}
	return newInstaller(s), list, nil
}

// newInstaller returns the installer of the settings, reporting progress
// on stderr so that stdout stays the GOROOTs.
func newInstaller(s Settings) *toolchain.Installer {
	return &toolchain.Installer{
		SDK:        s.SDK,
		Source:     s.Source,
		ReleaseURL: s.DLURL,
		Progress:   os.Stderr,
	}
}
