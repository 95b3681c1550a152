package postgres

import (
	"context"
	"errors"
	"time"

	"expodesk/internal/expodesk"
)

// Itineraries, meetings and the shared itinerary link (O4, E4). Every
// query of an item or a meeting is scoped to its delegation, or to its
// company for an exhibitor's team, so that an id from another delegation
// or company is simply not found.

// DelegationByShareHash returns the delegation whose shared itinerary link
// hashes to hash; an unknown or revoked link is not found. The lookup is by
// the unique index on the hash, so its time says nothing of how close a
// guess came.
func (s *Store) DelegationByShareHash(ctx context.Context, hash []byte) (expodesk.Delegation, error) {
	return one[expodesk.Delegation](ctx, s.db, "get delegation by share link",
		`SELECT `+delegationColumns+` FROM delegation d WHERE d.share_token_hash = $1`, hash)
}

// DelegationShareCreatedAt returns when the delegation's current link was
// made (nil when it has none).
func (s *Store) DelegationShareCreatedAt(ctx context.Context, id int64) (*time.Time, error) {
	var at *time.Time
	err := s.db.QueryRow(ctx, `SELECT share_created_at FROM delegation WHERE id = $1`, id).Scan(&at)
	return at, translate(err, "get delegation share")
}

// DelegationSetShare replaces the delegation's link with the one hash
// belongs to, or revokes it (hash nil): the old link stops working at once.
func (s *Store) DelegationSetShare(ctx context.Context, id int64, hash []byte) error {
	var at *time.Time
	if hash != nil {
		t := s.now()
		at = &t
	}
	tag, err := s.db.Exec(ctx, `UPDATE delegation SET share_token_hash = $2, share_created_at = $3, updated_at = now()
		WHERE id = $1`, id, hash, at)
	if err != nil {
		return translate(err, "set delegation share")
	}
	if tag.RowsAffected() == 0 {
		return expodesk.ErrNotFound
	}
	return nil
}

// ItineraryItemGet returns item id of delegation delegationID.
func (s *Store) ItineraryItemGet(ctx context.Context, delegationID, id int64) (expodesk.ItineraryItem, error) {
	return one[expodesk.ItineraryItem](ctx, s.db, "get itinerary item",
		`SELECT `+itineraryItemColumns+` FROM itinerary_item WHERE id = $1 AND delegation_id = $2`, id, delegationID)
}

// ItineraryItemUpdate changes an item of its delegation.
func (s *Store) ItineraryItemUpdate(ctx context.Context, it expodesk.ItineraryItem) (expodesk.ItineraryItem, error) {
	return one[expodesk.ItineraryItem](ctx, s.db, "update itinerary item",
		`UPDATE itinerary_item SET kind = $3, starts_at = $4, ends_at = $5, pavilion_id = $6, exhibitor_id = $7,
			slot_id = $8, title = $9, location = $10, notes = $11
		WHERE id = $1 AND delegation_id = $2
		RETURNING `+itineraryItemColumns,
		it.ID, it.DelegationID, it.Kind, it.StartsAt, it.EndsAt, it.PavilionID, it.ExhibitorID,
		it.SlotID, it.Title, it.Location, it.Notes)
}

// ItineraryItemDelete removes an item of its delegation.
func (s *Store) ItineraryItemDelete(ctx context.Context, delegationID, id int64) error {
	tag, err := s.db.Exec(ctx, `DELETE FROM itinerary_item WHERE id = $1 AND delegation_id = $2`, id, delegationID)
	if err != nil {
		return translate(err, "delete itinerary item")
	}
	if tag.RowsAffected() == 0 {
		return expodesk.ErrNotFound
	}
	return nil
}

// ItineraryRows lists a delegation's items in order, with the names of
// what each is about and the hall it happens in.
func (s *Store) ItineraryRows(ctx context.Context, delegationID int64) ([]expodesk.ItineraryRow, error) {
	return collect[expodesk.ItineraryRow](ctx, s.db, "list itinerary",
		`SELECT i.id, i.delegation_id, i.kind, i.starts_at, i.ends_at, i.pavilion_id, i.exhibitor_id, i.slot_id,
			i.title, i.location, i.notes, i.sequence, i.updated_at,
			coalesce(pv.name, ppv.name, spv.name, '{}') AS pavilion_name,
			coalesce(e.name, '{}') AS exhibitor_name, coalesce(e.legal_name, '') AS exhibitor_legal_name,
			coalesce(e.slug, '') AS exhibitor_slug, coalesce(p.booth, '') AS booth,
			coalesce(st.name, '{}') AS stage_name, coalesce(st.location, '{}') AS stage_location,
			coalesce(b.titles, '{}') AS talk_titles,
			coalesce(nullif(spv.hall, ''), nullif(pv.hall, ''), nullif(ppv.hall, ''), '') AS hall
		FROM itinerary_item i
		JOIN delegation d ON d.id = i.delegation_id
		LEFT JOIN pavilion pv ON pv.id = i.pavilion_id
		LEFT JOIN exhibitor e ON e.id = i.exhibitor_id
		LEFT JOIN participation p ON p.exhibitor_id = i.exhibitor_id AND p.expo_id = d.expo_id
		LEFT JOIN pavilion ppv ON ppv.id = p.pavilion_id
		LEFT JOIN slot sl ON sl.id = i.slot_id
		LEFT JOIN stage st ON st.id = sl.stage_id
		LEFT JOIN pavilion spv ON spv.id = st.pavilion_id
		LEFT JOIN booking b ON b.slot_id = sl.id AND b.status = 'active'
		WHERE i.delegation_id = $1
		ORDER BY i.starts_at, i.ends_at, i.id`, delegationID)
}

const meetingRowSelect = `SELECT m.id, m.delegation_id, m.exhibitor_id, m.starts_at, m.ends_at, m.location, m.topic,
		m.status, m.response_note, m.requested_by, m.responded_by, m.responded_at, m.proposed_starts_at,
		m.proposed_ends_at, m.created_at, m.updated_at, m.sequence,
		e.name AS exhibitor_name, e.legal_name AS exhibitor_legal_name, e.slug AS exhibitor_slug,
		coalesce(p.booth, '') AS booth, coalesce(pv.hall, '') AS hall,
		d.name AS delegation_name, d.origin AS delegation_origin, d.kind AS delegation_kind,
		x.id AS expo_id, x.slug AS expo_slug, x.name AS expo_name, x.time_zone AS expo_time_zone
	FROM meeting m
	JOIN exhibitor e ON e.id = m.exhibitor_id
	JOIN delegation d ON d.id = m.delegation_id
	JOIN expo x ON x.id = d.expo_id
	LEFT JOIN participation p ON p.exhibitor_id = m.exhibitor_id AND p.expo_id = d.expo_id
	LEFT JOIN pavilion pv ON pv.id = p.pavilion_id`

// MeetingRowsOfDelegation lists a delegation's meetings in order.
func (s *Store) MeetingRowsOfDelegation(ctx context.Context, delegationID int64) ([]expodesk.MeetingRow, error) {
	return collect[expodesk.MeetingRow](ctx, s.db, "list delegation meetings",
		meetingRowSelect+` WHERE m.delegation_id = $1 ORDER BY m.starts_at, m.id`, delegationID)
}

// MeetingRowsOfExhibitor lists a company's meetings with delegations,
// those waiting for its answer first, then by time.
func (s *Store) MeetingRowsOfExhibitor(ctx context.Context, exhibitorID int64) ([]expodesk.MeetingRow, error) {
	return collect[expodesk.MeetingRow](ctx, s.db, "list company meetings",
		meetingRowSelect+` WHERE m.exhibitor_id = $1
		ORDER BY (m.status = 'requested') DESC, m.starts_at, m.id`, exhibitorID)
}

// MeetingRowGet returns one meeting with its names.
func (s *Store) MeetingRowGet(ctx context.Context, id int64) (expodesk.MeetingRow, error) {
	return one[expodesk.MeetingRow](ctx, s.db, "get meeting", meetingRowSelect+` WHERE m.id = $1`, id)
}

// MeetingLock returns a meeting locked until the transaction ends.
func (s *Store) MeetingLock(ctx context.Context, id int64) (expodesk.Meeting, error) {
	return one[expodesk.Meeting](ctx, s.db, "lock meeting",
		`SELECT `+meetingColumns+` FROM meeting WHERE id = $1 FOR UPDATE`, id)
}

// MeetingSet writes a meeting's answer, proposal or new state over the
// status it was read with (from): a meeting changed meanwhile is not
// overwritten (ErrMeetingAnswered).
func (s *Store) MeetingSet(ctx context.Context, m expodesk.Meeting, from expodesk.MeetingStatus) (expodesk.Meeting, error) {
	out, err := one[expodesk.Meeting](ctx, s.db, "update meeting",
		`UPDATE meeting SET status = $3, starts_at = $4, ends_at = $5, response_note = $6, responded_by = $7,
			responded_at = $8, proposed_starts_at = $9, proposed_ends_at = $10, updated_at = $11
		WHERE id = $1 AND status = $2
		RETURNING `+meetingColumns,
		m.ID, from, m.Status, m.StartsAt, m.EndsAt, m.ResponseNote, m.RespondedBy, m.RespondedAt,
		m.ProposedStartsAt, m.ProposedEndsAt, s.now())
	if errors.Is(err, expodesk.ErrNotFound) {
		return out, expodesk.ErrMeetingAnswered
	}
	return out, err
}

// MeetingAttendeesAdd records who of the delegation attends a meeting;
// members of another delegation are left out.
func (s *Store) MeetingAttendeesAdd(ctx context.Context, meetingID int64, memberIDs []int64) error {
	_, err := s.db.Exec(ctx, `INSERT INTO meeting_attendee (meeting_id, member_id)
		SELECT m.id, dm.id FROM meeting m JOIN delegation_member dm ON dm.delegation_id = m.delegation_id
		WHERE m.id = $1 AND dm.id = ANY($2::bigint[])
		ON CONFLICT DO NOTHING`, meetingID, memberIDs)
	return translate(err, "add meeting attendees")
}

// MeetingAttendees lists who attends the meetings ids, in protocol order:
// names and titles only, and no member whose data was erased.
func (s *Store) MeetingAttendees(ctx context.Context, ids []int64) ([]expodesk.MeetingAttendee, error) {
	return collect[expodesk.MeetingAttendee](ctx, s.db, "list meeting attendees",
		`SELECT a.meeting_id, dm.family_name, dm.given_name, dm.name_order, dm.title
		FROM meeting_attendee a JOIN delegation_member dm ON dm.id = a.member_id
		WHERE a.meeting_id = ANY($1::bigint[]) AND dm.erased_at IS NULL
		ORDER BY a.meeting_id, dm.position, dm.id`, ids)
}

// DelegationMembers lists a delegation's members in protocol order.
func (s *Store) DelegationMembers(ctx context.Context, delegationID int64) ([]expodesk.DelegationMember, error) {
	return collect[expodesk.DelegationMember](ctx, s.db, "list delegation members",
		`SELECT `+delegationMemberColumns+` FROM delegation_member WHERE delegation_id = $1
		ORDER BY position, id`, delegationID)
}

// ExpoPresentations returns the active roadshow bookings of companies at
// expo expoID between from and to: when each company is on a stage.
func (s *Store) ExpoPresentations(ctx context.Context, expoID int64, from, to time.Time) ([]expodesk.Presentation, error) {
	return collect[expodesk.Presentation](ctx, s.db, "list presentations",
		`SELECT b.exhibitor_id, sl.starts_at, sl.ends_at
		FROM booking b JOIN slot sl ON sl.id = b.slot_id JOIN stage st ON st.id = sl.stage_id
		WHERE st.expo_id = $1 AND b.status = 'active' AND sl.starts_at < $3 AND sl.ends_at > $2
		ORDER BY sl.starts_at`, expoID, from, to)
}

// BookedSlots lists the booked roadshow slots of expo expoID between from
// and to, which a delegation may attend.
func (s *Store) BookedSlots(ctx context.Context, expoID int64, from, to time.Time) ([]expodesk.BookedSlot, error) {
	return collect[expodesk.BookedSlot](ctx, s.db, "list booked slots",
		`SELECT sl.id AS slot_id, sl.starts_at, sl.ends_at, st.name AS stage_name, st.pavilion_id,
			b.exhibitor_id, e.name AS exhibitor_name, e.legal_name AS exhibitor_legal_name, b.titles
		FROM slot sl JOIN stage st ON st.id = sl.stage_id
		JOIN booking b ON b.slot_id = sl.id AND b.status = 'active'
		JOIN exhibitor e ON e.id = b.exhibitor_id
		WHERE st.expo_id = $1 AND sl.starts_at < $3 AND sl.ends_at > $2
		ORDER BY sl.starts_at, st.position, st.id`, expoID, from, to)
}

// BookedSlotGet returns slot id of expo expoID if it is booked.
func (s *Store) BookedSlotGet(ctx context.Context, expoID, id int64) (expodesk.BookedSlot, error) {
	return one[expodesk.BookedSlot](ctx, s.db, "get booked slot",
		`SELECT sl.id AS slot_id, sl.starts_at, sl.ends_at, st.name AS stage_name, st.pavilion_id,
			b.exhibitor_id, e.name AS exhibitor_name, e.legal_name AS exhibitor_legal_name, b.titles
		FROM slot sl JOIN stage st ON st.id = sl.stage_id
		JOIN booking b ON b.slot_id = sl.id AND b.status = 'active'
		JOIN exhibitor e ON e.id = b.exhibitor_id
		WHERE st.expo_id = $1 AND sl.id = $2`, expoID, id)
}

// ApprovedAt reports whether company exhibitorID's participation at expo
// expoID is approved.
func (s *Store) ApprovedAt(ctx context.Context, expoID, exhibitorID int64) (bool, error) {
	var ok bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM participation
		WHERE expo_id = $1 AND exhibitor_id = $2 AND status = 'approved')`, expoID, exhibitorID).Scan(&ok)
	return ok, translate(err, "check approved participation")
}

// SuggestedVisits ranks the approved exhibitors of delegation d's expo for
// it: the sectors they share with sectors first, then a pavilion whose
// companies mostly come from country (the delegation's home), then the
// companies from there, then by name; at most limit of them.
func (s *Store) SuggestedVisits(ctx context.Context, d expodesk.Delegation, sectors []string, country string, limit int) ([]expodesk.SuggestedVisit, error) {
	if sectors == nil {
		sectors = []string{}
	}
	return collect[expodesk.SuggestedVisit](ctx, s.db, "list suggested visits",
		`WITH pavilion_country AS (
			SELECT p.pavilion_id, mode() WITHIN GROUP (ORDER BY e.country) AS country
			FROM participation p JOIN exhibitor e ON e.id = p.exhibitor_id
			WHERE p.expo_id = $1 AND p.status = 'approved' AND p.pavilion_id IS NOT NULL
			GROUP BY p.pavilion_id
		)
		SELECT e.id AS exhibitor_id, e.slug, e.name, e.legal_name, e.country, p.booth, p.pavilion_id,
			coalesce(pv.name, '{}') AS pavilion_name, coalesce(pv.hall, '') AS hall,
			coalesce((SELECT array_agg(es.sector_code ORDER BY es.sector_code) FROM exhibitor_sector es
				WHERE es.exhibitor_id = e.id), '{}') AS sectors,
			(SELECT count(*) FROM exhibitor_sector es
				WHERE es.exhibitor_id = e.id AND es.sector_code = ANY($2::text[]))::int AS overlap,
			coalesce(pc.country = $3 AND $3 <> '', false) AS home_pavilion,
			(e.country = $3 AND $3 <> '') AS home_country,
			coalesce((SELECT m.status FROM meeting m WHERE m.delegation_id = $4 AND m.exhibitor_id = e.id
				AND m.status IN ('requested', 'proposed', 'accepted') ORDER BY m.starts_at LIMIT 1), '') AS meeting_status
		FROM participation p
		JOIN exhibitor e ON e.id = p.exhibitor_id
		LEFT JOIN pavilion pv ON pv.id = p.pavilion_id
		LEFT JOIN pavilion_country pc ON pc.pavilion_id = p.pavilion_id
		WHERE p.expo_id = $1 AND p.status = 'approved'
		ORDER BY overlap DESC, home_pavilion DESC, home_country DESC, e.legal_name, e.id
		LIMIT $5`, d.ExpoID, sectors, country, d.ID, limit)
}
