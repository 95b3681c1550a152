package postgres

import (
	"context"
	"time"

	"expodesk/internal/expodesk"
)

const teamInvitationColumns = `i.id, i.exhibitor_id, i.email, i.user_id, i.invited_by, i.created_at`

// TeamInvitationAdd records an invitation a company's team sent.
func (s *Store) TeamInvitationAdd(ctx context.Context, inv expodesk.TeamInvitation) (expodesk.TeamInvitation, error) {
	return one[expodesk.TeamInvitation](ctx, s.db, "add team invitation",
		`INSERT INTO team_invitation AS i (exhibitor_id, email, user_id, invited_by, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING `+teamInvitationColumns,
		inv.ExhibitorID, inv.Email, inv.UserID, inv.InvitedBy, s.now())
}

// TeamInvitationsOpen lists a company's invitations sent after since that
// are still open: not accepted (the account they created has no password
// yet, or they created none), newest first.
func (s *Store) TeamInvitationsOpen(ctx context.Context, exhibitorID int64, since time.Time) ([]expodesk.TeamInvitation, error) {
	return collect[expodesk.TeamInvitation](ctx, s.db, "list team invitations",
		`SELECT `+teamInvitationColumns+` FROM team_invitation i LEFT JOIN app_user u ON u.id = i.user_id
		WHERE i.exhibitor_id = $1 AND i.created_at > $2 AND (i.user_id IS NULL OR u.password_hash IS NULL)
		ORDER BY i.created_at DESC, i.id DESC`, exhibitorID, since)
}

// TeamInvitationGet returns one of a company's invitations; another
// company's is not found.
func (s *Store) TeamInvitationGet(ctx context.Context, exhibitorID, id int64) (expodesk.TeamInvitation, error) {
	return one[expodesk.TeamInvitation](ctx, s.db, "get team invitation",
		`SELECT `+teamInvitationColumns+` FROM team_invitation i WHERE i.exhibitor_id = $1 AND i.id = $2`, exhibitorID, id)
}

// TeamInvitationGetForUpdate is TeamInvitationGet with the row locked
// until the transaction ends.
func (s *Store) TeamInvitationGetForUpdate(ctx context.Context, exhibitorID, id int64) (expodesk.TeamInvitation, error) {
	return one[expodesk.TeamInvitation](ctx, s.db, "lock team invitation",
		`SELECT `+teamInvitationColumns+` FROM team_invitation i WHERE i.exhibitor_id = $1 AND i.id = $2 FOR UPDATE`, exhibitorID, id)
}

// TeamInvitationDelete removes an invitation from the list.
func (s *Store) TeamInvitationDelete(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, `DELETE FROM team_invitation WHERE id = $1`, id)
	return translate(err, "delete team invitation")
}
