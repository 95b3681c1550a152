package postgres

import (
	"context"
	"time"

	"expodesk/internal/expodesk"
)

// Contact is a company's team member that mail about its bookings goes to.
type Contact struct {
	Email string
	Lang  expodesk.Lang
}

// ExhibitorContacts returns the enabled users of company exhibitorID, the
// people told when an organizer changes one of its bookings.
func (s *Store) ExhibitorContacts(ctx context.Context, exhibitorID int64) ([]Contact, error) {
	return collect[Contact](ctx, s.db, "list company contacts",
		`SELECT u.email, u.lang FROM app_user u
		WHERE u.exhibitor_id = $1 AND u.disabled_at IS NULL ORDER BY u.id`, exhibitorID)
}

// BookingCompanyOptions lists the companies an organizer may book a slot
// for at expo expoID: those whose participation there is approved, and for
// a coordinator (pavilionID set) in their pavilion only.
func (s *Store) BookingCompanyOptions(ctx context.Context, expoID, pavilionID int64) ([]ExhibitorOption, error) {
	return collect[ExhibitorOption](ctx, s.db, "list companies to book for",
		`SELECT e.id, e.slug, e.name, e.legal_name FROM exhibitor e JOIN participation p ON p.exhibitor_id = e.id
		WHERE p.expo_id = $1 AND p.status = 'approved' AND ($2 = 0 OR p.pavilion_id = $2)
		ORDER BY lower(coalesce(nullif(e.name->>'en', ''), e.legal_name)), e.id`, expoID, pavilionID)
}

// BookingMove moves active booking id to slot slotID (its time follows by
// trigger). A slot another active booking holds is ErrSlotTaken, a time the
// company is elsewhere ErrBookingOverlap (the constraints decide a race).
func (s *Store) BookingMove(ctx context.Context, id, slotID int64) (expodesk.Booking, error) {
	return one[expodesk.Booking](ctx, s.db, "move booking",
		`UPDATE booking b SET slot_id = $2 WHERE b.id = $1 AND b.status = 'active' RETURNING `+bookingColumns, id, slotID)
}

// BookingOverlapsOther is BookingOverlaps leaving out booking except.
func (s *Store) BookingOverlapsOther(ctx context.Context, exhibitorID, except int64, start, end time.Time) (bool, error) {
	var yes bool
	err := s.db.QueryRow(ctx,
		`SELECT EXISTS (SELECT 1 FROM booking b WHERE b.exhibitor_id = $1 AND b.status = 'active' AND b.id <> $2
		AND b.during && tstzrange($3, $4))`, exhibitorID, except, start, end).Scan(&yes)
	return yes, translate(err, "check overlapping bookings")
}

// AgendaRow is one slot of an expo's agenda export.
type AgendaRow struct {
	StartsAt  time.Time
	EndsAt    time.Time
	StageName expodesk.Text
	Blocked   bool
	Booked    bool
	Company   expodesk.Text
	LegalName string
	Titles    expodesk.Text
}

// AgendaExport lists an expo's slots in time order, stage by stage, with
// the company and titles of each active booking; a coordinator's
// (pavilionID set) on their pavilion's stages only.
func (s *Store) AgendaExport(ctx context.Context, expoID, pavilionID int64) ([]AgendaRow, error) {
	return collect[AgendaRow](ctx, s.db, "export agenda",
		`SELECT sl.starts_at, sl.ends_at, st.name AS stage_name, sl.blocked, b.id IS NOT NULL AS booked,
			coalesce(x.name, '{}') AS company, coalesce(x.legal_name, '') AS legal_name, coalesce(b.titles, '{}') AS titles
		FROM slot sl JOIN stage st ON st.id = sl.stage_id
		LEFT JOIN booking b ON b.slot_id = sl.id AND b.status = 'active'
		LEFT JOIN exhibitor x ON x.id = b.exhibitor_id
		WHERE st.expo_id = $1 AND ($2 = 0 OR st.pavilion_id = $2)
		ORDER BY sl.starts_at, st.position, st.id`, expoID, pavilionID)
}
