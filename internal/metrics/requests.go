package metrics

import (
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Unmatched is the route label of a request no route matched (an unknown
// path, a trailing-slash redirect): the raw path is never a label, so the
// number of series stays bounded whatever clients ask for.
const Unmatched = "unmatched"

// methods are the method labels; any other method is "OTHER".
var methods = [...]string{"GET", "HEAD", "POST", "OPTIONS", "OTHER"}

// statusClasses are the status labels, by status/100 - 1.
var statusClasses = [...]string{"1xx", "2xx", "3xx", "4xx", "5xx"}

// Requests records request counts and latencies by route pattern. It is
// built once from the router's patterns and read-only after, so that
// recording a request is a map lookup and two atomic adds: no lock and no
// allocation. A pattern it was not built with counts as Unmatched.
type Requests struct {
	routes    map[string]*routeSeries
	unmatched *routeSeries
}

// routeSeries are one route's series, each made on first use (most routes
// see one or two methods and status classes, and an unused combination
// would only be an empty series for Prometheus to keep).
type routeSeries struct {
	route string
	m     *Metrics
	cells [len(methods)][len(statusClasses)]atomic.Pointer[series]
}

// series are the pre-curried children of one route, method and status class.
type series struct {
	count    prometheus.Counter
	duration prometheus.Observer
}

// Requests returns the request table for a router's route patterns
// ("/expos/{expo}"); nil (which records nothing) when m is nil.
func (m *Metrics) Requests(patterns []string) *Requests {
	if m == nil {
		return nil
	}
	q := &Requests{routes: make(map[string]*routeSeries, len(patterns)),
		unmatched: &routeSeries{route: Unmatched, m: m}}
	for _, p := range patterns {
		if _, ok := q.routes[p]; !ok {
			q.routes[p] = &routeSeries{route: p, m: m}
		}
	}
	return q
}

// Observe records one answered request: its route pattern ("" or an
// unknown one for none), method, status and how long it took.
func (q *Requests) Observe(pattern, method string, status int, took time.Duration) {
	if q == nil {
		return
	}
	rs, ok := q.routes[pattern]
	if !ok {
		rs = q.unmatched
	}
	s := rs.series(methodIndex(method), classIndex(status))
	s.count.Inc()
	s.duration.Observe(took.Seconds())
}

// series returns the children of one cell, making them on first use. Two
// requests making one at once get the same children from the vectors.
func (rs *routeSeries) series(mi, ci int) *series {
	cell := &rs.cells[mi][ci]
	if s := cell.Load(); s != nil {
		return s
	}
	labels := []string{rs.route, methods[mi], statusClasses[ci]}
	s := &series{count: rs.m.requests.WithLabelValues(labels...), duration: rs.m.durations.WithLabelValues(labels...)}
	cell.Store(s)
	return s
}

func methodIndex(method string) int {
	for i, m := range methods[:len(methods)-1] {
		if m == method {
			return i
		}
	}
	return len(methods) - 1
}

// classIndex is the class of a status; 0 (nothing written, which net/http
// answers as 200) is 2xx, and anything out of range is 5xx.
func classIndex(status int) int {
	switch {
	case status == 0:
		return 1
	case status < 100 || status >= 600:
		return len(statusClasses) - 1
	}
	return status/100 - 1
}
