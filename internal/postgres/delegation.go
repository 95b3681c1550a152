package postgres

import (
	"context"

	"expodesk/internal/expodesk"
)

// delegationColumns are a delegation's columns from delegation d, its
// sectors of interest included.
const delegationColumns = `d.id, d.expo_id, d.name, d.origin, d.kind, d.leader, d.home_time_zone, d.lang,
	d.arrives_at, d.departs_at, d.status, d.notes, d.host_pavilion_id,
	ARRAY(SELECT ds.sector_code FROM delegation_sector ds WHERE ds.delegation_id = d.id ORDER BY ds.sector_code) AS sectors`

// DelegationCreate inserts a delegation with its sectors of interest; an
// empty status is planned and an empty language English. The schema's
// checks guard kind, status and dates (a broken one is invalid input).
func (s *Store) DelegationCreate(ctx context.Context, d expodesk.Delegation) (expodesk.Delegation, error) {
	if d.Status == "" {
		d.Status = expodesk.DelegationPlanned
	}
	if d.Lang == "" {
		d.Lang = expodesk.EN
	}
	var out expodesk.Delegation
	err := s.Tx(ctx, func(st *Store) error {
		var id int64
		err := st.db.QueryRow(ctx,
			`INSERT INTO delegation (expo_id, name, origin, kind, leader, home_time_zone, lang,
				arrives_at, departs_at, status, notes, host_pavilion_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
			RETURNING id`,
			d.ExpoID, d.Name, d.Origin, d.Kind, d.Leader, d.HomeTimeZone, d.Lang,
			d.ArrivesAt, d.DepartsAt, d.Status, d.Notes, d.HostPavilionID).Scan(&id)
		if err != nil {
			return translate(err, "create delegation")
		}
		if err := st.setDelegationSectors(ctx, id, d.Sectors); err != nil {
			return err
		}
		out, err = st.DelegationGet(ctx, id)
		return err
	})
	return out, err
}

// setDelegationSectors replaces a delegation's sectors of interest; an
// unknown code breaks the foreign key (invalid input).
func (s *Store) setDelegationSectors(ctx context.Context, id int64, sectors []string) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM delegation_sector WHERE delegation_id = $1`, id); err != nil {
		return translate(err, "clear delegation sectors")
	}
	_, err := s.db.Exec(ctx,
		`INSERT INTO delegation_sector (delegation_id, sector_code)
		SELECT $1, code FROM unnest($2::text[]) AS code ON CONFLICT DO NOTHING`, id, sectors)
	return translate(err, "set delegation sectors")
}

// DelegationGet returns delegation id.
func (s *Store) DelegationGet(ctx context.Context, id int64) (expodesk.Delegation, error) {
	return one[expodesk.Delegation](ctx, s.db, "get delegation",
		`SELECT `+delegationColumns+` FROM delegation d WHERE d.id = $1`, id)
}

// DelegationGetForUpdate is DelegationGet with the row locked until the
// transaction ends, so that a change is made to what was checked.
func (s *Store) DelegationGetForUpdate(ctx context.Context, id int64) (expodesk.Delegation, error) {
	return one[expodesk.Delegation](ctx, s.db, "get delegation for update",
		`SELECT `+delegationColumns+` FROM delegation d WHERE d.id = $1 FOR UPDATE OF d`, id)
}

// DelegationUpdate replaces the editable fields of a delegation and its
// sectors of interest; its status moves through DelegationSetStatus only.
func (s *Store) DelegationUpdate(ctx context.Context, d expodesk.Delegation) (expodesk.Delegation, error) {
	var out expodesk.Delegation
	err := s.Tx(ctx, func(st *Store) error {
		tag, err := st.db.Exec(ctx,
			`UPDATE delegation SET name = $2, origin = $3, kind = $4, leader = $5, home_time_zone = $6, lang = $7,
				arrives_at = $8, departs_at = $9, notes = $10, host_pavilion_id = $11, updated_at = now()
			WHERE id = $1`,
			d.ID, d.Name, d.Origin, d.Kind, d.Leader, d.HomeTimeZone, d.Lang,
			d.ArrivesAt, d.DepartsAt, d.Notes, d.HostPavilionID)
		if err != nil {
			return translate(err, "update delegation")
		}
		if tag.RowsAffected() == 0 {
			return expodesk.ErrNotFound
		}
		if err := st.setDelegationSectors(ctx, d.ID, d.Sectors); err != nil {
			return err
		}
		out, err = st.DelegationGet(ctx, d.ID)
		return err
	})
	return out, err
}

// DelegationSetStatus moves a delegation from status from to status to;
// ErrNotFound when it is no longer in from.
func (s *Store) DelegationSetStatus(ctx context.Context, id int64, from, to expodesk.DelegationStatus) (expodesk.Delegation, error) {
	tag, err := s.db.Exec(ctx,
		`UPDATE delegation SET status = $3, updated_at = now() WHERE id = $1 AND status = $2`, id, from, to)
	if err != nil {
		return expodesk.Delegation{}, translate(err, "set delegation status")
	}
	if tag.RowsAffected() == 0 {
		return expodesk.Delegation{}, expodesk.ErrNotFound
	}
	return s.DelegationGet(ctx, id)
}

const delegationMemberColumns = `id, delegation_id, family_name, given_name, name_order, title,
	organisation, email, protocol_role, letter_status, position, erased_at,
	romanized_family_name, romanized_given_name, phone, passport_name, letter_requested_on, letter_issued_on`

// DelegationMemberCreate inserts a member of a delegation. An empty name
// order is guessed from the family name (Chinese characters: eastern), an
// empty romanised name derived from the name (expodesk.Romanize), an empty
// protocol role is member, an empty letter status not needed, and a zero
// position puts the member last in protocol order.
func (s *Store) DelegationMemberCreate(ctx context.Context, m expodesk.DelegationMember) (expodesk.DelegationMember, error) {
	if m.NameOrder == "" {
		m.NameOrder = expodesk.GuessNameOrder(m.FamilyName)
	}
	if m.RomanizedFamilyName == "" && m.RomanizedGivenName == "" {
		m.RomanizedFamilyName, m.RomanizedGivenName = expodesk.Romanize(m.FamilyName, true), expodesk.Romanize(m.GivenName, false)
	}
	if m.ProtocolRole == "" {
		m.ProtocolRole = expodesk.ProtocolMember
	}
	if m.LetterStatus == "" {
		m.LetterStatus = expodesk.LetterNotNeeded
	}
	return one[expodesk.DelegationMember](ctx, s.db, "create delegation member",
		`INSERT INTO delegation_member (delegation_id, family_name, given_name, name_order, title,
			organisation, email, protocol_role, letter_status, position,
			romanized_family_name, romanized_given_name, phone, passport_name, letter_requested_on, letter_issued_on)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
			CASE WHEN $10::int > 0 THEN $10::int
			     ELSE (SELECT coalesce(max(position), 0) + 1 FROM delegation_member WHERE delegation_id = $1) END,
			$11, $12, $13, $14, $15, $16)
		RETURNING `+delegationMemberColumns,
		m.DelegationID, m.FamilyName, m.GivenName, m.NameOrder, m.Title,
		m.Organisation, m.Email, m.ProtocolRole, m.LetterStatus, m.Position,
		m.RomanizedFamilyName, m.RomanizedGivenName, m.Phone, m.PassportName, m.LetterRequestedOn, m.LetterIssuedOn)
}

const itineraryItemColumns = `id, delegation_id, kind, starts_at, ends_at, pavilion_id, exhibitor_id,
	slot_id, title, location, notes, sequence, updated_at`

// ItineraryItemCreate inserts a visit, roadshow attendance or other item of
// a delegation's itinerary.
func (s *Store) ItineraryItemCreate(ctx context.Context, it expodesk.ItineraryItem) (expodesk.ItineraryItem, error) {
	return one[expodesk.ItineraryItem](ctx, s.db, "create itinerary item",
		`INSERT INTO itinerary_item (delegation_id, kind, starts_at, ends_at, pavilion_id, exhibitor_id,
			slot_id, title, location, notes)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		RETURNING `+itineraryItemColumns,
		it.DelegationID, it.Kind, it.StartsAt, it.EndsAt, it.PavilionID, it.ExhibitorID,
		it.SlotID, it.Title, it.Location, it.Notes)
}

const meetingColumns = `id, delegation_id, exhibitor_id, starts_at, ends_at, location, topic, status,
	response_note, requested_by, responded_by, responded_at, proposed_starts_at, proposed_ends_at,
	created_at, updated_at, sequence`

// MeetingCreate inserts a meeting between a delegation and an exhibitor,
// requested by the organizer by (nil when no account is behind it, as in
// imported or demo data). An empty status is requested; a meeting created
// already answered (accepted or declined) without RespondedAt is stamped
// with the store's clock, so that answered meetings always say when.
func (s *Store) MeetingCreate(ctx context.Context, m expodesk.Meeting, by *int64) (expodesk.Meeting, error) {
	if m.Status == "" {
		m.Status = expodesk.MeetingRequested
	}
	if (m.Status == expodesk.MeetingAccepted || m.Status == expodesk.MeetingDeclined) && m.RespondedAt == nil {
		t := s.now()
		m.RespondedAt = &t
	}
	return one[expodesk.Meeting](ctx, s.db, "create meeting",
		`INSERT INTO meeting (delegation_id, exhibitor_id, starts_at, ends_at, location, topic, status,
			response_note, requested_by, responded_by, responded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		RETURNING `+meetingColumns,
		m.DelegationID, m.ExhibitorID, m.StartsAt, m.EndsAt, m.Location, m.Topic, m.Status,
		m.ResponseNote, by, m.RespondedBy, m.RespondedAt)
}
