package postgres

import (
	"context"

	"expodesk/internal/expodesk"
)

// BookingViolations counts what is wrong with the active bookings of the
// expo expoID (0: of every expo), as the tests, the fault tests and the
// benchmark check after bookings race: slots with two active bookings, a
// company at two overlapping slots, a company over its expo's quota. It
// reads the slots' own times, not the column the exclusion constraint
// uses, so that it does not trust what it checks.
func (s *Store) BookingViolations(ctx context.Context, expoID int64) (expodesk.BookingViolations, error) {
	var v expodesk.BookingViolations
	err := s.db.QueryRow(ctx, `WITH b AS (
			SELECT b.id, b.slot_id, b.exhibitor_id, st.expo_id, sl.starts_at, sl.ends_at FROM booking b
			JOIN slot sl ON sl.id = b.slot_id JOIN stage st ON st.id = sl.stage_id
			WHERE b.status = 'active' AND ($1 = 0 OR st.expo_id = $1))
		SELECT
			(SELECT count(*) FROM (SELECT slot_id FROM b GROUP BY slot_id HAVING count(*) > 1) d),
			(SELECT count(*) FROM b x JOIN b y ON x.exhibitor_id = y.exhibitor_id AND x.id < y.id
				AND tstzrange(x.starts_at, x.ends_at) && tstzrange(y.starts_at, y.ends_at)),
			(SELECT count(*) FROM (SELECT b.exhibitor_id FROM b JOIN expo ex ON ex.id = b.expo_id
				GROUP BY b.exhibitor_id, ex.id HAVING count(*) > min(ex.slot_quota)) q)`, expoID).
		Scan(&v.Double, &v.Overlap, &v.OverQuota)
	return v, translate(err, "check bookings")
}
