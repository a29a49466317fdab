package toolchain

import (
	"context"
	"slices"
	"testing"
)

// TestResolve resolves "1.99" to the newest stable patch of the release
// list and leaves the other kinds alone, installing nothing.
func TestResolve(t *testing.T) {
	f := newFakeGo(t)
	for _, v := range []string{"go1.99.1", "go1.99.2", "go1.99rc1", "go1.100rc1"} {
		name, body := releaseArchive(t, v, "tar.gz", nil)
		f.addRelease(v, name, body, "")
	}
	in := f.installer(t, "proxy")
	specs, err := ParseSpecs("local,1.99,go1.98.7,dev=/opt/go")
	if err != nil {
		t.Fatal(err)
	}
	got, err := in.Resolve(context.Background(), specs)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range got {
		names = append(names, s.String())
	}
	if want := []string{"local", "go1.99.2", "go1.98.7", "dev=/opt/go"}; !slices.Equal(names, want) {
		t.Errorf("Resolve = %q, want %q", names, want)
	}
	assertEmpty(t, in.SDK)

	if _, err := in.Resolve(context.Background(), []Spec{{Kind: Newest, Version: "go1.97"}}); err == nil {
		t.Error("Resolve 1.97 with no such release and nothing installed: no error")
	}
}
