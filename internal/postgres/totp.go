package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"expodesk/internal/expodesk"
)

// UserEnableTOTP stores a confirmed TOTP secret with the step just used and
// replaces the recovery codes, in one transaction, bumping the session
// version. A second factor already in place is never replaced this way (that
// would let someone who knows only the password take the account over): it
// is a conflict; turning it off comes first.
func (s *Store) UserEnableTOTP(ctx context.Context, id int64, secret string, step int64, recoveryHashes [][]byte) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx,
			`UPDATE app_user SET totp_secret = $2, totp_enabled_at = $4, totp_last_step = $3, totp_failures = 0,
				session_version = session_version + 1, updated_at = $4
			WHERE id = $1 AND totp_enabled_at IS NULL`, id, secret, step, s.now())
		if err != nil {
			return translate(err, "enable totp")
		}
		if tag.RowsAffected() == 0 {
			return expodesk.ErrTOTPAlreadyOn
		}
		return replaceRecoveryCodes(ctx, tx, id, recoveryHashes)
	})
}

// UserDisableTOTP removes the second factor and its recovery codes.
func (s *Store) UserDisableTOTP(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx,
			`UPDATE app_user SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL, totp_failures = 0,
				session_version = session_version + 1, updated_at = $2 WHERE id = $1`, id, s.now()); err != nil {
			return translate(err, "disable totp")
		}
		return replaceRecoveryCodes(ctx, tx, id, nil)
	})
}

// UserUseTOTPStep records that a TOTP step was used, and reports false when it
// (or a later one) already was: a code works once, across every instance.
func (s *Store) UserUseTOTPStep(ctx context.Context, id int64, step int64) (bool, error) {
	tag, err := s.db.Exec(ctx,
		`UPDATE app_user SET totp_last_step = $2, totp_failures = 0
		WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) AND totp_failures < $3`,
		id, step, expodesk.TOTPMaxFailures)
	if err != nil {
		return false, translate(err, "use totp step")
	}
	return tag.RowsAffected() == 1, nil
}

// UserTOTPFailed counts one more wrong code in a row and returns the count;
// at expodesk.TOTPMaxFailures the app's codes stop working (UserUseTOTPStep
// refuses them) until a recovery code is used.
func (s *Store) UserTOTPFailed(ctx context.Context, id int64) (int, error) {
	var n int
	err := s.db.QueryRow(ctx,
		`UPDATE app_user SET totp_failures = totp_failures + 1 WHERE id = $1 RETURNING totp_failures`, id).Scan(&n)
	return n, translate(err, "count totp failure")
}

// UserTOTPUnlock clears the count of wrong codes, after a recovery code
// proved the person holds the account.
func (s *Store) UserTOTPUnlock(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, `UPDATE app_user SET totp_failures = 0 WHERE id = $1`, id)
	return translate(err, "unlock totp")
}
