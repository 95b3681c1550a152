// Package server is expodesk's HTTP layer: the chi router with its whole
// route table (routes.go), middleware, handlers grouped by resource, and the
// one error renderer.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
	"expodesk/internal/postgres"
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
}

// Server answers expodesk's HTTP requests.
type Server struct {
	cfg     Config
	store   *postgres.Store
	catalog *i18n.Catalog
	log     *slog.Logger
	now     func() time.Time
	// access is each route's declared rule, keyed by "METHOD pattern".
	access map[string]Access
	router http.Handler
}

// New wires a server. now is the clock (time.Now in production).
func New(cfg Config, store *postgres.Store, catalog *i18n.Catalog, log *slog.Logger, now func() time.Time) *Server {
	if now == nil {
		now = time.Now
	}
	if cfg.ShutdownTimeout == 0 {
		cfg.ShutdownTimeout = 20 * time.Second
	}
	s := &Server{cfg: cfg, store: store, catalog: catalog, log: log, now: now, access: map[string]Access{}}
	s.router = s.routes()
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
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "timeout", s.cfg.ShutdownTimeout.String())
	shutCtx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// principal returns who is acting (nil for a visitor).
func principal(r *http.Request) *expodesk.Principal {
	p, _ := r.Context().Value(principalKey{}).(*expodesk.Principal)
	return p
}

type principalKey struct{}
