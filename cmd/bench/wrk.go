package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// load is how wrk loads every target; the same for the hello-world server
// and for expodesk, so that the ratio compares like with like.
type load struct {
	Threads     int
	Connections int
	Duration    time.Duration
}

// wrkTimeout replaces wrk's default of 2 s: wrk leaves a response slower than
// its timeout out of the latency distribution (counting it as a timeout
// error), which would make a slow page's p99 look better than it is.
const wrkTimeout = "10s"

// args returns wrk's arguments for a run of d against url, each request
// with headers ("If-None-Match: \"…\"").
func (l load) args(d time.Duration, url string, headers ...string) []string {
	args := []string{"-t" + strconv.Itoa(l.Threads), "-c" + strconv.Itoa(l.Connections),
		"-d" + strconv.Itoa(int(d.Round(time.Second)/time.Second)) + "s", "--timeout", wrkTimeout, "--latency"}
	for _, h := range headers {
		args = append(args, "-H", h)
	}
	return append(args, url)
}

// wrkResult is what one wrk run reports.
type wrkResult struct {
	Requests     int64
	PerSecond    float64
	P50, P99     time.Duration
	Non2xx       int64
	SocketErrors int64  // connect, read, write and timeout errors together
	SocketDetail string // wrk's own line, when there were any
}

// runWrk runs wrk for d against url, with headers, and parses its report.
func runWrk(ctx context.Context, l load, d time.Duration, url string, headers ...string) (wrkResult, error) {
	cmd := exec.CommandContext(ctx, "wrk", l.args(d, url, headers...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return wrkResult{}, fmt.Errorf("wrk %s: %w: %s", url, err, strings.TrimSpace(errOut.String()))
	}
	res, err := parseWrk(out.String())
	if err != nil {
		return res, fmt.Errorf("wrk %s: %w\n%s", url, err, out.String())
	}
	return res, nil
}

var (
	wrkPerSecond = regexp.MustCompile(`(?m)^Requests/sec:\s+([0-9.]+)`)
	wrkRequests  = regexp.MustCompile(`(?m)^\s*([0-9]+) requests in `)
	wrkPercent   = regexp.MustCompile(`(?m)^\s+(50|99)(?:\.0+)?%\s+([0-9.]+)(us|ms|s|m|h)\s*$`)
	wrkNon2xx    = regexp.MustCompile(`(?m)^\s*Non-2xx or 3xx responses:\s+([0-9]+)`)
	wrkSocket    = regexp.MustCompile(`(?m)^\s*(Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+))`)
)

// parseWrk reads the report `wrk --latency` prints.
func parseWrk(out string) (wrkResult, error) {
	var r wrkResult
	m := wrkPerSecond.FindStringSubmatch(out)
	if m == nil {
		return r, fmt.Errorf("no Requests/sec line")
	}
	r.PerSecond, _ = strconv.ParseFloat(m[1], 64)
	if m := wrkRequests.FindStringSubmatch(out); m != nil {
		r.Requests, _ = strconv.ParseInt(m[1], 10, 64)
	}
	percents := wrkPercent.FindAllStringSubmatch(out, -1)
	if len(percents) == 0 {
		return r, fmt.Errorf("no latency distribution (was --latency given?)")
	}
	for _, m := range percents {
		d, err := wrkDuration(m[2], m[3])
		if err != nil {
			return r, err
		}
		if m[1] == "50" {
			r.P50 = d
		} else {
			r.P99 = d
		}
	}
	if m := wrkNon2xx.FindStringSubmatch(out); m != nil {
		r.Non2xx, _ = strconv.ParseInt(m[1], 10, 64)
	}
	if m := wrkSocket.FindStringSubmatch(out); m != nil {
		r.SocketDetail = m[1]
		for _, v := range m[2:] {
			n, _ := strconv.ParseInt(v, 10, 64)
			r.SocketErrors += n
		}
	}
	return r, nil
}

// wrkDuration converts wrk's "1.23ms" style (units us, ms, s, m, h).
func wrkDuration(num, unit string) (time.Duration, error) {
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, fmt.Errorf("latency %q: %w", num+unit, err)
	}
	scale := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second,
		"m": time.Minute, "h": time.Hour}[unit]
	return time.Duration(v * float64(scale)), nil
}
