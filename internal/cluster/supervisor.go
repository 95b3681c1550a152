package cluster

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Supervisor keeps nginx's upstream list in step with the instances'
// readiness, since open-source nginx checks upstreams only passively. Every
// Interval it reads each instance's /readyz: an instance red twice in a row
// (503, or no answer within 5 s) is marked down and nginx reloaded; one
// green answer brings it back. When every instance is red, none is marked
// down: PostgreSQL is then most likely unreachable for all of them, and
// each answers a translated 503 page with Retry-After, which says more
// than nginx's "no live upstreams".
type Supervisor struct {
	Nginx     *Nginx
	Instances []*Instance
	Interval  time.Duration // default 1 s
	Log       *slog.Logger

	mu     sync.Mutex
	fails  map[string]int // consecutive red answers per address
	allRed bool
}

// redAfter is how many red answers in a row take an instance out.
const redAfter = 2

// Run checks the instances until ctx ends.
func (s *Supervisor) Run(ctx context.Context) {
	interval := s.Interval
	if interval == 0 {
		interval = time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		s.Check(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Check reads every instance's /readyz once and marks nginx's upstreams.
func (s *Supervisor) Check(ctx context.Context) {
	ready := make([]bool, len(s.Instances))
	var wg sync.WaitGroup
	for k, in := range s.Instances {
		wg.Go(func() { ready[k] = in.Ready(ctx) })
	}
	wg.Wait()
	if ctx.Err() != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fails == nil {
		s.fails = map[string]int{}
	}
	down := map[string]bool{}
	for k, in := range s.Instances {
		if ready[k] {
			s.fails[in.Addr] = 0
		} else {
			s.fails[in.Addr]++
		}
		down[in.Addr] = s.fails[in.Addr] >= redAfter
	}
	all := true
	for _, in := range s.Instances {
		all = all && down[in.Addr]
	}
	if all {
		down = map[string]bool{}
	}
	if all != s.allRed {
		if all {
			s.log().Warn("cluster: every instance is red on /readyz; all stay in nginx's upstream, each answering 503")
		} else {
			s.log().Info("cluster: an instance is green on /readyz again")
		}
		s.allRed = all
	}
	reloaded, err := s.Nginx.SetDown(down)
	switch {
	case err != nil:
		s.log().Error("cluster: mark upstreams", "err", err)
	case reloaded:
		out := []string{}
		for _, in := range s.Instances {
			if down[in.Addr] {
				out = append(out, in.Name+" "+in.Addr)
			}
		}
		s.log().Info("cluster: nginx reloaded", "marked_down", out)
	}
}

func (s *Supervisor) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}
