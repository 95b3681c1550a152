package postgres

import (
	"context"
	"time"

	"expodesk/internal/expodesk"
)

const bookingColumns = `b.id, b.slot_id, b.exhibitor_id, b.titles, b.abstracts, b.title, b.abstract, b.lang, b.status, b.created_at`

// BookingCreate inserts an active booking of a slot, with no rule of its
// own: the service's BookSlot decides whether the company may book. A slot
// another active booking holds is ErrSlotTaken (the partial unique index
// decides a race), a slot overlapping one the company holds
// ErrBookingOverlap (the exclusion constraint). A booking given Title and
// Lang only (fixtures) is stored in that one language.
func (s *Store) BookingCreate(ctx context.Context, b expodesk.Booking, by *int64) (expodesk.Booking, error) {
	if err := b.Validate(); err != nil {
		return b, err
	}
	if b.Titles.IsZero() && b.Abstracts.IsZero() {
		lang := b.Lang
		if lang == "" {
			lang = expodesk.EN
		}
		b.Titles, b.Abstracts = b.Titles.Set(lang, b.Title), b.Abstracts.Set(lang, b.Abstract)
	}
	return one[expodesk.Booking](ctx, s.db, "create booking",
		`INSERT INTO booking AS b (slot_id, exhibitor_id, titles, abstracts, created_by)
		VALUES ($1, $2, $3, $4, $5) RETURNING `+bookingColumns,
		b.SlotID, b.ExhibitorID, b.Titles, b.Abstracts, by)
}

// BookingGetForUpdate returns booking id locked until the transaction
// ends, with the slot it books.
func (s *Store) BookingGetForUpdate(ctx context.Context, id int64) (expodesk.Booking, error) {
	return one[expodesk.Booking](ctx, s.db, "lock booking",
		`SELECT `+bookingColumns+` FROM booking b WHERE b.id = $1 FOR UPDATE`, id)
}

// BookingActiveForSlot returns the active booking of a slot (not found when free).
func (s *Store) BookingActiveForSlot(ctx context.Context, slotID int64) (expodesk.Booking, error) {
	return one[expodesk.Booking](ctx, s.db, "get slot's booking",
		`SELECT `+bookingColumns+` FROM booking b WHERE b.slot_id = $1 AND b.status = 'active'`, slotID)
}

// BookingSetTexts replaces an active booking's titles and abstracts.
func (s *Store) BookingSetTexts(ctx context.Context, id int64, t expodesk.BookingText) (expodesk.Booking, error) {
	return one[expodesk.Booking](ctx, s.db, "set booking texts",
		`UPDATE booking b SET titles = $2, abstracts = $3 WHERE b.id = $1 AND b.status = 'active'
		RETURNING `+bookingColumns, id, t.Titles, t.Abstracts)
}

// BookingCancel cancels an active booking; the slot is free again at once.
func (s *Store) BookingCancel(ctx context.Context, id int64, by *int64) (expodesk.Booking, error) {
	return one[expodesk.Booking](ctx, s.db, "cancel booking",
		`UPDATE booking b SET status = 'cancelled', cancelled_at = $2, cancelled_by = $3
		WHERE b.id = $1 AND b.status = 'active' RETURNING `+bookingColumns, id, s.now(), by)
}

// BookingCountActive counts a company's active bookings at an expo on the
// stages that the rules of rulePavilion govern: that pavilion's stages when
// it has rules of its own (rulePavilion set), else the expo's other stages
// (expo-wide ones and those of pavilions without rules of their own).
func (s *Store) BookingCountActive(ctx context.Context, exhibitorID, expoID int64, rulePavilion *int64) (int, error) {
	var n int
	err := s.db.QueryRow(ctx,
		`SELECT count(*) FROM booking b JOIN slot sl ON sl.id = b.slot_id JOIN stage st ON st.id = sl.stage_id
		WHERE b.exhibitor_id = $1 AND b.status = 'active' AND st.expo_id = $2
		  AND CASE WHEN $3::bigint IS NULL
		           THEN st.pavilion_id IS NULL OR NOT EXISTS (SELECT 1 FROM pavilion_booking_rule r WHERE r.pavilion_id = st.pavilion_id)
		           ELSE st.pavilion_id = $3 END`, exhibitorID, expoID, rulePavilion).Scan(&n)
	return n, translate(err, "count active bookings")
}

// BookingOverlaps reports whether the company holds an active booking of a
// slot overlapping [start, end) on any stage.
func (s *Store) BookingOverlaps(ctx context.Context, exhibitorID int64, start, end time.Time) (bool, error) {
	var yes bool
	err := s.db.QueryRow(ctx,
		`SELECT EXISTS (SELECT 1 FROM booking b WHERE b.exhibitor_id = $1 AND b.status = 'active'
		AND b.during && tstzrange($2, $3))`, exhibitorID, start, end).Scan(&yes)
	return yes, translate(err, "check overlapping bookings")
}

// BookingsOfExhibitor lists a company's bookings, active ones first and
// soonest first (expoID 0: at every expo).
func (s *Store) BookingsOfExhibitor(ctx context.Context, exhibitorID, expoID int64) ([]expodesk.BookingRow, error) {
	return collect[expodesk.BookingRow](ctx, s.db, "list company's bookings",
		`SELECT b.id, b.slot_id, ex.id AS expo_id, ex.slug AS expo_slug, ex.name AS expo_name,
			ex.time_zone AS expo_time_zone, sl.starts_at, sl.ends_at, st.name AS stage_name,
			st.location AS stage_location, st.pavilion_id, b.titles, b.abstracts, b.status
		FROM booking b JOIN slot sl ON sl.id = b.slot_id JOIN stage st ON st.id = sl.stage_id
		JOIN expo ex ON ex.id = st.expo_id
		WHERE b.exhibitor_id = $1 AND ($2 = 0 OR ex.id = $2) AND b.status IN ('active', 'cancelled')
		ORDER BY b.status = 'active' DESC, sl.starts_at, b.id`, exhibitorID, expoID)
}

// BookingRowOfExhibitor returns one of a company's bookings; another
// company's is not found.
func (s *Store) BookingRowOfExhibitor(ctx context.Context, exhibitorID, id int64) (expodesk.BookingRow, error) {
	return one[expodesk.BookingRow](ctx, s.db, "get company's booking",
		`SELECT b.id, b.slot_id, ex.id AS expo_id, ex.slug AS expo_slug, ex.name AS expo_name,
			ex.time_zone AS expo_time_zone, sl.starts_at, sl.ends_at, st.name AS stage_name,
			st.location AS stage_location, st.pavilion_id, b.titles, b.abstracts, b.status
		FROM booking b JOIN slot sl ON sl.id = b.slot_id JOIN stage st ON st.id = sl.stage_id
		JOIN expo ex ON ex.id = st.expo_id
		WHERE b.exhibitor_id = $1 AND b.id = $2`, exhibitorID, id)
}

// BookableSlotGet returns a slot with its stage's expo and pavilion.
func (s *Store) BookableSlotGet(ctx context.Context, id int64) (expodesk.BookableSlot, error) {
	return one[expodesk.BookableSlot](ctx, s.db, "get slot for booking",
		`SELECT sl.id, sl.stage_id, st.expo_id, st.pavilion_id, sl.starts_at, sl.ends_at, sl.blocked
		FROM slot sl JOIN stage st ON st.id = sl.stage_id WHERE sl.id = $1`, id)
}

const freeSlotSelect = `SELECT sl.id AS slot_id, sl.starts_at, sl.ends_at, st.id AS stage_id, st.name AS stage_name,
	st.location AS stage_location, st.pavilion_id, coalesce(pv.name, '{}') AS pavilion_name
FROM slot sl JOIN stage st ON st.id = sl.stage_id LEFT JOIN pavilion pv ON pv.id = st.pavilion_id
WHERE st.expo_id = $1 AND NOT sl.blocked AND sl.starts_at > $2
  AND NOT EXISTS (SELECT 1 FROM booking b WHERE b.slot_id = sl.id AND b.status IN ('active', 'offered'))
  -- Nor one at the time of a slot the company holds: it could not book it.
  AND NOT EXISTS (SELECT 1 FROM booking b WHERE b.exhibitor_id = $3 AND b.status = 'active'
                  AND b.during && tstzrange(sl.starts_at, sl.ends_at)) `

// FreeSlots lists an expo's slots that the company could book now: not
// blocked, not started, not booked, not at the time of one it holds; in
// time order, stage by stage.
func (s *Store) FreeSlots(ctx context.Context, expoID, exhibitorID int64) ([]expodesk.FreeSlot, error) {
	return collect[expodesk.FreeSlot](ctx, s.db, "list free slots",
		freeSlotSelect+`ORDER BY sl.starts_at, st.position, st.id`, expoID, s.now(), exhibitorID)
}

// FreeSlotsNear lists at most limit of the free slots FreeSlots would
// list, those starting nearest to at first: the choice offered to a
// company that lost a slot to another.
func (s *Store) FreeSlotsNear(ctx context.Context, expoID, exhibitorID int64, at time.Time, limit int) ([]expodesk.FreeSlot, error) {
	return collect[expodesk.FreeSlot](ctx, s.db, "list free slots near",
		freeSlotSelect+`ORDER BY abs(extract(epoch FROM sl.starts_at - $4::timestamptz)), sl.starts_at, st.position, st.id
		LIMIT $5`, expoID, s.now(), exhibitorID, at, limit)
}

// ParticipationLockForBooking returns a company's participation at an
// expo, locked until the transaction ends. Every booking and cancellation
// of the company at the expo takes this lock first, so that its quota and
// its overlaps are checked against bookings no other instance is changing.
func (s *Store) ParticipationLockForBooking(ctx context.Context, exhibitorID, expoID int64) (expodesk.Participation, error) {
	return one[expodesk.Participation](ctx, s.db, "lock participation for booking",
		`SELECT `+participationColumns+` FROM participation p WHERE p.exhibitor_id = $1 AND p.expo_id = $2 FOR UPDATE`,
		exhibitorID, expoID)
}

// ApprovedExposOf lists the expos where a company's participation is approved, soonest first.
func (s *Store) ApprovedExposOf(ctx context.Context, exhibitorID int64) ([]expodesk.Expo, error) {
	return collect[expodesk.Expo](ctx, s.db, "list company's approved expos",
		`SELECT `+expoColumns+` FROM expo e JOIN participation p ON p.expo_id = e.id
		WHERE p.exhibitor_id = $1 AND p.status = 'approved' AND e.archived_at IS NULL
		ORDER BY e.first_day, e.id`, exhibitorID)
}

// BookingOwner returns whose booking id is and at which expo (unlocked).
func (s *Store) BookingOwner(ctx context.Context, id int64) (expodesk.BookingOwner, error) {
	return one[expodesk.BookingOwner](ctx, s.db, "get booking owner",
		`SELECT b.exhibitor_id, st.expo_id FROM booking b JOIN slot sl ON sl.id = b.slot_id
		JOIN stage st ON st.id = sl.stage_id WHERE b.id = $1`, id)
}
