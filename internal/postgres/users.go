package postgres

import (
	"context"
	"errors"

	"expodesk/internal/expodesk"
)

const userColumns = `u.id, u.email, u.family_name, u.given_name, u.name_order, u.lang, u.role, u.pavilion_id,
	u.exhibitor_id, coalesce(u.password_hash, '') AS password_hash, u.password_changed_at, u.session_version,
	coalesce(u.totp_secret, '') AS totp_secret, u.totp_enabled_at, u.totp_failures, u.disabled_at, u.last_sign_in_at, u.created_at`

// UserGet returns the user with the given id.
func (s *Store) UserGet(ctx context.Context, id int64) (expodesk.User, error) {
	return one[expodesk.User](ctx, s.db, "get user", `SELECT `+userColumns+` FROM app_user u WHERE u.id = $1`, id)
}

// UserGetByEmail returns the user with the given email, compared case-insensitively.
func (s *Store) UserGetByEmail(ctx context.Context, email string) (expodesk.User, error) {
	return one[expodesk.User](ctx, s.db, "get user",
		`SELECT `+userColumns+` FROM app_user u WHERE lower(u.email) = lower($1)`, email)
}

// UserPrincipal returns the principal acting for an enabled user, with the
// expo of a coordinator's pavilion; a disabled or unknown user is not found.
func (s *Store) UserPrincipal(ctx context.Context, id int64) (expodesk.User, *expodesk.Principal, error) {
	type row struct {
		expodesk.User
		PavilionExpoID *int64
	}
	r, err := one[row](ctx, s.db, "get principal",
		`SELECT `+userColumns+`, pv.expo_id AS pavilion_expo_id
		FROM app_user u LEFT JOIN pavilion pv ON pv.id = u.pavilion_id
		WHERE u.id = $1 AND u.disabled_at IS NULL`, id)
	if err != nil {
		return expodesk.User{}, nil, err
	}
	var expoID int64
	if r.PavilionExpoID != nil {
		expoID = *r.PavilionExpoID
	}
	return r.User, expodesk.PrincipalOf(r.User, expoID), nil
}

// UserCreate inserts a user (without a password until an invitation is accepted).
func (s *Store) UserCreate(ctx context.Context, u expodesk.User) (expodesk.User, error) {
	if u.NameOrder == "" {
		u.NameOrder = expodesk.GuessNameOrder(u.FamilyName)
	}
	if u.Lang == "" {
		u.Lang = expodesk.EN
	}
	var hash *string
	if u.PasswordHash != "" {
		hash = &u.PasswordHash
	}
	return one[expodesk.User](ctx, s.db, "create user",
		`INSERT INTO app_user AS u (email, family_name, given_name, name_order, lang, role, pavilion_id, exhibitor_id,
			password_hash, password_changed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $9::text IS NULL THEN NULL ELSE $10::timestamptz END)
		RETURNING `+userColumns,
		u.Email, u.FamilyName, u.GivenName, u.NameOrder, u.Lang, u.Role, u.PavilionID, u.ExhibitorID, hash, s.now())
}

// UserSetPassword stores a new password hash and bumps the session version,
// which ends every other session of the user.
func (s *Store) UserSetPassword(ctx context.Context, id int64, hash string) (expodesk.User, error) {
	return one[expodesk.User](ctx, s.db, "set password",
		`UPDATE app_user u SET password_hash = $2, password_changed_at = $3,
			session_version = session_version + 1, updated_at = $3
		WHERE u.id = $1 RETURNING `+userColumns, id, hash, s.now())
}

// UserChangePassword is UserSetPassword for a change confirmed with the
// current password: it writes only while the hash is still the one that
// password was checked against, so that of two changes at the same moment
// the second is refused (ErrPasswordChangedMeanwhile), not silently last.
func (s *Store) UserChangePassword(ctx context.Context, id int64, checkedHash, hash string) (expodesk.User, error) {
	u, err := one[expodesk.User](ctx, s.db, "change password",
		`UPDATE app_user u SET password_hash = $3, password_changed_at = $4,
			session_version = session_version + 1, updated_at = $4
		WHERE u.id = $1 AND u.password_hash = $2 RETURNING `+userColumns, id, checkedHash, hash, s.now())
	if errors.Is(err, expodesk.ErrNotFound) {
		return u, expodesk.ErrPasswordChangedMeanwhile
	}
	return u, err
}

// UserUpgradeHash replaces a hash made with weaker parameters after a
// successful sign-in; it changes nothing else.
func (s *Store) UserUpgradeHash(ctx context.Context, id int64, oldHash, newHash string) error {
	_, err := s.db.Exec(ctx, `UPDATE app_user SET password_hash = $3 WHERE id = $1 AND password_hash = $2`,
		id, oldHash, newHash)
	return translate(err, "upgrade password hash")
}

// UserRecordSignIn notes a successful sign-in.
func (s *Store) UserRecordSignIn(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, `UPDATE app_user SET last_sign_in_at = $2 WHERE id = $1`, id, s.now())
	return translate(err, "record sign-in")
}

// UserUpdateProfile changes a user's own name and language.
func (s *Store) UserUpdateProfile(ctx context.Context, id int64, name expodesk.PersonName, lang expodesk.Lang) (expodesk.User, error) {
	return one[expodesk.User](ctx, s.db, "update profile",
		`UPDATE app_user u SET family_name = $2, given_name = $3, name_order = $4, lang = $5, updated_at = $6
		WHERE u.id = $1 RETURNING `+userColumns, id, name.FamilyName, name.GivenName, name.NameOrder, lang, s.now())
}

// UserSetDisabled disables (or enables) a user; disabling ends their sessions.
func (s *Store) UserSetDisabled(ctx context.Context, id int64, disabled bool) (expodesk.User, error) {
	return one[expodesk.User](ctx, s.db, "disable user",
		`UPDATE app_user u SET disabled_at = CASE WHEN $2 THEN coalesce(disabled_at, $3) ELSE NULL END,
			session_version = session_version + 1, updated_at = $3
		WHERE u.id = $1 RETURNING `+userColumns, id, disabled, s.now())
}

// UserDelete removes a user; the audit log keeps their email as the actor label.
func (s *Store) UserDelete(ctx context.Context, id int64) error {
	tag, err := s.db.Exec(ctx, `DELETE FROM app_user WHERE id = $1`, id)
	if err != nil {
		return translate(err, "delete user")
	}
	if tag.RowsAffected() == 0 {
		return expodesk.ErrNotFound
	}
	return nil
}

// UserList returns users matching f, organizers first.
func (s *Store) UserList(ctx context.Context, f expodesk.UserFilter) ([]expodesk.UserRow, error) {
	return collect[expodesk.UserRow](ctx, s.db, "list users",
		`SELECT `+userColumns+`, coalesce(x.slug, '') AS exhibitor_slug, coalesce(x.name, '{}') AS exhibitor_name,
			coalesce(pv.name, '{}') AS pavilion_name, u.password_hash IS NULL AS pending
		FROM app_user u
		LEFT JOIN exhibitor x ON x.id = u.exhibitor_id
		LEFT JOIN pavilion pv ON pv.id = u.pavilion_id
		WHERE ($1 = 0 OR u.exhibitor_id = $1)
		  AND ($2 = 0 OR u.pavilion_id = $2 OR u.exhibitor_id IN
		       (SELECT exhibitor_id FROM participation WHERE pavilion_id = $2 AND `+inPavilion+`))
		ORDER BY u.role DESC, lower(u.email)`, f.ExhibitorID, f.PavilionID)
}

// inPavilion is the participation statuses that put a company in its
// pavilion coordinator's care.
const inPavilion = "status IN ('invited', 'applied', 'approved')"

// ExhibitorInPavilion reports whether the exhibitor is invited to, applying
// for or approved in the pavilion, which is what puts it in the pavilion
// coordinator's care; a rejected or withdrawn company is not.
func (s *Store) ExhibitorInPavilion(ctx context.Context, exhibitorID, pavilionID int64) (bool, error) {
	var ok bool
	err := s.db.QueryRow(ctx,
		`SELECT EXISTS (SELECT 1 FROM participation WHERE exhibitor_id = $1 AND pavilion_id = $2 AND `+inPavilion+`)`,
		exhibitorID, pavilionID).Scan(&ok)
	return ok, translate(err, "check pavilion membership")
}
