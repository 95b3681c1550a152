package postgres

import (
	"context"

	"expodesk/internal/expodesk"
)

const expoColumns = `e.id, e.slug, e.name, e.city, e.country, e.venue, e.time_zone, e.first_day, e.last_day,
	e.website, e.booking_opens_at, e.booking_closes_at, e.slot_quota, e.cancel_hours_before,
	e.applications_open_at, e.applications_close_at, e.archived_at, e.created_at, e.updated_at`

// ExpoList returns the expos that are not archived, soonest first: the
// public home page's list.
func (s *Store) ExpoList(ctx context.Context) ([]expodesk.Expo, error) {
	return collect[expodesk.Expo](ctx, s.db, "list expos",
		`SELECT `+expoColumns+` FROM expo e WHERE e.archived_at IS NULL ORDER BY e.first_day, e.id`)
}

// ExpoListAll returns every expo, archived ones included, soonest first:
// the organizer console's list.
func (s *Store) ExpoListAll(ctx context.Context) ([]expodesk.Expo, error) {
	return collect[expodesk.Expo](ctx, s.db, "list all expos",
		`SELECT `+expoColumns+` FROM expo e ORDER BY e.archived_at IS NOT NULL, e.first_day, e.id`)
}

// ExpoUpdate replaces the editable fields of the expo e.ID and returns it
// as stored. A slug another expo has is ErrExpoSlugTaken.
func (s *Store) ExpoUpdate(ctx context.Context, e expodesk.Expo) (expodesk.Expo, error) {
	if err := e.Validate(); err != nil {
		return e, err
	}
	return one[expodesk.Expo](ctx, s.db, "update expo",
		`UPDATE expo AS e SET slug = $2, name = $3, city = $4, country = $5, venue = $6, time_zone = $7,
			first_day = $8, last_day = $9, website = $10, booking_opens_at = $11, booking_closes_at = $12,
			slot_quota = $13, cancel_hours_before = $14, applications_open_at = $15, applications_close_at = $16,
			updated_at = now()
		WHERE e.id = $1 RETURNING `+expoColumns,
		e.ID, e.Slug, e.Name, e.City, e.Country, e.Venue, e.TimeZone, e.FirstDay, e.LastDay, e.Website,
		e.BookingOpensAt, e.BookingClosesAt, e.SlotQuota, e.CancelHoursBefore,
		e.ApplicationsOpenAt, e.ApplicationsCloseAt)
}

// ExpoSetArchived archives (at now) or restores an expo.
func (s *Store) ExpoSetArchived(ctx context.Context, id int64, archived bool) (expodesk.Expo, error) {
	return one[expodesk.Expo](ctx, s.db, "archive expo",
		`UPDATE expo AS e SET archived_at = CASE WHEN $2 THEN coalesce(e.archived_at, now()) END, updated_at = now()
		WHERE e.id = $1 RETURNING `+expoColumns, id, archived)
}

// ExpoUnlinkSisters removes the sister link between two expos; unlinking
// expos that are not linked changes nothing.
func (s *Store) ExpoUnlinkSisters(ctx context.Context, a, b int64) error {
	if a > b {
		a, b = b, a
	}
	_, err := s.db.Exec(ctx, `DELETE FROM expo_sister WHERE expo_id = $1 AND sister_id = $2`, a, b)
	return translate(err, "unlink sister expos")
}

// ExpoGet returns the expo with the given slug.
func (s *Store) ExpoGet(ctx context.Context, slug string) (expodesk.Expo, error) {
	// A slug from a URL may hold NUL or invalid UTF-8, which PostgreSQL refuses
	// with an error; no stored slug looks like that, so it is simply not found.
	if !expodesk.ValidSlug(slug) {
		return expodesk.Expo{}, expodesk.ErrNotFound
	}
	return one[expodesk.Expo](ctx, s.db, "get expo",
		`SELECT `+expoColumns+` FROM expo e WHERE e.slug = $1`, slug)
}

// ExpoGetByID returns the expo with the given id.
func (s *Store) ExpoGetByID(ctx context.Context, id int64) (expodesk.Expo, error) {
	return one[expodesk.Expo](ctx, s.db, "get expo",
		`SELECT `+expoColumns+` FROM expo e WHERE e.id = $1`, id)
}

// ExpoCreate inserts e and returns it with its id.
func (s *Store) ExpoCreate(ctx context.Context, e expodesk.Expo) (expodesk.Expo, error) {
	if err := e.Validate(); err != nil {
		return e, err
	}
	return one[expodesk.Expo](ctx, s.db, "create expo",
		`INSERT INTO expo AS e (slug, name, city, country, venue, time_zone, first_day, last_day, website,
			booking_opens_at, booking_closes_at, slot_quota, cancel_hours_before,
			applications_open_at, applications_close_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
		RETURNING `+expoColumns,
		e.Slug, e.Name, e.City, e.Country, e.Venue, e.TimeZone, e.FirstDay, e.LastDay, e.Website,
		e.BookingOpensAt, e.BookingClosesAt, e.SlotQuota, e.CancelHoursBefore,
		e.ApplicationsOpenAt, e.ApplicationsCloseAt)
}

// ExpoSisters returns the expos linked to the given one as sisters that
// are not archived, soonest first: the sister links of the public pages.
func (s *Store) ExpoSisters(ctx context.Context, expoID int64) ([]expodesk.Expo, error) {
	return collect[expodesk.Expo](ctx, s.db, "list sister expos",
		`SELECT `+expoColumns+` FROM expo e
		WHERE e.id IN (SELECT sister_id FROM expo_sister WHERE expo_id = $1
		               UNION SELECT expo_id FROM expo_sister WHERE sister_id = $1)
		  AND e.archived_at IS NULL
		ORDER BY e.first_day, e.id`, expoID)
}

// ExpoSistersAll returns every expo linked to the given one as a sister,
// archived ones included: the console's list, where links are undone.
func (s *Store) ExpoSistersAll(ctx context.Context, expoID int64) ([]expodesk.Expo, error) {
	return collect[expodesk.Expo](ctx, s.db, "list all sister expos",
		`SELECT `+expoColumns+` FROM expo e
		WHERE e.id IN (SELECT sister_id FROM expo_sister WHERE expo_id = $1
		               UNION SELECT expo_id FROM expo_sister WHERE sister_id = $1)
		ORDER BY e.first_day, e.id`, expoID)
}

// ExpoLinkSisters links two expos as sisters; linking twice changes nothing.
func (s *Store) ExpoLinkSisters(ctx context.Context, a, b int64) error {
	if a == b {
		return expodesk.Errorf(expodesk.EINVALID, "validation.sister_self")
	}
	if a > b {
		a, b = b, a
	}
	_, err := s.db.Exec(ctx,
		`INSERT INTO expo_sister (expo_id, sister_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, a, b)
	return translate(err, "link sister expos")
}

// ExpoCountsGet returns the public figures of one expo.
func (s *Store) ExpoCountsGet(ctx context.Context, expoID int64) (expodesk.ExpoCounts, error) {
	return one[expodesk.ExpoCounts](ctx, s.db, "count expo",
		`SELECT
			(SELECT count(*) FROM participation WHERE expo_id = $1 AND status = 'approved')::int AS exhibitors,
			(SELECT count(*) FROM pavilion WHERE expo_id = $1)::int AS pavilions,
			(SELECT count(DISTINCT x.country) FROM participation p JOIN exhibitor x ON x.id = p.exhibitor_id
			  WHERE p.expo_id = $1 AND p.status = 'approved')::int AS countries,
			(SELECT count(*) FROM slot sl JOIN stage st ON st.id = sl.stage_id
			  WHERE st.expo_id = $1 AND NOT sl.blocked)::int AS slots,
			(SELECT count(*) FROM booking b JOIN slot sl ON sl.id = b.slot_id JOIN stage st ON st.id = sl.stage_id
			  WHERE st.expo_id = $1 AND b.status = 'active')::int AS booked_slots`, expoID)
}
