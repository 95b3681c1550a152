package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"expodesk/internal/expodesk"
)

// TestInviteExistingAddress: an exhibitor's or a coordinator's invitation
// to an address that already has an account is answered as any invitation
// is (the form must not tell who has an account), creates nothing, and
// tells the account holder instead, with no link that signs anyone in.
func TestInviteExistingAddress(t *testing.T) {
	e := newAuthEnv(t, Config{})
	w := e.world()
	cases := []struct {
		name    string
		inviter account
		path    string
		form    url.Values
		done    string
	}{
		{"Exhibitor", w.ExhibitorA, "/exhibitor/team/invite",
			url.Values{"email": {strings.ToUpper(w.ExhibitorB.Email)}, "family_name": {"Puig"}, "lang": {"en"}}, "/exhibitor"},
		{"Coordinator", w.Coordinator, "/organizer/users/invite",
			url.Values{"kind": {"exhibitor"}, "exhibitor": {itoa(w.Sensing.ID)}, "email": {w.Organizer.Email},
				"family_name": {"Tarragó"}, "lang": {"en"}}, "/organizer/users"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := e.signedIn(t, tc.inviter)
			fresh := url.Values{}
			for k, v := range tc.form {
				fresh[k] = v
			}
			fresh.Set("email", "someone.new."+strings.ToLower(tc.name)+"@example.com")
			respNew, _ := c.post(tc.path, fresh)
			target := strings.ToLower(tc.form.Get("email"))
			users := e.count(`SELECT count(*) FROM app_user`)
			before := len(e.mailTo(target))
			resp, _ := c.post(tc.path, tc.form)
			if resp.StatusCode != respNew.StatusCode || resp.Header.Get("Location") != respNew.Header.Get("Location") ||
				resp.Header.Get("Location") != tc.done {
				t.Fatalf("invite an existing address: %d → %q; a new one: %d → %q; want the same answer",
					resp.StatusCode, resp.Header.Get("Location"), respNew.StatusCode, respNew.Header.Get("Location"))
			}
			if _, body := c.get(tc.done); !strings.Contains(body, "Invitation sent") && !strings.Contains(body, "invit") {
				t.Errorf("no invitation flash after inviting an existing address")
			}
			if n := e.count(`SELECT count(*) FROM app_user`); n != users {
				t.Errorf("accounts: %d before, %d after inviting an existing address", users, n)
			}
			msgs := e.mailTo(target)
			if len(msgs) != before+1 {
				t.Fatalf("the account holder got %d new messages, want 1", len(msgs)-before)
			}
			m := msgs[len(msgs)-1]
			if m.Kind != expodesk.MailAccountExists {
				t.Errorf("the account holder got a %s mail, want %s", m.Kind, expodesk.MailAccountExists)
			}
			if strings.Contains(m.BodyText, "/invitations/") || strings.Contains(m.BodyText, "/password/reset/") {
				t.Errorf("the notice holds a link that signs in:\n%s", m.BodyText)
			}
			if tc.name == "Exhibitor" {
				// The team page lists both invitations alike, and neither as a member.
				_, page := c.get("/exhibitor")
				d := doc(t, page)
				invited := d.Find(`form[action*="/exhibitor/team/invitations/"]`)
				for _, addr := range []string{fresh.Get("email"), target} {
					if !strings.Contains(strings.ToLower(invited.Parent().Text()), strings.ToLower(addr)) {
						t.Errorf("%s is not among the open invitations", addr)
					}
				}
				if d.Find("tbody").Text() != "" && strings.Contains(d.Find("tbody").Text(), fresh.Get("email")) {
					t.Errorf("the new address is listed as a member")
				}
				// Cancelling the new one takes its unused account away.
				action, _ := invited.Last().Attr("action")
				if strings.Contains(invited.Last().Parent().Text(), fresh.Get("email")) {
					if resp, _ := c.post(action, nil); resp.StatusCode != http.StatusSeeOther {
						t.Errorf("cancel: %d", resp.StatusCode)
					}
					if n := e.count(`SELECT count(*) FROM app_user WHERE lower(email) = lower($1)`, fresh.Get("email")); n != 0 {
						t.Errorf("the cancelled invitation's account is still there")
					}
				}
			}
			if a := e.lastAudit(t, string(expodesk.ActionUserInviteExisting)); a.PavilionID != nil || a.ExhibitorID != nil {
				t.Errorf("the attempt is audited in a scope (pavilion %v, company %v): a coordinator's or company's log would tell", a.PavilionID, a.ExhibitorID)
			}
		})
	}
}

// TestTOTPLockout: wrong codes in a row are counted; at the limit the app's
// codes stop working, even a right one, and the owner is mailed once; a
// recovery code signs in and unlocks them.
func TestTOTPLockout(t *testing.T) {
	e := newAuthEnv(t, Config{})
	w := e.world()
	a := w.Organizer
	ctx := context.Background()
	step := func(t *testing.T, c *client) {
		t.Helper()
		if resp, _ := c.signInStep(a.Email, a.Password); resp.Header.Get("Location") != "/signin/totp" {
			t.Fatalf("sign-in step: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	failures := func() int { return e.count(`SELECT totp_failures FROM app_user WHERE id = $1`, a.ID) }

	t.Run("Counted", func(t *testing.T) {
		c := e.newClient(t)
		step(t, c)
		resp, _ := c.post("/signin/totp", url.Values{"code": {"000000"}})
		if resp.StatusCode != http.StatusUnauthorized || failures() != 1 {
			t.Fatalf("a wrong code: %d, %d failures; want 401 and 1", resp.StatusCode, failures())
		}
		if resp, _ := c.post("/signin/totp", url.Values{"code": {e.totpCode(a.ID, a.TOTPSecret)}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("the right code: %d, want 303", resp.StatusCode)
		}
		if failures() != 0 {
			t.Errorf("a right code left %d failures, want 0", failures())
		}
	})

	t.Run("Locked", func(t *testing.T) {
		if _, err := e.pool.Exec(ctx, `UPDATE app_user SET totp_failures = $2 WHERE id = $1`, a.ID, expodesk.TOTPMaxFailures-1); err != nil {
			t.Fatal(err)
		}
		mails := len(e.mailTo(a.Email))
		c := e.newClient(t)
		step(t, c)
		resp, body := c.post("/signin/totp", url.Values{"code": {"000000"}})
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "recovery code") {
			t.Fatalf("the last wrong code: %d, want 401 saying to use a recovery code\n%s", resp.StatusCode, excerpt(body))
		}
		msgs := e.mailTo(a.Email)
		if len(msgs) != mails+1 || msgs[len(msgs)-1].Kind != expodesk.MailTOTPLocked {
			t.Fatalf("the owner got %d new messages, want one %s", len(msgs)-mails, expodesk.MailTOTPLocked)
		}
		resp, _ = c.post("/signin/totp", url.Values{"code": {e.totpCode(a.ID, a.TOTPSecret)}})
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("a right code while locked: %d, want 401", resp.StatusCode)
		}
		c.wantSignedOut("a right code while locked")
		if n := len(e.mailTo(a.Email)); n != mails+1 {
			t.Errorf("%d messages after more codes while locked, want the one notice only", n-mails)
		}
		e.lastAudit(t, string(expodesk.ActionTOTPLocked))

		resp, _ = c.post("/signin/totp", url.Values{"mode": {"recovery"}, "recovery_code": {a.RecoveryCodes[0]}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("a recovery code while locked: %d, want 303", resp.StatusCode)
		}
		c.wantSignedIn("after a recovery code")
		if failures() != 0 {
			t.Errorf("a recovery code left %d failures, want 0", failures())
		}
	})

	t.Run("WrongRecoveryCodeWording", func(t *testing.T) {
		c := e.newClient(t)
		step(t, c)
		resp, body := c.post("/signin/totp", url.Values{"mode": {"recovery"}, "recovery_code": {"AAAA-BBBB-CCCC-DDDD"}})
		msg := doc(t, body).Find("[role=alert]").Text()
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(msg, "recovery code") || strings.Contains(msg, "authenticator") {
			t.Errorf("a wrong recovery code: %d %q, want 401 about the recovery code", resp.StatusCode, msg)
		}
	})
}

// TestSecurityNotices: a password reset and turning the second factor on or
// off each mail the account's owner.
func TestSecurityNotices(t *testing.T) {
	e := newAuthEnv(t, Config{})
	w := e.world()
	last := func(t *testing.T, to string, kind expodesk.MailKind, why string) {
		t.Helper()
		msgs := e.mailTo(to)
		if len(msgs) == 0 || msgs[len(msgs)-1].Kind != kind {
			t.Fatalf("%s: no %s mail to %s", why, kind, to)
		}
	}
	t.Run("PasswordReset", func(t *testing.T) {
		a := w.ExhibitorA2
		tok := e.createToken(expodesk.TokenPasswordReset, a.ID, expodesk.ResetTTL)
		if resp, _ := e.newClient(t).post("/password/reset/"+tok, resetForm()); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("reset: %d", resp.StatusCode)
		}
		last(t, a.Email, expodesk.MailPasswordChanged, "after a reset")
	})
	t.Run("TOTPOnAndOff", func(t *testing.T) {
		a := w.ExhibitorB2
		c := e.signedIn(t, a)
		_, body := c.get("/account/totp")
		secret := strings.ReplaceAll(doc(t, body).Find("code.secret").Text(), " ", "")
		if resp, _ := c.post("/account/totp", url.Values{"code": {e.totpCode(a.ID, secret)}, "current_password": {a.Password}}); resp.StatusCode != http.StatusOK {
			t.Fatalf("enable TOTP: %d", resp.StatusCode)
		}
		last(t, a.Email, expodesk.MailTOTPChanged, "after turning TOTP on")
		n := len(e.mailTo(a.Email))
		if resp, _ := c.post("/account/totp/disable", url.Values{"current_password": {a.Password}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("disable TOTP: %d", resp.StatusCode)
		}
		last(t, a.Email, expodesk.MailTOTPChanged, "after turning TOTP off")
		if got := len(e.mailTo(a.Email)); got != n+1 {
			t.Errorf("%d messages after turning TOTP off, want 1", got-n)
		}
	})
}

// TestConfirmationThrottle: strangers' failed sign-ins for an address do
// not stop its signed-in owner from confirming a change with the password,
// and the owner's own wrong confirmations are limited on their own.
func TestConfirmationThrottle(t *testing.T) {
	e := newAuthEnv(t, Config{})
	w := e.world()
	a := w.ExhibitorB
	owner := e.signedIn(t, a)
	for i := 0; i < 12; i++ {
		e.newClient(t).signInStep(a.Email, "a stranger's guess")
	}
	if resp, _ := e.newClient(t).signInStep(a.Email, "one more guess"); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("a stranger's 13th guess: %d, want 429", resp.StatusCode)
	}
	resp, body := owner.post("/account/password", url.Values{"current_password": {a.Password}, "password": {newPW}, "password_confirm": {newPW}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the owner changes the password after strangers' guesses: %d, want 303\n%s", resp.StatusCode, excerpt(body))
	}
	if resp, _ := e.newClient(t).signInStep(a.Email, "after the owner's change"); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the owner's success cleared the strangers' lockout: %d, want 429", resp.StatusCode)
	}
	var last int
	for i := 0; i < 11; i++ {
		resp, _ := owner.post("/account/password", url.Values{"current_password": {"wrong"}, "password": {newPW + "x"}, "password_confirm": {newPW + "x"}})
		last = resp.StatusCode
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("the 11th wrong confirmation: %d, want 429", last)
	}
}

// TestPendingSecondStepEndsWithReset: someone waiting at the second step
// with a password is sent back once the owner resets the password.
func TestPendingSecondStepEndsWithReset(t *testing.T) {
	e := newAuthEnv(t, Config{})
	w := e.world()
	a := w.Coordinator
	thief := e.newClient(t)
	if resp, _ := thief.signInStep(a.Email, a.Password); resp.Header.Get("Location") != "/signin/totp" {
		t.Fatalf("sign-in step: %s", resp.Header.Get("Location"))
	}
	tok := e.createToken(expodesk.TokenPasswordReset, a.ID, expodesk.ResetTTL)
	if resp, _ := e.newClient(t).post("/password/reset/"+tok, resetForm()); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d", resp.StatusCode)
	}
	resp, _ := thief.post("/signin/totp", url.Values{"code": {e.totpCode(a.ID, a.TOTPSecret)}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/signin" {
		t.Errorf("the second step after a reset: %d → %s, want back to /signin", resp.StatusCode, resp.Header.Get("Location"))
	}
	thief.wantSignedOut("a second step begun before the reset")
}
