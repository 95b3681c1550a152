package postgres

import (
	"context"
	"strings"

	"expodesk/internal/expodesk"
)

// The dashboard's counts (O5): one grouped query per block, each over one
// expo ($1) narrowed by a pavilion scope ($2: a pavilion id or 0, $3: in no
// pavilion), so that a coordinator's numbers are their pavilion's by the
// same condition as their lists.

// profileGapConditions are the SQL tests of each gap on the exhibitor e.
var profileGapConditions = map[expodesk.ProfileGap]string{
	expodesk.GapLogo:        `NOT EXISTS (SELECT 1 FROM logo l WHERE l.exhibitor_id = e.id)`,
	expodesk.GapChineseName: `btrim(coalesce(e.name->>'zh', '')) = ''`,
	expodesk.GapDescription: `btrim(coalesce(e.description->>'en', '') || coalesce(e.description->>'zh', '') ||
		coalesce(e.description->>'es', '')) = ''`,
}

// profileGapCondition is the SQL test of gap g on the exhibitor e, and ok
// false for an unknown gap.
func profileGapCondition(g expodesk.ProfileGap) (string, bool) {
	if g == expodesk.GapAny {
		return "(" + profileGapConditions[expodesk.GapLogo] + " OR " + profileGapConditions[expodesk.GapChineseName] +
			" OR " + profileGapConditions[expodesk.GapDescription] + ")", true
	}
	c, ok := profileGapConditions[g]
	return c, ok
}

// activeStatusList is expodesk.ActiveStatuses as an SQL list.
func activeStatusList() string {
	var b strings.Builder
	b.WriteString("(")
	for i, s := range expodesk.ActiveStatuses {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("'" + string(s) + "'")
	}
	b.WriteString(")")
	return b.String()
}

// inScope is the condition that keeps a row whose pavilion column is col in
// the scope given as $2 and $3.
func inScope(col string) string {
	return `($2::bigint = 0 OR ` + col + ` = $2) AND (NOT $3::boolean OR ` + col + ` IS NULL)`
}

// DashboardStatuses counts an expo's participations in scope by pavilion and status.
func (s *Store) DashboardStatuses(ctx context.Context, expoID int64, sc expodesk.PavilionScope) ([]expodesk.StatusCount, error) {
	return collect[expodesk.StatusCount](ctx, s.db, "count participations by status",
		`SELECT p.pavilion_id, p.status, count(*)::int AS count FROM participation p
		WHERE p.expo_id = $1 AND `+inScope("p.pavilion_id")+`
		GROUP BY p.pavilion_id, p.status`, expoID, sc.PavilionID, sc.NoPavilion)
}

// DashboardInvitations counts the accounts invited and not yet set up
// (no password, not disabled) that belong to the scope: the teams of its
// companies still in play, and the coordinators of its pavilions.
func (s *Store) DashboardInvitations(ctx context.Context, expoID int64, sc expodesk.PavilionScope) (expodesk.InvitationCounts, error) {
	return one[expodesk.InvitationCounts](ctx, s.db, "count invitations",
		`WITH invited AS (
			SELECT EXISTS (SELECT 1 FROM user_token t WHERE t.user_id = u.id AND t.kind = 'invitation'
				AND t.used_at IS NULL AND t.expires_at > $4) AS usable
			FROM app_user u
			WHERE u.password_hash IS NULL AND u.disabled_at IS NULL
			  AND (u.exhibitor_id IN (SELECT p.exhibitor_id FROM participation p
			                          WHERE p.expo_id = $1 AND p.status IN `+activeStatusList()+` AND `+inScope("p.pavilion_id")+`)
			       OR u.pavilion_id IN (SELECT pv.id FROM pavilion pv WHERE pv.expo_id = $1 AND NOT $3::boolean
			                            AND ($2::bigint = 0 OR pv.id = $2))))
		SELECT count(*) FILTER (WHERE usable)::int AS pending, count(*) FILTER (WHERE NOT usable)::int AS expired
		FROM invited`, expoID, sc.PavilionID, sc.NoPavilion, s.now())
}

// DashboardProfileGaps counts the companies still in play in scope whose
// profile has each gap.
func (s *Store) DashboardProfileGaps(ctx context.Context, expoID int64, sc expodesk.PavilionScope) (expodesk.ProfileGapCounts, error) {
	anyGap, _ := profileGapCondition(expodesk.GapAny)
	return one[expodesk.ProfileGapCounts](ctx, s.db, "count profile gaps",
		`SELECT count(*) FILTER (WHERE `+anyGap+`)::int AS any,
			count(*) FILTER (WHERE `+profileGapConditions[expodesk.GapLogo]+`)::int AS no_logo,
			count(*) FILTER (WHERE `+profileGapConditions[expodesk.GapChineseName]+`)::int AS no_chinese_name,
			count(*) FILTER (WHERE `+profileGapConditions[expodesk.GapDescription]+`)::int AS no_description
		FROM participation p JOIN exhibitor e ON e.id = p.exhibitor_id
		WHERE p.expo_id = $1 AND p.status IN `+activeStatusList()+` AND `+inScope("p.pavilion_id"),
		expoID, sc.PavilionID, sc.NoPavilion)
}

// DashboardSlots counts the roadshow slots of each stage in scope, in the
// stages' order. A booking on a blocked slot counts as booked.
func (s *Store) DashboardSlots(ctx context.Context, expoID int64, sc expodesk.PavilionScope) ([]expodesk.StageSlotCounts, error) {
	return collect[expodesk.StageSlotCounts](ctx, s.db, "count slots",
		`SELECT st.id AS stage_id, st.name AS stage_name, st.pavilion_id, coalesce(pv.slug, '') AS pavilion_slug,
			count(sl.id)::int AS total,
			count(b.id)::int AS booked,
			count(sl.id) FILTER (WHERE sl.blocked AND b.id IS NULL)::int AS blocked
		FROM stage st
		LEFT JOIN pavilion pv ON pv.id = st.pavilion_id
		LEFT JOIN slot sl ON sl.stage_id = st.id
		LEFT JOIN booking b ON b.slot_id = sl.id AND b.status = 'active'
		WHERE st.expo_id = $1 AND `+inScope("st.pavilion_id")+`
		GROUP BY st.id, pv.slug
		ORDER BY st.position, st.id`, expoID, sc.PavilionID, sc.NoPavilion)
}
