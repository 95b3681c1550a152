package postgres

import (
	"context"
	"time"

	"expodesk/internal/expodesk"
)

// Public applications (E5): the applicant a participation names, the
// profile kept at approval and the reason of a rejection.

// ApplicationCreate inserts the participation of a public application:
// status applied, with the applicant and their note. A second application
// from the same address to the same expo is ErrApplicationRepeat.
func (s *Store) ApplicationCreate(ctx context.Context, p expodesk.Participation, contact expodesk.Applicant, note string) (expodesk.Participation, error) {
	return one[expodesk.Participation](ctx, s.db, "create application",
		`INSERT INTO participation AS p (expo_id, exhibitor_id, pavilion_id, status, application_note,
			contact_family_name, contact_given_name, contact_email, contact_lang)
		VALUES ($1, $2, $3, 'applied', $4, $5, $6, $7, $8)
		RETURNING `+participationColumns,
		p.ExpoID, p.ExhibitorID, p.PavilionID, note, contact.Name.FamilyName, contact.Name.GivenName, contact.Email, contact.Lang)
}

// ApplicationGet returns what participation id keeps of its application and decision.
func (s *Store) ApplicationGet(ctx context.Context, id int64) (expodesk.ApplicationRecord, error) {
	type row struct {
		expodesk.Participation
		Note              string
		FamilyName        string
		GivenName         string
		Email             string
		Lang              expodesk.Lang
		RejectionReason   string
		ProfileAtApproval *expodesk.ProfileSnapshot
		DecidedAt         *time.Time
	}
	r, err := one[row](ctx, s.db, "get application",
		`SELECT `+participationColumns+`, p.application_note AS note, p.contact_family_name AS family_name,
			p.contact_given_name AS given_name, p.contact_email AS email, p.contact_lang AS lang,
			p.rejection_reason, p.profile_at_approval, p.decided_at
		FROM participation p WHERE p.id = $1`, id)
	if err != nil {
		return expodesk.ApplicationRecord{}, err
	}
	out := expodesk.ApplicationRecord{Participation: r.Participation, Note: r.Note, RejectionReason: r.RejectionReason,
		ProfileAtApproval: r.ProfileAtApproval, DecidedAt: r.DecidedAt,
		Contact: expodesk.Applicant{Email: r.Email, Lang: r.Lang,
			Name: expodesk.PersonName{FamilyName: r.FamilyName, GivenName: r.GivenName, NameOrder: expodesk.GuessNameOrder(r.FamilyName)}}}
	return out, nil
}

// ParticipationRecordApproval keeps the company's profile as it is at the
// approval of participation id, for the diff organizers read later.
func (s *Store) ParticipationRecordApproval(ctx context.Context, id int64, profile expodesk.ProfileSnapshot) error {
	_, err := s.db.Exec(ctx, `UPDATE participation SET profile_at_approval = $2 WHERE id = $1`, id, profile)
	return translate(err, "record approval profile")
}

// ParticipationRecordRejection keeps the reason participation id was rejected.
func (s *Store) ParticipationRecordRejection(ctx context.Context, id int64, reason string) error {
	_, err := s.db.Exec(ctx, `UPDATE participation SET rejection_reason = $2 WHERE id = $1`, id, reason)
	return translate(err, "record rejection reason")
}

// ExhibitorHasUsers reports whether any account belongs to the company's team.
func (s *Store) ExhibitorHasUsers(ctx context.Context, exhibitorID int64) (bool, error) {
	var ok bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM app_user WHERE exhibitor_id = $1)`, exhibitorID).Scan(&ok)
	return ok, translate(err, "check exhibitor users")
}

// ExhibitorIDByRegistrationID returns the id of the company holding a
// registration id, or ErrNotFound.
func (s *Store) ExhibitorIDByRegistrationID(ctx context.Context, regID string) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx, `SELECT id FROM exhibitor WHERE registration_id = $1 AND registration_id <> ''`, regID).Scan(&id)
	return id, translate(err, "find exhibitor by registration id")
}

// ApplicationEmailUsed reports whether a participation of expo expoID
// already names this applicant address (compared case-insensitively).
func (s *Store) ApplicationEmailUsed(ctx context.Context, expoID int64, email string) (bool, error) {
	var ok bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM participation
		WHERE expo_id = $1 AND contact_email <> '' AND lower(contact_email) = lower($2))`, expoID, email).Scan(&ok)
	return ok, translate(err, "check application address")
}
