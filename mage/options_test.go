package mage

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestResolveDefaults(t *testing.T) {
	got, err := Settings{}.resolve(env(nil), "/home/u")
	if err != nil {
		t.Fatal(err)
	}
	want := Settings{
		Count: 20, Benchtime: 3 * time.Second, Bench: ".", Pkgs: "./...",
		Benchmarks: "benchmarks", Results: filepath.Join("results", "stable"), Docs: "docs", Site: "_site",
		SDK: "/home/u/sdk", Source: "proxy", Alpha: 0.05, Format: "text",
		Addr: "127.0.0.1:8000", CVMax: 0.10, Extra: 10, DLURL: defaultReleaseURL,
		ExplainTime: 3 * time.Second, ExplainMax: 5,
	}
	if got != want {
		t.Errorf("defaults:\n got %+v\nwant %+v", got, want)
	}
}

func TestResolve(t *testing.T) {
	tests := []struct {
		name  string
		base  Settings
		env   map[string]string
		check func(Settings) bool
	}{
		{"count", Settings{}, map[string]string{"PERF_COUNT": "7"}, func(s Settings) bool { return s.Count == 7 }},
		{"env overrides field", Settings{Count: 3}, map[string]string{"PERF_COUNT": "9"}, func(s Settings) bool { return s.Count == 9 }},
		{"field kept without env", Settings{Count: 3}, nil, func(s Settings) bool { return s.Count == 3 }},
		{"blank env is unset", Settings{Count: 3}, map[string]string{"PERF_COUNT": " "}, func(s Settings) bool { return s.Count == 3 }},
		{"quick profile", Settings{}, map[string]string{"PERF_QUICK": "1"}, func(s Settings) bool {
			return s.Quick && s.Count == quickCount && s.Benchtime == quickBenchtime && s.Extra == quickExtra
		}},
		{"quick keeps explicit extra", Settings{}, map[string]string{"PERF_QUICK": "1", "PERF_EXTRA": "0"}, func(s Settings) bool { return s.Extra == 0 }},
		{"negative extra field is none", Settings{Extra: -1}, nil, func(s Settings) bool { return s.Extra == 0 }},
		{"quick keeps explicit count", Settings{}, map[string]string{"PERF_QUICK": "true", "PERF_COUNT": "3"}, func(s Settings) bool {
			return s.Count == 3 && s.Benchtime == quickBenchtime
		}},
		{"benchtime", Settings{}, map[string]string{"PERF_BENCHTIME": "250ms"}, func(s Settings) bool { return s.Benchtime == 250*time.Millisecond }},
		{"alpha", Settings{}, map[string]string{"PERF_ALPHA": "0.01"}, func(s Settings) bool { return s.Alpha == 0.01 }},
		{"hostname", Settings{}, map[string]string{"PERF_HOSTNAME": "1"}, func(s Settings) bool { return s.Hostname }},
		{"confidence", Settings{}, map[string]string{"PERF_CONFIDENCE": "90%"}, func(s Settings) bool { return s.Confidence == 0.9 }},
		{"projections", Settings{}, map[string]string{"PERF_FILTER": ".unit:sec/op", "PERF_ROW": ".name", "PERF_COL": ".file,/size"},
			func(s Settings) bool { return s.Filter == ".unit:sec/op" && s.Row == ".name" && s.Col == ".file,/size" }},
		{"fail on", Settings{}, map[string]string{"PERF_FAIL_ON": "5%"}, func(s Settings) bool { return s.FailOn == 0.05 }},
		{"fail on off", Settings{FailOn: 0.1}, map[string]string{"PERF_FAIL_ON": "off"}, func(s Settings) bool { return s.FailOn == 0 }},
		{"cv max", Settings{}, map[string]string{"PERF_CV_MAX": "2.5%"}, func(s Settings) bool { return s.CVMax == 0.025 }},
		{"extra zero", Settings{}, map[string]string{"PERF_EXTRA": "0"}, func(s Settings) bool { return s.Extra == 0 }},
		{"format case", Settings{}, map[string]string{"PERF_FORMAT": "JSON"}, func(s Settings) bool { return s.Format == "json" }},
		{"source dl", Settings{}, map[string]string{"PERF_SOURCE": "dl"}, func(s Settings) bool { return s.Source == "dl" }},
		{"strict fix resume", Settings{}, map[string]string{"PERF_STRICT": "yes", "PERF_FIX": "on", "PERF_RESUME": "1"}, func(s Settings) bool {
			return s.Strict && s.Fix && s.Resume
		}},
		{"paths", Settings{}, map[string]string{"PERF_BENCHMARKS": "b", "PERF_RESULTS": "r", "PERF_DOCS": "d", "PERF_SITE": "w", "PERF_SDK": "/s"}, func(s Settings) bool {
			return s.Benchmarks == "b" && s.Results == "r" && s.Docs == "d" && s.Site == "w" && s.SDK == "/s"
		}},
		{"addr", Settings{}, map[string]string{"PERF_ADDR": ":9000"}, func(s Settings) bool { return s.Addr == ":9000" }},
		{"explain", Settings{}, map[string]string{"PERF_EXPLAIN": "1", "PERF_EXPLAIN_TIME": "500ms", "PERF_EXPLAIN_MAX": "2"}, func(s Settings) bool {
			return s.Explain && s.ExplainTime == 500*time.Millisecond && s.ExplainMax == 2
		}},
		{"dl url", Settings{}, map[string]string{"PERF_DL_URL": "http://127.0.0.1:1/dl"}, func(s Settings) bool { return s.DLURL == "http://127.0.0.1:1/dl" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.base.resolve(env(tt.env), "/h")
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(got) {
				t.Errorf("unexpected settings: %+v", got)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	tests := []struct {
		name, value string
		accepted    string // a fragment of the message
	}{
		{"PERF_COUNT", "abc", "whole number >= 1"},
		{"PERF_COUNT", "0", "whole number >= 1"},
		{"PERF_EXTRA", "-1", "whole number >= 0"},
		{"PERF_BENCHTIME", "3", "duration with a unit"},
		{"PERF_BENCHTIME", "-1s", "positive duration"},
		{"PERF_BENCHTIME", "25h", "at most 24h0m0s"},
		{"PERF_ALPHA", "2", "between 0 and 1"},
		{"PERF_ALPHA", "x", "between 0 and 1"},
		{"PERF_FAIL_ON", "x", "percentage such as 5%, or off"},
		{"PERF_FAIL_ON", "5", "percentage"},
		{"PERF_CV_MAX", "-3%", "percentage such as 10%"},
		{"PERF_CV_MAX", "NaN%", "percentage such as 10%"},
		{"PERF_CV_MAX", "Inf%", "percentage such as 10%"},
		{"PERF_FAIL_ON", "NaN%", "percentage such as 5%, or off"},
		{"PERF_BENCH", "Fast|Sub/(", "regexp whose every part compiles"},
		{"PERF_BENCH", "[", "regexp whose every part compiles"},
		{"PERF_QUICK", "maybe", "1 or 0"},
		{"PERF_FORMAT", "html", "text, markdown, csv, json"},
		{"PERF_SOURCE", "git", "proxy, dl"},
		{"PERF_ADDR", "8000", "host:port"},
		{"PERF_DL_URL", "ftp://x/y", "http, https or file URL"},
		{"PERF_CONFIDENCE", "1", "between 0 and 1"},
		{"PERF_CONFIDENCE", "95", "between 0 and 1"},
		{"PERF_FILTER", ".unit:(sec/op", "benchstat filter"},
		{"PERF_ROW", ".fullname@nosuchorder", "benchstat projection"},
		{"PERF_COL", "((", "benchstat projection"},
		{"PERF_EXPLAIN", "sometimes", "1 or 0"},
		{"PERF_EXPLAIN_TIME", "3", "duration with a unit"},
		{"PERF_EXPLAIN_TIME", "0s", "positive duration"},
		{"PERF_EXPLAIN_MAX", "0", "whole number >= 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"="+tt.value, func(t *testing.T) {
			_, err := Settings{}.resolve(env(map[string]string{tt.name: tt.value}), "/h")
			var se *SettingError
			if !errors.As(err, &se) {
				t.Fatalf("got %v, want a *SettingError", err)
			}
			msg := err.Error()
			for _, frag := range []string{tt.name, tt.value, tt.accepted} {
				if !strings.Contains(msg, frag) {
					t.Errorf("error %q does not mention %q", msg, frag)
				}
			}
		})
	}
}

func TestResolveReportsEveryBadVariable(t *testing.T) {
	_, err := Settings{}.resolve(env(map[string]string{"PERF_COUNT": "x", "PERF_ALPHA": "7"}), "/h")
	if err == nil || !strings.Contains(err.Error(), "PERF_COUNT") || !strings.Contains(err.Error(), "PERF_ALPHA") {
		t.Errorf("got %v, want both variables named", err)
	}
}

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}
