package postgres

import (
	"context"

	"expodesk/internal/expodesk"
)

const pavilionColumns = `p.id, p.expo_id, p.slug, p.name, p.host, p.hall, p.description, p.position`

// PavilionList returns the pavilions of an expo in display order.
func (s *Store) PavilionList(ctx context.Context, expoID int64) ([]expodesk.Pavilion, error) {
	return collect[expodesk.Pavilion](ctx, s.db, "list pavilions",
		`SELECT `+pavilionColumns+` FROM pavilion p WHERE p.expo_id = $1 ORDER BY p.position, p.id`, expoID)
}

// PavilionListWithCounts returns the pavilions of an expo with their exhibitor counts.
func (s *Store) PavilionListWithCounts(ctx context.Context, expoID int64) ([]expodesk.PavilionSummary, error) {
	return collect[expodesk.PavilionSummary](ctx, s.db, "list pavilions",
		`SELECT `+pavilionColumns+`,
			(SELECT count(*) FROM participation x WHERE x.pavilion_id = p.id AND x.status = 'approved')::int AS exhibitors
		FROM pavilion p WHERE p.expo_id = $1 ORDER BY p.position, p.id`, expoID)
}

// PavilionGet returns the pavilion with the given slug in an expo.
func (s *Store) PavilionGet(ctx context.Context, expoID int64, slug string) (expodesk.Pavilion, error) {
	if !expodesk.ValidSlug(slug) { // see ExpoGet
		return expodesk.Pavilion{}, expodesk.ErrNotFound
	}
	return one[expodesk.Pavilion](ctx, s.db, "get pavilion",
		`SELECT `+pavilionColumns+` FROM pavilion p WHERE p.expo_id = $1 AND p.slug = $2`, expoID, slug)
}

// PavilionGetByID returns the pavilion with the given id.
func (s *Store) PavilionGetByID(ctx context.Context, id int64) (expodesk.Pavilion, error) {
	return one[expodesk.Pavilion](ctx, s.db, "get pavilion",
		`SELECT `+pavilionColumns+` FROM pavilion p WHERE p.id = $1`, id)
}

// PavilionCreate inserts pv and returns it with its id.
func (s *Store) PavilionCreate(ctx context.Context, pv expodesk.Pavilion) (expodesk.Pavilion, error) {
	if err := pv.Validate(); err != nil {
		return pv, err
	}
	return one[expodesk.Pavilion](ctx, s.db, "create pavilion",
		`INSERT INTO pavilion AS p (expo_id, slug, name, host, hall, description, position)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING `+pavilionColumns,
		pv.ExpoID, pv.Slug, pv.Name, pv.Host, pv.Hall, pv.Description, pv.Position)
}

// PavilionUpdate replaces the editable fields of pavilion pv.ID (its place
// in the order is PavilionReorder's) and returns it as stored.
func (s *Store) PavilionUpdate(ctx context.Context, pv expodesk.Pavilion) (expodesk.Pavilion, error) {
	if err := pv.Validate(); err != nil {
		return pv, err
	}
	return one[expodesk.Pavilion](ctx, s.db, "update pavilion",
		`UPDATE pavilion AS p SET slug = $2, name = $3, host = $4, hall = $5, description = $6, updated_at = now()
		WHERE p.id = $1 RETURNING `+pavilionColumns,
		pv.ID, pv.Slug, pv.Name, pv.Host, pv.Hall, pv.Description)
}

// PavilionNextPosition is the position that puts a new pavilion last in its expo.
func (s *Store) PavilionNextPosition(ctx context.Context, expoID int64) (int, error) {
	var n int
	err := s.db.QueryRow(ctx,
		`SELECT coalesce(max(position), 0) + 10 FROM pavilion WHERE expo_id = $1`, expoID).Scan(&n)
	return n, translate(err, "next pavilion position")
}

// PavilionReorder numbers the expo's pavilions 10, 20, 30… in the order of
// ids; ids must be exactly the expo's pavilions.
func (s *Store) PavilionReorder(ctx context.Context, expoID int64, ids []int64) error {
	_, err := s.db.Exec(ctx,
		`UPDATE pavilion p SET position = o.n * 10, updated_at = now()
		FROM unnest($2::bigint[]) WITH ORDINALITY AS o(id, n)
		WHERE p.id = o.id AND p.expo_id = $1 AND p.position <> o.n * 10`, expoID, ids)
	return translate(err, "reorder pavilions")
}

// SectorList returns the sector list in display order.
func (s *Store) SectorList(ctx context.Context) ([]expodesk.Sector, error) {
	return collect[expodesk.Sector](ctx, s.db, "list sectors",
		`SELECT code, name, position FROM sector ORDER BY position, code`)
}

// PavilionWithExpo is a pavilion with its expo's name and slug.
type PavilionWithExpo struct {
	expodesk.Pavilion
	ExpoSlug string
	ExpoName expodesk.Text
}

// PavilionListAll returns every pavilion of every expo.
func (s *Store) PavilionListAll(ctx context.Context) ([]PavilionWithExpo, error) {
	return collect[PavilionWithExpo](ctx, s.db, "list all pavilions",
		`SELECT `+pavilionColumns+`, e.slug AS expo_slug, e.name AS expo_name
		FROM pavilion p JOIN expo e ON e.id = p.expo_id ORDER BY e.first_day, p.position, p.id`)
}
