// Command bench is expodesk's load benchmark behind `make bench`. It is a
// benchmark, not a test: it passes or fails nothing, it measures.
//
// It starts a throwaway PostgreSQL cluster, migrates it, generates 10,000
// exhibitors, builds and starts the real server binary (`expodesk serve`)
// and, beside it, a hello-world net/http server; loads each page and the
// hello-world handler with wrk at the same settings; times the directory
// page's store calls and rendering in-process and explains its queries; and
// writes docs/benchmarks.md. Everything it started is stopped at the end.
// It is development tooling, not part of the server binary.
//
// Settings come from the environment:
//
//	BENCH_DURATION     length of each measured run (default 10s)
//	BENCH_WARMUP       unmeasured run before each measured one (default 3s; 0 skips)
//	BENCH_CONNECTIONS  wrk connections (default 64)
//	BENCH_THREADS      wrk threads (default 2)
//	BENCH_EXHIBITORS   exhibitors to generate (default 10000; the misses'
//	                   section of another size is a section of its own)
//	BENCH_OUT          the report (default docs/benchmarks.md; "-" prints it instead)
//	BENCH_KEEP         true leaves the cluster and its data running afterwards,
//	                   for EXPLAIN or profiling, and prints how to stop it
//	BENCH_ONLY         "pages" runs only the page loads and the breakdown;
//	                   "burst" only the window-opening burst and pgbench, and
//	                   rewrites only the burst's section of the report
//	                   (make bench-burst); "misses" only the runs the page
//	                   cache cannot help (search as you type, first views,
//	                   the directory while data changes, memory and
//	                   PostgreSQL's CPU) and rewrites only their section;
//	                   "search" of those the search as you type alone
//	                   (make bench-100k); "revalidation" only the pavilion
//	                   directory's 304 beside hello-world, and rewrites
//	                   only its section; "nginx" the directory through
//	                   nginx in front of two instances, with and without
//	                   If-None-Match, beside hello-world (make bench-nginx);
//	                   unset runs everything
//	BENCH_BURST_COMPANIES  companies in the burst (default 500)
//	BENCH_BURST_SLOTS      free slots they reach for (default 100)
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The in-process timings render pages thousands of times; a warning
	// logged on each (a missing translation) would bury the output.
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})))
	var err error
	if len(os.Args) > 1 && os.Args[1] == helloCommand {
		err = serveHello(ctx, os.Args[2:])
	} else {
		err = run(ctx, os.Getenv, os.Stdout, os.Stderr)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// config is the benchmark's settings.
type config struct {
	Load       load
	Warmup     time.Duration
	Exhibitors int
	Out        string // "" prints the report on stdout
	Keep       bool
	// Only is "" (everything), onlyPages or onlyBurst.
	Only           string
	BurstCompanies int
	BurstSlots     int
}

const (
	onlyPages  = "pages"
	onlyBurst  = "burst"
	onlyMisses = "misses" // the runs the page cache cannot help
	onlySearch = "search" // of those, the search as you type alone (make bench-100k)
	// onlyRevalidation: the directory's 304 for If-None-Match beside hello-world.
	onlyRevalidation = "revalidation"
	onlyNginx        = "nginx" // the directory through nginx, two instances (make bench-nginx)
)

func (c config) pages() bool        { return c.Only == "" || c.Only == onlyPages }
func (c config) burst() bool        { return c.Only == "" || c.Only == onlyBurst }
func (c config) misses() bool       { return c.Only == "" || c.Only == onlyMisses || c.Only == onlySearch }
func (c config) revalidation() bool { return c.Only == "" || c.Only == onlyRevalidation }
func (c config) proxied() bool      { return c.Only == "" || c.Only == onlyNginx }

func loadConfig(getenv func(string) string) (config, error) {
	c := config{Load: load{Threads: 2, Connections: 64, Duration: 10 * time.Second}, Warmup: 3 * time.Second,
		Exhibitors: 10000, Out: filepath.Join("docs", "benchmarks.md"), BurstCompanies: 500, BurstSlots: 100}
	duration := func(name string, into *time.Duration, min time.Duration) error {
		if v := getenv(name); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d < min || d%time.Second != 0 {
				return fmt.Errorf("%s %q: want whole seconds of at least %s, like 10s", name, v, min)
			}
			*into = d
		}
		return nil
	}
	number := func(name string, into *int, min int) error {
		if v := getenv(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < min {
				return fmt.Errorf("%s %q: want a number of at least %d", name, v, min)
			}
			*into = n
		}
		return nil
	}
	if err := errors.Join(
		duration("BENCH_DURATION", &c.Load.Duration, time.Second),
		duration("BENCH_WARMUP", &c.Warmup, 0),
		number("BENCH_CONNECTIONS", &c.Load.Connections, 1),
		number("BENCH_THREADS", &c.Load.Threads, 1),
		number("BENCH_EXHIBITORS", &c.Exhibitors, 100),
		number("BENCH_BURST_COMPANIES", &c.BurstCompanies, 2),
		number("BENCH_BURST_SLOTS", &c.BurstSlots, 1),
	); err != nil {
		return c, err
	}
	switch c.Only = getenv("BENCH_ONLY"); c.Only {
	case "", onlyPages, onlyBurst, onlyMisses, onlySearch, onlyRevalidation, onlyNginx:
	default:
		return c, fmt.Errorf("BENCH_ONLY %q: want %s, %s, %s, %s, %s or %s", c.Only, onlyPages, onlyBurst, onlyMisses, onlySearch, onlyRevalidation, onlyNginx)
	}
	if c.burst() && c.BurstCompanies > c.Exhibitors {
		return c, errors.New("BENCH_BURST_COMPANIES may not exceed BENCH_EXHIBITORS (the burst's companies are the data set's)")
	}
	if c.burst() && c.BurstCompanies > 9999 {
		return c, errors.New("BENCH_BURST_COMPANIES: at most 9999")
	}
	if c.Load.Threads > c.Load.Connections {
		return c, errors.New("BENCH_THREADS may not exceed BENCH_CONNECTIONS (wrk needs a connection per thread)")
	}
	switch v := getenv("BENCH_OUT"); v {
	case "":
	case "-":
		c.Out = ""
	default:
		c.Out = v
	}
	if v := getenv("BENCH_KEEP"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("BENCH_KEEP %q is not true or false", v)
		}
		c.Keep = b
	}
	return c, nil
}

// moduleRoot returns the folder of expodesk's go.mod, searching up from the
// working directory, so that the benchmark runs from anywhere in the tree.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && strings.HasPrefix(string(b), "module expodesk\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run the benchmark inside the expodesk repository (no go.mod of module expodesk found)")
		}
		dir = parent
	}
}

// logf reports progress on stderr, so that stdout carries only the results.
func logf(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, "bench: "+format+"\n", args...)
}
