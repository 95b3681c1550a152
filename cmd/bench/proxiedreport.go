package main

import (
	"bytes"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"
)

const (
	proxiedBegin = "<!-- The nginx section, written by `make bench` and `make bench-nginx`. -->"
	proxiedEnd   = "<!-- End of the nginx section. -->"
)

func (r proxiedResult) ratio(t proxiedTarget) float64 {
	if h := r.helloPerSecond(); h > 0 {
		return t.Result.PerSecond / h
	}
	return 0
}

// proxiedTable is the section's summary printed on stdout.
func proxiedTable(r proxiedResult) string {
	var b bytes.Buffer
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "through\tpage\tstatus\treq/s\tp50\tp99\tratio to hello-world\terrors\t\n")
	for _, t := range r.Targets {
		fmt.Fprintf(w, "%s\t%s\t%d\t%.0f\t%s\t%s\t%.3f\t%d\t\n", t.Via, t.Name, t.Status, t.Result.PerSecond,
			latency(t.Result, t.Result.P50), latency(t.Result, t.Result.P99), r.ratio(t), t.Result.Non2xx+t.Result.SocketErrors)
	}
	w.Flush()
	return b.String()
}

func renderProxied(r proxiedResult, m machine) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("%s\n\n## The directory through nginx, two instances\n\n", proxiedBegin)
	p("Written by `cmd/bench` on %s; this part took %s. It runs in `make bench` after the page loads, or alone:\n\n",
		r.Started.Format("2006-01-02 15:04 MST"), r.Took.Round(time.Second))
	p("```sh\nmake bench-nginx\n# which is: BENCH_ONLY=nginx go run ./cmd/bench\n```\n\n")
	p("which rewrites this section only. The data set is the one above. Two `expodesk serve` instances on the one database, ")
	p("with `TRUST_PROXY=true` and `LOG_LEVEL=warn`, behind Debian's nginx with the configuration `make cluster` uses ")
	p("([`internal/cluster/nginx.conf.tmpl`](../internal/cluster/nginx.conf.tmpl): `worker_processes auto`, keep-alive to the instances, no access log, no `proxy_cache`). ")
	p("In the same run, the hello-world server is measured directly and behind an nginx of its own (same template, one upstream), ")
	p("and the directory on one instance directly, so that the cost of the proxy hop shows. Every run is\n\n")
	p("```sh\nwrk %s\n```\n\n", strings.Join(r.Load.args(r.Load.Duration, "http://127.0.0.1:<port><path>"), " "))
	p("after %s of warm-up; the conditional line adds `-H 'If-None-Match: <the page's ETag>'`. ", r.Warmup)
	p("The ratio is to the mean of the two direct hello-world runs.\n\n")
	p("| through | page | path | answer | req/s | p50 | p99 | ratio to hello-world | errors |\n")
	p("|---|---|---|--:|--:|--:|--:|--:|--:|\n")
	for _, t := range r.Targets {
		size := kb(t.Bytes)
		if t.Bytes < 1024 {
			size = fmt.Sprintf("%d B", t.Bytes)
		}
		answer := fmt.Sprintf("%d, %s", t.Status, size)
		if t.Status == 304 {
			answer = "304, no body"
		}
		errs := fmt.Sprint(t.Result.Non2xx + t.Result.SocketErrors)
		if t.Result.SocketDetail != "" {
			errs += " (" + t.Result.SocketDetail + ")"
		}
		p("| %s | %s | `%s` | %s | %.0f | %s | %s | %.3f | %s |\n", t.Via, t.Name, t.Path, answer, t.Result.PerSecond,
			latency(t.Result, t.Result.P50), latency(t.Result, t.Result.P99), r.ratio(t), errs)
	}
	p("\n")
	if r.ETag == "" {
		p("**No conditional line in this run:** the directory page carried no `ETag` in this build, so `If-None-Match` ")
		p("could only be ignored (strong ETags and 304s for HTML pages come with the page-cache work on HTTP caching); ")
		p("the next run after it lands measures the line.\n\n")
	} else {
		p("The conditional line sends the directory's ETag as nginx passed it on (`%s`, for an answer without compression, as wrk asks): ", r.ETag)
		p("one such request answered 304 before the run (the answer column), and the page stays unchanged during it, ")
		p("so each is a 304 from an instance's page cache, without rendering; wrk counts a 304 as a success and reports no errors of other statuses.\n\n")
	}
	p("The instances logged %d lines at warn and above during the runs", r.ServerLogLines)
	if len(r.ServerLog) > 0 {
		p("; the first:\n\n```\n%s\n```\n\n", strings.Join(r.ServerLog, "\n"))
	} else {
		p(".\n\n")
	}
	p("Load average %s before, %s after this part. wrk, nginx, both instances, PostgreSQL and hello-world share the machine's %d CPUs, ",
		r.LoadBefore, r.LoadAfter, m.CPUs)
	p("so two instances do not double anything here: the figures say what the proxy hop and the second process cost on one box, ")
	p("not what two machines would serve. Other work on the machine during the run makes every figure lower and noisier.\n\n%s\n\n", proxiedEnd)
	return b.String()
}
