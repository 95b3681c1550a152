package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"expodesk/internal/pgcluster"
	"expodesk/internal/urls"
)

// The revalidation section (issue 12, item 4): a CDN or a browser holding
// the pavilion directory asks again with If-None-Match, and the server
// answers 304 from the page cache without rendering. The goal is that 304
// at 0.6 × hello-world.

const goalRevalidationRatio = 0.6

// The revalidation's section of the report lies between these lines, so
// that BENCH_ONLY=revalidation rewrites it alone and other runs keep it.
const (
	revalidationBegin = "<!-- The revalidation's section, written by `make bench` and `BENCH_ONLY=revalidation`. -->"
	revalidationEnd   = "<!-- End of the revalidation's section. -->"
)

// revalidationResult is the section's run: hello-world before and after,
// the directory's 200 and its 304.
type revalidationResult struct {
	Started               time.Time
	Took                  time.Duration
	Exhibitors            int
	Path                  string
	ETag                  string
	PageBytes             int // the 200's body
	NotModifiedBytes      int // a 304's whole response, headers included
	LoadBefore, LoadAfter string
	Hello                 []wrkResult
	OK, NotModified       wrkResult
	Cmd                   string // the 304's wrk command, ports elided
	ServerLogLines        int
	ServerLog             []string
}

func (r revalidationResult) helloPerSecond() float64 {
	var sum float64
	for _, h := range r.Hello {
		sum += h.PerSecond
	}
	if len(r.Hello) == 0 {
		return 0
	}
	return sum / float64(len(r.Hello))
}

func (r revalidationResult) ratio(w wrkResult) float64 {
	if h := r.helloPerSecond(); h > 0 {
		return w.PerSecond / h
	}
	return 0
}

func (r revalidationResult) met() bool {
	n := r.NotModified
	return n.Requests > 0 && n.SocketErrors == 0 && n.Non2xx == 0 && r.ratio(n) >= goalRevalidationRatio
}

// runRevalidation measures hello-world, the pavilion directory's 200, its
// 304 with the directory's current ETag, and hello-world again, at the
// page loads' settings.
func runRevalidation(ctx context.Context, cfg config, bin, dbURL string, ds dataset, stderr io.Writer) (revalidationResult, error) {
	res := revalidationResult{Started: time.Now(), Exhibitors: ds.Exhibitors, LoadBefore: loadAverage(),
		Path: urls.Pavilion(ds.Expo.Slug, ds.Pavilion.Slug)}
	app, base, err := startServer(ctx, "expodesk", bin, dbURL)
	if err != nil {
		return res, err
	}
	defer app.stop()
	self, err := os.Executable()
	if err != nil {
		return res, err
	}
	helloPort, err := pgcluster.FreePort()
	if err != nil {
		return res, err
	}
	helloAddr := "127.0.0.1:" + strconv.Itoa(helloPort)
	hello, err := startProcess("hello-world", os.Environ(), self, helloCommand, "--addr", helloAddr)
	if err != nil {
		return res, err
	}
	defer hello.stop()
	helloURL := "http://" + helloAddr + "/"
	if err := waitReady(ctx, hello, helloURL); err != nil {
		return res, err
	}
	page := base + res.Path
	body, err := fetch(page, "exhibitor-card")
	if err != nil {
		return res, err
	}
	res.PageBytes = len(body)
	if res.ETag, res.NotModifiedBytes, err = checkNotModified(page); err != nil {
		return res, err
	}
	// As a browser or a CDN revalidates: the gzip representation's tag.
	inm := []string{"If-None-Match: " + res.ETag, "Accept-Encoding: gzip"}

	app.log.mark()
	measure := func(name, url string, headers ...string) (wrkResult, error) {
		settle(ctx, base+"/readyz")
		if cfg.Warmup > 0 {
			if _, err := runWrk(ctx, cfg.Load, cfg.Warmup, url, headers...); err != nil {
				return wrkResult{}, err
			}
		}
		logf(stderr, "revalidation: measuring %s for %s", name, cfg.Load.Duration)
		r, err := runWrk(ctx, cfg.Load, cfg.Load.Duration, url, headers...)
		if err != nil {
			return r, err
		}
		logf(stderr, "  %.0f req/s, p50 %s, p99 %s, %d errors", r.PerSecond, latency(r, r.P50), latency(r, r.P99), r.Non2xx+r.SocketErrors)
		return r, app.exited()
	}
	h, err := measure("hello-world", helloURL)
	if err != nil {
		return res, err
	}
	res.Hello = append(res.Hello, h)
	if res.OK, err = measure("the pavilion directory (200)", page); err != nil {
		return res, err
	}
	if res.NotModified, err = measure("the pavilion directory with If-None-Match (304)", page, inm...); err != nil {
		return res, err
	}
	// The last run's answers were 304s still: the page did not change.
	if _, _, err := checkNotModified(page); err != nil {
		return res, fmt.Errorf("after the run: %w", err)
	}
	if h, err = measure("hello-world (again)", helloURL); err != nil {
		return res, err
	}
	res.Hello = append(res.Hello, h)
	args := cfg.Load.args(cfg.Load.Duration, "http://127.0.0.1:<port>"+res.Path)
	res.Cmd = "wrk " + strings.Join(args[:len(args)-1], " ") + ` -H 'If-None-Match: "…-gzip"' -H 'Accept-Encoding: gzip' ` + args[len(args)-1]
	res.LoadAfter = loadAverage()
	res.ServerLogLines, res.ServerLog = app.log.since()
	res.Took = time.Since(res.Started)
	return res, nil
}

// checkNotModified fetches url's ETag for its gzip representation and asks
// again with it, which must answer 304 with no body; it returns the tag and
// the 304's size on the wire (status line and headers).
func checkNotModified(url string) (string, int, error) {
	get, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return "", 0, err
	}
	get.Header.Set("Accept-Encoding", "gzip")
	resp, err := httpClient.Do(get)
	if err != nil {
		return "", 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	etag := resp.Header.Get("ETag")
	if etag == "" {
		return "", 0, fmt.Errorf("GET %s: no ETag", url)
	}
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return "", 0, err
	}
	req.Header.Set("If-None-Match", etag)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err = httpClient.Do(req)
	if err != nil {
		return "", 0, err
	}
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotModified || n != 0 {
		return "", 0, fmt.Errorf("GET %s with If-None-Match %s: status %d with %d bytes, want 304", url, etag, resp.StatusCode, n)
	}
	size := len("HTTP/1.1 304 Not Modified\r\n\r\n")
	for k, vs := range resp.Header {
		for _, v := range vs {
			size += len(k) + len(": \r\n") + len(v)
		}
	}
	return etag, size, nil
}

// revalidationTable is the section's summary printed on stdout.
func revalidationTable(r revalidationResult) string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "revalidation\treq/s\tp50\tp99\tratio to hello-world\terrors\t\n")
	line := func(name string, x wrkResult) {
		fmt.Fprintf(w, "%s\t%.0f\t%s\t%s\t%.3f\t%d\t\n", name, x.PerSecond, latency(x, x.P50), latency(x, x.P99), r.ratio(x), x.Non2xx+x.SocketErrors)
	}
	if len(r.Hello) > 0 {
		line("hello-world", r.Hello[0])
	}
	line("directory 200", r.OK)
	line("directory 304", r.NotModified)
	if len(r.Hello) > 1 {
		line("hello-world (again)", r.Hello[1])
	}
	w.Flush()
	fmt.Fprintf(&b, "304 at %.3f × hello-world; goal at least %.2f: %s\n", r.ratio(r.NotModified), goalRevalidationRatio, verdict(r.met()))
	return b.String()
}

// renderRevalidation is the section of the report.
func renderRevalidation(r revalidationResult, c config, m machine) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("%s\n\n## Revalidation: a 304 for the visitor peak\n\n", revalidationBegin)
	p("Written by `cmd/bench` on %s; this part of the run took %s. ", r.Started.Format("2006-01-02 15:04 MST"), r.Took.Round(time.Second))
	p("It runs in `make bench` after the page loads, or alone (`BENCH_ONLY=revalidation go run ./cmd/bench`), which rewrites this section only.\n\n")
	p("A CDN, a proxy or a browser holding the pavilion directory (`%s`, %d exhibitors in the data set, %s of HTML) ", r.Path, r.Exhibitors, kb(r.PageBytes))
	p("asks again with `If-None-Match` and the `ETag` of the gzip representation it holds (`%s`, the hash of the page stored in the page cache, suffixed) ", r.ETag)
	p("and `Accept-Encoding: gzip`, as a browser does; ")
	p("expodesk answers `304 Not Modified` from the page cache without rendering: %d bytes of status line and headers, no body. ", r.NotModifiedBytes)
	p("The server is started afresh (`LOG_LEVEL=warn`, the default page cache); the 304 was checked before and after the run. ")
	p("%d threads, %d connections, %s per measured run after %s of warm-up; ", c.Load.Threads, c.Load.Connections, c.Load.Duration, c.Warmup)
	p("hello-world is measured before and after, and the ratio is to the mean of the two. The 304's run:\n\n")
	p("```sh\n%s\n```\n\n", r.Cmd)
	p("| run | req/s | p50 | p99 | ratio to hello-world | errors |\n|---|--:|--:|--:|--:|--:|\n")
	line := func(name string, x wrkResult) {
		errs := fmt.Sprint(x.Non2xx + x.SocketErrors)
		if x.SocketDetail != "" {
			errs += " (" + x.SocketDetail + ")"
		}
		p("| %s | %.0f | %s | %s | %.3f | %s |\n", name, x.PerSecond, latency(x, x.P50), latency(x, x.P99), r.ratio(x), errs)
	}
	if len(r.Hello) > 0 {
		line("hello-world", r.Hello[0])
	}
	line("pavilion directory, 200 from the page cache", r.OK)
	line("**pavilion directory, 304 (`If-None-Match`)**", r.NotModified)
	if len(r.Hello) > 1 {
		line("hello-world (again)", r.Hello[1])
	}
	p("\n**%s**, %d connections, on this %d-CPU machine (load average %s before, %s after): ",
		r.Started.Format("2006-01-02"), c.Load.Connections, m.CPUs, r.LoadBefore, r.LoadAfter)
	p("the 304 at %.0f req/s = **%.3f × hello-world** (%.0f req/s); target at least %.2f: **%s**. ",
		r.NotModified.PerSecond, r.ratio(r.NotModified), r.helloPerSecond(), goalRevalidationRatio, verdict(r.met()))
	p("wrk, the server and hello-world share the machine's CPUs with whatever else runs on it (see the load average), ")
	p("which makes every figure noisier, the two hello-world runs' difference says by how much.\n\n")
	if r.ServerLogLines > 0 {
		p("**The server logged %d lines at warn or above during the runs**; the first:\n\n```\n", r.ServerLogLines)
		for _, l := range r.ServerLog {
			p("%s\n", l)
		}
		p("```\n\n")
	}
	p("%s\n\n", revalidationEnd)
	return b.String()
}
