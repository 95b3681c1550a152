package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/pgcluster"
	"expodesk/internal/postgres"
)

// searchTerm is a measured search and how many approved exhibitors of the
// expo it matches.
type searchTerm struct {
	Text    string
	Matches int
}

// The searches: a Latin product word found in descriptions in all three
// languages, and a two-character Chinese word ("gateway"), the common length
// of a Chinese search and shorter than a trigram.
var searchTexts = []string{"lorawan", "网关"}

// target is one measured URL.
type target struct {
	Name    string
	Path    string
	base    string
	check   string // text the page must contain
	Hello   bool
	Goal    bool // the page the issue sets targets for
	Matches int  // approved exhibitors the page lists or searches; -1 when not a list
	Bytes   int  // response body size
	Result  wrkResult
}

func (t target) url() string { return t.base + t.Path }

// results is one whole run, for the report.
type results struct {
	Started   time.Time
	Took      time.Duration
	Config    config
	Machine   machine
	Data      dataset
	Targets   []target
	Breakdown breakdown
	Burst     *burstResult   // nil when not run
	Misses    *missResults   // nil when not run
	Proxied   *proxiedResult // nil when not run
	// Revalidation is the directory's 304 beside hello-world; nil when not run.
	Revalidation *revalidationResult
	// ServerLogLines is how many lines expodesk logged (at warn and above)
	// during the load runs; ServerLog holds the first few.
	ServerLogLines int
	ServerLog      []string
}

// helloPerSecond is the mean rate of the hello-world runs, the reference of
// every ratio.
func (r results) helloPerSecond() float64 {
	var sum float64
	var n int
	for _, t := range r.Targets {
		if t.Hello {
			sum += t.Result.PerSecond
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

func run(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	res := results{Started: time.Now(), Config: cfg}
	if _, err := exec.LookPath("wrk"); err != nil && (cfg.pages() || cfg.misses() || cfg.revalidation() || cfg.proxied()) {
		logf(stderr, "wrk not found; installing Debian's wrk")
		if err := pgcluster.AptInstall(ctx, stderr, "wrk"); err != nil {
			return err
		}
	}

	tmp, err := os.MkdirTemp("", "expodesk-bench-")
	if err != nil {
		return err
	}
	defer func() {
		if !cfg.Keep {
			_ = os.RemoveAll(tmp)
		}
	}()
	// Normal durability (Fast: false), as `make run` and production: the
	// measured pages only read, so fsync costs nothing there, and the one
	// transaction that loads the data commits once.
	cluster := &pgcluster.Cluster{Dir: filepath.Join(tmp, "pg"), Log: stderr}
	if err := cluster.Ensure(ctx); err != nil {
		return err
	}
	defer func() {
		if cfg.Keep {
			logf(stderr, "PostgreSQL keeps running with the data (BENCH_KEEP):\n  DATABASE_URL=%s\n  stop and remove: go run ./cmd/devenv db stop --dir %s && rm -rf %s",
				cluster.URL("bench"), cluster.Dir, tmp)
			return
		}
		stopCtx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := cluster.Stop(stopCtx); err != nil {
			logf(stderr, "stop PostgreSQL: %v", err)
			return
		}
		// Where the postgres user cannot reach the temporary folder, the
		// data went to a folder of its own, which removing tmp leaves behind
		// (hundreds of MB with pgbench's tables).
		if cluster.Relocated() {
			if err := os.RemoveAll(cluster.Location()); err != nil {
				logf(stderr, "remove the cluster's data: %v", err)
			}
		}
	}()
	if err := cluster.CreateDatabase(ctx, "bench"); err != nil {
		return err
	}
	dbURL := cluster.URL("bench")
	if err := postgres.MigrateUp(dbURL); err != nil {
		return err
	}
	logf(stderr, "generating %d exhibitors", cfg.Exhibitors)
	if res.Data, err = generate(ctx, dbURL, cfg.Exhibitors); err != nil {
		return fmt.Errorf("generate data: %w", err)
	}
	logf(stderr, "generated in %s", res.Data.Took.Round(time.Millisecond))
	if res.Machine, err = describeMachine(ctx, dbURL); err != nil {
		return err
	}

	logf(stderr, "building expodesk")
	bin := filepath.Join(tmp, "expodesk")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/expodesk")
	build.Dir, build.Stdout, build.Stderr = root, stderr, stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("go build ./cmd/expodesk: %w", err)
	}
	if cfg.pages() {
		if err := runPages(ctx, cfg, &res, bin, dbURL, stderr); err != nil {
			return err
		}
	}
	if cfg.revalidation() {
		v, err := runRevalidation(ctx, cfg, bin, dbURL, res.Data, stderr)
		if err != nil {
			return fmt.Errorf("revalidation: %w", err)
		}
		res.Revalidation = &v
	}
	if cfg.proxied() {
		p, err := runProxied(ctx, cfg, bin, dbURL, res.Data, stderr)
		if err != nil {
			return fmt.Errorf("nginx: %w", err)
		}
		res.Proxied = &p
	}
	if cfg.misses() {
		m, err := runMisses(ctx, cfg, bin, dbURL, res.Data, stderr)
		if err != nil {
			return fmt.Errorf("misses: %w", err)
		}
		res.Misses = &m
	}
	if cfg.burst() {
		b, err := runBurst(ctx, cfg, cluster, bin, dbURL, res.Data, stderr)
		if err != nil {
			return fmt.Errorf("burst: %w", err)
		}
		res.Burst = &b
	}
	res.Took = time.Since(res.Started)

	var pages, burst, misses, revalidation, proxied string
	if cfg.pages() {
		fmt.Fprint(stdout, resultsTable(res))
		pages = renderReport(res)
	}
	if res.Revalidation != nil {
		fmt.Fprint(stdout, revalidationTable(*res.Revalidation))
		revalidation = renderRevalidation(*res.Revalidation, cfg, res.Machine)
	}
	if res.Proxied != nil {
		fmt.Fprint(stdout, proxiedTable(*res.Proxied))
		proxied = renderProxied(*res.Proxied, res.Machine)
	}
	if res.Misses != nil {
		fmt.Fprint(stdout, missesTable(*res.Misses))
		misses = renderMisses(*res.Misses, cfg, res.Machine)
	}
	if res.Burst != nil {
		fmt.Fprint(stdout, burstTable(*res.Burst))
		burst = renderBurst(*res.Burst, cfg, res.Machine)
	}
	if cfg.Out == "" {
		fmt.Fprint(stdout, pages+revalidation+proxied+misses+burst)
		return nil
	}
	out := cfg.Out
	if !filepath.IsAbs(out) {
		out = filepath.Join(root, out)
	}
	sections := append([]section{{revalidationBegin, revalidationEnd, revalidation}, {proxiedBegin, proxiedEnd, proxied}}, missesSections(cfg.Exhibitors, misses)...)
	if err := writeReport(out, pages, append(sections, section{burstBegin, burstEnd, burst})...); err != nil {
		return err
	}
	logf(stderr, "wrote %s", out)
	return nil
}

// runPages measures each page and the hello-world server with wrk, then
// times the directory's parts in-process and explains its queries.
func runPages(ctx context.Context, cfg config, res *results, bin, dbURL string, stderr io.Writer) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	appPort, err := pgcluster.FreePort()
	if err != nil {
		return err
	}
	helloPort, err := pgcluster.FreePort()
	if err != nil {
		return err
	}
	appAddr, helloAddr := "127.0.0.1:"+strconv.Itoa(appPort), "127.0.0.1:"+strconv.Itoa(helloPort)
	// LOG_LEVEL=warn: the access log writes a JSON line per request at info,
	// which would otherwise be a good part of what is measured.
	env := append(os.Environ(), "DATABASE_URL="+dbURL, "PORT="+strconv.Itoa(appPort), "LOG_LEVEL=warn",
		"BASE_URL=http://127.0.0.1:"+strconv.Itoa(appPort))
	app, err := startProcess("expodesk", env, bin, "serve", "--addr", appAddr)
	if err != nil {
		return err
	}
	defer app.stop()
	hello, err := startProcess("hello-world", os.Environ(), self, helloCommand, "--addr", helloAddr)
	if err != nil {
		return err
	}
	defer hello.stop()
	if err := waitReady(ctx, app, "http://"+appAddr+"/readyz"); err != nil {
		return err
	}
	if err := waitReady(ctx, hello, "http://"+helloAddr+"/"); err != nil {
		return err
	}

	searches, err := countMatches(ctx, dbURL, res.Data)
	if err != nil {
		return err
	}
	res.Targets = targets(res.Data, searches, "http://"+appAddr, "http://"+helloAddr)
	for i := range res.Targets {
		t := &res.Targets[i]
		body, err := fetch(t.url(), t.check)
		if err != nil {
			return err
		}
		t.Bytes = len(body)
	}

	app.log.mark()
	for i := range res.Targets {
		t := &res.Targets[i]
		settle(ctx, "http://"+appAddr+"/readyz")
		if cfg.Warmup > 0 {
			if _, err := runWrk(ctx, cfg.Load, cfg.Warmup, t.url()); err != nil {
				return err
			}
		}
		logf(stderr, "measuring %s for %s: %s", t.Name, cfg.Load.Duration, strings.Join(append([]string{"wrk"}, cfg.Load.args(cfg.Load.Duration, t.url())...), " "))
		if t.Result, err = runWrk(ctx, cfg.Load, cfg.Load.Duration, t.url()); err != nil {
			return err
		}
		logf(stderr, "  %.0f req/s, p50 %s, p99 %s, %d errors", t.Result.PerSecond, latency(t.Result, t.Result.P50),
			latency(t.Result, t.Result.P99), t.Result.Non2xx+t.Result.SocketErrors)
		if err := app.exited(); err != nil {
			return err
		}
	}
	res.Machine.LoadAfter = loadAverage()
	res.ServerLogLines, res.ServerLog = app.log.since()
	app.stop()
	hello.stop()

	logf(stderr, "timing the directory page's parts in-process and explaining its queries")
	if res.Breakdown, err = measureBreakdown(ctx, dbURL, res.Data, searches); err != nil {
		return fmt.Errorf("breakdown: %w", err)
	}
	return nil
}

// countMatches asks the store how many approved exhibitors each search finds.
func countMatches(ctx context.Context, dbURL string, ds dataset) ([]searchTerm, error) {
	pool, err := postgres.Open(ctx, dbURL, 1)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	store := postgres.New(pool, time.Now)
	var out []searchTerm
	for _, text := range searchTexts {
		page, err := store.Directory(ctx, expodesk.DirectoryQuery{ExpoID: ds.Expo.ID, Text: text, Lang: expodesk.EN})
		if err != nil {
			return nil, err
		}
		out = append(out, searchTerm{Text: text, Matches: page.Total})
	}
	return out, nil
}

// targets lists what is measured, hello-world first and last so that a
// machine getting busier or quieter during the run shows.
func targets(ds dataset, searches []searchTerm, app, hello string) []target {
	approved := func(pavilion string) int {
		n := 0
		for _, s := range ds.Summary {
			if s.Expo == ds.Expo.Slug && (pavilion == "*" || s.Pavilion == pavilion) {
				n += s.Approved
			}
		}
		return n
	}
	expo := "/expos/" + ds.Expo.Slug
	ts := []target{
		{Name: "hello-world", Path: "/", base: hello, check: "Hello", Hello: true, Matches: -1},
		{Name: "pavilion directory, page 1", Path: expo + "/pavilions/" + ds.Pavilion.Slug, base: app,
			check: "exhibitor-card", Goal: true, Matches: approved(ds.Pavilion.Slug)},
		{Name: "expo directory, page 1", Path: expo + "/exhibitors", base: app, check: "exhibitor-card", Matches: approved("*")},
	}
	for _, s := range searches {
		ts = append(ts, target{Name: "search " + s.Text, Path: expo + "/exhibitors?q=" + url.QueryEscape(s.Text), base: app,
			check: "exhibitor-card", Matches: s.Matches})
	}
	return append(ts,
		target{Name: "exhibitor page", Path: "/exhibitors/" + ds.ExhibitorSlug, base: app,
			check: "/exhibitors/" + ds.ExhibitorSlug + "/agenda.ics", Matches: -1},
		target{Name: "hello-world (again)", Path: "/", base: hello, check: "Hello", Hello: true, Matches: -1},
	)
}

// latency formats a percentile of a run, which has none when no response completed.
func latency(r wrkResult, d time.Duration) string {
	if r.Requests == 0 {
		return "none completed"
	}
	return ms(d)
}

// ms formats a duration in milliseconds with two decimals.
func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64) + " ms"
}
