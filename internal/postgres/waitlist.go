package postgres

import (
	"context"
	"time"

	"expodesk/internal/expodesk"
)

// Waitlists of booked slots and the offers made from them. The service
// decides who may join and who gets a freed slot; the store keeps the line
// in the order it is served (created_at, then id) and holds an offered slot
// as a booking with status 'offered', which the one-booking-per-slot index
// covers.

const waitlistColumns = `w.id, w.slot_id, w.exhibitor_id, w.titles, w.abstracts, w.created_at`

// WaitlistEntryCreate puts a company at the end of a slot's line. A
// company already in it is ErrWaitlistJoined.
func (s *Store) WaitlistEntryCreate(ctx context.Context, e expodesk.WaitlistEntry, by *int64) (expodesk.WaitlistEntry, error) {
	return one[expodesk.WaitlistEntry](ctx, s.db, "join waitlist",
		`INSERT INTO waitlist_entry AS w (slot_id, exhibitor_id, titles, abstracts, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+waitlistColumns,
		e.SlotID, e.ExhibitorID, e.Titles, e.Abstracts, by, s.now())
}

// WaitlistEntryOf returns a company's place in a slot's line (not found: it does not wait).
func (s *Store) WaitlistEntryOf(ctx context.Context, slotID, exhibitorID int64) (expodesk.WaitlistEntry, error) {
	return one[expodesk.WaitlistEntry](ctx, s.db, "get waitlist entry",
		`SELECT `+waitlistColumns+` FROM waitlist_entry w WHERE w.slot_id = $1 AND w.exhibitor_id = $2`, slotID, exhibitorID)
}

// WaitlistEntryGetForUpdate returns entry id locked until the transaction ends.
func (s *Store) WaitlistEntryGetForUpdate(ctx context.Context, id int64) (expodesk.WaitlistEntry, error) {
	return one[expodesk.WaitlistEntry](ctx, s.db, "lock waitlist entry",
		`SELECT `+waitlistColumns+` FROM waitlist_entry w WHERE w.id = $1 FOR UPDATE`, id)
}

// WaitlistEntryDelete takes an entry out of its line.
func (s *Store) WaitlistEntryDelete(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, `DELETE FROM waitlist_entry WHERE id = $1`, id)
	return translate(err, "delete waitlist entry")
}

// WaitlistLineForUpdate returns a slot's line in the order it is served,
// every entry locked until the transaction ends (a company leaving waits).
func (s *Store) WaitlistLineForUpdate(ctx context.Context, slotID int64) ([]expodesk.WaitlistEntry, error) {
	return collect[expodesk.WaitlistEntry](ctx, s.db, "lock waitlist line",
		`SELECT `+waitlistColumns+` FROM waitlist_entry w WHERE w.slot_id = $1 ORDER BY w.created_at, w.id FOR UPDATE`, slotID)
}

// WaitlistOfExhibitor lists a company's places in line for slots that
// have not started, soonest first, each with its position (1: next).
func (s *Store) WaitlistOfExhibitor(ctx context.Context, exhibitorID int64) ([]expodesk.WaitlistRow, error) {
	return collect[expodesk.WaitlistRow](ctx, s.db, "list company's waitlist",
		`SELECT w.id, w.slot_id, ex.id AS expo_id, ex.slug AS expo_slug, ex.name AS expo_name,
			ex.time_zone AS expo_time_zone, sl.starts_at, sl.ends_at, st.name AS stage_name,
			(SELECT count(*) FROM waitlist_entry o WHERE o.slot_id = w.slot_id
			   AND (o.created_at, o.id) <= (w.created_at, w.id))::int AS position
		FROM waitlist_entry w JOIN slot sl ON sl.id = w.slot_id JOIN stage st ON st.id = sl.stage_id
		JOIN expo ex ON ex.id = st.expo_id
		WHERE w.exhibitor_id = $1 AND sl.starts_at > $2
		ORDER BY sl.starts_at, w.id`, exhibitorID, s.now())
}

// TakenSlots lists an expo's slots, not blocked and not started, that
// another company holds (booked or on offer): those the company may wait
// for, with its place in each line; in time order, stage by stage.
func (s *Store) TakenSlots(ctx context.Context, expoID, exhibitorID int64) ([]expodesk.TakenSlot, error) {
	return collect[expodesk.TakenSlot](ctx, s.db, "list taken slots",
		`SELECT sl.id AS slot_id, sl.starts_at, sl.ends_at, st.id AS stage_id, st.name AS stage_name,
			coalesce(pv.name, '{}') AS pavilion_name, coalesce(w.id, 0) AS entry_id,
			coalesce((SELECT count(*) FROM waitlist_entry o WHERE o.slot_id = sl.id
			   AND (o.created_at, o.id) <= (w.created_at, w.id)), 0)::int AS position,
			(SELECT count(*) FROM waitlist_entry o WHERE o.slot_id = sl.id)::int AS waiting
		FROM slot sl JOIN stage st ON st.id = sl.stage_id LEFT JOIN pavilion pv ON pv.id = st.pavilion_id
		JOIN booking b ON b.slot_id = sl.id AND b.status IN ('active', 'offered')
		LEFT JOIN waitlist_entry w ON w.slot_id = sl.id AND w.exhibitor_id = $3
		WHERE st.expo_id = $1 AND NOT sl.blocked AND sl.starts_at > $2 AND b.exhibitor_id <> $3
		ORDER BY sl.starts_at, st.position, st.id`, expoID, s.now(), exhibitorID)
}

// BookingHeldForSlot returns the booking that holds a slot, active or on
// offer (not found when free).
func (s *Store) BookingHeldForSlot(ctx context.Context, slotID int64) (expodesk.Booking, error) {
	return one[expodesk.Booking](ctx, s.db, "get slot's holder",
		`SELECT `+bookingColumns+` FROM booking b WHERE b.slot_id = $1 AND b.status IN ('active', 'offered')`, slotID)
}

// BookingOfferCreate holds a slot for a company from its waitlist until
// until. A slot another booking holds is ErrSlotTaken.
func (s *Store) BookingOfferCreate(ctx context.Context, b expodesk.Booking, until time.Time) (expodesk.Booking, error) {
	return one[expodesk.Booking](ctx, s.db, "offer slot",
		`INSERT INTO booking AS b (slot_id, exhibitor_id, titles, abstracts, status, offered_until)
		VALUES ($1, $2, $3, $4, 'offered', $5) RETURNING `+bookingColumns,
		b.SlotID, b.ExhibitorID, b.Titles, b.Abstracts, until)
}

const offerHoldColumns = `b.id, b.slot_id, b.exhibitor_id, b.status, b.offered_until`

// BookingOfferGetForUpdate returns booking id, as an offer, locked until
// the transaction ends.
func (s *Store) BookingOfferGetForUpdate(ctx context.Context, id int64) (expodesk.OfferHold, error) {
	return one[expodesk.OfferHold](ctx, s.db, "lock offer",
		`SELECT `+offerHoldColumns+` FROM booking b WHERE b.id = $1 FOR UPDATE`, id)
}

// BookingOfferDue returns one offer that has run out at now, locked; one
// another instance is working on is passed over (not found: none is due).
func (s *Store) BookingOfferDue(ctx context.Context, now time.Time) (expodesk.OfferHold, error) {
	return one[expodesk.OfferHold](ctx, s.db, "find an expired offer",
		`SELECT `+offerHoldColumns+` FROM booking b WHERE b.status = 'offered' AND b.offered_until <= $1
		ORDER BY b.offered_until, b.id LIMIT 1 FOR UPDATE SKIP LOCKED`, now)
}

// BookingOfferAccept turns an offer into an active booking. A time the
// company is elsewhere meanwhile is ErrBookingOverlap.
func (s *Store) BookingOfferAccept(ctx context.Context, id int64, by *int64) (expodesk.Booking, error) {
	return one[expodesk.Booking](ctx, s.db, "accept offer",
		`UPDATE booking b SET status = 'active', offered_until = NULL, created_by = $2
		WHERE b.id = $1 AND b.status = 'offered' RETURNING `+bookingColumns, id, by)
}

// BookingOfferLapse ends an offer unaccepted; the slot is free again.
func (s *Store) BookingOfferLapse(ctx context.Context, id int64, by *int64) (expodesk.Booking, error) {
	return one[expodesk.Booking](ctx, s.db, "lapse offer",
		`UPDATE booking b SET status = 'lapsed', cancelled_by = $2
		WHERE b.id = $1 AND b.status = 'offered' RETURNING `+bookingColumns, id, by)
}

const offerRowSelect = `SELECT b.id, b.slot_id, ex.id AS expo_id, ex.slug AS expo_slug, ex.name AS expo_name,
	ex.time_zone AS expo_time_zone, sl.starts_at, sl.ends_at, st.name AS stage_name,
	st.location AS stage_location, st.pavilion_id, b.titles, b.abstracts, b.status, b.offered_until
FROM booking b JOIN slot sl ON sl.id = b.slot_id JOIN stage st ON st.id = sl.stage_id
JOIN expo ex ON ex.id = st.expo_id `

// OffersOfExhibitor lists the slots on offer to a company that have not
// run out at now, soonest first.
func (s *Store) OffersOfExhibitor(ctx context.Context, exhibitorID int64) ([]expodesk.Offer, error) {
	return collect[expodesk.Offer](ctx, s.db, "list company's offers",
		offerRowSelect+`WHERE b.exhibitor_id = $1 AND b.status = 'offered' AND b.offered_until > $2
		ORDER BY sl.starts_at, b.id`, exhibitorID, s.now())
}

// OfferOfExhibitor returns one of a company's offers, in any status;
// another company's, or a booking never offered, is not found.
func (s *Store) OfferOfExhibitor(ctx context.Context, exhibitorID, id int64) (expodesk.Offer, error) {
	return one[expodesk.Offer](ctx, s.db, "get company's offer",
		offerRowSelect+`WHERE b.exhibitor_id = $1 AND b.id = $2 AND b.status IN ('offered', 'lapsed')`, exhibitorID, id)
}
