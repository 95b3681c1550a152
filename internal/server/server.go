// Package server is expodesk's HTTP layer: the chi router with its whole
// route table (routes.go), middleware, handlers grouped by resource, and the
// one error renderer.
package server

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"expodesk/internal/directory"
	"expodesk/internal/expodesk"
	"expodesk/internal/httpserve"
	"expodesk/internal/i18n"
	"expodesk/internal/mail"
	"expodesk/internal/metrics"
	"expodesk/internal/password"
	"expodesk/internal/postgres"
	"expodesk/internal/service"
)

// Config is the server's configuration, read from the environment by main.
type Config struct {
	Addr string
	// BaseURL is the public origin (https://expo.example.org), used in
	// mails and feeds; derived from the request when empty.
	BaseURL string
	// SecureCookies marks cookies Secure and sends HSTS: set it when served over TLS.
	SecureCookies bool
	// TrustProxy takes the client address from X-Forwarded-For (behind a load balancer).
	TrustProxy bool
	// ShutdownTimeout bounds how long in-flight requests may take to finish on shutdown.
	ShutdownTimeout time.Duration
	// SessionLifetime is the absolute limit of a session; SessionIdleTimeout
	// ends it after that long without a request.
	SessionLifetime    time.Duration
	SessionIdleTimeout time.Duration
	// SMTP reports whether mail is sent (otherwise it stays in the outbox page).
	SMTP bool
	// LogMailLinks logs the links of unsent mail (make run without SMTP). The
	// links hold single-use tokens: never set it where logs are kept.
	LogMailLinks bool
	// PageCache keeps rendered public pages in memory for visitors, fresh
	// through PostgreSQL notifications (see ListenForChanges).
	PageCache bool
	// DirectoryModel answers directory pages from each expo's directory
	// held in memory (internal/directory), fresh through the same
	// notifications; the store answers while it cannot.
	DirectoryModel bool
	// MetricsToken, when set with Deps.Metrics, serves /metrics on the app
	// port to requests carrying "Authorization: Bearer <token>"; without
	// it (or with another token) /metrics is an unknown path.
	MetricsToken string
}

// Deps are the server's collaborators.
type Deps struct {
	Store     *postgres.Store
	Pool      *pgxpool.Pool // for sessions
	Catalog   *i18n.Catalog
	Log       *slog.Logger
	Now       func() time.Time
	Passwords *password.Hasher
	Mail      *mail.Composer
	// Metrics records requests, sign-in failures and bookings, and reads
	// the pool, outboxes, page cache and directory model when scraped;
	// nil records nothing.
	Metrics *metrics.Metrics
}

// Server answers expodesk's HTTP requests.
type Server struct {
	cfg       Config
	store     *postgres.Store
	catalog   *i18n.Catalog
	log       *slog.Logger
	now       func() time.Time
	pool      *pgxpool.Pool
	pages     *PageCache       // nil when off
	dir       *directory.Model // nil when off
	sectors   atomic.Pointer[[]expodesk.Sector]
	sessions  *scs.SessionManager
	passwords *password.Hasher
	mail      *mail.Composer
	svc       *service.Service
	// deviceKeys caches the key device cookies are signed with (device.go).
	deviceKeys deviceKeyCache
	// access is each route's declared rule, keyed by "METHOD pattern".
	access map[string]Access
	router http.Handler
	// metrics is nil without metrics; requests is its table of the
	// router's patterns, and metricsPage serves the app port's /metrics.
	metrics     *metrics.Metrics
	requests    *metrics.Requests
	metricsPage http.Handler
}

// New wires a server.
func New(cfg Config, d Deps) *Server {
	if d.Now == nil {
		d.Now = time.Now
	}
	if cfg.ShutdownTimeout == 0 {
		cfg.ShutdownTimeout = 20 * time.Second
	}
	if cfg.SessionLifetime == 0 {
		cfg.SessionLifetime = 12 * time.Hour
	}
	if cfg.SessionIdleTimeout == 0 {
		cfg.SessionIdleTimeout = time.Hour
	}
	s := &Server{cfg: cfg, store: d.Store, catalog: d.Catalog, log: d.Log, now: d.Now, pool: d.Pool,
		passwords: d.Passwords, mail: d.Mail, access: map[string]Access{}, metrics: d.Metrics}
	s.sessions = newSessions(d.Pool, cfg, s.sessionError)
	s.svc = service.New(service.Config{BaseURL: cfg.BaseURL, SMTP: cfg.SMTP, LogMailLinks: cfg.LogMailLinks},
		service.Deps{Store: d.Store, Mail: d.Mail, Passwords: d.Passwords, Log: d.Log, Now: d.Now, Metrics: d.Metrics})
	if cfg.PageCache {
		s.pages = NewPageCache()
	}
	if cfg.DirectoryModel && d.Store != nil {
		s.dir = directory.New(d.Store.DirectoryRows, d.Store.DirectoryOrders, d.Log)
	}
	s.router = s.routes()
	s.instrument()
	return s
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

// Routes returns each route's declared access rule, keyed by "METHOD pattern".
func (s *Server) Routes() map[string]Access { return s.access }

// ListenAndServe serves on cfg.Addr until ctx ends, then stops accepting
// connections and lets in-flight requests finish (up to ShutdownTimeout).
// ready, if not nil, receives the bound address once listening.
func (s *Server) ListenAndServe(ctx context.Context, ready func(addr string)) error {
	srv := &http.Server{
		Addr:              s.cfg.Addr,
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Addr, err)
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	return httpserve.Until(ctx, srv, ln, s.cfg.ShutdownTimeout, s.log)
}

// principal returns who is acting (nil for a visitor).
func principal(r *http.Request) *expodesk.Principal {
	p, _ := r.Context().Value(principalKey{}).(*expodesk.Principal)
	return p
}

type principalKey struct{}

// RunJanitor deletes expired sessions, old throttling counters and long-dead
// tokens every
// interval until ctx ends. Every instance may run it; the deletes are idempotent.
func (s *Server) RunJanitor(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := s.store.SessionsPrune(ctx); err != nil && ctx.Err() == nil {
			s.log.WarnContext(ctx, "prune sessions", "err", err)
		}
		if err := s.store.RatePrune(ctx, s.now().Add(-24*time.Hour)); err != nil && ctx.Err() == nil {
			s.log.WarnContext(ctx, "prune rate counters", "err", err)
		}
		if err := s.store.TokensPrune(ctx, s.now().Add(-30*24*time.Hour)); err != nil && ctx.Err() == nil {
			s.log.WarnContext(ctx, "prune tokens", "err", err)
		}
		if err := s.store.CSVImportPrune(ctx, s.now()); err != nil && ctx.Err() == nil {
			s.log.WarnContext(ctx, "prune uploaded spreadsheets", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// sectorList returns the sector list. It changes only with migrations (a
// new binary, a restart), so it is read once and kept.
func (s *Server) sectorList(ctx context.Context) ([]expodesk.Sector, error) {
	if list := s.sectors.Load(); list != nil {
		return *list, nil
	}
	list, err := s.store.SectorList(ctx)
	if err != nil {
		return nil, err
	}
	s.sectors.Store(&list)
	return list, nil
}

// baseURL is the public origin for absolute links in feeds and mails. The
// binary always sets Config.BaseURL (serve refuses to start without it); the
// request's own host is a fallback for tests that serve on a random port.
func (s *Server) baseURL(r *http.Request) string {
	if s.cfg.BaseURL != "" {
		return s.cfg.BaseURL
	}
	scheme := "http"
	if r.TLS != nil || (s.cfg.TrustProxy && r.Header.Get("X-Forwarded-Proto") == "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
