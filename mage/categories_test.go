package mage

import (
	"maps"
	"strings"
	"testing"
)

func TestParseCategories(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want map[string]string
		err  string
	}{
		{"", nil, ""},
		{".=core, internal/codec = codec", map[string]string{".": "core", "internal/codec": "codec"}, ""},
		{"core", nil, `"core" is not dir=name`},
		{"a=", nil, "is not dir=name"},
		{"a=x,a=y", nil, `"a" is named twice`},
	} {
		got, err := parseCategories(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("parseCategories(%q) error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || !maps.Equal(got, tc.want) {
			t.Errorf("parseCategories(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	env := map[string]string{"PERF_CATEGORIES": "oops", "PERF_TITLE": "T"}
	_, err := Settings{}.resolve(func(k string) (string, bool) { v, ok := env[k]; return v, ok }, "/home")
	if err == nil || !strings.Contains(err.Error(), "PERF_CATEGORIES") {
		t.Errorf("PERF_CATEGORIES=oops: %v", err)
	}
	delete(env, "PERF_CATEGORIES")
	s, err := Settings{}.resolve(func(k string) (string, bool) { v, ok := env[k]; return v, ok }, "/home")
	if err != nil || s.Title != "T" {
		t.Errorf("PERF_TITLE=T: title %q, %v", s.Title, err)
	}
}
