package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"expodesk/internal/expodesk"
)

// DirectoryRows returns every approved participation of an expo with its
// card and folded search texts, for the in-memory directory; the orders it
// lists them in come from DirectoryOrders.
func (s *Store) DirectoryRows(ctx context.Context, expoID int64) ([]expodesk.DirectoryRow, error) {
	rows, err := s.db.Query(ctx, `SELECT e.id, e.slug, e.legal_name, e.name, e.country,
			array(SELECT s.sector_code FROM exhibitor_sector s WHERE s.exhibitor_id = e.id ORDER BY s.sector_code) AS sectors,
			coalesce((SELECT l.etag FROM logo l WHERE l.exhibitor_id = e.id), '') AS logo_etag, p.booth,
			coalesce(pv.slug, '') AS pavilion_slug, coalesce(pv.name, '{}') AS pavilion_name,
			coalesce(p.pavilion_id, 0) AS pavilion_id, e.search, e.search_names
		FROM participation p JOIN exhibitor e ON e.id = p.exhibitor_id
		LEFT JOIN pavilion pv ON pv.id = p.pavilion_id
		WHERE p.expo_id = $1 AND p.status = 'approved'`, expoID)
	if err != nil {
		return nil, translate(err, "load directory")
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByNameLax[expodesk.DirectoryRow])
	return out, translate(err, "load directory")
}

// DirectoryOrders returns every exhibitor's places in the three name
// orders, read from the indexes of migrations 000008 and 000009 (sorting
// ten thousand names in ICU collations costs several times more), so that
// the in-memory directory orders exactly as PostgreSQL does. The places
// only change with a name, a legal name or a new company: participations
// do not move them.
func (s *Store) DirectoryOrders(ctx context.Context) ([]expodesk.DirectoryOrder, error) {
	var out []expodesk.DirectoryOrder
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		// One snapshot for the four queries; each order read out of its
		// index rather than sorted.
		if _, err := tx.Exec(ctx, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"); err != nil {
			return translate(err, "order directory")
		}
		if _, err := tx.Exec(ctx, "SET LOCAL enable_sort = off"); err != nil {
			return translate(err, "order directory")
		}
		rows, err := tx.Query(ctx, `SELECT id, slug, legal_name, name FROM exhibitor`)
		if err != nil {
			return translate(err, "order directory")
		}
		if out, err = pgx.CollectRows(rows, pgx.RowToStructByNameLax[expodesk.DirectoryOrder]); err != nil {
			return translate(err, "order directory")
		}
		at := make(map[int64]int, len(out))
		for i, o := range out {
			at[o.ID] = i
		}
		for _, lang := range []expodesk.Lang{expodesk.EN, expodesk.ZH, expodesk.ES} {
			rows, err := tx.Query(ctx, `SELECT e.id FROM exhibitor e ORDER BY `+sortName(lang)+`, e.id`)
			if err != nil {
				return translate(err, "order directory")
			}
			ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
			if err != nil {
				return translate(err, "order directory")
			}
			for place, id := range ids {
				i, ok := at[id]
				if !ok {
					continue // a company created since the first query
				}
				switch lang {
				case expodesk.EN:
					out[i].EN = int32(place + 1)
				case expodesk.ZH:
					out[i].ZH = int32(place + 1)
				default:
					out[i].ES = int32(place + 1)
				}
			}
		}
		return nil
	})
	return out, err
}
