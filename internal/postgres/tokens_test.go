package postgres_test

import (
	"crypto/sha256"
	"sync"
	"testing"
	"time"

	"expodesk/internal/expodesk"
)

// tokenHash is what the store keeps of a token: its SHA-256.
func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// openTokens counts a user's unspent tokens, expired or not.
func (w accountsWorld) openTokens(userID int64) int {
	w.t.Helper()
	var n int
	w.must(w.pool.QueryRow(w.ctx, `SELECT count(*) FROM user_token WHERE user_id = $1 AND used_at IS NULL`, userID).Scan(&n))
	return n
}

func (w accountsWorld) allTokens() int {
	w.t.Helper()
	var n int
	w.must(w.pool.QueryRow(w.ctx, `SELECT count(*) FROM user_token`).Scan(&n))
	return n
}

func TestTokenCreate(t *testing.T) {
	t.Parallel()
	w := newAccountsWorld(t)
	org := w.organizer("org@example.es", nil)
	u := w.member("new@taihu.example.com", w.sensing.ID)

	t.Run("OK", func(t *testing.T) {
		w.must(w.s.TokenCreate(w.ctx, expodesk.TokenInvitation, u.ID, &org.ID, tokenHash("create-ok"), 72*time.Hour))
		var kind expodesk.TokenKind
		var createdBy int64
		var expires, created time.Time
		w.must(w.pool.QueryRow(w.ctx, `SELECT kind, created_by, expires_at, created_at FROM user_token WHERE token_hash = $1`,
			tokenHash("create-ok")).Scan(&kind, &createdBy, &expires, &created))
		if kind != "invitation" || createdBy != org.ID || !created.Equal(accountsT0) || !expires.Equal(accountsT0.Add(72*time.Hour)) {
			t.Errorf("stored %s by %d, created %v, expires %v", kind, createdBy, created, expires)
		}
	})
	t.Run("ErrHashTaken", func(t *testing.T) {
		w.must(w.s.TokenCreate(w.ctx, expodesk.TokenInvitation, u.ID, nil, tokenHash("twice"), time.Hour))
		wantCode(t, w.s.TokenCreate(w.ctx, expodesk.TokenPasswordReset, u.ID, nil, tokenHash("twice"), time.Hour), expodesk.ECONFLICT)
	})
	t.Run("ErrUnknownKind", func(t *testing.T) {
		wantCode(t, w.s.TokenCreate(w.ctx, "magic_link", u.ID, nil, tokenHash("kind"), time.Hour), expodesk.EINVALID)
	})
	t.Run("ErrShortHash", func(t *testing.T) {
		wantCode(t, w.s.TokenCreate(w.ctx, expodesk.TokenInvitation, u.ID, nil, []byte("raw token"), time.Hour), expodesk.EINVALID)
	})
	t.Run("ErrNoLifetime", func(t *testing.T) {
		wantCode(t, w.s.TokenCreate(w.ctx, expodesk.TokenInvitation, u.ID, nil, tokenHash("no-ttl"), 0), expodesk.EINVALID)
	})
	t.Run("ErrUnknownUser", func(t *testing.T) {
		wantCode(t, w.s.TokenCreate(w.ctx, expodesk.TokenInvitation, 987654321, nil, tokenHash("ghost"), time.Hour), expodesk.EINVALID)
	})
}

func TestTokenPeekAndRedeem(t *testing.T) {
	t.Parallel()
	w := newAccountsWorld(t)
	u := w.member("reset@taihu.example.com", w.sensing.ID)
	create := func(t *testing.T, kind expodesk.TokenKind, token string, ttl time.Duration) {
		t.Helper()
		w.must(w.s.TokenCreate(w.ctx, kind, u.ID, nil, tokenHash(token), ttl))
	}

	t.Run("OK", func(t *testing.T) {
		create(t, expodesk.TokenPasswordReset, "ok", time.Hour)
		// Peeking (showing the form) does not spend the token.
		for range 2 {
			got, err := w.s.TokenPeek(w.ctx, expodesk.TokenPasswordReset, tokenHash("ok"))
			if err != nil || got.ID != u.ID || got.Email != u.Email {
				t.Fatalf("TokenPeek = %d, %v; want user %d", got.ID, err, u.ID)
			}
		}
		id, err := w.s.TokenRedeem(w.ctx, expodesk.TokenPasswordReset, tokenHash("ok"))
		if err != nil || id != u.ID {
			t.Fatalf("TokenRedeem = %d, %v; want %d", id, err, u.ID)
		}
	})
	t.Run("ErrGoneOnceRedeemed", func(t *testing.T) {
		create(t, expodesk.TokenPasswordReset, "once", time.Hour)
		if _, err := w.s.TokenRedeem(w.ctx, expodesk.TokenPasswordReset, tokenHash("once")); err != nil {
			t.Fatal(err)
		}
		_, err := w.s.TokenRedeem(w.ctx, expodesk.TokenPasswordReset, tokenHash("once"))
		wantCode(t, err, expodesk.EGONE)
		_, err = w.s.TokenPeek(w.ctx, expodesk.TokenPasswordReset, tokenHash("once"))
		wantCode(t, err, expodesk.EGONE)
	})
	t.Run("ErrGoneUnknown", func(t *testing.T) {
		_, err := w.s.TokenPeek(w.ctx, expodesk.TokenPasswordReset, tokenHash("never issued"))
		wantCode(t, err, expodesk.EGONE)
		_, err = w.s.TokenRedeem(w.ctx, expodesk.TokenPasswordReset, tokenHash("never issued"))
		wantCode(t, err, expodesk.EGONE)
	})
	t.Run("ErrGoneOtherKind", func(t *testing.T) {
		// A reset link does not accept an invitation, nor the other way round.
		create(t, expodesk.TokenInvitation, "kind", time.Hour)
		_, err := w.s.TokenPeek(w.ctx, expodesk.TokenPasswordReset, tokenHash("kind"))
		wantCode(t, err, expodesk.EGONE)
		_, err = w.s.TokenRedeem(w.ctx, expodesk.TokenPasswordReset, tokenHash("kind"))
		wantCode(t, err, expodesk.EGONE)
		if _, err := w.s.TokenPeek(w.ctx, expodesk.TokenInvitation, tokenHash("kind")); err != nil {
			t.Errorf("the invitation after a wrong-kind redemption: %v", err)
		}
	})
	t.Run("ErrGoneDisabledUser", func(t *testing.T) {
		v := w.member("disabled@taihu.example.com", w.sensing.ID)
		w.must(w.s.TokenCreate(w.ctx, expodesk.TokenPasswordReset, v.ID, nil, tokenHash("disabled"), time.Hour))
		_, err := w.s.UserSetDisabled(w.ctx, v.ID, true)
		w.must(err)
		_, err = w.s.TokenPeek(w.ctx, expodesk.TokenPasswordReset, tokenHash("disabled"))
		wantCode(t, err, expodesk.EGONE)
		_, err = w.s.TokenRedeem(w.ctx, expodesk.TokenPasswordReset, tokenHash("disabled"))
		wantCode(t, err, expodesk.EGONE)
	})
	t.Run("ConcurrentRedeemOneWins", func(t *testing.T) {
		create(t, expodesk.TokenInvitation, "race", time.Hour)
		const n = 8
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = w.s.TokenRedeem(w.ctx, expodesk.TokenInvitation, tokenHash("race"))
			}()
		}
		close(start)
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch expodesk.ErrorCode(err) {
			case "":
				won++
			case expodesk.EGONE:
			default:
				t.Errorf("a losing redemption failed with %v, want gone", err)
			}
		}
		if won != 1 {
			t.Errorf("%d of %d concurrent redemptions succeeded, want exactly 1", won, n)
		}
	})
}

func TestTokenExpired(t *testing.T) {
	t.Parallel()
	w := newAccountsWorld(t)
	u := w.member("slow@taihu.example.com", w.sensing.ID)
	w.must(w.s.TokenCreate(w.ctx, expodesk.TokenInvitation, u.ID, nil, tokenHash("expiring"), time.Hour))

	t.Run("JustBefore", func(t *testing.T) {
		w.clock.Advance(time.Hour - time.Second)
		if _, err := w.s.TokenPeek(w.ctx, expodesk.TokenInvitation, tokenHash("expiring")); err != nil {
			t.Errorf("a second before expiry: %v", err)
		}
	})
	t.Run("Expired", func(t *testing.T) {
		w.clock.Advance(time.Second) // the token's expires_at: no longer valid
		_, err := w.s.TokenPeek(w.ctx, expodesk.TokenInvitation, tokenHash("expiring"))
		wantCode(t, err, expodesk.EGONE)
		_, err = w.s.TokenRedeem(w.ctx, expodesk.TokenInvitation, tokenHash("expiring"))
		wantCode(t, err, expodesk.EGONE)
		if w.openTokens(u.ID) != 1 {
			t.Error("a refused redemption of an expired token spent it")
		}
	})
}

func TestTokensRevoke(t *testing.T) {
	t.Parallel()
	w := newAccountsWorld(t)
	u := w.member("revoke@taihu.example.com", w.sensing.ID)
	other := w.member("other@taihu.example.com", w.sensing.ID)
	for _, tok := range []string{"reset-1", "reset-2"} {
		w.must(w.s.TokenCreate(w.ctx, expodesk.TokenPasswordReset, u.ID, nil, tokenHash(tok), time.Hour))
	}
	w.must(w.s.TokenCreate(w.ctx, expodesk.TokenInvitation, u.ID, nil, tokenHash("invitation"), time.Hour))
	w.must(w.s.TokenCreate(w.ctx, expodesk.TokenPasswordReset, other.ID, nil, tokenHash("other-reset"), time.Hour))

	t.Run("Revoked", func(t *testing.T) {
		w.must(w.s.TokensRevoke(w.ctx, expodesk.TokenPasswordReset, u.ID))
		for _, tok := range []string{"reset-1", "reset-2"} {
			_, err := w.s.TokenPeek(w.ctx, expodesk.TokenPasswordReset, tokenHash(tok))
			wantCode(t, err, expodesk.EGONE)
			_, err = w.s.TokenRedeem(w.ctx, expodesk.TokenPasswordReset, tokenHash(tok))
			wantCode(t, err, expodesk.EGONE)
		}
	})
	t.Run("OtherKindKept", func(t *testing.T) {
		if _, err := w.s.TokenPeek(w.ctx, expodesk.TokenInvitation, tokenHash("invitation")); err != nil {
			t.Errorf("revoking reset links revoked the invitation: %v", err)
		}
	})
	t.Run("OtherUserKept", func(t *testing.T) {
		if _, err := w.s.TokenPeek(w.ctx, expodesk.TokenPasswordReset, tokenHash("other-reset")); err != nil {
			t.Errorf("revoking one user's reset links revoked another's: %v", err)
		}
	})
}

func TestTokensPrune(t *testing.T) {
	t.Parallel()
	w := newAccountsWorld(t)
	u := w.member("prune@taihu.example.com", w.sensing.ID)
	w.must(w.s.TokenCreate(w.ctx, expodesk.TokenPasswordReset, u.ID, nil, tokenHash("expires-soon"), time.Hour))
	w.must(w.s.TokenCreate(w.ctx, expodesk.TokenPasswordReset, u.ID, nil, tokenHash("spent"), 30*24*time.Hour))
	w.must(w.s.TokenCreate(w.ctx, expodesk.TokenInvitation, u.ID, nil, tokenHash("valid"), 30*24*time.Hour))
	if _, err := w.s.TokenRedeem(w.ctx, expodesk.TokenPasswordReset, tokenHash("spent")); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(2 * time.Hour)
	w.must(w.s.TokenCreate(w.ctx, expodesk.TokenPasswordReset, u.ID, nil, tokenHash("spent-later"), 30*24*time.Hour))
	if _, err := w.s.TokenRedeem(w.ctx, expodesk.TokenPasswordReset, tokenHash("spent-later")); err != nil {
		t.Fatal(err)
	}
	present := func(token string) bool {
		var n int
		w.must(w.pool.QueryRow(w.ctx, `SELECT count(*) FROM user_token WHERE token_hash = $1`, tokenHash(token)).Scan(&n))
		return n == 1
	}

	t.Run("NothingBeforeCutoff", func(t *testing.T) {
		w.must(w.s.TokensPrune(w.ctx, accountsT0))
		if n := w.allTokens(); n != 4 {
			t.Errorf("%d tokens left, want all 4", n)
		}
	})
	t.Run("ExpiredAndSpent", func(t *testing.T) {
		// Expired an hour after T0, spent at T0: gone. Spent at T0+2h (after the cutoff) and valid: kept.
		w.must(w.s.TokensPrune(w.ctx, accountsT0.Add(90*time.Minute)))
		for token, want := range map[string]bool{"expires-soon": false, "spent": false, "spent-later": true, "valid": true} {
			if got := present(token); got != want {
				t.Errorf("token %s present = %v, want %v", token, got, want)
			}
		}
		if _, err := w.s.TokenPeek(w.ctx, expodesk.TokenInvitation, tokenHash("valid")); err != nil {
			t.Errorf("the valid invitation after pruning: %v", err)
		}
	})
}
