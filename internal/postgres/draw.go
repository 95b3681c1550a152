package postgres

import (
	"context"
	"time"

	"expodesk/internal/expodesk"
)

// drawRow is a draw's settings row joined with its run, if any.
type drawRow struct {
	ID           int64
	ExpoID       int64
	PavilionID   *int64
	OpensAt      time.Time
	ClosesAt     time.Time
	MaxChoices   int
	Seed         []byte
	DrawnAt      *time.Time
	Participants *int
}

func (r drawRow) draw() expodesk.Draw {
	d := expodesk.Draw{ID: r.ID, ExpoID: r.ExpoID, PavilionID: r.PavilionID, OpensAt: r.OpensAt, ClosesAt: r.ClosesAt,
		MaxChoices: r.MaxChoices}
	if r.DrawnAt != nil {
		d.Run = &expodesk.DrawRun{Seed: r.Seed, DrawnAt: *r.DrawnAt}
		if r.Participants != nil {
			d.Run.Participants = *r.Participants
		}
	}
	return d
}

const drawSelect = `SELECT d.id, d.expo_id, d.pavilion_id, d.opens_at, d.closes_at, d.max_choices,
	r.seed, r.drawn_at, r.participants
FROM slot_draw d LEFT JOIN slot_draw_run r ON r.draw_id = d.id `

func (s *Store) oneDraw(ctx context.Context, what, sql string, args ...any) (expodesk.Draw, error) {
	r, err := one[drawRow](ctx, s.db, what, sql, args...)
	return r.draw(), err
}

// DrawFor returns the draw of a booking scope: an expo's own (pavilionID
// nil) or a pavilion's; not found when the scope has none.
func (s *Store) DrawFor(ctx context.Context, expoID int64, pavilionID *int64) (expodesk.Draw, error) {
	return s.oneDraw(ctx, "get scope's draw",
		drawSelect+`WHERE d.expo_id = $1 AND d.pavilion_id IS NOT DISTINCT FROM $2`, expoID, pavilionID)
}

// DrawGet returns draw id.
func (s *Store) DrawGet(ctx context.Context, id int64) (expodesk.Draw, error) {
	return s.oneDraw(ctx, "get draw", drawSelect+`WHERE d.id = $1`, id)
}

// DrawLock returns draw id with its settings row locked until the
// transaction ends: the run and every change of its settings take it, so
// that two runs at once happen one after the other.
func (s *Store) DrawLock(ctx context.Context, id int64) (expodesk.Draw, error) {
	return s.oneDraw(ctx, "lock draw", drawSelect+`WHERE d.id = $1 FOR UPDATE OF d`, id)
}

// DrawsOfExpo lists an expo's draws, the expo's own first.
func (s *Store) DrawsOfExpo(ctx context.Context, expoID int64) ([]expodesk.Draw, error) {
	rows, err := collect[drawRow](ctx, s.db, "list expo's draws",
		drawSelect+`WHERE d.expo_id = $1 ORDER BY d.pavilion_id NULLS FIRST`, expoID)
	out := make([]expodesk.Draw, len(rows))
	for i, r := range rows {
		out[i] = r.draw()
	}
	return out, err
}

// DrawSet sets up a scope's draw or replaces its settings.
func (s *Store) DrawSet(ctx context.Context, d expodesk.Draw) (expodesk.Draw, error) {
	var id int64
	err := s.db.QueryRow(ctx,
		`INSERT INTO slot_draw (expo_id, pavilion_id, opens_at, closes_at, max_choices) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (expo_id, coalesce(pavilion_id, 0)) DO UPDATE SET opens_at = EXCLUDED.opens_at,
			closes_at = EXCLUDED.closes_at, max_choices = EXCLUDED.max_choices, updated_at = now()
		RETURNING id`, d.ExpoID, d.PavilionID, d.OpensAt, d.ClosesAt, d.MaxChoices).Scan(&id)
	if err != nil {
		return d, translate(err, "set draw")
	}
	return s.DrawGet(ctx, id)
}

// DrawDelete removes a draw that has not run, with its rankings.
func (s *Store) DrawDelete(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, `DELETE FROM slot_draw d WHERE d.id = $1
		AND NOT EXISTS (SELECT 1 FROM slot_draw_run r WHERE r.draw_id = d.id)`, id)
	return translate(err, "delete draw")
}

// scopeStages is the condition on stage st of the stages that the rules of
// pavilion $4 govern (NULL: the expo's own rules), as BookingCountActive.
const scopeStages = ` AND CASE WHEN $4::bigint IS NULL
	THEN st.pavilion_id IS NULL OR NOT EXISTS (SELECT 1 FROM pavilion_booking_rule r WHERE r.pavilion_id = st.pavilion_id)
	ELSE st.pavilion_id = $4 END `

// DrawFreeSlots lists the slots a draw of a scope may allocate now: free,
// not blocked, not started, on the scope's stages; in time order.
func (s *Store) DrawFreeSlots(ctx context.Context, expoID int64, pavilionID *int64) ([]expodesk.FreeSlot, error) {
	return collect[expodesk.FreeSlot](ctx, s.db, "list draw's free slots",
		freeSlotSelect+scopeStages+`ORDER BY sl.starts_at, st.position, st.id`, expoID, s.now(), int64(0), pavilionID)
}

const drawRequestSelect = `SELECT q.id, q.draw_id, q.exhibitor_id, q.updated_at,
	coalesce((SELECT array_agg(c.slot_id ORDER BY c.rank) FROM slot_draw_choice c WHERE c.request_id = q.id), '{}') AS choices
FROM slot_draw_request q `

// DrawRequestOf returns a company's ranking in a draw (not found: none).
func (s *Store) DrawRequestOf(ctx context.Context, drawID, exhibitorID int64) (expodesk.DrawRequest, error) {
	return one[expodesk.DrawRequest](ctx, s.db, "get company's ranking",
		drawRequestSelect+`WHERE q.draw_id = $1 AND q.exhibitor_id = $2`, drawID, exhibitorID)
}

// DrawRequestGet returns ranking id.
func (s *Store) DrawRequestGet(ctx context.Context, id int64) (expodesk.DrawRequest, error) {
	return one[expodesk.DrawRequest](ctx, s.db, "get ranking", drawRequestSelect+`WHERE q.id = $1`, id)
}

// DrawRequests lists a draw's rankings by company id.
func (s *Store) DrawRequests(ctx context.Context, drawID int64) ([]expodesk.DrawRequest, error) {
	return collect[expodesk.DrawRequest](ctx, s.db, "list rankings", drawRequestSelect+`WHERE q.draw_id = $1 ORDER BY q.exhibitor_id`, drawID)
}

// DrawRequestSet replaces a company's ranking in a draw with choices.
func (s *Store) DrawRequestSet(ctx context.Context, drawID, exhibitorID int64, choices []int64) (expodesk.DrawRequest, error) {
	var id int64
	err := s.db.QueryRow(ctx, `INSERT INTO slot_draw_request (draw_id, exhibitor_id) VALUES ($1, $2)
		ON CONFLICT (draw_id, exhibitor_id) DO UPDATE SET updated_at = now() RETURNING id`, drawID, exhibitorID).Scan(&id)
	if err != nil {
		return expodesk.DrawRequest{}, translate(err, "set ranking")
	}
	if _, err := s.db.Exec(ctx, `DELETE FROM slot_draw_choice WHERE request_id = $1`, id); err != nil {
		return expodesk.DrawRequest{}, translate(err, "clear ranking")
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO slot_draw_choice (request_id, rank, slot_id)
		SELECT $1, r, slot FROM unnest($2::bigint[]) WITH ORDINALITY AS c(slot, r)`, id, choices); err != nil {
		return expodesk.DrawRequest{}, translate(err, "write ranking")
	}
	return s.DrawRequestGet(ctx, id)
}

// DrawRequestDelete withdraws ranking id.
func (s *Store) DrawRequestDelete(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, `DELETE FROM slot_draw_request WHERE id = $1`, id)
	return translate(err, "withdraw ranking")
}

// DrawBusy returns the times of a company's active bookings on any stage.
func (s *Store) DrawBusy(ctx context.Context, exhibitorID int64) ([]expodesk.DrawSlot, error) {
	return collect[expodesk.DrawSlot](ctx, s.db, "list company's booked times",
		`SELECT sl.id, sl.starts_at, sl.ends_at FROM booking b JOIN slot sl ON sl.id = b.slot_id
		WHERE b.exhibitor_id = $1 AND b.status = 'active' ORDER BY sl.starts_at`, exhibitorID)
}

// DrawRunCreate records that draw drawID ran with run; a second run is
// ErrDrawAlreadyRun (the primary key decides two at once).
func (s *Store) DrawRunCreate(ctx context.Context, drawID int64, run expodesk.DrawRun, by *int64) error {
	_, err := s.db.Exec(ctx, `INSERT INTO slot_draw_run (draw_id, seed, drawn_at, drawn_by, participants)
		VALUES ($1, $2, $3, $4, $5)`, drawID, run.Seed, run.DrawnAt, by, run.Participants)
	return translate(err, "record draw run")
}

// DrawEntryCreate records one participant's result.
func (s *Store) DrawEntryCreate(ctx context.Context, drawID int64, e expodesk.DrawEntryRecord) error {
	_, err := s.db.Exec(ctx, `INSERT INTO slot_draw_entry (draw_id, exhibitor_id, position, choices) VALUES ($1, $2, $3, $4)`,
		drawID, e.ExhibitorID, e.Position, e.Choices)
	return translate(err, "record draw entry")
}

// DrawEntries lists a run draw's results in draw order, with each company's name.
func (s *Store) DrawEntries(ctx context.Context, drawID int64) ([]expodesk.DrawEntryRecord, error) {
	return collect[expodesk.DrawEntryRecord](ctx, s.db, "list draw entries",
		`SELECT e.exhibitor_id, e.position, e.choices, x.name AS company, x.slug AS company_slug
		FROM slot_draw_entry e JOIN exhibitor x ON x.id = e.exhibitor_id
		WHERE e.draw_id = $1 ORDER BY e.position`, drawID)
}
