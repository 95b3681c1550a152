package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestParseScriptReport(t *testing.T) {
	t.Parallel()
	r, err := parseScriptReport("Requests/sec: 12.00\nbench-paths: paths 300 sent 1234 hits 7 next 1240\n")
	if err != nil {
		t.Fatal(err)
	}
	if r != (scriptReport{Paths: 300, Sent: 1234, Hits: 7, Next: 1240}) {
		t.Errorf("got %+v", r)
	}
	if _, err := parseScriptReport("Requests/sec: 12.00\n"); err == nil {
		t.Error("a report without the line parsed")
	}
}

// TestPathsScript runs wrk with the script against a server that answers
// X-Cache: hit for a path it has seen before: no path is asked for twice
// while the list lasts, the hits are counted, the header is sent, and the
// next run starts after the lines the first one used.
func TestPathsScript(t *testing.T) {
	if _, err := exec.LookPath("wrk"); err != nil {
		t.Skip("wrk is not installed")
	}
	var mu sync.Mutex
	seen := map[string]int{}
	hx := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.URL.RequestURI()]++
		if seen[r.URL.RequestURI()] > 1 {
			w.Header().Set("X-Cache", "hit")
		}
		if r.Header.Get("HX-Request") == "true" {
			hx++
		}
		mu.Unlock()
		time.Sleep(2 * time.Millisecond)
	}))
	defer srv.Close()
	dir := t.TempDir()
	script := filepath.Join(dir, "paths.lua")
	if err := os.WriteFile(script, []byte(pathsScript), 0o644); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for i := range 100000 {
		paths = append(paths, fmt.Sprintf("/x?q=%d", i))
	}
	list, err := writePathList(dir, "test", paths, true)
	if err != nil {
		t.Fatal(err)
	}
	l := load{Threads: 2, Connections: 4}
	run, err := runScript(context.Background(), l, time.Second, script, srv.URL, list, os.Getpid(), postgresCPU{})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if run.Script.Paths != 100000 || run.Script.Hits != 0 || run.Script.Sent < run.Result.Requests || run.Result.Requests < 10 {
		t.Errorf("report %+v, wrk %+v", run.Script, run.Result)
	}
	for p, n := range seen {
		if n > 1 {
			t.Errorf("%s asked for %d times", p, n)
		}
	}
	if hx == 0 || int64(hx) < run.Result.Requests {
		t.Errorf("HX-Request sent %d times in %d requests", hx, run.Result.Requests)
	}
	if list.next != run.Script.Next || list.next < run.Script.Sent {
		t.Errorf("next %d after %+v", list.next, run.Script)
	}
	// A list of three paths wraps around: the repeats are hits.
	small, err := writePathList(dir, "small", paths[:3], false)
	if err != nil {
		t.Fatal(err)
	}
	mu.Unlock()
	run, err = runScript(context.Background(), l, time.Second, script, srv.URL, small, os.Getpid(), postgresCPU{})
	mu.Lock()
	if err != nil {
		t.Fatal(err)
	}
	if run.Script.Hits < run.Result.Requests-3 || run.Script.Hits == 0 {
		t.Errorf("hits %d of %d requests over 3 paths", run.Script.Hits, run.Result.Requests)
	}
}
