package postgres

import (
	"context"

	"expodesk/internal/expodesk"
)

// Contact is a company's team member that mail about its bookings goes to.
type Contact struct {
	Email string
	Lang  expodesk.Lang
}

// ExhibitorContacts returns the enabled users of company exhibitorID, the
// people told when an organizer changes one of its bookings.
func (s *Store) ExhibitorContacts(ctx context.Context, exhibitorID int64) ([]Contact, error) {
	return collect[Contact](ctx, s.db, "list company contacts",
		`SELECT u.email, u.lang FROM app_user u
		WHERE u.exhibitor_id = $1 AND u.disabled_at IS NULL ORDER BY u.id`, exhibitorID)
}
