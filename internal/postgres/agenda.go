package postgres

import (
	"context"

	"expodesk/internal/expodesk"
)

const agendaSelect = `SELECT sl.id AS slot_id, ex.slug AS expo_slug, ex.name AS expo_name,
	ex.time_zone AS expo_time_zone, sl.starts_at, sl.ends_at, sl.blocked,
	st.id AS stage_id, st.slug AS stage_slug, st.name AS stage_name, st.location AS stage_location,
	st.pavilion_id, coalesce(pv.slug, '') AS pavilion_slug, coalesce(pv.name, '{}') AS pavilion_name,
	b.id AS booking_id,
	CASE WHEN x.id IS NULL THEN '' ELSE b.title END AS title,
	CASE WHEN x.id IS NULL THEN '' ELSE b.abstract END AS abstract,
	coalesce(b.lang, 'en') AS title_lang,
	CASE WHEN x.id IS NULL THEN '{}' ELSE b.titles END AS titles,
	CASE WHEN x.id IS NULL THEN '{}' ELSE b.abstracts END AS abstracts,
	x.id AS exhibitor_id, coalesce(x.slug, '') AS exhibitor_slug, coalesce(x.name, '{}') AS exhibitor_name,
	coalesce(x.legal_name, '') AS exhibitor_legal_name
FROM slot sl
JOIN stage st ON st.id = sl.stage_id
JOIN expo ex ON ex.id = st.expo_id
LEFT JOIN pavilion pv ON pv.id = st.pavilion_id
LEFT JOIN booking b ON b.slot_id = sl.id AND b.status = 'active'
-- Only an exhibitor approved at the expo is shown: a withdrawn company's
-- booking keeps its slot taken but says nothing about who holds it.
LEFT JOIN exhibitor x ON x.id = b.exhibitor_id AND EXISTS (
	SELECT 1 FROM participation pp WHERE pp.exhibitor_id = b.exhibitor_id AND pp.expo_id = st.expo_id AND pp.status = 'approved') `

// Agenda returns an expo's roadshow slots (optionally one pavilion's) in
// time order, stage by stage.
func (s *Store) Agenda(ctx context.Context, expoID, pavilionID int64) ([]expodesk.AgendaItem, error) {
	return collect[expodesk.AgendaItem](ctx, s.db, "list agenda", agendaSelect+
		`WHERE st.expo_id = $1 AND ($2 = 0 OR st.pavilion_id = $2)
		ORDER BY sl.starts_at, st.position, st.id`, expoID, pavilionID)
}

// AgendaByExhibitor returns the slots an exhibitor presents in, across expos.
func (s *Store) AgendaByExhibitor(ctx context.Context, exhibitorID int64) ([]expodesk.AgendaItem, error) {
	return collect[expodesk.AgendaItem](ctx, s.db, "list exhibitor agenda", agendaSelect+
		`WHERE b.exhibitor_id = $1 AND x.id IS NOT NULL ORDER BY sl.starts_at, st.id`, exhibitorID)
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
