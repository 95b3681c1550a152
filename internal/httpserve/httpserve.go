// Package httpserve runs an http.Server for as long as a context lasts:
// the lifecycle the app listener and the metrics listener share.
package httpserve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Until serves srv on ln until ctx ends, then shuts it down: requests in
// flight get up to grace to finish, and Until returns once they have (or
// grace has passed). The shutdown's start is logged on log, when there is
// one. An error from serving before ctx ends is returned as it comes; a
// clean shutdown returns nil.
func Until(ctx context.Context, srv *http.Server, ln net.Listener, grace time.Duration, log *slog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	if log != nil {
		log.Info("shutting down", "addr", ln.Addr().String(), "timeout", grace.String())
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
