package postgres

import (
	"context"
	"time"

	"expodesk/internal/expodesk"
)

// slotRowSelect reads slots with their label, stage and the booking that
// holds them (an active one, or a waitlist offer not yet answered),
// the company named whatever its participation's status: the organizer's
// console sees who holds a slot, which the public agenda does not always say.
const slotRowSelect = `SELECT sl.id, sl.stage_id, sl.starts_at, sl.ends_at, sl.blocked, sl.label,
	st.expo_id, st.name AS stage_name, st.pavilion_id,
	b.id AS booking_id, b.exhibitor_id, coalesce(x.name, '{}') AS exhibitor_name,
	coalesce(x.legal_name, '') AS exhibitor_legal_name, coalesce(b.title, '') AS title,
	b.offered_until
FROM slot sl
JOIN stage st ON st.id = sl.stage_id
LEFT JOIN booking b ON b.slot_id = sl.id AND b.status IN ('active', 'offered')
LEFT JOIN exhibitor x ON x.id = b.exhibitor_id `

// SlotGetRow returns a slot with its label, stage and active booking.
func (s *Store) SlotGetRow(ctx context.Context, id int64) (expodesk.SlotRow, error) {
	return one[expodesk.SlotRow](ctx, s.db, "get slot", slotRowSelect+`WHERE sl.id = $1`, id)
}

// SlotLockRow is SlotGetRow with the slot locked until the transaction
// ends, so that no booking is made on it between the check of its booking
// and the change (a booking's foreign key check waits on the lock). Call it
// inside Tx.
func (s *Store) SlotLockRow(ctx context.Context, id int64) (expodesk.SlotRow, error) {
	if _, err := s.db.Exec(ctx, `SELECT 1 FROM slot WHERE id = $1 FOR UPDATE`, id); err != nil {
		return expodesk.SlotRow{}, translate(err, "lock slot")
	}
	return s.SlotGetRow(ctx, id)
}

// SlotGrid returns an expo's slots that start in [from, to), with their
// stages and bookings, stage by stage in display order and then by time.
// pavilionID (a coordinator's) and stageID narrow it when not 0.
func (s *Store) SlotGrid(ctx context.Context, expoID, pavilionID, stageID int64, from, to time.Time) ([]expodesk.SlotRow, error) {
	return collect[expodesk.SlotRow](ctx, s.db, "slot grid", slotRowSelect+
		`WHERE st.expo_id = $1 AND ($2 = 0 OR st.pavilion_id = $2) AND ($3 = 0 OR st.id = $3)
			AND sl.starts_at >= $4 AND sl.starts_at < $5
		ORDER BY st.position, st.id, sl.starts_at`, expoID, pavilionID, stageID, from, to)
}

// SlotListOverlapping returns the stage's slots that share an instant with
// [from, to), in time order.
func (s *Store) SlotListOverlapping(ctx context.Context, stageID int64, from, to time.Time) ([]expodesk.SlotRow, error) {
	return collect[expodesk.SlotRow](ctx, s.db, "list overlapping slots", slotRowSelect+
		`WHERE sl.stage_id = $1 AND tstzrange(sl.starts_at, sl.ends_at) && tstzrange($2, $3)
		ORDER BY sl.starts_at`, stageID, from, to)
}

// SlotCreateMany inserts slots on one stage in one statement: all of them
// or, when one overlaps a slot of the stage (or another of them), none,
// with expodesk.ErrSlotOverlap.
func (s *Store) SlotCreateMany(ctx context.Context, stageID int64, slots []expodesk.Slot) ([]expodesk.Slot, error) {
	starts := make([]time.Time, len(slots))
	ends := make([]time.Time, len(slots))
	for i, sl := range slots {
		starts[i], ends[i] = sl.StartsAt, sl.EndsAt
	}
	return collect[expodesk.Slot](ctx, s.db, "create slots",
		`INSERT INTO slot (stage_id, starts_at, ends_at)
		SELECT $1, u.starts_at, u.ends_at FROM unnest($2::timestamptz[], $3::timestamptz[]) AS u(starts_at, ends_at)
		ORDER BY u.starts_at
		RETURNING id, stage_id, starts_at, ends_at, blocked`, stageID, starts, ends)
}

// SlotUpdate replaces a slot's times, blocked flag and label; an overlap
// with another slot of its stage is expodesk.ErrSlotOverlap.
func (s *Store) SlotUpdate(ctx context.Context, id int64, c expodesk.SlotChange) error {
	tag, err := s.db.Exec(ctx,
		`UPDATE slot SET starts_at = $2, ends_at = $3, blocked = $4, label = $5 WHERE id = $1`,
		id, c.StartsAt, c.EndsAt, c.Blocked, c.Label)
	if err != nil {
		return translate(err, "update slot")
	}
	if tag.RowsAffected() == 0 {
		return expodesk.ErrNotFound
	}
	return nil
}

// SlotDelete deletes a slot (with its cancelled bookings and waitlist). The
// caller has checked, under SlotLockRow, that no active booking holds it.
func (s *Store) SlotDelete(ctx context.Context, id int64) error {
	tag, err := s.db.Exec(ctx, `DELETE FROM slot WHERE id = $1`, id)
	if err != nil {
		return translate(err, "delete slot")
	}
	if tag.RowsAffected() == 0 {
		return expodesk.ErrNotFound
	}
	return nil
}
