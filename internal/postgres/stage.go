package postgres

import (
	"context"

	"expodesk/internal/expodesk"
)

const stageColumns = `st.id, st.expo_id, st.pavilion_id, st.slug, st.name, st.location, st.position`

// StageGet returns the stage with the given id.
func (s *Store) StageGet(ctx context.Context, id int64) (expodesk.Stage, error) {
	return one[expodesk.Stage](ctx, s.db, "get stage",
		`SELECT `+stageColumns+` FROM stage st WHERE st.id = $1`, id)
}

// StageListScoped returns the stages of an expo in display order; a
// pavilionID other than 0 keeps that pavilion's only (a coordinator's).
func (s *Store) StageListScoped(ctx context.Context, expoID, pavilionID int64) ([]expodesk.Stage, error) {
	return collect[expodesk.Stage](ctx, s.db, "list stages",
		`SELECT `+stageColumns+` FROM stage st
		WHERE st.expo_id = $1 AND ($2 = 0 OR st.pavilion_id = $2) ORDER BY st.position, st.id`, expoID, pavilionID)
}

// StageUpdate replaces the editable fields of stage st.ID (its expo stays)
// and returns it as stored.
func (s *Store) StageUpdate(ctx context.Context, st expodesk.Stage) (expodesk.Stage, error) {
	if err := st.Validate(); err != nil {
		return st, err
	}
	return one[expodesk.Stage](ctx, s.db, "update stage",
		`UPDATE stage st SET pavilion_id = $2, slug = $3, name = $4, location = $5, position = $6
		WHERE st.id = $1 RETURNING `+stageColumns,
		st.ID, st.PavilionID, st.Slug, st.Name, st.Location, st.Position)
}

// StageLockForDelete locks the stage's slots against new bookings (a
// booking's foreign key check waits on the lock) and returns how many of
// them hold an active booking. Call it inside Tx, before StageDelete, so
// that no booking made meanwhile is deleted with the stage.
func (s *Store) StageLockForDelete(ctx context.Context, id int64) (int, error) {
	if _, err := s.db.Exec(ctx, `SELECT 1 FROM stage WHERE id = $1 FOR UPDATE`, id); err != nil {
		return 0, translate(err, "lock stage")
	}
	if _, err := s.db.Exec(ctx, `SELECT 1 FROM slot WHERE stage_id = $1 FOR UPDATE`, id); err != nil {
		return 0, translate(err, "lock stage slots")
	}
	var n int
	err := s.db.QueryRow(ctx, `SELECT count(*) FROM booking b JOIN slot sl ON sl.id = b.slot_id
		WHERE sl.stage_id = $1 AND b.status = 'active'`, id).Scan(&n)
	return n, translate(err, "count stage bookings")
}

// StageDelete deletes a stage with its slots (and their cancelled bookings
// and waitlists). The caller has checked, under StageLockForDelete, that no
// active booking holds one of its slots.
func (s *Store) StageDelete(ctx context.Context, id int64) error {
	tag, err := s.db.Exec(ctx, `DELETE FROM stage WHERE id = $1`, id)
	if err != nil {
		return translate(err, "delete stage")
	}
	if tag.RowsAffected() == 0 {
		return expodesk.ErrNotFound
	}
	return nil
}
