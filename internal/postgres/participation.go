package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"expodesk/internal/expodesk"
)

// participationColumns are the columns of expodesk.Participation.
const participationColumns = `p.id, p.expo_id, p.exhibitor_id, p.pavilion_id, p.booth, p.status, p.created_at`

// ParticipationGetByID returns participation id.
func (s *Store) ParticipationGetByID(ctx context.Context, id int64) (expodesk.Participation, error) {
	return one[expodesk.Participation](ctx, s.db, "get participation",
		`SELECT `+participationColumns+` FROM participation p WHERE p.id = $1`, id)
}

// ParticipationGetForUpdate returns participation id locked until the
// transaction ends, so that a decision is taken on the status it checked.
func (s *Store) ParticipationGetForUpdate(ctx context.Context, id int64) (expodesk.Participation, error) {
	return one[expodesk.Participation](ctx, s.db, "lock participation",
		`SELECT `+participationColumns+` FROM participation p WHERE p.id = $1 FOR UPDATE`, id)
}

// ParticipationSetStatus moves a participation to status, only if it is
// still in status from (what the caller checked); a decision (approved,
// rejected) records when it was taken. An approved booth another approved
// participation of the expo holds is ErrBoothTaken.
func (s *Store) ParticipationSetStatus(ctx context.Context, id int64, from, to expodesk.ParticipationStatus) (expodesk.Participation, error) {
	return one[expodesk.Participation](ctx, s.db, "set participation status",
		`UPDATE participation p SET status = $3, updated_at = now(),
			decided_at = CASE WHEN $3 IN ('approved', 'rejected') THEN now() ELSE p.decided_at END
		WHERE p.id = $1 AND p.status = $2
		RETURNING `+participationColumns, id, from, to)
}

// ParticipationPlace sets a participation's pavilion (nil: none) and booth.
func (s *Store) ParticipationPlace(ctx context.Context, id int64, pavilionID *int64, booth string) (expodesk.Participation, error) {
	return one[expodesk.Participation](ctx, s.db, "place participation",
		`UPDATE participation p SET pavilion_id = $2, booth = $3, updated_at = now() WHERE p.id = $1
		RETURNING `+participationColumns, id, pavilionID, booth)
}

// Participations lists an expo's participations matching f, by company
// name, at most 2,000. Every word of f.Text must occur in a company's names
// or descriptions, ignoring case and accents (as in the directory); an
// unknown f.Incomplete gap is not found.
func (s *Store) Participations(ctx context.Context, f expodesk.ParticipationFilter) ([]expodesk.ParticipationRow, error) {
	args := []any{f.ExpoID}
	where := []string{"p.expo_id = $1"}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.PavilionID != 0 {
		where = append(where, "p.pavilion_id = "+arg(f.PavilionID))
	}
	if f.NoPavilion {
		where = append(where, "p.pavilion_id IS NULL")
	}
	if f.Status != "" {
		where = append(where, "p.status = "+arg(string(f.Status)))
	}
	if f.Incomplete != "" {
		gap, ok := profileGapCondition(f.Incomplete)
		if !ok {
			return nil, expodesk.ErrNotFound
		}
		where = append(where, "p.status IN "+activeStatusList(), gap)
	}
	for i, term := range strings.Fields(f.Text) {
		if i == maxSearchTerms {
			break
		}
		where = append(where, searchCondition(arg(term)))
	}
	mode := []any{}
	if f.Text != "" {
		mode = append(mode, pgx.QueryExecModeExec)
	}
	type row struct {
		expodesk.Participation
		ExhibitorSlug string
		LegalName     string
		Name          expodesk.Text
		PavilionName  expodesk.Text
	}
	rows, err := collect[row](ctx, s.db, "list participations",
		`SELECT `+participationColumns+`, e.slug AS exhibitor_slug, e.legal_name, e.name,
			coalesce(pv.name, '{}') AS pavilion_name
		FROM participation p JOIN exhibitor e ON e.id = p.exhibitor_id
		LEFT JOIN pavilion pv ON pv.id = p.pavilion_id
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY lower(coalesce(nullif(e.name->>'en', ''), e.legal_name)), p.id LIMIT 2000`, append(mode, args...)...)
	if err != nil {
		return nil, err
	}
	out := make([]expodesk.ParticipationRow, len(rows))
	for i, r := range rows {
		out[i] = expodesk.ParticipationRow{Participation: r.Participation, ExhibitorSlug: r.ExhibitorSlug,
			LegalName: r.LegalName, Name: r.Name, PavilionName: r.PavilionName}
	}
	return out, nil
}
