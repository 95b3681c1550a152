package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// pathsScript is the wrk script of the runs that ask for a different page
// on each request. wrk runs it as:
//
//	wrk … -s paths.lua http://127.0.0.1:<port> -- <paths file> <first> <threads> <hx|->
//
// Each thread reads the file (one path with its query per line); request
// n of thread t asks for line first + t + n × threads, so no two requests
// of a run ask for the same page until the list is used up (then it wraps
// around and the repeats may be cache hits). "hx" sends HX-Request: true,
// as the directory's search box does. Every response with X-Cache: hit
// (served from the page cache) is counted, and done() prints one line the
// benchmark reads: how many paths the file has, how many requests were
// sent, how many were cache hits and the index of the next unused line.
const pathsScript = `local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function init(args)
  paths = {}
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  npaths = #paths
  first = tonumber(args[2])
  nthreads = tonumber(args[3])
  if args[4] == "hx" then wrk.headers["HX-Request"] = "true" end
  sent, hits, last = 0, 0, -1
end
function request()
  local i = first + tid + sent * nthreads
  sent = sent + 1
  last = i
  return wrk.format("GET", paths[(i % npaths) + 1])
end
function response(status, headers, body)
  if headers["X-Cache"] == "hit" or headers["x-cache"] == "hit" then hits = hits + 1 end
end
function done(summary, latency, requests)
  local n, s, h, last = 0, 0, 0, -1
  for _, t in ipairs(threads) do
    n = t:get("npaths")
    s = s + t:get("sent")
    h = h + t:get("hits")
    if t:get("last") > last then last = t:get("last") end
  end
  io.write(string.format("bench-paths: paths %d sent %d hits %d next %d\n", n, s, h, last + 1))
end
`

// scriptReport is the line pathsScript's done() prints.
type scriptReport struct {
	Paths, Sent, Hits, Next int64
}

var scriptLine = regexp.MustCompile(`(?m)^bench-paths: paths (\d+) sent (\d+) hits (\d+) next (-?\d+)$`)

func parseScriptReport(out string) (scriptReport, error) {
	m := scriptLine.FindStringSubmatch(out)
	if m == nil {
		return scriptReport{}, fmt.Errorf("no bench-paths line")
	}
	var r scriptReport
	for i, p := range []*int64{&r.Paths, &r.Sent, &r.Hits, &r.Next} {
		*p, _ = strconv.ParseInt(m[i+1], 10, 64)
	}
	return r, nil
}

// pathList is a file of paths for pathsScript and the next line to use:
// runs against the same server take lines one after the other, so that a
// run does not ask for pages an earlier run already put in the cache.
type pathList struct {
	Name  string
	File  string
	Count int
	HX    bool
	First string // the first path, for the report
	next  int64
}

// writePathList writes paths, one a line, into dir/name.paths.
func writePathList(dir, name string, paths []string, hx bool) (*pathList, error) {
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s: no paths", name)
	}
	for _, p := range paths {
		if strings.ContainsAny(p, "\n\r ") {
			return nil, fmt.Errorf("%s: path %q holds a space or line break", name, p)
		}
	}
	file := filepath.Join(dir, name+".paths")
	if err := os.WriteFile(file, []byte(strings.Join(paths, "\n")+"\n"), 0o644); err != nil {
		return nil, err
	}
	return &pathList{Name: name, File: file, Count: len(paths), HX: hx, First: paths[0]}, nil
}

// scriptArgs are wrk's arguments for a run of d over list from line first.
func scriptArgs(l load, d time.Duration, script, base string, list *pathList, first int64) []string {
	hx := "-"
	if list.HX {
		hx = "hx"
	}
	args := l.args(d, base)
	return append(append(args[:len(args)-1], "-s", script, base, "--", list.File), strconv.FormatInt(first, 10),
		strconv.Itoa(l.Threads), hx)
}

// scriptRun is one wrk run over a path list, with the CPU the server, the
// cluster and wrk used meanwhile.
type scriptRun struct {
	Result wrkResult
	Script scriptReport
	First  int64
	CPU    cpuShare
}

// cpuShare is the CPU time (clock ticks) each party used during a run.
type cpuShare struct {
	Server, Postgres, Wrk int64
	Wall                  time.Duration
}

// ticksPerSecond is USER_HZ, the unit of /proc/<pid>/stat's times (100 on
// every Linux the benchmark runs on).
const ticksPerSecond = 100

func (c cpuShare) total() int64 { return c.Server + c.Postgres + c.Wrk }

// share is part's fraction of the three parties' CPU time.
func (c cpuShare) share(part int64) float64 {
	if c.total() == 0 {
		return 0
	}
	return float64(part) / float64(c.total())
}

// cores is part's CPU time over the wall time: 1 is one CPU kept busy.
func (c cpuShare) cores(part int64) float64 {
	if c.Wall <= 0 {
		return 0
	}
	return float64(part) / ticksPerSecond / c.Wall.Seconds()
}

// runScript runs wrk with pathsScript over list (from its next line on,
// which it then advances past the lines used) against the server at base,
// whose process is pid, and measures the CPU of the server, PostgreSQL and
// wrk meanwhile.
func runScript(ctx context.Context, l load, d time.Duration, script, base string, list *pathList, pid int, pg postgresCPU) (scriptRun, error) {
	run := scriptRun{First: list.next}
	cmd := exec.CommandContext(ctx, "wrk", scriptArgs(l, d, script, base, list, list.next)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	server0, pg0, start := ownTicks(pid), pg.ticks(), time.Now()
	err := cmd.Run()
	run.CPU = cpuShare{Server: ownTicks(pid) - server0, Postgres: pg.ticks() - pg0, Wall: time.Since(start)}
	if err != nil {
		return run, fmt.Errorf("wrk %s over %s: %w: %s", base, list.Name, err, strings.TrimSpace(errOut.String()))
	}
	if ps := cmd.ProcessState; ps != nil {
		run.CPU.Wrk = int64((ps.UserTime() + ps.SystemTime()) * ticksPerSecond / time.Second)
	}
	if run.Result, err = parseWrk(out.String()); err != nil {
		return run, fmt.Errorf("wrk over %s: %w\n%s", list.Name, err, out.String())
	}
	if run.Script, err = parseScriptReport(out.String()); err != nil {
		return run, fmt.Errorf("wrk over %s: %w\n%s", list.Name, err, out.String())
	}
	// Requests in flight when wrk stopped were sent without being counted
	// as done; the next run starts after every line handed out.
	list.next = max(list.next, run.Script.Next)
	return run, nil
}
