package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// PublicChannel is the notification channel the public_change triggers use.
const PublicChannel = "expodesk_public"

// ListenPublicChanges holds one connection of pool listening on
// PublicChannel until ctx ends, calling changed with every notification's
// payload ("" for any change, "booking <company slug>" for a booking).
// listening(true) is called once the LISTEN is in place (after changed(""),
// since anything may have changed while nobody listened) and listening(false)
// whenever the connection is lost; it reconnects with backoff.
func ListenPublicChanges(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger, changed func(payload string), listening func(bool)) {
	const firstBackoff = 100 * time.Millisecond
	backoff := firstBackoff
	for ctx.Err() == nil {
		listened, err := listenOnce(ctx, pool, changed, listening)
		listening(false)
		if listened {
			// The connection worked before it broke: retry soon, not after the last wait.
			backoff = firstBackoff
		}
		if ctx.Err() != nil {
			return
		}
		log.WarnContext(ctx, "public change listener lost its connection; public pages are served uncached until it is back",
			"err", err, "retry_in", backoff.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		if backoff < 10*time.Second {
			backoff *= 2
		}
	}
}

// listenOnce listens until the connection fails; listened reports whether
// the LISTEN was in place before it did.
func listenOnce(ctx context.Context, pool *pgxpool.Pool, changed func(payload string), listening func(bool)) (listened bool, err error) {
	pooled, err := pool.Acquire(ctx)
	if err != nil {
		return false, fmt.Errorf("acquire listener connection: %w", err)
	}
	// The connection leaves the pool for good: once it has listened it must
	// not go back to ordinary work, and closing it ends the LISTEN.
	conn := pooled.Hijack()
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+PublicChannel); err != nil {
		return false, fmt.Errorf("listen: %w", err)
	}
	changed("")
	listening(true)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return true, fmt.Errorf("wait for notification: %w", err)
		}
		changed(n.Payload)
	}
}
