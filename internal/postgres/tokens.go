package postgres

import (
	"context"
	"time"

	"expodesk/internal/expodesk"
)

// TokenCreate stores the hash of a new single-use token.
func (s *Store) TokenCreate(ctx context.Context, kind expodesk.TokenKind, userID int64, createdBy *int64, hash []byte, ttl time.Duration) error {
	now := s.now()
	_, err := s.db.Exec(ctx,
		`INSERT INTO user_token (kind, token_hash, user_id, created_by, expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, kind, hash, userID, createdBy, now.Add(ttl), now)
	return translate(err, "create token")
}

// TokenPeek returns the user a valid (unused, unexpired) token belongs to,
// without spending it; EGONE otherwise, whether unknown, used or expired.
func (s *Store) TokenPeek(ctx context.Context, kind expodesk.TokenKind, hash []byte) (expodesk.User, error) {
	u, err := one[expodesk.User](ctx, s.db, "peek token",
		`SELECT `+userColumns+` FROM user_token t JOIN app_user u ON u.id = t.user_id
		WHERE t.kind = $1 AND t.token_hash = $2 AND t.used_at IS NULL AND t.expires_at > $3 AND u.disabled_at IS NULL`,
		kind, hash, s.now())
	if expodesk.ErrorCode(err) == expodesk.ENOTFOUND {
		return u, expodesk.ErrTokenGone
	}
	return u, err
}

// TokenRedeem spends a valid token and returns its user. The update is one
// statement guarded by used_at IS NULL, so of two redemptions at the same
// moment exactly one succeeds; a disabled account's token is gone, as at
// TokenPeek. Call it in the transaction that acts on it.
func (s *Store) TokenRedeem(ctx context.Context, kind expodesk.TokenKind, hash []byte) (int64, error) {
	var userID int64
	err := s.db.QueryRow(ctx,
		`UPDATE user_token t SET used_at = $3 WHERE kind = $1 AND token_hash = $2 AND used_at IS NULL AND expires_at > $3
			AND EXISTS (SELECT 1 FROM app_user u WHERE u.id = t.user_id AND u.disabled_at IS NULL)
		RETURNING user_id`, kind, hash, s.now()).Scan(&userID)
	if err != nil {
		if expodesk.ErrorCode(translate(err, "")) == expodesk.ENOTFOUND {
			return 0, expodesk.ErrTokenGone
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
func (s *Store) TokensRevoke(ctx context.Context, kind expodesk.TokenKind, userID int64) error {
	_, err := s.db.Exec(ctx, `UPDATE user_token SET used_at = $3 WHERE kind = $1 AND user_id = $2 AND used_at IS NULL`,
		kind, userID, s.now())
	return translate(err, "revoke tokens")
}
