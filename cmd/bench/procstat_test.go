package main

import (
	"os"
	"testing"
)

func TestParseProcStat(t *testing.T) {
	t.Parallel()
	got, err := parseProcStat("4242 (post gres: (x)) S 17 4242 4242 0 -1 4194560 1500 0 0 0 1234 567 89 10 20 0 1 0 100 1000 200\n")
	if err != nil {
		t.Fatal(err)
	}
	if want := (procTimes{PPID: 17, UTime: 1234, STime: 567, CUTime: 89, CSTime: 10}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if _, err := parseProcStat("12 (short) S 1 2"); err == nil {
		t.Error("a short line parsed")
	}
	// The benchmark's own entry parses, with itself as its parent's child.
	self, err := readProcStat(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if self.PPID != os.Getppid() {
		t.Errorf("ppid %d, want %d", self.PPID, os.Getppid())
	}
}

func TestParseProcStatus(t *testing.T) {
	t.Parallel()
	m := parseProcStatus("Name:\texpodesk\nVmPeak:\t 1800000 kB\nVmHWM:\t   98765 kB\nVmRSS:\t   54321 kB\nThreads:\t9\n")
	if m != (memory{RSS: 54321, HWM: 98765}) {
		t.Errorf("got %+v", m)
	}
	if self := readMemory(os.Getpid()); self.RSS <= 0 || self.HWM < self.RSS {
		t.Errorf("own memory %+v", self)
	}
}
