package postgres

import (
	"context"
	"time"

	"expodesk/internal/expodesk"
)

// agendaColumns are an AgendaItem's columns over the aliases of
// agendaSelect: slot sl, stage st, expo ex, pavilion pv, booking b and the
// presenting exhibitor x (NULL unless approved at the expo).
const agendaColumns = `sl.id AS slot_id, ex.slug AS expo_slug, ex.name AS expo_name,
	ex.time_zone AS expo_time_zone, sl.starts_at, sl.ends_at, sl.blocked, sl.label,
	st.id AS stage_id, st.slug AS stage_slug, st.name AS stage_name, st.location AS stage_location,
	st.pavilion_id, coalesce(pv.slug, '') AS pavilion_slug, coalesce(pv.name, '{}') AS pavilion_name,
	b.id AS booking_id,
	CASE WHEN x.id IS NULL THEN '' ELSE b.title END AS title,
	CASE WHEN x.id IS NULL THEN '' ELSE b.abstract END AS abstract,
	coalesce(b.lang, 'en') AS title_lang,
	CASE WHEN x.id IS NULL THEN '{}' ELSE b.titles END AS titles,
	CASE WHEN x.id IS NULL THEN '{}' ELSE b.abstracts END AS abstracts,
	x.id AS exhibitor_id, coalesce(x.slug, '') AS exhibitor_slug, coalesce(x.name, '{}') AS exhibitor_name,
	coalesce(x.legal_name, '') AS exhibitor_legal_name`

// agendaStage joins a slot's stage, expo and pavilion.
const agendaStage = `JOIN stage st ON st.id = sl.stage_id
JOIN expo ex ON ex.id = st.expo_id
LEFT JOIN pavilion pv ON pv.id = st.pavilion_id `

// agendaPresenter joins booking b's exhibitor when visitors may see it.
// Only an exhibitor approved at the expo is shown: a withdrawn company's
// booking keeps its slot taken but says nothing about who holds it.
const agendaPresenter = `LEFT JOIN exhibitor x ON x.id = b.exhibitor_id AND EXISTS (
	SELECT 1 FROM participation pp WHERE pp.exhibitor_id = b.exhibitor_id AND pp.expo_id = st.expo_id AND pp.status = 'approved') `

const agendaSelect = `SELECT ` + agendaColumns + ` FROM slot sl ` + agendaStage +
	`LEFT JOIN booking b ON b.slot_id = sl.id AND b.status = 'active' ` + agendaPresenter

// Agenda returns an expo's roadshow slots (optionally one pavilion's) in
// time order, stage by stage.
func (s *Store) Agenda(ctx context.Context, expoID, pavilionID int64) ([]expodesk.AgendaItem, error) {
	return collect[expodesk.AgendaItem](ctx, s.db, "list agenda", agendaSelect+
		`WHERE st.expo_id = $1 AND ($2 = 0 OR st.pavilion_id = $2)
		ORDER BY sl.starts_at, st.position, st.id`, expoID, pavilionID)
}

// AgendaByExhibitor returns the slots an exhibitor presents in, across expos.
func (s *Store) AgendaByExhibitor(ctx context.Context, exhibitorID int64) ([]expodesk.AgendaItem, error) {
	return collect[expodesk.AgendaItem](ctx, s.db, "list exhibitor agenda", agendaByExhibitor(`$1`), exhibitorID)
}

// agendaByExhibitor selects the slots the exhibitor whose id the SQL
// expression id gives presents in.
func agendaByExhibitor(id string) string {
	return agendaSelect + `WHERE b.exhibitor_id = ` + id + ` AND x.id IS NOT NULL ORDER BY sl.starts_at, st.id`
}

// calendarSelect reads calendar entries from ev(slot_id, booking_id): the
// bookings still worth telling calendars about — active ones, and
// cancelled ones whose slot has not ended (a waitlist offer not yet
// accepted, or one that lapsed, was never public and is not one) — and, where ev names no
// booking, the slot itself.
const calendarSelect = `SELECT ` + agendaColumns + `,
	coalesce(b.status = 'cancelled', false) AS cancelled,
	coalesce(b.sequence, sl.sequence) AS sequence,
	coalesce(b.created_at, sl.created_at) AS created_at,
	coalesce(b.updated_at, sl.updated_at) AS modified_at
FROM ev JOIN slot sl ON sl.id = ev.slot_id ` + agendaStage +
	`LEFT JOIN booking b ON b.id = ev.booking_id ` + agendaPresenter

// Calendar returns the events of an expo's feed (optionally one
// pavilion's) as of now: presented bookings, cancelled ones until their
// slot ends, and blocked slots with a label, in time order.
func (s *Store) Calendar(ctx context.Context, expoID, pavilionID int64, now time.Time) ([]expodesk.CalendarEntry, error) {
	return collect[expodesk.CalendarEntry](ctx, s.db, "list calendar",
		`WITH here AS (SELECT es.id, es.ends_at, es.blocked, es.label FROM slot es JOIN stage est ON est.id = es.stage_id
			WHERE est.expo_id = $2 AND ($3 = 0 OR est.pavilion_id = $3)),
		ev AS (SELECT b.slot_id, b.id AS booking_id FROM booking b JOIN here ON here.id = b.slot_id
			WHERE b.status = 'active' OR (b.status = 'cancelled' AND here.ends_at > $1)
			UNION ALL SELECT id, NULL FROM here WHERE blocked AND label <> '{}')
		`+calendarSelect+`
		WHERE b.id IS NULL OR x.id IS NOT NULL
		ORDER BY sl.starts_at, st.position, st.id, b.id`, now, expoID, pavilionID)
}

// CalendarByExhibitor returns the events of an exhibitor's feed as of now,
// across expos: its presented bookings, cancelled ones until their slot ends.
func (s *Store) CalendarByExhibitor(ctx context.Context, exhibitorID int64, now time.Time) ([]expodesk.CalendarEntry, error) {
	return collect[expodesk.CalendarEntry](ctx, s.db, "list exhibitor calendar",
		`WITH ev AS (SELECT b.slot_id, b.id AS booking_id FROM booking b JOIN slot bs ON bs.id = b.slot_id
			WHERE b.exhibitor_id = $2 AND (b.status = 'active' OR (b.status = 'cancelled' AND bs.ends_at > $1)))
		`+calendarSelect+`
		WHERE x.id IS NOT NULL ORDER BY sl.starts_at, st.id, b.id`, now, exhibitorID)
}

// StageList returns the stages of an expo in display order.
func (s *Store) StageList(ctx context.Context, expoID int64) ([]expodesk.Stage, error) {
	return collect[expodesk.Stage](ctx, s.db, "list stages",
		`SELECT id, expo_id, pavilion_id, slug, name, location, position FROM stage
		WHERE expo_id = $1 ORDER BY position, id`, expoID)
}

// StageCreate inserts a stage.
func (s *Store) StageCreate(ctx context.Context, st expodesk.Stage) (expodesk.Stage, error) {
	if err := st.Validate(); err != nil {
		return st, err
	}
	return one[expodesk.Stage](ctx, s.db, "create stage",
		`INSERT INTO stage (expo_id, pavilion_id, slug, name, location, position) VALUES ($1, $2, $3, $4, $5, $6)
		RETURNING id, expo_id, pavilion_id, slug, name, location, position`,
		st.ExpoID, st.PavilionID, st.Slug, st.Name, st.Location, st.Position)
}

// SlotCreate inserts a slot; an overlap with another slot of the stage is a conflict.
func (s *Store) SlotCreate(ctx context.Context, sl expodesk.Slot) (expodesk.Slot, error) {
	return one[expodesk.Slot](ctx, s.db, "create slot",
		`INSERT INTO slot (stage_id, starts_at, ends_at, blocked) VALUES ($1, $2, $3, $4)
		RETURNING id, stage_id, starts_at, ends_at, blocked`, sl.StageID, sl.StartsAt, sl.EndsAt, sl.Blocked)
}
