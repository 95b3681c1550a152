package metrics

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"expodesk/internal/httpserve"
)

// Path is where the metrics are served, on their own listener and (with a
// token) on the app port.
const Path = "/metrics"

// Serve serves the metrics at Path, and nothing else, on ln until ctx
// ends, then closes the listener (a scrape under way may finish within a
// few seconds). It is the METRICS_ADDR listener: meant for an address only
// the scraper reaches (loopback, a private network), so it asks for no token.
func (m *Metrics) Serve(ctx context.Context, ln net.Listener) error {
	mux := http.NewServeMux()
	mux.Handle("GET "+Path, m.Handler())
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(m.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	if err := httpserve.Until(ctx, srv, ln, 5*time.Second, m.log); err != nil {
		return fmt.Errorf("metrics listener: %w", err)
	}
	return nil
}
