package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// procTimes is a process's CPU time from /proc/<pid>/stat, in clock ticks
// (USER_HZ): its own and that of its children it has waited for.
type procTimes struct {
	PPID                         int
	UTime, STime, CUTime, CSTime int64
}

// parseProcStat reads the fields of /proc/<pid>/stat the benchmark uses.
// The command name (field 2) is in parentheses and may hold spaces and
// parentheses itself, so the fields are counted from the last ')'.
func parseProcStat(s string) (procTimes, error) {
	var t procTimes
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return t, fmt.Errorf("stat %q: no command name", s)
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (state): ppid is field 4, utime..cstime 14..17.
	if len(f) < 15 {
		return t, fmt.Errorf("stat %q: %d fields after the name", s, len(f))
	}
	n := func(field int) int64 {
		v, _ := strconv.ParseInt(f[field-3], 10, 64)
		return v
	}
	t.PPID = int(n(4))
	t.UTime, t.STime, t.CUTime, t.CSTime = n(14), n(15), n(16), n(17)
	return t, nil
}

func readProcStat(pid int) (procTimes, error) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return procTimes{}, err
	}
	return parseProcStat(string(b))
}

// memory is a process's resident memory from /proc/<pid>/status, in kB:
// now (VmRSS) and its peak (VmHWM).
type memory struct{ RSS, HWM int64 }

func parseProcStatus(s string) memory {
	var m memory
	for _, line := range strings.Split(s, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			continue
		}
		switch k {
		case "VmRSS":
			m.RSS = kb
		case "VmHWM":
			m.HWM = kb
		}
	}
	return m
}

func readMemory(pid int) memory {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return memory{}
	}
	return parseProcStatus(string(b))
}

// postgresCPU sums the CPU ticks of the cluster's processes: the postmaster
// (with the children it has reaped, so that a backend that ended is still
// counted) and its live children. The postmaster is found as the parent of
// a backend, so that other clusters on the machine are not counted.
type postgresCPU struct{ postmaster int }

func findPostmaster(ctx context.Context, dbURL string) (postgresCPU, error) {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return postgresCPU{}, err
	}
	defer conn.Close(ctx)
	var backend int
	if err := conn.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&backend); err != nil {
		return postgresCPU{}, err
	}
	t, err := readProcStat(backend)
	if err != nil {
		return postgresCPU{}, fmt.Errorf("the backend's /proc entry: %w", err)
	}
	return postgresCPU{postmaster: t.PPID}, nil
}

// ticks is the cluster's CPU time so far, in clock ticks; 0 when the
// postmaster is unknown.
func (p postgresCPU) ticks() int64 {
	if p.postmaster == 0 {
		return 0
	}
	pm, err := readProcStat(p.postmaster)
	if err != nil {
		return 0
	}
	sum := pm.UTime + pm.STime + pm.CUTime + pm.CSTime
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return sum
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if t, err := readProcStat(pid); err == nil && t.PPID == p.postmaster {
			sum += t.UTime + t.STime + t.CUTime + t.CSTime
		}
	}
	return sum
}

// ownTicks is a process's own CPU time so far, in clock ticks; 0 when it is gone.
func ownTicks(pid int) int64 {
	t, err := readProcStat(pid)
	if err != nil {
		return 0
	}
	return t.UTime + t.STime
}
