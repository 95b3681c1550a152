package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
)

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
