// Package metrics is expodesk's Prometheus instrumentation: one registry
// of its own (never the global default) holding the Go runtime and process
// collectors, the request series by route pattern, counters of the events
// worth watching (sign-in failures, bookings), and collectors that read
// the database pool, the outboxes, the page cache and the directory model
// when scraped. Every metric's name and meaning is in this package, so
// that the README's list and docs/grafana/expodesk.json follow one file.
//
// A nil *Metrics is valid and records nothing: expodesk without
// METRICS_ADDR or METRICS_TOKEN pays nothing for it.
package metrics

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// namespace prefixes every expodesk metric.
const namespace = "expodesk"

// Metrics is the registry and the series the application records into.
type Metrics struct {
	reg            *prometheus.Registry
	log            *slog.Logger
	requests       *prometheus.CounterVec
	durations      *prometheus.HistogramVec
	signInFailures *prometheus.CounterVec
	bookings       *prometheus.CounterVec
}

// SignInFailure is why a sign-in attempt failed (the reason label).
type SignInFailure string

// Reasons a sign-in fails. FailPassword covers an unknown address, a
// disabled account and a wrong password alike, as the sign-in page does.
const (
	FailPassword     SignInFailure = "password"      // the password step refused
	FailTOTP         SignInFailure = "totp"          // a wrong authenticator code
	FailTOTPLocked   SignInFailure = "totp_locked"   // a code while (or the code that made) the app's codes locked
	FailRecoveryCode SignInFailure = "recovery_code" // a wrong or spent recovery code
	FailThrottled    SignInFailure = "throttled"     // refused by the per-account or per-address limits
)

var signInFailures = []SignInFailure{FailPassword, FailTOTP, FailTOTPLocked, FailRecoveryCode, FailThrottled}

// Booking events (the event label of expodesk_bookings_total).
const (
	bookingBooked    = "booked"
	bookingCancelled = "cancelled"
)

// requestBuckets are latency buckets in seconds: a cached page answers in
// well under a millisecond, a directory miss in a few, a CSV import in seconds.
var requestBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// New returns the metrics of one server process, with the Go runtime and
// process collectors registered.
func New(log *slog.Logger) *Metrics {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		log: log,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "http", Name: "requests_total",
			Help: "HTTP requests answered, by chi route pattern (\"unmatched\" for none), method and status class.",
		}, []string{"route", "method", "status"}),
		durations: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "http", Name: "request_duration_seconds",
			Help:    "Time from the request's arrival at the middleware to the end of its answer, by route pattern, method and status class.",
			Buckets: requestBuckets,
		}, []string{"route", "method", "status"}),
		signInFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "auth", Name: "signin_failures_total",
			Help: "Failed sign-in attempts, by reason: password, totp, totp_locked, recovery_code, throttled.",
		}, []string{"reason"}),
		bookings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "bookings_total",
			Help: "Roadshow bookings committed by this instance: booked (by a company, an organizer, the waitlist or a draw) and cancelled.",
		}, []string{"event"}),
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, m.durations, m.signInFailures, m.bookings,
	)
	// Every reason and event exists from the start at zero, so that rate()
	// and the dashboard show 0 rather than no data.
	for _, r := range signInFailures {
		m.signInFailures.WithLabelValues(string(r))
	}
	m.bookings.WithLabelValues(bookingBooked)
	m.bookings.WithLabelValues(bookingCancelled)
	return m
}

// Registry is the registry the metrics are gathered from (for tests).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// register adds a collector; a second server registering the same
// collector on one registry is a wiring mistake, logged rather than fatal.
func (m *Metrics) register(c prometheus.Collector) {
	if err := m.reg.Register(c); err != nil {
		m.log.Error("register metrics collector", "err", err)
	}
}

// Handler serves the registry in the Prometheus text format (or whatever
// the scraper negotiates). Concurrent scrapes share one collection, so
// that a scraper hammering the endpoint runs the outbox query once at a
// time; a collector that fails leaves its series out and the rest is served.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog:            slog.NewLogLogger(m.log.Handler(), slog.LevelWarn),
		ErrorHandling:       promhttp.ContinueOnError,
		Registry:            m.reg,
		MaxRequestsInFlight: 4,
		CoalesceGather:      true,
		Timeout:             10 * time.Second,
	})
}

// SignInFailed counts one failed sign-in attempt.
func (m *Metrics) SignInFailed(reason SignInFailure) {
	if m == nil {
		return
	}
	m.signInFailures.WithLabelValues(string(reason)).Inc()
}

// BookingsCommitted counts bookings made and cancelled by a transaction
// that has committed.
func (m *Metrics) BookingsCommitted(booked, cancelled int) {
	if m == nil {
		return
	}
	if booked > 0 {
		m.bookings.WithLabelValues(bookingBooked).Add(float64(booked))
	}
	if cancelled > 0 {
		m.bookings.WithLabelValues(bookingCancelled).Add(float64(cancelled))
	}
}
