// Package worker runs the loops every instance keeps in the background for
// an outbox (mail, webhook deliveries): a round of work at an interval, the
// next at once when a round filled its batch, and rounds further apart
// after each failure in a row, so that an outage of the database is
// neither hammered nor waited out long after it ends. The rows stay in
// their outbox whatever happens, and the pool reconnects by itself.
package worker

import (
	"context"
	"log/slog"
	"time"
)

// Loop is one worker's schedule and its round.
type Loop struct {
	// Name names the worker in its log lines ("mail worker").
	Name     string
	Interval time.Duration
	// Batch is a full round: the next one starts at once.
	Batch int
	// Wake, when not nil, starts a round before Interval has passed.
	Wake <-chan struct{}
	Log  *slog.Logger
	// Round does one round and says how many rows it claimed.
	Round func(context.Context) (int, error)
}

// Run runs rounds until ctx ends, the first at once.
func (l Loop) Run(ctx context.Context) {
	l.Log.InfoContext(ctx, l.Name+" started", "interval", l.Interval, "batch", l.Batch)
	defer l.Log.InfoContext(ctx, l.Name+" stopped")
	timer := time.NewTimer(0)
	defer timer.Stop()
	failures := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-l.Wake:
		}
		claimed, err := l.Round(ctx)
		next := l.Interval
		switch {
		case err != nil && ctx.Err() == nil:
			failures++
			next = RetryDelay(l.Interval, failures)
			l.Log.WarnContext(ctx, l.Name+" round failed; the outbox keeps its rows", "err", err,
				"failures_in_a_row", failures, "retry_in", next.String())
		case err == nil:
			failures = 0
			if claimed >= l.Batch {
				next = 0
			}
		}
		timer.Reset(next)
	}
}

// RetryDelay is how long a worker waits after its failures-th failed round
// in a row: interval, doubling each time, at most a minute (or interval
// when that is longer).
func RetryDelay(interval time.Duration, failures int) time.Duration {
	most := max(interval, time.Minute)
	d := max(interval, 100*time.Millisecond) // even a worker told to poll without pause
	for i := 1; i < failures && d < most; i++ {
		d *= 2
	}
	return min(d, most)
}
