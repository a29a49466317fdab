package toolchain

import (
	"errors"
	"strings"
	"testing"
)

func TestParseSpec(t *testing.T) {
	tests := []struct {
		in   string
		want Spec
	}{
		{"1.27.3", Spec{Kind: Exact, Version: "go1.27.3"}},
		{"go1.27.3", Spec{Kind: Exact, Version: "go1.27.3"}},
		{" go1.27.3 ", Spec{Kind: Exact, Version: "go1.27.3"}},
		{"1.27.0", Spec{Kind: Exact, Version: "go1.27.0"}},
		{"1.27", Spec{Kind: Newest, Version: "go1.27"}},
		{"go1.27", Spec{Kind: Newest, Version: "go1.27"}},
		{"1.20", Spec{Kind: Newest, Version: "go1.20"}},
		{"go1.20", Spec{Kind: Exact, Version: "go1.20"}},
		{"go1.20.0", Spec{Kind: Exact, Version: "go1.20"}},
		{"go1.20.1", Spec{Kind: Exact, Version: "go1.20.1"}},
		{"go1.9", Spec{Kind: Exact, Version: "go1.9"}},
		{"go1.21rc1", Spec{Kind: Exact, Version: "go1.21rc1"}},
		{"1.21rc1", Spec{Kind: Exact, Version: "go1.21rc1"}},
		{"go1.22beta1", Spec{Kind: Exact, Version: "go1.22beta1"}},
		{"local", Spec{Kind: Local}},
		{"tip=/src/go", Spec{Kind: Label, Label: "tip", Path: "/src/go"}},
		{"my-go = /src/go/", Spec{Kind: Label, Label: "my-go", Path: "/src/go"}},
	}
	for _, tt := range tests {
		got, err := ParseSpec(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseSpec(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseSpecErrors(t *testing.T) {
	for _, in := range []string{
		"", "go", "1", "go1", "2.0", "go1.2x", "go1.27x1", "go1.21rc", "go1.27.3.4", "go1.27.3rc1",
		"latest", "tip", "go1.027", "=/src/go", ".hidden=/src/go", "a/b=/src/go", "go1.27=/src/go",
		"local=/src/go", "tip=", "1.27,",
	} {
		_, err := ParseSpec(in)
		var se *SpecError
		if !errors.As(err, &se) {
			t.Errorf("ParseSpec(%q) error = %v, want a *SpecError", in, err)
			continue
		}
		if !strings.Contains(err.Error(), "label=/path/to/goroot") {
			t.Errorf("ParseSpec(%q) error %q does not list the accepted forms", in, err)
		}
	}
}

func TestParseSpecs(t *testing.T) {
	got, err := ParseSpecs("1.27.3, local,,tip=/src/go ,1.26")
	if err != nil {
		t.Fatal(err)
	}
	want := []Spec{
		{Kind: Exact, Version: "go1.27.3"},
		{Kind: Local},
		{Kind: Label, Label: "tip", Path: "/src/go"},
		{Kind: Newest, Version: "go1.26"},
	}
	if len(got) != len(want) {
		t.Fatalf("ParseSpecs = %+v, want %+v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("ParseSpecs[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	for _, bad := range []string{"", " , ", "1.27.3,go1.27.3", "local,local", "a=/x,a=/y", "1.27.3,nope"} {
		if _, err := ParseSpecs(bad); err == nil {
			t.Errorf("ParseSpecs(%q) succeeded", bad)
		}
	}
}

func TestSpecStringRoundTrip(t *testing.T) {
	for _, in := range []string{"go1.27.3", "1.27", "go1.20", "go1.21rc1", "local", "tip=/src/go"} {
		s, err := ParseSpec(in)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseSpec(s.String())
		if err != nil || again != s {
			t.Errorf("ParseSpec(%q).String() = %q parses to %+v, %v", in, s.String(), again, err)
		}
	}
}

// FuzzParseSpec checks that whatever ParseSpec accepts prints back to a
// spec that parses to the same thing, and that rejections are SpecErrors.
func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{"1.27.3", "go1.27.3", "1.27", "go1.20", "go1.21rc1", "local", "tip=/src/go", "go1.2x", "=", "go1..2", "1.27.3.4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseSpec(in)
		if err != nil {
			var se *SpecError
			if !errors.As(err, &se) {
				t.Fatalf("ParseSpec(%q) error %v is not a *SpecError", in, err)
			}
			return
		}
		again, err := ParseSpec(s.String())
		if err != nil || again != s {
			t.Fatalf("ParseSpec(%q) = %+v; its String %q parses to %+v, %v", in, s, s.String(), again, err)
		}
	})
}
