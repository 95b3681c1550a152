package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"expodesk/internal/pgcluster"
	"expodesk/internal/urls"
)

// The runs the page cache cannot help (issue 10): a new search term per
// request, first views of directory and exhibitor pages, and the directory
// while the data changes; with the server's memory and PostgreSQL's share
// of the CPU.

// The goals.
const (
	goalSearchP99     = 50 * time.Millisecond  // search as you type, 16 connections, 10,000 exhibitors
	goalSearchP99Big  = 100 * time.Millisecond // the same on 100,000 exhibitors
	goalSearchRatio   = 0.03                   // search as you type, 64 connections
	goalDirMissRatio  = 0.06
	goalExhMissRatio  = 0.08
	goalMissP99       = 100 * time.Millisecond
	goalWritingRatio  = 0.25
	goalWritingP99    = 50 * time.Millisecond
	goalRSS           = 150 * 1024 // kB
	writesPerSecond   = 100
	directoryPerPage  = 24
	directoryMaxPages = 10
)

// goal is what a line is held against: a ratio to hello-world of at least
// Ratio, a p99 under P99 (each unset when zero).
type goal struct {
	Ratio float64
	P99   time.Duration
}

// missLine is one measured line of the section.
type missLine struct {
	Group string // "search", "first", "writes"
	Name  string
	List  *pathList
	Conns int
	Cache bool
	Goal  goal
	Run   scriptRun
	// During writes: what the writer did meanwhile.
	Writes *writeStats
	Cmd    string
}

// missResults is the section's whole run.
type missResults struct {
	Started               time.Time
	Took                  time.Duration
	Exhibitors            int
	Generated             time.Duration // how long the data set took to make
	SearchOnly            bool
	LoadBefore, LoadAfter string
	Hello                 []wrkResult
	HelloCmd              string
	Terms                 int
	Mix                   [termKinds]int
	Lines                 []missLine
	Memory                memory // the cached server after its runs
	MemoryUncached        memory // the server with PAGE_CACHE=false after its runs
	ServerLogLines        int
	ServerLog             []string
}

func (m missResults) helloPerSecond() float64 {
	var sum float64
	for _, h := range m.Hello {
		sum += h.PerSecond
	}
	if len(m.Hello) == 0 {
		return 0
	}
	return sum / float64(len(m.Hello))
}

func (m missResults) ratio(r wrkResult) float64 {
	if h := m.helloPerSecond(); h > 0 {
		return r.PerSecond / h
	}
	return 0
}

// met says whether a line meets its goal; ok is false when it has none.
func (m missResults) met(l missLine) (met, ok bool) {
	if l.Goal == (goal{}) {
		return false, false
	}
	r := l.Run.Result
	met = r.Requests > 0 && r.SocketErrors == 0 && r.Non2xx == 0
	if l.Goal.Ratio > 0 {
		met = met && m.ratio(r) >= l.Goal.Ratio
	}
	if l.Goal.P99 > 0 {
		met = met && r.P99 < l.Goal.P99
	}
	return met, true
}

// startServer starts expodesk on a free port with extra environment.
func startServer(ctx context.Context, name, bin, dbURL string, extra ...string) (*process, string, error) {
	port, err := pgcluster.FreePort()
	if err != nil {
		return nil, "", err
	}
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	env := append(os.Environ(), "DATABASE_URL="+dbURL, "PORT="+strconv.Itoa(port), "LOG_LEVEL=warn", "BASE_URL="+base)
	p, err := startProcess(name, append(env, extra...), bin, "serve", "--addr", base[len("http://"):])
	if err != nil {
		return nil, "", err
	}
	if err := waitReady(ctx, p, base+"/readyz"); err != nil {
		p.stop()
		return nil, "", err
	}
	return p, base, nil
}

// runMisses measures the section's lines. searchOnly keeps to the search
// as you type (make bench-100k).
func runMisses(ctx context.Context, cfg config, bin, dbURL string, ds dataset, stderr io.Writer) (missResults, error) {
	res := missResults{Started: time.Now(), Exhibitors: ds.Exhibitors, Generated: ds.Took, SearchOnly: cfg.Only == onlySearch, LoadBefore: loadAverage()}
	dir, err := os.MkdirTemp("", "expodesk-bench-misses-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "paths.lua")
	if err := os.WriteFile(script, []byte(pathsScript), 0o644); err != nil {
		return res, err
	}
	data, err := readMissData(ctx, dbURL, ds.Expo.ID)
	if err != nil {
		return res, err
	}
	terms := typingTerms(data.Phrases, 2027)
	res.Terms, res.Mix = len(terms), termMix(terms)
	expoDir, pavDir := urls.ExpoDirectory(ds.Expo.Slug), urls.Pavilion(ds.Expo.Slug, ds.Pavilion.Slug)
	searchExpo, err := writePathList(dir, "search-expo", searchPaths(expoDir, terms), true)
	if err != nil {
		return res, err
	}
	searchPav, err := writePathList(dir, "search-pavilion", searchPaths(pavDir, terms), true)
	if err != nil {
		return res, err
	}
	pg, err := findPostmaster(ctx, dbURL)
	if err != nil {
		logf(stderr, "misses: PostgreSQL's processes not found (%v); its CPU is left out", err)
	}

	app, base, err := startServer(ctx, "expodesk", bin, dbURL)
	if err != nil {
		return res, err
	}
	defer app.stop()
	helloPort, err := pgcluster.FreePort()
	if err != nil {
		return res, err
	}
	self, err := os.Executable()
	if err != nil {
		return res, err
	}
	helloURL := "http://127.0.0.1:" + strconv.Itoa(helloPort) + "/"
	hello, err := startProcess("hello-world", os.Environ(), self, helloCommand, "--addr", helloURL[len("http://"):len(helloURL)-1])
	if err != nil {
		return res, err
	}
	defer hello.stop()
	if err := waitReady(ctx, hello, helloURL); err != nil {
		return res, err
	}
	measureHello := func() error {
		if cfg.Warmup > 0 {
			if _, err := runWrk(ctx, cfg.Load, cfg.Warmup, helloURL); err != nil {
				return err
			}
		}
		r, err := runWrk(ctx, cfg.Load, cfg.Load.Duration, helloURL)
		if err != nil {
			return err
		}
		logf(stderr, "misses: hello-world %.0f req/s", r.PerSecond)
		res.Hello = append(res.Hello, r)
		return nil
	}
	res.HelloCmd = "wrk " + strings.Join(cfg.Load.args(cfg.Load.Duration, "http://127.0.0.1:<port>/"), " ")
	if err := measureHello(); err != nil {
		return res, err
	}

	pid := app.Pid()
	// measure runs one line against the server at base (process pid).
	measure := func(l missLine, base string, pid int, warm bool) (missLine, error) {
		ld := cfg.Load
		ld.Connections = l.Conns
		ld.Threads = min(ld.Threads, l.Conns)
		if _, err := fetch(base+l.List.First, ""); err != nil {
			return l, fmt.Errorf("%s: %w", l.Name, err)
		}
		settle(ctx, base+"/readyz")
		if warm && cfg.Warmup > 0 {
			if _, err := runScript(ctx, ld, cfg.Warmup, script, base, l.List, pid, pg); err != nil {
				return l, err
			}
		}
		cmdArgs := scriptArgs(ld, ld.Duration, "paths.lua", "http://127.0.0.1:<port>", &pathList{File: filepath.Base(l.List.File), HX: l.List.HX}, l.List.next)
		l.Cmd = "wrk " + strings.Join(cmdArgs, " ")
		run, err := runScript(ctx, ld, ld.Duration, script, base, l.List, pid, pg)
		if err != nil {
			return l, err
		}
		l.Run = run
		logf(stderr, "misses: %s, %d connections: %.0f req/s, p50 %s, p99 %s, %d cache hits of %d, %d errors; CPU server %.2f, PostgreSQL %.2f, wrk %.2f",
			l.Name, l.Conns, run.Result.PerSecond, latency(run.Result, run.Result.P50), latency(run.Result, run.Result.P99),
			run.Script.Hits, run.Result.Requests, run.Result.Non2xx+run.Result.SocketErrors,
			run.CPU.cores(run.CPU.Server), run.CPU.cores(run.CPU.Postgres), run.CPU.cores(run.CPU.Wrk))
		return l, nil
	}
	add := func(l missLine, p *process, base string, warm bool) error {
		l, err := measure(l, base, p.Pid(), warm)
		if err != nil {
			return err
		}
		res.Lines = append(res.Lines, l)
		return p.exited()
	}

	app.log.mark()
	// The directory while writes commit comes first, with the cache still
	// holding only what these runs put in it.
	one, err := writePathList(dir, "directory", []string{pavDir}, false)
	if err != nil {
		return res, err
	}
	if !res.SearchOnly {
		if err := add(missLine{Group: "writes", Name: "pavilion directory, quiet", List: one, Conns: cfg.Load.Connections, Cache: true},
			app, base, true); err != nil {
			return res, err
		}
		w, err := newWriter(ctx, dbURL, ds.Expo.ID)
		if err != nil {
			return res, err
		}
		stop := make(chan struct{})
		statsc := make(chan writeStats, 1)
		go func() { statsc <- w.run(ctx, writesPerSecond, stop) }()
		time.Sleep(time.Second) // the writes are under way before the measured run
		l, err := measure(missLine{Group: "writes", Name: fmt.Sprintf("pavilion directory, while %d writes a second commit", writesPerSecond),
			List: one, Conns: cfg.Load.Connections, Cache: true, Goal: goal{Ratio: goalWritingRatio, P99: goalWritingP99}}, base, pid, false)
		close(stop)
		st := <-statsc
		w.close()
		if err != nil {
			return res, err
		}
		l.Writes = &st
		res.Lines = append(res.Lines, l)
		logf(stderr, "misses: the writer made %d writes in %s (%.0f/s), %d errors, %d late; p50 %s, p99 %s",
			st.total(), st.Took.Round(time.Millisecond), st.perSecond(), st.Errors, st.Late, ms(st.P50), ms(st.P99))
	}
	searchGoal16 := goal{P99: goalSearchP99}
	if ds.Exhibitors >= 100000 {
		searchGoal16 = goal{P99: goalSearchP99Big}
	}
	for _, s := range []struct {
		name string
		list *pathList
	}{{"expo directory", searchExpo}, {"pavilion directory", searchPav}} {
		for _, conns := range []int{16, 64} {
			g := searchGoal16
			if conns == 64 {
				g = goal{Ratio: goalSearchRatio}
			}
			if ds.Exhibitors >= 100000 && conns == 64 {
				g = goal{}
			}
			if err := add(missLine{Group: "search", Name: "search as you type, " + s.name, List: s.list, Conns: conns, Cache: true, Goal: g},
				app, base, true); err != nil {
				return res, err
			}
		}
	}

	var dirMiss, exhMiss *pathList
	if !res.SearchOnly {
		if dirMiss, err = writePathList(dir, "directory-miss", directoryMissPaths(ds.Expo.Slug, data.Entries, directoryPerPage, directoryMaxPages, 2027), false); err != nil {
			return res, err
		}
		if exhMiss, err = writePathList(dir, "exhibitor-miss", exhibitorMissPaths(data.Slugs, 2027), false); err != nil {
			return res, err
		}
		if err := add(missLine{Group: "first", Name: "first view, directory", List: dirMiss, Conns: cfg.Load.Connections, Cache: true,
			Goal: goal{Ratio: goalDirMissRatio, P99: goalMissP99}}, app, base, true); err != nil {
			return res, err
		}
		if err := add(missLine{Group: "first", Name: "first view, exhibitor page", List: exhMiss, Conns: cfg.Load.Connections, Cache: true,
			Goal: goal{Ratio: goalExhMissRatio, P99: goalMissP99}}, app, base, true); err != nil {
			return res, err
		}

		// After the misses: is the directory's page 1 still taken into
		// the cache, with the cache full of the pages the misses left?
		if err := add(missLine{Group: "writes", Name: "pavilion directory, quiet, after the lines above", List: one, Conns: cfg.Load.Connections, Cache: true},
			app, base, true); err != nil {
			return res, err
		}
	}
	res.Memory = readMemory(pid)
	res.ServerLogLines, res.ServerLog = app.log.since()
	app.stop()

	if !res.SearchOnly {
		// The same first views with the page cache off: every request renders.
		unc, ubase, err := startServer(ctx, "expodesk (PAGE_CACHE=false)", bin, dbURL, "PAGE_CACHE=false")
		if err != nil {
			return res, err
		}
		defer unc.stop()
		unc.log.mark()
		for _, l := range []struct {
			name string
			list *pathList
		}{{"first view, directory", dirMiss}, {"first view, exhibitor page", exhMiss}} {
			l.list.next = 0
			if err := add(missLine{Group: "first", Name: l.name + " (`PAGE_CACHE=false`)", List: l.list, Conns: cfg.Load.Connections}, unc, ubase, true); err != nil {
				return res, err
			}
		}
		res.MemoryUncached = readMemory(unc.Pid())
		n, lines := unc.log.since()
		res.ServerLogLines += n
		res.ServerLog = append(res.ServerLog, lines...)
		unc.stop()
	}
	if err := measureHello(); err != nil {
		return res, err
	}
	res.LoadAfter = loadAverage()
	res.Took = time.Since(res.Started)
	return res, nil
}
