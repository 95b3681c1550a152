package postgres

import (
	"context"

	"expodesk/internal/expodesk"
)

// Members of a delegation (O4): listed in protocol order, edited, moved in
// that order, removed, and erased on request.

// DelegationMembersOfExpo returns the members of every delegation of an
// expo (of those pavilionID hosts, when not 0), by delegation and in
// protocol order, for the export.
func (s *Store) DelegationMembersOfExpo(ctx context.Context, expoID, pavilionID int64) ([]expodesk.DelegationMember, error) {
	return collect[expodesk.DelegationMember](ctx, s.db, "list members of an expo's delegations",
		`SELECT `+delegationMemberColumns+` FROM delegation_member
		WHERE delegation_id IN (SELECT id FROM delegation WHERE expo_id = $1 AND ($2::bigint = 0 OR host_pavilion_id = $2))
		ORDER BY delegation_id, position, id`, expoID, pavilionID)
}

// DelegationMemberGetForUpdate returns member id of delegation
// delegationID, locked until the transaction ends; another delegation's
// member is not found.
func (s *Store) DelegationMemberGetForUpdate(ctx context.Context, delegationID, id int64) (expodesk.DelegationMember, error) {
	return one[expodesk.DelegationMember](ctx, s.db, "get delegation member",
		`SELECT `+delegationMemberColumns+` FROM delegation_member
		WHERE id = $1 AND delegation_id = $2 FOR UPDATE`, id, delegationID)
}

// DelegationMemberGet is DelegationMemberGetForUpdate without the lock.
func (s *Store) DelegationMemberGet(ctx context.Context, delegationID, id int64) (expodesk.DelegationMember, error) {
	return one[expodesk.DelegationMember](ctx, s.db, "get delegation member",
		`SELECT `+delegationMemberColumns+` FROM delegation_member WHERE id = $1 AND delegation_id = $2`, id, delegationID)
}

// DelegationMemberUpdate replaces a member's fields but for its position;
// an erased member is not changed (not found).
func (s *Store) DelegationMemberUpdate(ctx context.Context, m expodesk.DelegationMember) (expodesk.DelegationMember, error) {
	return one[expodesk.DelegationMember](ctx, s.db, "update delegation member",
		`UPDATE delegation_member SET family_name = $3, given_name = $4, name_order = $5, title = $6,
			organisation = $7, email = $8, protocol_role = $9, letter_status = $10,
			romanized_family_name = $11, romanized_given_name = $12, phone = $13, passport_name = $14,
			letter_requested_on = $15, letter_issued_on = $16
		WHERE id = $1 AND delegation_id = $2 AND erased_at IS NULL
		RETURNING `+delegationMemberColumns,
		m.ID, m.DelegationID, m.FamilyName, m.GivenName, m.NameOrder, m.Title,
		m.Organisation, m.Email, m.ProtocolRole, m.LetterStatus,
		m.RomanizedFamilyName, m.RomanizedGivenName, m.Phone, m.PassportName, m.LetterRequestedOn, m.LetterIssuedOn)
}

// DelegationMemberDelete removes a member from a delegation.
func (s *Store) DelegationMemberDelete(ctx context.Context, delegationID, id int64) error {
	tag, err := s.db.Exec(ctx, `DELETE FROM delegation_member WHERE id = $1 AND delegation_id = $2`, id, delegationID)
	if err != nil {
		return translate(err, "delete delegation member")
	}
	if tag.RowsAffected() == 0 {
		return expodesk.ErrNotFound
	}
	return nil
}

// DelegationMembersOrder numbers a delegation's members 1, 2, 3… in the
// order of ids, which must be the delegation's members.
func (s *Store) DelegationMembersOrder(ctx context.Context, delegationID int64, ids []int64) error {
	_, err := s.db.Exec(ctx,
		`UPDATE delegation_member m SET position = o.n
		FROM unnest($2::bigint[]) WITH ORDINALITY AS o(id, n)
		WHERE m.id = o.id AND m.delegation_id = $1`, delegationID, ids)
	return translate(err, "order delegation members")
}

// MemberPersonalFields are the keys of a member's audit entries that hold
// personal data, which erasure removes from every entry about the member.
var MemberPersonalFields = []string{"family_name", "given_name", "romanized_family_name", "romanized_given_name",
	"title", "email", "phone", "passport_name"}

// DelegationMemberErase blanks a member's personal data (the schema's check
// delegation_member_erased lists it) and stamps the erasure, keeping the
// row, its place in protocol order, its role and organisation, so that the
// itinerary and its history stay whole. It also removes that data from
// the audit log's earlier entries about the member.
func (s *Store) DelegationMemberErase(ctx context.Context, delegationID, id int64) (expodesk.DelegationMember, error) {
	m, err := one[expodesk.DelegationMember](ctx, s.db, "erase delegation member",
		`UPDATE delegation_member SET family_name = '', given_name = '', romanized_family_name = '',
			romanized_given_name = '', title = '', email = '', phone = '', passport_name = '', erased_at = $3
		WHERE id = $1 AND delegation_id = $2 AND erased_at IS NULL
		RETURNING `+delegationMemberColumns, id, delegationID, s.now())
	if err != nil {
		return m, err
	}
	_, err = s.db.Exec(ctx,
		`UPDATE audit_entry SET
			before = CASE WHEN jsonb_typeof(before) = 'object' THEN (before - $2::text[]) || '{"personal_data_erased": true}' ELSE before END,
			after = CASE WHEN jsonb_typeof(after) = 'object' THEN (after - $2::text[]) || '{"personal_data_erased": true}' ELSE after END
		WHERE object_type = 'delegation_member' AND object_id = $1::bigint::text`, id, MemberPersonalFields)
	return m, translate(err, "scrub audit entries of an erased member")
}
