package postgres

import (
	"context"

	"expodesk/internal/expodesk"
)

const delegationColumns = `id, expo_id, name, origin, kind, leader, home_time_zone, lang,
	arrives_at, departs_at, status, notes`

// DelegationCreate inserts a delegation; an empty status is planned and an
// empty language English. The schema's checks guard kind, status and dates
// (a broken one is invalid input).
func (s *Store) DelegationCreate(ctx context.Context, d expodesk.Delegation) (expodesk.Delegation, error) {
	if d.Status == "" {
		d.Status = expodesk.DelegationPlanned
	}
	if d.Lang == "" {
		d.Lang = expodesk.EN
	}
	return one[expodesk.Delegation](ctx, s.db, "create delegation",
		`INSERT INTO delegation (expo_id, name, origin, kind, leader, home_time_zone, lang,
			arrives_at, departs_at, status, notes)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		RETURNING `+delegationColumns,
		d.ExpoID, d.Name, d.Origin, d.Kind, d.Leader, d.HomeTimeZone, d.Lang,
		d.ArrivesAt, d.DepartsAt, d.Status, d.Notes)
}

const delegationMemberColumns = `id, delegation_id, family_name, given_name, name_order, title,
	organisation, email, protocol_role, letter_status, position, erased_at`

// DelegationMemberCreate inserts a member of a delegation. An empty name
// order is guessed from the family name (Chinese characters: eastern), an
// empty protocol role is member and an empty letter status not needed.
func (s *Store) DelegationMemberCreate(ctx context.Context, m expodesk.DelegationMember) (expodesk.DelegationMember, error) {
	if m.NameOrder == "" {
		m.NameOrder = expodesk.GuessNameOrder(m.FamilyName)
	}
	if m.ProtocolRole == "" {
		m.ProtocolRole = expodesk.ProtocolMember
	}
	if m.LetterStatus == "" {
		m.LetterStatus = expodesk.LetterNotNeeded
	}
	return one[expodesk.DelegationMember](ctx, s.db, "create delegation member",
		`INSERT INTO delegation_member (delegation_id, family_name, given_name, name_order, title,
			organisation, email, protocol_role, letter_status, position)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		RETURNING `+delegationMemberColumns,
		m.DelegationID, m.FamilyName, m.GivenName, m.NameOrder, m.Title,
		m.Organisation, m.Email, m.ProtocolRole, m.LetterStatus, m.Position)
}

const itineraryItemColumns = `id, delegation_id, kind, starts_at, ends_at, pavilion_id, exhibitor_id,
	slot_id, title, location, notes`

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
	created_at, updated_at`

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
