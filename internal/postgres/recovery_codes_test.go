package postgres_test

import (
	"testing"
	"time"
)

// codes returns hashes standing for recovery codes (the store only compares bytes).
func codes(names ...string) [][]byte {
	out := make([][]byte, len(names))
	for i, n := range names {
		out[i] = tokenHash(n)
	}
	return out
}

func (w accountsWorld) codesLeft(userID int64) int {
	w.t.Helper()
	n, err := w.s.RecoveryCodesLeft(w.ctx, userID)
	w.must(err)
	return n
}

func TestRecoveryCodes(t *testing.T) {
	t.Parallel()
	w := newAccountsWorld(t)
	u := w.organizer("org@example.es", nil)
	other := w.organizer("other@example.es", nil)
	w.must(w.s.RecoveryCodesReplace(w.ctx, other.ID, codes("other-1")))

	t.Run("NoneYet", func(t *testing.T) {
		if n := w.codesLeft(u.ID); n != 0 {
			t.Errorf("%d codes before any were made", n)
		}
	})
	t.Run("Replace", func(t *testing.T) {
		w.must(w.s.RecoveryCodesReplace(w.ctx, u.ID, codes("a1", "a2", "a3")))
		if n := w.codesLeft(u.ID); n != 3 {
			t.Errorf("%d codes left, want 3", n)
		}
	})
	t.Run("UseOnce", func(t *testing.T) {
		ok, err := w.s.RecoveryCodeUse(w.ctx, u.ID, tokenHash("a1"))
		if err != nil || !ok {
			t.Fatalf("first use: %v, %v", ok, err)
		}
		if n := w.codesLeft(u.ID); n != 2 {
			t.Errorf("%d codes left after one use, want 2", n)
		}
		var usedAt time.Time
		w.must(w.pool.QueryRow(w.ctx, `SELECT used_at FROM recovery_code WHERE user_id = $1 AND code_hash = $2`,
			u.ID, tokenHash("a1")).Scan(&usedAt))
		if !usedAt.Equal(accountsT0) {
			t.Errorf("used at %v, want the clock's %v", usedAt, accountsT0)
		}
		ok, err = w.s.RecoveryCodeUse(w.ctx, u.ID, tokenHash("a1"))
		if err != nil || ok {
			t.Errorf("second use of a spent code: %v, %v; want false", ok, err)
		}
		if n := w.codesLeft(u.ID); n != 2 {
			t.Errorf("%d codes left after a refused reuse, want 2", n)
		}
	})
	t.Run("Unknown", func(t *testing.T) {
		ok, err := w.s.RecoveryCodeUse(w.ctx, u.ID, tokenHash("not a code"))
		if err != nil || ok {
			t.Errorf("unknown code: %v, %v; want false", ok, err)
		}
	})
	t.Run("OtherUsersCode", func(t *testing.T) {
		ok, err := w.s.RecoveryCodeUse(w.ctx, u.ID, tokenHash("other-1"))
		if err != nil || ok {
			t.Errorf("another user's code: %v, %v; want false", ok, err)
		}
		if n := w.codesLeft(other.ID); n != 1 {
			t.Errorf("the other user has %d codes left, want 1", n)
		}
	})
	t.Run("ReplaceDropsOld", func(t *testing.T) {
		w.must(w.s.RecoveryCodesReplace(w.ctx, u.ID, codes("b1", "b2")))
		if n := w.codesLeft(u.ID); n != 2 {
			t.Errorf("%d codes left after replacing, want 2", n)
		}
		ok, err := w.s.RecoveryCodeUse(w.ctx, u.ID, tokenHash("a2"))
		if err != nil || ok {
			t.Errorf("an old code after replacing: %v, %v; want false", ok, err)
		}
		if ok, err := w.s.RecoveryCodeUse(w.ctx, u.ID, tokenHash("b1")); err != nil || !ok {
			t.Errorf("a new code: %v, %v", ok, err)
		}
	})
	t.Run("ReplaceWithNone", func(t *testing.T) {
		w.must(w.s.RecoveryCodesReplace(w.ctx, u.ID, nil))
		if n := w.codesLeft(u.ID); n != 0 {
			t.Errorf("%d codes left, want 0", n)
		}
		if n := w.codesLeft(other.ID); n != 1 {
			t.Errorf("replacing one user's codes touched another's: %d left", n)
		}
	})
	t.Run("ErrDuplicateRollsBack", func(t *testing.T) {
		w.must(w.s.RecoveryCodesReplace(w.ctx, u.ID, codes("c1")))
		if err := w.s.RecoveryCodesReplace(w.ctx, u.ID, codes("d1", "d1")); err == nil {
			t.Fatal("replacing with a duplicate code succeeded")
		}
		// One transaction: the old codes are still there.
		if ok, err := w.s.RecoveryCodeUse(w.ctx, u.ID, tokenHash("c1")); err != nil || !ok {
			t.Errorf("the old code after a failed replacement: %v, %v", ok, err)
		}
	})
}
