package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"expodesk/internal/expodesk"
)

// DirectoryRows returns every approved participation of an expo with its
// card, folded search texts and places in the three languages' name
// orders, for the in-memory directory. The orders are those Directory
// sorts by (sortName, then id), computed here so that the copy in memory
// orders exactly as PostgreSQL's collations do.
func (s *Store) DirectoryRows(ctx context.Context, expoID int64) ([]expodesk.DirectoryRow, error) {
	rows, err := s.db.Query(ctx, `SELECT e.id, e.slug, e.legal_name, e.name, e.country,
			array(SELECT s.sector_code FROM exhibitor_sector s WHERE s.exhibitor_id = e.id ORDER BY s.sector_code) AS sectors,
			coalesce((SELECT l.etag FROM logo l WHERE l.exhibitor_id = e.id), '') AS logo_etag, p.booth,
			coalesce(pv.slug, '') AS pavilion_slug, coalesce(pv.name, '{}') AS pavilion_name,
			coalesce(p.pavilion_id, 0) AS pavilion_id, e.search, e.search_names,
			row_number() OVER (ORDER BY `+sortName(expodesk.EN)+`, e.id) AS rank_en,
			row_number() OVER (ORDER BY `+sortName(expodesk.ZH)+`, e.id) AS rank_zh,
			row_number() OVER (ORDER BY `+sortName(expodesk.ES)+`, e.id) AS rank_es
		FROM participation p JOIN exhibitor e ON e.id = p.exhibitor_id
		LEFT JOIN pavilion pv ON pv.id = p.pavilion_id
		WHERE p.expo_id = $1 AND p.status = 'approved'`, expoID)
	if err != nil {
		return nil, translate(err, "load directory")
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByNameLax[expodesk.DirectoryRow])
	return out, translate(err, "load directory")
}
