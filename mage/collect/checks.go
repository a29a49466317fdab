package collect

import (
	"github.com/perftrack/perftrack/mage/results"

	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

// Thresholds of the system checks.
const (
	maxLoadPerCore = 0.5     // 1-minute load average per core
	maxTempMilliC  = 80000   // hottest thermal zone, in m°C
	minAvailKiB    = 1 << 20 // MemAvailable: 1 GiB
)

// sysinfo reads the files the checks and the fingerprint use, under root
// ("/" in real use, a fake tree in tests).
type sysinfo struct{ root string }

func (s sysinfo) read(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join(s.root, filepath.FromSlash(name)))
}

// systemChecks runs every check but "collect" (which the lock makes). On
// systems other than Linux every check is unavailable.
func systemChecks(s sysinfo, goos string, cores int) []results.Check {
	names := []string{"governor", "load", "temperature", "memory", "swap"}
	if goos != "linux" {
		var cs []results.Check
		for _, n := range names {
			cs = append(cs, results.Check{Name: n, Status: results.CheckUnavailable, Detail: "not implemented on " + goos})
		}
		return cs
	}
	return []results.Check{
		checkGovernor(s.governors()),
		checkLoad(s, cores),
		checkTemperature(s),
		checkMemory(s),
		checkSwap(s),
	}
}

// governors returns the scaling governor of each CPU that has one.
func (s sysinfo) governors() []string {
	paths, _ := filepath.Glob(filepath.Join(s.root, "sys/devices/system/cpu/cpu[0-9]*/cpufreq/scaling_governor"))
	var gs []string
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			gs = append(gs, strings.TrimSpace(string(b)))
		}
	}
	return gs
}

func checkGovernor(gs []string) results.Check {
	c := results.Check{Name: "governor"}
	if len(gs) == 0 {
		c.Status, c.Detail = results.CheckUnavailable, "no cpufreq scaling governor (a VM, or a fixed frequency)"
		return c
	}
	var bad []string
	for _, g := range gs {
		if g != "performance" {
			bad = append(bad, g)
		}
	}
	if len(bad) == 0 {
		c.Status, c.Detail = results.CheckOK, fmt.Sprintf("performance on %d CPUs", len(gs))
		return c
	}
	slices.Sort(bad)
	c.Status, c.Detail = results.CheckFailed, fmt.Sprintf("%s on %d of %d CPUs, want performance (frequency scaling adds noise)",
		strings.Join(slices.Compact(bad), ","), len(bad), len(gs))
	return c
}

// loadavg parses /proc/loadavg's 1, 5 and 15 minute averages.
func parseLoadavg(b []byte) ([3]float64, error) {
	var l [3]float64
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return l, fmt.Errorf("loadavg: %q has fewer than 3 fields", b)
	}
	for i := range l {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return l, fmt.Errorf("loadavg: %w", err)
		}
		l[i] = v
	}
	return l, nil
}

func (s sysinfo) load() ([3]float64, error) {
	b, err := s.read("proc/loadavg")
	if err != nil {
		return [3]float64{}, err
	}
	return parseLoadavg(b)
}

func checkLoad(s sysinfo, cores int) results.Check {
	c := results.Check{Name: "load"}
	l, err := s.load()
	if err != nil {
		c.Status, c.Detail = results.CheckUnavailable, err.Error()
		return c
	}
	limit := maxLoadPerCore * float64(cores)
	c.Detail = fmt.Sprintf("1-minute load %.2f on %d cores (limit %.2f)", l[0], cores, limit)
	c.Status = results.CheckOK
	if l[0] > limit {
		c.Status = results.CheckFailed
		c.Detail += ": other work competes with the benchmarks"
	}
	return c
}

func checkTemperature(s sysinfo) results.Check {
	c := results.Check{Name: "temperature"}
	paths, _ := filepath.Glob(filepath.Join(s.root, "sys/class/thermal/thermal_zone*/temp"))
	hottest, found := 0, false
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		v, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil {
			continue
		}
		if !found || v > hottest {
			hottest, found = v, true
		}
	}
	if !found {
		c.Status, c.Detail = results.CheckUnavailable, "no thermal zone readable"
		return c
	}
	c.Detail = fmt.Sprintf("hottest thermal zone %.1f°C (limit %d°C)", float64(hottest)/1000, maxTempMilliC/1000)
	c.Status = results.CheckOK
	if hottest >= maxTempMilliC {
		c.Status = results.CheckFailed
		c.Detail += ": the CPU may throttle"
	}
	return c
}

// parseMeminfo returns /proc/meminfo's values in KiB by key.
func parseMeminfo(b []byte) map[string]int64 {
	m := map[string]int64{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) == 0 {
			continue
		}
		if n, err := strconv.ParseInt(f[0], 10, 64); err == nil {
			m[k] = n
		}
	}
	return m
}

func (s sysinfo) meminfo() (map[string]int64, error) {
	b, err := s.read("proc/meminfo")
	if err != nil {
		return nil, err
	}
	return parseMeminfo(b), nil
}

func checkMemory(s sysinfo) results.Check {
	c := results.Check{Name: "memory"}
	m, err := s.meminfo()
	avail, ok := m["MemAvailable"]
	if err != nil || !ok {
		c.Status, c.Detail = results.CheckUnavailable, "no MemAvailable in /proc/meminfo"
		return c
	}
	c.Detail = fmt.Sprintf("%d MiB available (limit %d MiB)", avail>>10, minAvailKiB>>10)
	c.Status = results.CheckOK
	if avail < minAvailKiB {
		c.Status = results.CheckFailed
		c.Detail += ": the benchmarks may page"
	}
	return c
}

func checkSwap(s sysinfo) results.Check {
	c := results.Check{Name: "swap"}
	m, err := s.meminfo()
	total, ok1 := m["SwapTotal"]
	free, ok2 := m["SwapFree"]
	if err != nil || !ok1 || !ok2 {
		c.Status, c.Detail = results.CheckUnavailable, "no SwapTotal/SwapFree in /proc/meminfo"
		return c
	}
	used := total - free
	c.Detail = fmt.Sprintf("%d MiB of swap in use", used>>10)
	c.Status = results.CheckOK
	if used > 0 {
		c.Status = results.CheckFailed
		c.Detail += ": memory pressure, or pages of this run swapped out"
	}
	return c
}

// fingerprint describes this machine; fields it cannot read stay empty.
func fingerprint(s sysinfo, hostname bool) results.Machine {
	m := results.Machine{
		OS:         runtime.GOOS,
		Arch:       runtime.GOARCH,
		Cores:      runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0),
	}
	if hostname {
		m.Hostname, _ = os.Hostname()
	}
	if b, err := s.read("proc/cpuinfo"); err == nil {
		m.CPU = cpuModel(b)
	}
	if b, err := s.read("proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	gs := s.governors()
	slices.Sort(gs)
	m.Governor = strings.Join(slices.Compact(gs), ",")
	if mi, err := s.meminfo(); err == nil {
		m.MemoryMiB = mi["MemTotal"] >> 10
	}
	m.LoadBefore, _ = s.load()
	return m
}

// cpuModel returns the first "model name" of /proc/cpuinfo.
func cpuModel(b []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
