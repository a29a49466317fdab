package collect

import (
	"github.com/perftrack/perftrack/mage/results"

	"os"
	"path/filepath"
	"testing"
)

// fakeSys writes a fake /proc and /sys tree and returns its root.
func fakeSys(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

const (
	quietMeminfo = "MemTotal:       32000000 kB\nMemAvailable:   24000000 kB\nSwapTotal:       2000000 kB\nSwapFree:        2000000 kB\n"
	busyMeminfo  = "MemTotal:       4000000 kB\nMemAvailable:     500000 kB\nSwapTotal:       2000000 kB\nSwapFree:        1000000 kB\n"
)

func TestSystemChecks(t *testing.T) {
	statuses := func(cs []results.Check) map[string]string {
		m := map[string]string{}
		for _, c := range cs {
			m[c.Name] = c.Status
		}
		return m
	}
	for _, tt := range []struct {
		name  string
		goos  string
		files map[string]string
		want  map[string]string
	}{
		{
			name: "quiet machine",
			goos: "linux",
			files: map[string]string{
				"proc/loadavg": "0.20 0.30 0.40 1/200 1234\n",
				"proc/meminfo": quietMeminfo,
				"sys/devices/system/cpu/cpu0/cpufreq/scaling_governor": "performance\n",
				"sys/devices/system/cpu/cpu1/cpufreq/scaling_governor": "performance\n",
				"sys/class/thermal/thermal_zone0/temp":                 "45000\n",
			},
			want: map[string]string{"governor": results.CheckOK, "load": results.CheckOK, "temperature": results.CheckOK, "memory": results.CheckOK, "swap": results.CheckOK},
		},
		{
			name: "busy, hot, swapping laptop",
			goos: "linux",
			files: map[string]string{
				"proc/loadavg": "3.50 2.00 1.00 5/300 999\n",
				"proc/meminfo": busyMeminfo,
				"sys/devices/system/cpu/cpu0/cpufreq/scaling_governor":  "performance\n",
				"sys/devices/system/cpu/cpu1/cpufreq/scaling_governor":  "powersave\n",
				"sys/devices/system/cpu/cpu10/cpufreq/scaling_governor": "schedutil\n",
				"sys/class/thermal/thermal_zone0/temp":                  "45000\n",
				"sys/class/thermal/thermal_zone1/temp":                  "91000\n",
			},
			want: map[string]string{"governor": results.CheckFailed, "load": results.CheckFailed, "temperature": results.CheckFailed, "memory": results.CheckFailed, "swap": results.CheckFailed},
		},
		{
			name:  "nothing readable",
			goos:  "linux",
			files: map[string]string{"proc/loadavg": "garbage\n"},
			want:  map[string]string{"governor": results.CheckUnavailable, "load": results.CheckUnavailable, "temperature": results.CheckUnavailable, "memory": results.CheckUnavailable, "swap": results.CheckUnavailable},
		},
		{
			name: "not linux",
			goos: "darwin",
			want: map[string]string{"governor": results.CheckUnavailable, "load": results.CheckUnavailable, "temperature": results.CheckUnavailable, "memory": results.CheckUnavailable, "swap": results.CheckUnavailable},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cs := systemChecks(sysinfo{fakeSys(t, tt.files)}, tt.goos, 2)
			got := statuses(cs)
			for name, want := range tt.want {
				if got[name] != want {
					t.Errorf("%s = %s, want %s (%v)", name, got[name], want, cs)
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("checks = %v", cs)
			}
		})
	}
}

func TestFingerprint(t *testing.T) {
	root := fakeSys(t, map[string]string{
		"proc/loadavg":              "1.50 1.25 1.00 1/200 1234\n",
		"proc/meminfo":              quietMeminfo,
		"proc/cpuinfo":              "processor\t: 0\nmodel name\t: AMD EPYC 7B13\n\nprocessor\t: 1\nmodel name\t: AMD EPYC 7B13\n",
		"proc/sys/kernel/osrelease": "6.8.0-test\n",
		"sys/devices/system/cpu/cpu0/cpufreq/scaling_governor": "powersave\n",
		"sys/devices/system/cpu/cpu1/cpufreq/scaling_governor": "performance\n",
	})
	m := fingerprint(sysinfo{root}, false)
	if m.CPU != "AMD EPYC 7B13" || m.Kernel != "6.8.0-test" || m.Governor != "performance,powersave" ||
		m.MemoryMiB != 31250 || m.LoadBefore != [3]float64{1.5, 1.25, 1} || m.Cores < 1 || m.GOMAXPROCS < 1 {
		t.Errorf("fingerprint = %+v", m)
	}
	// The host name only when asked for: results are shared and published.
	if m.Hostname != "" {
		t.Errorf("fingerprint records the host name %q unasked", m.Hostname)
	}
	if host, err := os.Hostname(); err == nil && host != "" {
		if m := fingerprint(sysinfo{root}, true); m.Hostname != host {
			t.Errorf("fingerprint(hostname) = %q, want %q", m.Hostname, host)
		}
	}
}
