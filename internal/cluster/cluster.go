// Package cluster runs several expodesk instances over one PostgreSQL
// behind nginx on loopback: it starts the `expodesk serve` processes,
// renders nginx's configuration from nginx.conf.tmpl (the documented
// template a deployment copies), runs nginx in the foreground with its own
// pid, log and temporary paths, and supervises the instances' /readyz.
// `make cluster` (cmd/devenv), the fault tests (`make test-faults`) and the
// benchmark's nginx runs use it; the server itself never does.
package cluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"
)

// Config says what Start starts.
type Config struct {
	Bin       string   // the expodesk binary
	Instances []string // each instance's listen address, 127.0.0.1:port
	Listen    string   // nginx's address, 127.0.0.1:port
	// Env is the instances' whole environment (DATABASE_URL, BASE_URL…);
	// TRUST_PROXY=true is added, since every request comes through nginx.
	Env []string
	// Dir holds nginx's configuration, pid file and logs.
	Dir string
	// Out returns where an instance's output goes (nil: discarded).
	Out       func(name string) io.Writer
	Log       *slog.Logger
	Workers   string // nginx's worker_processes; "" is auto
	AccessLog bool
	// Interval is the supervisor's; 0 is a second.
	Interval time.Duration
}

// Cluster is what Start started.
type Cluster struct {
	Nginx      *Nginx
	Instances  []*Instance
	Supervisor *Supervisor

	stopSupervisor context.CancelFunc
	supervised     sync.WaitGroup
}

// Start starts the instances, waits for each to be ready, then nginx in
// front of them and the supervisor. On error, whatever it started is stopped.
func Start(ctx context.Context, cfg Config) (c *Cluster, err error) {
	if len(cfg.Instances) == 0 {
		return nil, errors.New("cluster: no instance to start")
	}
	c = &Cluster{}
	defer func() {
		if err != nil {
			_ = c.Stop()
			c = nil
		}
	}()
	env := append(append([]string(nil), cfg.Env...), "TRUST_PROXY=true")
	for k, addr := range cfg.Instances {
		name := InstanceName(k)
		out := io.Discard
		if cfg.Out != nil {
			out = cfg.Out(name)
		}
		in, err := StartInstance(cfg.Bin, name, addr, env, out)
		if err != nil {
			return c, err
		}
		c.Instances = append(c.Instances, in)
	}
	for _, in := range c.Instances {
		if err := in.WaitReady(ctx, time.Minute); err != nil {
			return c, err
		}
	}
	logw := io.Discard
	if cfg.Out != nil {
		logw = cfg.Out("nginx")
	}
	c.Nginx = &Nginx{Dir: cfg.Dir, Listen: cfg.Listen, Workers: cfg.Workers, AccessLog: cfg.AccessLog, Log: logw}
	for _, addr := range cfg.Instances {
		c.Nginx.Upstreams = append(c.Nginx.Upstreams, Upstream{Addr: addr})
	}
	if err := c.Nginx.Start(ctx); err != nil {
		return c, err
	}
	c.Supervisor = &Supervisor{Nginx: c.Nginx, Instances: c.Instances, Interval: cfg.Interval, Log: cfg.Log}
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	c.stopSupervisor = cancel
	c.supervised.Go(func() { c.Supervisor.Run(sctx) })
	return c, nil
}

// InstanceName is the k-th instance's name: A, B, C…
func InstanceName(k int) string { return string(rune('A' + k)) }

// URL is nginx's origin.
func (c *Cluster) URL() string { return "http://" + c.Nginx.Listen }

// Stop stops the supervisor, then nginx (gracefully: what it is passing on
// finishes), then every instance (SIGTERM, in-flight requests finish). It
// returns what went wrong, an instance's non-zero exit status included.
func (c *Cluster) Stop() error {
	if c.stopSupervisor != nil {
		c.stopSupervisor()
		c.supervised.Wait()
	}
	var errs []error
	if c.Nginx != nil {
		errs = append(errs, c.Nginx.Stop(30*time.Second))
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, in := range c.Instances {
		wg.Go(func() {
			if err := in.Stop(30 * time.Second); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", in.Name, err))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
