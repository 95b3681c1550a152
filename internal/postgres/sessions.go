package postgres

import (
	"context"
)

// SessionsPrune deletes expired sessions (scs's own cleanup goroutine is off:
// the server's janitor does this, once for every kind of expired row).
func (s *Store) SessionsPrune(ctx context.Context) error {
	_, err := s.db.Exec(ctx, `DELETE FROM sessions WHERE expiry < $1`, s.now())
	return translate(err, "prune sessions")
}
