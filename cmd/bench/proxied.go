package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"expodesk/internal/cluster"
	"expodesk/internal/pgcluster"
	"expodesk/internal/urls"
)

// The directory through nginx (issue 12, item 9): two instances of the
// server on the benchmark's database behind nginx, started as `make
// cluster` starts them (internal/cluster, the same configuration), loaded
// with wrk with and without If-None-Match; beside them, in the same run,
// the hello-world server both directly and behind an nginx of its own, and
// the directory on one instance directly, so that what nginx costs shows.

// proxiedTarget is one measured URL of the nginx section.
type proxiedTarget struct {
	Name    string
	Via     string // what the request goes through
	Path    string
	url     string
	headers []string
	Hello   bool
	Status  int // what one request answered before the run (304 for a current If-None-Match)
	Bytes   int // that answer's body
	Result  wrkResult
}

// proxiedResult is the nginx section's run.
type proxiedResult struct {
	Started    time.Time
	Took       time.Duration
	LoadBefore string
	LoadAfter  string
	Load       load
	Warmup     time.Duration
	DirPath    string
	ETag       string // the directory's ETag through nginx; "" when the page has none
	Targets    []proxiedTarget
	// ServerLogLines is how many lines the instances logged (warn and
	// above) during the runs; ServerLog holds the first few.
	ServerLogLines int
	ServerLog      []string
}

// helloPerSecond is the mean rate of the direct hello-world runs.
func (r proxiedResult) helloPerSecond() float64 {
	var sum float64
	n := 0
	for _, t := range r.Targets {
		if t.Hello && t.Via == "direct" {
			sum += t.Result.PerSecond
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

func runProxied(ctx context.Context, cfg config, bin, dbURL string, ds dataset, stderr io.Writer) (res proxiedResult, err error) {
	res = proxiedResult{Started: time.Now(), LoadBefore: loadAverage(), Load: cfg.Load, Warmup: cfg.Warmup}
	self, err := os.Executable()
	if err != nil {
		return res, err
	}
	tmp, err := os.MkdirTemp("", "expodesk-bench-nginx-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(tmp)
	var addrs []string
	for range 5 {
		port, err := pgcluster.FreePort()
		if err != nil {
			return res, err
		}
		addrs = append(addrs, net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	}
	listen, instA, instB, helloAddr, helloProxyAddr := addrs[0], addrs[1], addrs[2], addrs[3], addrs[4]

	logf(stderr, "nginx: two instances behind nginx on %s", listen)
	sinks := map[string]*logSink{}
	env := append(os.Environ(), "DATABASE_URL="+dbURL, "LOG_LEVEL=warn", "BASE_URL=http://"+listen)
	c, err := cluster.Start(ctx, cluster.Config{
		Bin: bin, Instances: []string{instA, instB}, Listen: listen, Env: env, Dir: filepath.Join(tmp, "nginx"),
		Out: func(name string) io.Writer {
			s := &logSink{}
			sinks[name] = s
			return s
		},
		Log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		return res, err
	}
	defer func() {
		if serr := c.Stop(); serr != nil && err == nil {
			err = fmt.Errorf("stop the instances and nginx: %w", serr)
		}
	}()
	hello, err := startProcess("hello-world", os.Environ(), self, helloCommand, "--addr", helloAddr)
	if err != nil {
		return res, err
	}
	defer hello.stop()
	if err := waitReady(ctx, hello, "http://"+helloAddr+"/"); err != nil {
		return res, err
	}
	helloProxy := &cluster.Nginx{Dir: filepath.Join(tmp, "hello-nginx"), Listen: helloProxyAddr,
		Upstreams: []cluster.Upstream{{Addr: helloAddr}}}
	if err := helloProxy.Start(ctx); err != nil {
		return res, err
	}
	defer helloProxy.Stop(30 * time.Second)

	res.DirPath = urls.Pavilion(ds.Expo.Slug, ds.Pavilion.Slug)
	first, err := probeStatus(c.URL()+res.DirPath, nil)
	if err != nil {
		return res, err
	}
	if first.status != http.StatusOK || !strings.Contains(first.body, "exhibitor-card") {
		return res, fmt.Errorf("GET %s through nginx: %d", res.DirPath, first.status)
	}
	res.ETag = first.etag
	via := "nginx → 2 instances"
	res.Targets = []proxiedTarget{
		{Name: "hello-world", Via: "direct", Path: "/", url: "http://" + helloAddr + "/", Hello: true},
		{Name: "hello-world", Via: "nginx → hello-world", Path: "/", url: "http://" + helloProxyAddr + "/", Hello: true},
		{Name: "pavilion directory", Via: via, Path: res.DirPath, url: c.URL() + res.DirPath},
	}
	if res.ETag != "" {
		res.Targets = append(res.Targets, proxiedTarget{Name: "pavilion directory, If-None-Match", Via: via, Path: res.DirPath,
			url: c.URL() + res.DirPath, headers: []string{"If-None-Match: " + res.ETag}})
	}
	res.Targets = append(res.Targets,
		proxiedTarget{Name: "pavilion directory", Via: "direct, instance A", Path: res.DirPath, url: "http://" + instA + res.DirPath},
		proxiedTarget{Name: "hello-world (again)", Via: "direct", Path: "/", url: "http://" + helloAddr + "/", Hello: true},
	)
	for i := range res.Targets {
		t := &res.Targets[i]
		got, err := probeStatus(t.url, t.headers)
		if err != nil {
			return res, err
		}
		if got.status != http.StatusOK && got.status != http.StatusNotModified {
			return res, fmt.Errorf("GET %s (%s): %d", t.Path, t.Via, got.status)
		}
		t.Status, t.Bytes = got.status, len(got.body)
	}

	for _, s := range sinks {
		s.mark()
	}
	for i := range res.Targets {
		t := &res.Targets[i]
		settle(ctx, "http://"+instA+"/readyz")
		if cfg.Warmup > 0 {
			if _, err := runWrk(ctx, cfg.Load, cfg.Warmup, t.url, t.headers...); err != nil {
				return res, err
			}
		}
		logf(stderr, "nginx: measuring %s (%s) for %s", t.Name, t.Via, cfg.Load.Duration)
		if t.Result, err = runWrk(ctx, cfg.Load, cfg.Load.Duration, t.url, t.headers...); err != nil {
			return res, err
		}
		logf(stderr, "  %.0f req/s, p50 %s, p99 %s, %d errors", t.Result.PerSecond, latency(t.Result, t.Result.P50),
			latency(t.Result, t.Result.P99), t.Result.Non2xx+t.Result.SocketErrors)
	}
	for _, s := range sinks {
		n, lines := s.since()
		res.ServerLogLines += n
		res.ServerLog = append(res.ServerLog, lines...)
	}
	res.LoadAfter = loadAverage()
	res.Took = time.Since(res.Started)
	return res, nil
}

type probed struct {
	status int
	etag   string
	body   string
}

// probeStatus GETs url once with headers ("Name: value"), asking for no
// compression, as wrk does.
func probeStatus(url string, headers []string) (probed, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return probed{}, err
	}
	req.Header.Set("Accept-Encoding", "identity")
	for _, h := range headers {
		name, value, _ := strings.Cut(h, ":")
		req.Header.Set(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return probed{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return probed{status: resp.StatusCode, etag: resp.Header.Get("ETag"), body: string(b)}, err
}
