package postgres

import (
	"context"
	"fmt"
)

// MigrationState returns the schema version the database is at and whether
// a migration failed halfway (golang-migrate's dirty flag).
func (s *Store) MigrationState(ctx context.Context) (version int64, dirty bool, err error) {
	err = s.db.QueryRow(ctx, "SELECT version, dirty FROM schema_migrations LIMIT 1").Scan(&version, &dirty)
	if err != nil {
		return 0, false, fmt.Errorf("read migration state: %w", err)
	}
	return version, dirty, nil
}
