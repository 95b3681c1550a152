package postgres

import (
	"context"
	"fmt"
	"strings"

	"expodesk/internal/expodesk"
)

// An expo's delegations as the organizer's console reads them (O4, O5):
// the filtered list, the invitation letters and the dashboard's counts.

// DelegationList returns an expo's delegations matching f, soonest arrival first.
func (s *Store) DelegationList(ctx context.Context, f expodesk.DelegationFilter) ([]expodesk.DelegationRow, error) {
	args := []any{f.ExpoID}
	where := []string{"d.expo_id = $1"}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.PavilionID != 0 {
		where = append(where, "d.host_pavilion_id = "+arg(f.PavilionID))
	}
	if f.Status != "" {
		where = append(where, "d.status = "+arg(f.Status))
	}
	if f.Kind != "" {
		where = append(where, "d.kind = "+arg(f.Kind))
	}
	for i, term := range strings.Fields(f.Q) {
		if i == maxSearchTerms {
			break
		}
		t := arg(term)
		where = append(where, "("+foldedLike(`search_fold(concat_ws(' ', d.name->>'en', d.name->>'zh', d.name->>'es', d.origin, d.leader))`, t)+
			` OR EXISTS (SELECT 1 FROM delegation_member m WHERE m.delegation_id = d.id AND `+
			foldedLike(`search_fold(concat_ws(' ', m.family_name, m.given_name, m.family_name || m.given_name, m.romanized_family_name, m.romanized_given_name))`, t)+`))`)
	}
	return collect[expodesk.DelegationRow](ctx, s.db, "list delegations",
		`SELECT `+delegationColumns+`, coalesce(pv.name, '{}') AS host_pavilion_name,
			(SELECT count(*)::int FROM delegation_member m WHERE m.delegation_id = d.id) AS members,
			(SELECT count(*)::int FROM delegation_member m WHERE m.delegation_id = d.id
				AND m.letter_status = 'requested' AND m.erased_at IS NULL) AS letters_pending
		FROM delegation d LEFT JOIN pavilion pv ON pv.id = d.host_pavilion_id
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY d.arrives_at, d.id`, args...)
}

// DelegationLetters returns the members of an expo's delegations (those
// pavilionID hosts, when not 0) who need an invitation letter, requested
// or issued, by arrival and protocol order. Erased members are left out:
// there is nothing to write a letter to.
func (s *Store) DelegationLetters(ctx context.Context, expoID, pavilionID int64) ([]expodesk.LetterRow, error) {
	return collect[expodesk.LetterRow](ctx, s.db, "list invitation letters",
		`SELECT m.id, m.delegation_id, m.family_name, m.given_name, m.name_order, m.title,
			m.organisation, m.email, m.protocol_role, m.letter_status, m.position, m.erased_at,
			m.romanized_family_name, m.romanized_given_name, m.phone, m.passport_name, m.letter_requested_on, m.letter_issued_on,
			d.name AS delegation_name, d.origin AS delegation_origin, d.arrives_at, d.departs_at
		FROM delegation_member m JOIN delegation d ON d.id = m.delegation_id
		WHERE d.expo_id = $1 AND ($2::bigint = 0 OR d.host_pavilion_id = $2)
		  AND m.letter_status <> 'not_needed' AND m.erased_at IS NULL AND d.status <> 'cancelled'
		ORDER BY d.arrives_at, d.id, m.position, m.id`, expoID, pavilionID)
}

// DashboardDelegations counts an expo's delegations in scope by status. A
// coordinator's scope is the visits their pavilion hosts; "no pavilion" is
// the visits to the whole expo.
func (s *Store) DashboardDelegations(ctx context.Context, expoID int64, sc expodesk.PavilionScope) ([]expodesk.DelegationStatusCount, error) {
	return collect[expodesk.DelegationStatusCount](ctx, s.db, "count delegations by status",
		`SELECT d.status, count(*)::int AS count FROM delegation d
		WHERE d.expo_id = $1 AND `+inScope("d.host_pavilion_id")+`
		GROUP BY d.status`, expoID, sc.PavilionID, sc.NoPavilion)
}

// DashboardLettersPending counts the members of an expo's delegations in
// scope whose invitation letter was requested and not yet issued.
func (s *Store) DashboardLettersPending(ctx context.Context, expoID int64, sc expodesk.PavilionScope) (int, error) {
	var n int
	err := s.db.QueryRow(ctx,
		`SELECT count(*)::int FROM delegation_member m JOIN delegation d ON d.id = m.delegation_id
		WHERE d.expo_id = $1 AND `+inScope("d.host_pavilion_id")+`
		  AND m.letter_status = 'requested' AND m.erased_at IS NULL AND d.status <> 'cancelled'`,
		expoID, sc.PavilionID, sc.NoPavilion).Scan(&n)
	return n, translate(err, "count pending letters")
}

// DashboardMeetings counts the meetings of an expo's delegations in scope
// by status (the meetings themselves are requested from the itinerary).
func (s *Store) DashboardMeetings(ctx context.Context, expoID int64, sc expodesk.PavilionScope) ([]expodesk.MeetingStatusCount, error) {
	return collect[expodesk.MeetingStatusCount](ctx, s.db, "count meetings by status",
		`SELECT mt.status, count(*)::int AS count FROM meeting mt JOIN delegation d ON d.id = mt.delegation_id
		WHERE d.expo_id = $1 AND `+inScope("d.host_pavilion_id")+`
		GROUP BY mt.status`, expoID, sc.PavilionID, sc.NoPavilion)
}
