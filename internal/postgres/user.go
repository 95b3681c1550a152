package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"expodesk/internal/expodesk"
)

const userColumns = `u.id, u.email, u.family_name, u.given_name, u.name_order, u.lang, u.role, u.pavilion_id,
	u.exhibitor_id, coalesce(u.password_hash, '') AS password_hash, u.password_changed_at, u.session_version,
	coalesce(u.totp_secret, '') AS totp_secret, u.totp_enabled_at, u.disabled_at, u.last_sign_in_at, u.created_at`

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
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $9::text IS NULL THEN NULL ELSE now() END)
		RETURNING `+userColumns,
		u.Email, u.FamilyName, u.GivenName, u.NameOrder, u.Lang, u.Role, u.PavilionID, u.ExhibitorID, hash)
}

// UserSetPassword stores a new password hash and bumps the session version,
// which ends every other session of the user.
func (s *Store) UserSetPassword(ctx context.Context, id int64, hash string) (expodesk.User, error) {
	return one[expodesk.User](ctx, s.db, "set password",
		`UPDATE app_user u SET password_hash = $2, password_changed_at = now(),
			session_version = session_version + 1, updated_at = now()
		WHERE u.id = $1 RETURNING `+userColumns, id, hash)
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
		`UPDATE app_user u SET family_name = $2, given_name = $3, name_order = $4, lang = $5, updated_at = now()
		WHERE u.id = $1 RETURNING `+userColumns, id, name.FamilyName, name.GivenName, name.NameOrder, lang)
}

// UserSetDisabled disables (or enables) a user; disabling ends their sessions.
func (s *Store) UserSetDisabled(ctx context.Context, id int64, disabled bool) (expodesk.User, error) {
	return one[expodesk.User](ctx, s.db, "disable user",
		`UPDATE app_user u SET disabled_at = CASE WHEN $2 THEN coalesce(disabled_at, now()) ELSE NULL END,
			session_version = session_version + 1, updated_at = now()
		WHERE u.id = $1 RETURNING `+userColumns, id, disabled)
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

// UserListFilter selects users for the organizer's list.
type UserListFilter struct {
	ExhibitorID int64 // only this company's team
	PavilionID  int64 // only coordinators of, and teams of companies in, this pavilion
}

// UserRow is a user with the name of their company, for lists.
type UserRow struct {
	expodesk.User
	ExhibitorSlug string
	ExhibitorName expodesk.Text
	PavilionName  expodesk.Text
	Pending       bool // invited, no password yet
}

// UserList returns users matching f, organizers first.
func (s *Store) UserList(ctx context.Context, f UserListFilter) ([]UserRow, error) {
	return collect[UserRow](ctx, s.db, "list users",
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

// UserEnableTOTP stores a confirmed TOTP secret with the step just used and
// replaces the recovery codes, in one transaction, bumping the session
// version. A second factor already in place is never replaced this way (that
// would let someone who knows only the password take the account over): it
// is a conflict; turning it off comes first.
func (s *Store) UserEnableTOTP(ctx context.Context, id int64, secret string, step int64, recoveryHashes [][]byte) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx,
			`UPDATE app_user SET totp_secret = $2, totp_enabled_at = now(), totp_last_step = $3,
				session_version = session_version + 1, updated_at = now()
			WHERE id = $1 AND totp_enabled_at IS NULL`, id, secret, step)
		if err != nil {
			return translate(err, "enable totp")
		}
		if tag.RowsAffected() == 0 {
			return expodesk.Errorf(expodesk.ECONFLICT, "auth.totp_already_on")
		}
		return replaceRecoveryCodes(ctx, tx, id, recoveryHashes)
	})
}

// UserDisableTOTP removes the second factor and its recovery codes.
func (s *Store) UserDisableTOTP(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx,
			`UPDATE app_user SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL,
				session_version = session_version + 1, updated_at = now() WHERE id = $1`, id); err != nil {
			return translate(err, "disable totp")
		}
		return replaceRecoveryCodes(ctx, tx, id, nil)
	})
}

// UserUseTOTPStep records that a TOTP step was used, and reports false when it
// (or a later one) already was: a code works once, across every instance.
func (s *Store) UserUseTOTPStep(ctx context.Context, id int64, step int64) (bool, error) {
	tag, err := s.db.Exec(ctx,
		`UPDATE app_user SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)`,
		id, step)
	if err != nil {
		return false, translate(err, "use totp step")
	}
	return tag.RowsAffected() == 1, nil
}

// RecoveryCodesReplace replaces a user's recovery codes with new hashes.
func (s *Store) RecoveryCodesReplace(ctx context.Context, userID int64, hashes [][]byte) error {
	return s.inTx(ctx, func(tx pgx.Tx) error { return replaceRecoveryCodes(ctx, tx, userID, hashes) })
}

func replaceRecoveryCodes(ctx context.Context, tx pgx.Tx, userID int64, hashes [][]byte) error {
	if _, err := tx.Exec(ctx, `DELETE FROM recovery_code WHERE user_id = $1`, userID); err != nil {
		return translate(err, "clear recovery codes")
	}
	for _, h := range hashes {
		if _, err := tx.Exec(ctx, `INSERT INTO recovery_code (user_id, code_hash) VALUES ($1, $2)`, userID, h); err != nil {
			return translate(err, "store recovery code")
		}
	}
	return nil
}

// RecoveryCodeUse spends one unused recovery code; false when it is unknown or spent.
func (s *Store) RecoveryCodeUse(ctx context.Context, userID int64, hash []byte) (bool, error) {
	tag, err := s.db.Exec(ctx,
		`UPDATE recovery_code SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`,
		userID, hash, s.now())
	if err != nil {
		return false, translate(err, "use recovery code")
	}
	return tag.RowsAffected() == 1, nil
}

// RecoveryCodesLeft counts a user's unused recovery codes.
func (s *Store) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT count(*) FROM recovery_code WHERE user_id = $1 AND used_at IS NULL`, userID).Scan(&n)
	return n, translate(err, "count recovery codes")
}

// TokenCreate stores the hash of a new single-use token.
func (s *Store) TokenCreate(ctx context.Context, kind string, userID int64, createdBy *int64, hash []byte, ttl time.Duration) error {
	now := s.now()
	_, err := s.db.Exec(ctx,
		`INSERT INTO user_token (kind, token_hash, user_id, created_by, expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, kind, hash, userID, createdBy, now.Add(ttl), now)
	return translate(err, "create token")
}

// TokenPeek returns the user a valid (unused, unexpired) token belongs to,
// without spending it; EGONE otherwise, whether unknown, used or expired.
func (s *Store) TokenPeek(ctx context.Context, kind string, hash []byte) (expodesk.User, error) {
	u, err := one[expodesk.User](ctx, s.db, "peek token",
		`SELECT `+userColumns+` FROM user_token t JOIN app_user u ON u.id = t.user_id
		WHERE t.kind = $1 AND t.token_hash = $2 AND t.used_at IS NULL AND t.expires_at > $3 AND u.disabled_at IS NULL`,
		kind, hash, s.now())
	if expodesk.ErrorCode(err) == expodesk.ENOTFOUND {
		return u, expodesk.Errorf(expodesk.EGONE, "auth.token_gone")
	}
	return u, err
}

// TokenRedeem spends a valid token and returns its user. The update is one
// statement guarded by used_at IS NULL, so of two redemptions at the same
// moment exactly one succeeds. Call it in the transaction that acts on it.
func (s *Store) TokenRedeem(ctx context.Context, kind string, hash []byte) (int64, error) {
	var userID int64
	err := s.db.QueryRow(ctx,
		`UPDATE user_token SET used_at = $3 WHERE kind = $1 AND token_hash = $2 AND used_at IS NULL AND expires_at > $3
		RETURNING user_id`, kind, hash, s.now()).Scan(&userID)
	if err != nil {
		if expodesk.ErrorCode(translate(err, "")) == expodesk.ENOTFOUND {
			return 0, expodesk.Errorf(expodesk.EGONE, "auth.token_gone")
		}
		return 0, translate(err, "redeem token")
	}
	return userID, nil
}

// TokensPrune deletes tokens that expired or were spent before the cutoff;
// only their hashes were ever kept, so nothing of value goes.
func (s *Store) TokensPrune(ctx context.Context, before time.Time) error {
	_, err := s.db.Exec(ctx, `DELETE FROM user_token WHERE expires_at < $1 OR used_at < $1`, before)
	return translate(err, "prune tokens")
}

// TokensRevoke spends every open token of a kind for a user (a new reset link
// makes older ones useless).
func (s *Store) TokensRevoke(ctx context.Context, kind string, userID int64) error {
	_, err := s.db.Exec(ctx, `UPDATE user_token SET used_at = $3 WHERE kind = $1 AND user_id = $2 AND used_at IS NULL`,
		kind, userID, s.now())
	return translate(err, "revoke tokens")
}

// SessionsPrune deletes expired sessions (scs's own cleanup goroutine is off:
// the server's janitor does this, once for every kind of expired row).
func (s *Store) SessionsPrune(ctx context.Context) error {
	_, err := s.db.Exec(ctx, `DELETE FROM sessions WHERE expiry < $1`, s.now())
	return translate(err, "prune sessions")
}
