package postgres

import (
	"context"
	"crypto/rand"
)

// ServerKey returns the server's secret named name, generating 32 random
// bytes the first time it is asked for. Instances racing to create it all
// end up with the one row that won, so they sign with the same key.
func (s *Store) ServerKey(ctx context.Context, name string) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO server_key (name, secret) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
		name, fresh); err != nil {
		return nil, translate(err, "create server key")
	}
	var secret []byte
	err := s.db.QueryRow(ctx, `SELECT secret FROM server_key WHERE name = $1`, name).Scan(&secret)
	return secret, translate(err, "read server key")
}
