package scale

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// peakRSSByProcess is the peak resident memory (VmHWM) of pid and every
// process below it (the control plane's kube-apiserver and etcd), by
// command name (names that repeat add up), in bytes; 0 where /proc cannot
// tell.
func peakRSSByProcess(pid int) map[string]int64 {
	by := map[string]int64{}
	walkTree(pid, func(p int) {
		comm, _ := os.ReadFile(filepath.Join("/proc", strconv.Itoa(p), "comm"))
		by[strings.TrimSpace(string(comm))] += hwm(p)
	})
	return by
}

func walkTree(pid int, visit func(int)) {
	visit(pid)
	tasks, _ := filepath.Glob(filepath.Join("/proc", strconv.Itoa(pid), "task", "*", "children"))
	for _, t := range tasks {
		raw, err := os.ReadFile(t)
		if err != nil {
			continue
		}
		for _, child := range strings.Fields(string(raw)) {
			if c, err := strconv.Atoi(child); err == nil {
				walkTree(c, visit)
			}
		}
	}
}

// hwm reads VmHWM ("VmHWM:   123456 kB") of one process.
func hwm(pid int) int64 {
	f, err := os.Open(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
