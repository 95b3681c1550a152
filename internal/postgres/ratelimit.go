package postgres

import (
	"context"
	"time"
)

// RateHit counts one hit against key in the fixed window containing now and
// returns the hits so far in that window and when the window ends. Counters
// live in PostgreSQL so that every instance sees the same numbers.
func (s *Store) RateHit(ctx context.Context, key string, window time.Duration) (int, time.Time, error) {
	start := s.now().Truncate(window)
	var hits int
	err := s.db.QueryRow(ctx,
		`INSERT INTO rate_counter (key, window_start, hits) VALUES ($1, $2, 1)
		ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_counter.hits + 1
		RETURNING hits`, key, start).Scan(&hits)
	return hits, start.Add(window), translate(err, "count rate")
}

// RateReset forgets every counter of key (a successful sign-in clears the
// account's failures).
func (s *Store) RateReset(ctx context.Context, key string) error {
	_, err := s.db.Exec(ctx, `DELETE FROM rate_counter WHERE key = $1`, key)
	return translate(err, "reset rate")
}

// RatePrune deletes counters of windows that ended before the cutoff.
func (s *Store) RatePrune(ctx context.Context, before time.Time) error {
	_, err := s.db.Exec(ctx, `DELETE FROM rate_counter WHERE window_start < $1`, before)
	return translate(err, "prune rate counters")
}
