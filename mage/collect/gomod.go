package collect

import (
	"fmt"
	"go/version"
	"strings"

	"golang.org/x/mod/modfile"
)

// goVersionOf extracts the Go version from what a toolchain's "go env
// GOVERSION" or "go version" reports: "go1.26.8" from "go1.26.8", and
// "go1.28-devel_abc" from "devel go1.28-devel_abc Tue ...". It returns ""
// when there is none, e.g. for a development build without a base version.
func goVersionOf(reported string) string {
	for _, f := range strings.Fields(reported) {
		if version.IsValid(f) {
			return f
		}
	}
	return ""
}

// lowerGoMod returns the go.mod data rewritten so that a toolchain reporting
// tcVersion can build the module under GOTOOLCHAIN=local, the go line it
// wrote if it lowered it ("" otherwise), and whether a rewrite was needed. When the module's go line is newer than the toolchain,
// it becomes the toolchain's language version (go 1.26 for go1.26.8) and any
// toolchain line is dropped; toolchains before 1.21 also get no toolchain
// line, which they do not understand. A toolchain whose version cannot be
// read gets the file unchanged: the build will say what is wrong.
//
// Note: the go line is a minimum, not a request. Lowering it lets an older
// Go build code that does not use newer language features; if the code
// does, the build fails and names the toolchain, which is what should
// happen.
func lowerGoMod(data []byte, tcVersion string) (out []byte, goLine string, changed bool, err error) {
	tc := goVersionOf(tcVersion)
	if tc == "" {
		return data, "", false, nil
	}
	f, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		return nil, "", false, fmt.Errorf("parsing go.mod: %w", err)
	}
	if f.Go != nil && version.Compare("go"+f.Go.Version, tc) > 0 {
		lang := strings.TrimPrefix(version.Lang(tc), "go")
		if err := f.AddGoStmt(lang); err != nil {
			return nil, "", false, fmt.Errorf("lowering the go line to %s: %w", lang, err)
		}
		goLine, changed = lang, true
	}
	if f.Toolchain != nil && (changed || version.Compare(tc, "go1.21") < 0) {
		f.DropToolchainStmt()
		changed = true
	}
	if !changed {
		return data, "", false, nil
	}
	f.Cleanup()
	out, err = f.Format()
	if err != nil {
		return nil, "", false, fmt.Errorf("formatting go.mod: %w", err)
	}
	return out, goLine, true, nil
}
