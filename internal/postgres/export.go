package postgres

import (
	"context"
	"fmt"
	"strings"

	"expodesk/internal/expodesk"
)

// ExportFilter chooses the participations of an exhibitor export.
type ExportFilter struct {
	ExpoID int64                        // 0 for every expo
	Status expodesk.ParticipationStatus // "" for every status
	// PavilionID limits a coordinator's export to their pavilion. It is part
	// of the query rather than a filter applied afterwards, so that no row
	// of another pavilion ever leaves the database for them.
	PavilionID int64
}

// ExhibitorExport returns one record per participation, the company's
// columns on each, as ExhibitorExportEach gives them.
func (s *Store) ExhibitorExport(ctx context.Context, f ExportFilter) ([]expodesk.ParticipationRecord, error) {
	var out []expodesk.ParticipationRecord
	err := s.ExhibitorExportEach(ctx, f, func(r expodesk.ParticipationRecord) error {
		out = append(out, r)
		return nil
	})
	return out, err
}

// ExhibitorExportEach calls fn with one record per participation, the
// company's columns on each, as the spreadsheet writer takes them: soonest
// expo first, then by company slug, so that two exports of the same data
// are the same file and can be compared line by line. The rows are not
// held in memory: an export of every company costs what one row does.
func (s *Store) ExhibitorExportEach(ctx context.Context, f ExportFilter, fn func(expodesk.ParticipationRecord) error) error {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.ExpoID != 0 {
		where = append(where, "p.expo_id = "+arg(f.ExpoID))
	}
	if f.Status != "" {
		where = append(where, "p.status = "+arg(string(f.Status)))
	}
	if f.PavilionID != 0 {
		where = append(where, "p.pavilion_id = "+arg(f.PavilionID))
	}
	q := `SELECT ` + exhibitorColumns + `, x.slug AS expo_slug, coalesce(pv.slug, '') AS pavilion_slug,
			p.booth, p.status
		FROM participation p
		JOIN exhibitor e ON e.id = p.exhibitor_id
		JOIN expo x ON x.id = p.expo_id
		LEFT JOIN pavilion pv ON pv.id = p.pavilion_id`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY x.first_day, x.id, e.slug"
	type row struct {
		expodesk.Exhibitor
		ExpoSlug     string
		PavilionSlug string
		Booth        string
		Status       expodesk.ParticipationStatus
	}
	return each(ctx, s.db, "export exhibitors", q, args, func(r row) error {
		return fn(expodesk.ParticipationRecord{Exhibitor: r.Exhibitor, Expo: r.ExpoSlug, Pavilion: r.PavilionSlug,
			Booth: r.Booth, Status: r.Status})
	})
}
