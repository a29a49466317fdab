package mage

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/magefile/mage/mg"

	"github.com/perftrack/perftrack/mage/toolchain"
)

// Install installs the toolchains of a comma-separated spec list such as 1.27.3,1.26,local and prints each name and GOROOT.
//
// Each line is the toolchain's name, a tab and its GOROOT. Ctrl-C or
// SIGTERM stops it: the staging directory of the release being installed
// is removed, and it exits 130.
func Install(ctx context.Context, specs string) error {
	ctx, stop := interruptible(ctx)
	defer stop()
	in, list, err := installerFor(specs)
	if err != nil {
		return err
	}
	tcs, err := in.Install(ctx, list)
	if err != nil {
		return interrupted(ctx, err)
	}
	for _, t := range tcs {
		fmt.Printf("%s\t%s\n", t.Name, t.GOROOT)
	}
	return nil
}

// interruptible returns ctx, cancelled by SIGINT and SIGTERM too, for the
// install and toolchain targets. Mage turns only SIGINT into a cancelled
// context; SIGTERM, which CI runners and service managers send, would kill
// the process before it could remove its staging directory.
func interruptible(ctx context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
}

// interrupted turns the error of a target whose ctx (from interruptible)
// was cancelled into exit 130, as Collect's, naming the signal. Whatever
// the error says then (a cancelled download, a killed go version), the
// signal is the cause.
func interrupted(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil {
		return mg.Fatalf(130, "%v: stopped: %v", context.Cause(ctx), err)
	}
	return err
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
