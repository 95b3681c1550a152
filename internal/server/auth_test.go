package server

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"expodesk/internal/expodesk"
)

// nonceAttr matches the per-request CSP nonce, the only part of two
// renderings of one page that must differ.
var nonceAttr = regexp.MustCompile(`nonce="[^"]*"`)

// sameAnswer normalizes a sign-in answer for comparison: the nonce and the
// email the person typed (shown again in the form) are blanked.
func sameAnswer(body, typedEmail string) string {
	body = nonceAttr.ReplaceAllString(body, `nonce=""`)
	return strings.ReplaceAll(body, typedEmail, "EMAIL")
}

// setCookie returns the cookie a response sets under name, or nil.
func setCookie(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// TestAuthSignIn checks that a failed sign-in tells nothing about the
// account: unknown email, wrong password, disabled account and invited
// account without a password all get the same status and page.
func TestAuthSignIn(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	disabled := e.createAccount(expodesk.User{Email: "gone@taihu.example.com", Role: expodesk.RoleExhibitor, ExhibitorID: &w.Sensing.ID})
	if _, err := e.store.UserSetDisabled(ctx, disabled.ID, true); err != nil {
		t.Fatal(err)
	}
	pending, err := e.store.UserCreate(ctx, expodesk.User{Email: "invited@taihu.example.com", Role: expodesk.RoleExhibitor, ExhibitorID: &w.Sensing.ID})
	if err != nil {
		t.Fatal(err)
	}

	c := e.newClient(t)
	resp, body := c.signInStep("nobody@taihu.example.com", testPassword)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unknown email: %d, want 401\n%s", resp.StatusCode, excerpt(body))
	}
	if !strings.Contains(body, "The email or password is not right.") {
		t.Errorf("unknown email: the page does not say the email or password is not right:\n%s", excerpt(body))
	}
	reference := sameAnswer(body, "nobody@taihu.example.com")
	for _, tc := range []struct{ name, email, pw string }{
		{"WrongPassword", w.ExhibitorA.Email, "not the password at all"},
		{"WrongPasswordOtherCase", strings.ToUpper(w.ExhibitorA.Email), "not the password at all"},
		{"DisabledAccount", disabled.Email, testPassword},
		{"InvitedWithoutPassword", pending.Email, testPassword},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := e.newClient(t)
			resp, body := c.signInStep(tc.email, tc.pw)
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("%d, want 401 like an unknown email\n%s", resp.StatusCode, excerpt(body))
			}
			if got := sameAnswer(body, tc.email); got != reference {
				t.Errorf("the page differs from the one for an unknown email:\n%s\nunknown email:\n%s", excerpt(got), excerpt(reference))
			}
			if c.session() != "" {
				t.Errorf("a failed sign-in set a session cookie")
			}
		})
	}
	t.Run("DisabledCannotSignIn", func(t *testing.T) {
		c := e.newClient(t)
		resp, _ := c.signInStep(disabled.Email, testPassword)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("disabled account with the right password: %d, want 401", resp.StatusCode)
		}
		c.wantSignedOut("disabled account")
	})
	t.Run("EmailCaseInsensitive", func(t *testing.T) {
		c := e.newClient(t)
		if loc := c.signIn(account{User: expodesk.User{ID: w.ExhibitorA.ID, Email: strings.ToUpper(w.ExhibitorA.Email)},
			Password: testPassword}); loc != "/exhibitor" {
			t.Errorf("sign in with the email in capitals went to %q, want /exhibitor", loc)
		}
	})
}

// TestAuthSessions checks the session promises: a new token at sign-in,
// the cookie's attributes, no-store on signed-in pages, and every way a
// session ends (sign-out, password change, an organizer disabling the user).
func TestAuthSessions(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()

	t.Run("FixationPlantedCookie", func(t *testing.T) {
		// The attacker starts a real session (the password step of their own
		// sign-in) and plants its cookie in the victim's browser.
		attacker := e.newClient(t)
		resp, _ := attacker.signInStep(w.Coordinator.Email, testPassword)
		if resp.StatusCode != http.StatusSeeOther || attacker.session() == "" {
			t.Fatalf("attacker's password step: %d, cookie %q; want 303 and a session", resp.StatusCode, attacker.session())
		}
		planted := attacker.session()
		victim := e.newClient(t)
		victim.setSession(planted)
		victim.signIn(w.ExhibitorA)
		if victim.session() == planted {
			t.Fatal("signing in kept the planted session token")
		}
		resp, _ = attacker.get("/exhibitor")
		if resp.StatusCode == http.StatusOK {
			t.Error("the attacker's planted token opens the victim's company area")
		}
		victim.wantSignedIn("victim after sign-in")
	})

	t.Run("FixationSecondFactor", func(t *testing.T) {
		c := e.newClient(t)
		resp, _ := c.signInStep(w.Organizer.Email, testPassword)
		if resp.Header.Get("Location") != "/signin/totp" {
			t.Fatalf("organizer password step went to %q, want /signin/totp", resp.Header.Get("Location"))
		}
		pending := c.session()
		resp, _ = c.post("/signin/totp", url.Values{"code": {e.totpCode(w.Organizer.ID, w.Organizer.TOTPSecret)}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/organizer" {
			t.Fatalf("second factor: %d to %q, want 303 to /organizer", resp.StatusCode, resp.Header.Get("Location"))
		}
		if c.session() == pending {
			t.Error("completing the second factor kept the token of the half-signed-in session")
		}
		old := e.newClient(t)
		old.setSession(pending)
		old.wantSignedOut("the token from before the second factor")
	})

	t.Run("CookieAttributes", func(t *testing.T) {
		c := e.newClient(t)
		resp, _ := c.signInStep(w.ExhibitorA.Email, testPassword)
		ck := setCookie(resp, "expodesk_session")
		if ck == nil {
			t.Fatalf("sign-in set no session cookie; Set-Cookie: %q", resp.Header.Values("Set-Cookie"))
		}
		if c := setCookie(resp, "__Host-expodesk_session"); c != nil {
			t.Errorf("session cookie %q has the __Host- prefix without SecureCookies: browsers would drop it over HTTP", c.Raw)
		}
		if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" {
			t.Errorf("session cookie %q: want HttpOnly, SameSite=Lax, Path=/", ck.Raw)
		}
		if ck.Secure {
			t.Errorf("session cookie %q is Secure without SecureCookies: it would never come back over plain HTTP", ck.Raw)
		}
		if ck.MaxAge != 0 || !ck.Expires.IsZero() {
			t.Errorf("session cookie %q persists; want a browser-session cookie", ck.Raw)
		}
		if h := resp.Header.Get("Strict-Transport-Security"); h != "" {
			t.Errorf("HSTS %q sent without SecureCookies", h)
		}
	})

	t.Run("NoStoreOnSignedInPages", func(t *testing.T) {
		ex := e.signedIn(t, w.ExhibitorA)
		org := e.signedIn(t, w.Organizer)
		for _, tc := range []struct {
			c    *client
			path string
		}{{ex, "/account"}, {ex, "/exhibitor"}, {org, "/organizer"}, {org, "/organizer/users"},
			{org, "/organizer/audit"}, {org, "/organizer/outbox"}, {ex, "/organizer"}} {
			resp, _ := tc.c.get(tc.path)
			if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
				t.Errorf("GET %s (%d): Cache-Control %q, want no-store", tc.path, resp.StatusCode, cc)
			}
		}
		anon := e.newClient(t)
		for _, path := range []string{"/signin", "/password/forgot", "/invitations/" + strings.Repeat("A", 43)} {
			resp, _ := anon.get(path)
			if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
				t.Errorf("GET %s (%d): Cache-Control %q, want no-store", path, resp.StatusCode, cc)
			}
		}
	})

	t.Run("SignOutEndsSession", func(t *testing.T) {
		c := e.signedIn(t, w.ExhibitorB)
		token := c.session()
		resp, _ := c.post("/signout", nil)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/signin" {
			t.Fatalf("sign out: %d to %q, want 303 to /signin", resp.StatusCode, resp.Header.Get("Location"))
		}
		c.wantSignedOut("after signing out")
		replay := e.newClient(t)
		replay.setSession(token)
		replay.wantSignedOut("the cookie from before signing out")
		if n := e.count(`SELECT count(*) FROM sessions WHERE data IS NOT NULL AND token = encode(sha256($1::bytea), 'hex')`, token); n != 0 {
			t.Errorf("the signed-out session is still stored (%d rows)", n)
		}
	})

	t.Run("PasswordChangeEndsOtherSessions", func(t *testing.T) {
		a := w.ExhibitorA2
		here, there := e.signedIn(t, a), e.signedIn(t, a)
		before := here.session()

		resp, body := here.post("/account/password", url.Values{"current_password": {"wrong password here"},
			"password": {"violet harbour lantern 93"}, "password_confirm": {"violet harbour lantern 93"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("change with a wrong current password: %d, want 422\n%s", resp.StatusCode, excerpt(body))
		}
		there.wantSignedIn("other session after a refused change")

		resp, body = here.post("/account/password", url.Values{"current_password": {a.Password},
			"password": {"violet harbour lantern 93"}, "password_confirm": {"violet harbour lantern 93"}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account" {
			t.Fatalf("change password: %d to %q, want 303 to /account\n%s", resp.StatusCode, resp.Header.Get("Location"), excerpt(body))
		}
		here.wantSignedIn("the session that changed the password")
		if here.session() == before {
			t.Error("the password change kept the session token; want a new one")
		}
		there.wantSignedOut("the other session after a password change")

		old := e.newClient(t)
		if resp, _ := old.signInStep(a.Email, a.Password); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("sign in with the old password: %d, want 401", resp.StatusCode)
		}
		a.Password = "violet harbour lantern 93"
		if loc := e.newClient(t).signIn(a); loc != "/exhibitor" {
			t.Errorf("sign in with the new password went to %q, want /exhibitor", loc)
		}
		if n := len(e.mailTo(a.Email)); n != 1 {
			t.Errorf("%d mails to %s after the change, want 1 (the notice)", n, a.Email)
		}
	})

	t.Run("DisablingEndsSessions", func(t *testing.T) {
		victim := e.createAccount(expodesk.User{Email: "disable.me@taihu.example.com", Role: expodesk.RoleExhibitor, ExhibitorID: &w.Sensing.ID})
		vc := e.signedIn(t, victim)
		vc.wantSignedIn("before being disabled")
		coord := e.signedIn(t, w.Coordinator)
		resp, body := coord.post("/organizer/users/"+itoa(victim.ID)+"/disable", nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("coordinator disables a Wuxi Pavilion team member: %d, want 303\n%s", resp.StatusCode, excerpt(body))
		}
		vc.wantSignedOut("the disabled user's session")
		if resp, _ := e.newClient(t).signInStep(victim.Email, victim.Password); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("disabled user signs in: %d, want 401", resp.StatusCode)
		}
		resp, _ = coord.post("/organizer/users/"+itoa(victim.ID)+"/enable", nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("enable: %d, want 303", resp.StatusCode)
		}
		vc.wantSignedOut("the old session after enabling again")
		if loc := e.newClient(t).signIn(victim); loc != "/exhibitor" {
			t.Errorf("enabled user signs in to %q, want /exhibitor", loc)
		}
	})

	t.Run("RemovalEndsSessions", func(t *testing.T) {
		victim := e.createAccount(expodesk.User{Email: "remove.me@taihu.example.com", Role: expodesk.RoleExhibitor, ExhibitorID: &w.Sensing.ID})
		vc := e.signedIn(t, victim)
		colleague := e.signedIn(t, w.ExhibitorA)
		if resp, _ := colleague.post("/exhibitor/team/"+itoa(victim.ID)+"/remove", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("remove a colleague: %d, want 303", resp.StatusCode)
		}
		vc.wantSignedOut("the removed member's session")
		if resp, _ := e.newClient(t).signInStep(victim.Email, victim.Password); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("removed member signs in: %d, want 401", resp.StatusCode)
		}
	})
}

// TestAuthSecureCookies runs a server configured for TLS: the session
// cookie is Secure and every response carries HSTS.
func TestAuthSecureCookies(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{SecureCookies: true})
	w := e.world()
	c := e.newClient(t)
	resp, _ := c.signInStep(w.ExhibitorA.Email, testPassword)
	if ck := setCookie(resp, "expodesk_session"); ck != nil {
		t.Errorf("session cookie %q without the __Host- prefix over TLS", ck.Raw)
	}
	ck := setCookie(resp, "__Host-expodesk_session")
	if ck == nil {
		t.Fatalf("sign-in set no __Host-expodesk_session cookie; Set-Cookie: %q", resp.Header.Values("Set-Cookie"))
	}
	if !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
		t.Errorf("session cookie %q: want Secure, HttpOnly, SameSite=Lax", ck.Raw)
	}
	// What browsers require of a __Host- cookie, or they drop it.
	if ck.Path != "/" || strings.Contains(strings.ToLower(ck.Raw), "domain=") {
		t.Errorf("session cookie %q: a __Host- cookie needs Path=/ and no Domain", ck.Raw)
	}
	dev := setCookie(resp, "__Host-expodesk_device")
	if dev == nil || !dev.Secure || !dev.HttpOnly || dev.Path != "/" || strings.Contains(strings.ToLower(dev.Raw), "domain=") {
		t.Errorf("device cookie %v: want __Host-expodesk_device, Secure, HttpOnly, Path=/, no Domain; Set-Cookie: %q",
			dev, resp.Header.Values("Set-Cookie"))
	}
	for _, path := range []string{"/", "/signin", "/livez"} {
		resp, _ := c.get(path)
		if h := resp.Header.Get("Strict-Transport-Security"); !strings.Contains(h, "max-age=") {
			t.Errorf("GET %s: Strict-Transport-Security %q, want max-age", path, h)
		}
	}
	resp, _ = c.get("/?lang=zh")
	if ck := setCookie(resp, "lang"); ck == nil || !ck.Secure {
		t.Errorf("language cookie %v: want Secure too", ck)
	}
}

// TestAuthSecondFactor checks TOTP: organizers must enrol before anything
// else, recovery codes are shown once, codes and recovery codes work once,
// exhibitors may opt in and out, organizers may not opt out.
func TestAuthSecondFactor(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()

	t.Run("OrganizerMustEnrol", func(t *testing.T) {
		o := e.createAccount(expodesk.User{Email: "new.organizer@iotswc.example.org", Role: expodesk.RoleOrganizer,
			PersonName: expodesk.PersonName{FamilyName: "Vidal", GivenName: "Núria"}})
		c := e.newClient(t)
		if loc := c.signIn(o); loc != "/signin/totp/setup" {
			t.Fatalf("organizer's first sign-in went to %q, want /signin/totp/setup", loc)
		}
		for _, path := range []string{"/organizer", "/organizer/users", "/organizer/audit", "/organizer/outbox", "/account", "/exhibitor"} {
			resp, _ := c.get(path)
			if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/signin") {
				t.Errorf("before enrolling, GET %s = %d (Location %q), want 303 to sign in", path, resp.StatusCode, resp.Header.Get("Location"))
			}
		}
		if resp, _ := c.post("/organizer/users/invite", url.Values{"kind": {"organizer"}, "email": {"x@example.com"}}); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("before enrolling, POST /organizer/users/invite = %d, want 401", resp.StatusCode)
		}
		resp, body := c.get("/signin/totp/setup")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("enrolment page: %d\n%s", resp.StatusCode, excerpt(body))
		}
		secret := strings.ReplaceAll(doc(t, body).Find("code.secret").Text(), " ", "")
		if len(secret) < 16 {
			t.Fatalf("enrolment page shows secret %q", secret)
		}
		if doc(t, body).Find(`img.qr[src^="data:image/png;base64,"]`).Length() != 1 {
			t.Error("enrolment page has no QR code rendered on the server")
		}
		resp, _ = c.post("/signin/totp/setup", url.Values{"code": {"000000"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("enrol with a wrong code: %d, want 422", resp.StatusCode)
		}
		cur := e.clock.Now().Unix() / 30
		resp, body = c.post("/signin/totp/setup", url.Values{"code": {codeAt(t, secret, cur)}})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("enrol with the right code: %d, want 200 with the recovery codes\n%s", resp.StatusCode, excerpt(body))
		}
		if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
			t.Errorf("recovery codes page: Cache-Control %q, want no-store", cc)
		}
		var codes []string
		for _, n := range doc(t, body).Find("ul.codes code").Nodes {
			codes = append(codes, strings.TrimSpace(n.FirstChild.Data))
		}
		if len(codes) != 10 {
			t.Fatalf("recovery codes page shows %d codes, want 10", len(codes))
		}
		if href, _ := doc(t, body).Find(`a.button`).Attr("href"); href != "/organizer" {
			t.Errorf("continue link %q, want /organizer", href)
		}
		resp, _ = c.get("/organizer")
		if resp.StatusCode != http.StatusOK {
			t.Errorf("after enrolling, GET /organizer = %d, want 200", resp.StatusCode)
		}
		// Shown once: no page shows them again.
		for _, path := range []string{"/account", "/signin/totp/setup", "/account/totp", "/organizer"} {
			_, body := c.get(path)
			for _, code := range codes {
				if strings.Contains(body, code) {
					t.Errorf("GET %s shows a recovery code again", path)
					break
				}
			}
		}
		if n := e.count(`SELECT count(*) FROM recovery_code WHERE user_id = $1 AND used_at IS NULL`, o.ID); n != 10 {
			t.Errorf("%d unused recovery codes stored, want 10", n)
		}
		// A recovery code from the page signs in (once).
		o.TOTPSecret = secret
		rc := e.newClient(t)
		rc.signInStep(o.Email, o.Password)
		resp, _ = rc.post("/signin/totp", url.Values{"mode": {"recovery"}, "recovery_code": {codes[3]}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/organizer" {
			t.Errorf("sign in with a recovery code from the page: %d to %q, want 303 to /organizer", resp.StatusCode, resp.Header.Get("Location"))
		}
	})

	t.Run("CodeReplayRefused", func(t *testing.T) {
		o := w.Organizer
		first := e.newClient(t)
		first.signInStep(o.Email, o.Password)
		code := e.totpCode(o.ID, o.TOTPSecret)
		resp, _ := first.post("/signin/totp", url.Values{"code": {code}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("first use of a code: %d, want 303", resp.StatusCode)
		}
		second := e.newClient(t)
		second.signInStep(o.Email, o.Password)
		resp, body := second.post("/signin/totp", url.Values{"code": {code}})
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("the same code again: %d, want 401\n%s", resp.StatusCode, excerpt(body))
		}
		second.wantSignedOut("after a replayed code")
		resp, _ = second.post("/signin/totp", url.Values{"code": {e.totpCode(o.ID, o.TOTPSecret)}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("the next code: %d, want 303", resp.StatusCode)
		}
	})

	t.Run("RecoveryCodeOnce", func(t *testing.T) {
		o := w.Coordinator
		code := strings.ToUpper(o.RecoveryCodes[0]) // as someone might type it from paper
		first := e.newClient(t)
		first.signInStep(o.Email, o.Password)
		resp, _ := first.post("/signin/totp", url.Values{"mode": {"recovery"}, "recovery_code": {code}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/organizer" {
			t.Fatalf("recovery code: %d to %q, want 303 to /organizer", resp.StatusCode, resp.Header.Get("Location"))
		}
		first.wantSignedIn("after a recovery code")
		second := e.newClient(t)
		second.signInStep(o.Email, o.Password)
		resp, _ = second.post("/signin/totp", url.Values{"mode": {"recovery"}, "recovery_code": {o.RecoveryCodes[0]}})
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("the same recovery code again: %d, want 401", resp.StatusCode)
		}
		second.wantSignedOut("after a spent recovery code")
	})

	t.Run("ExhibitorOptsInAndOut", func(t *testing.T) {
		a := w.ExhibitorB
		c := e.signedIn(t, a)
		resp, body := c.get("/account/totp")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /account/totp: %d", resp.StatusCode)
		}
		secret := strings.ReplaceAll(doc(t, body).Find("code.secret").Text(), " ", "")
		// Without the current password a signed-in session cannot enrol: a
		// stolen session must not put its own second factor before the owner.
		resp, body = c.post("/account/totp", url.Values{"code": {codeAt(t, secret, e.clock.Now().Unix()/30)}})
		if resp.StatusCode != http.StatusUnprocessableEntity || doc(t, body).Find("#current_password-error").Length() != 1 {
			t.Fatalf("enable TOTP without the password: %d, want 422 with a problem on current_password\n%s", resp.StatusCode, excerpt(body))
		}
		resp, body = c.post("/account/totp", url.Values{"code": {codeAt(t, secret, e.clock.Now().Unix()/30)}, "current_password": {"not the password"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || e.user(a.ID).TOTPEnabledAt != nil ||
			doc(t, body).Find("#current_password-error").Length() != 1 {
			t.Fatalf("enable TOTP with a wrong password: %d, want 422 and TOTP still off", resp.StatusCode)
		}
		resp, body = c.post("/account/totp", url.Values{"code": {codeAt(t, secret, e.clock.Now().Unix()/30)}, "current_password": {a.Password}})
		if resp.StatusCode != http.StatusOK || doc(t, body).Find("ul.codes code").Length() != 10 {
			t.Fatalf("enable TOTP: %d, want 200 with 10 recovery codes\n%s", resp.StatusCode, excerpt(body))
		}
		c.wantSignedIn("after enabling TOTP")
		a.TOTPSecret = secret
		if u := e.user(a.ID); u.TOTPEnabledAt == nil {
			t.Fatal("TOTP not enabled in the database")
		}
		other := e.newClient(t)
		if resp, _ := other.signInStep(a.Email, a.Password); resp.Header.Get("Location") != "/signin/totp" {
			t.Errorf("exhibitor with TOTP signs in to %q, want the second factor", resp.Header.Get("Location"))
		}

		for _, tc := range []struct{ name, pw string }{{"NoPassword", ""}, {"WrongPassword", "not my password at all"}} {
			form := url.Values{}
			if tc.pw != "" {
				form.Set("current_password", tc.pw)
			}
			resp, _ := c.post("/account/totp/disable", form)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("disable TOTP, %s: %d, want 422", tc.name, resp.StatusCode)
			}
			if u := e.user(a.ID); u.TOTPEnabledAt == nil {
				t.Fatalf("disable TOTP, %s: it was disabled", tc.name)
			}
		}
		resp, _ = c.post("/account/totp/disable", url.Values{"current_password": {a.Password}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account" {
			t.Fatalf("disable TOTP with the password: %d to %q, want 303 to /account", resp.StatusCode, resp.Header.Get("Location"))
		}
		if u := e.user(a.ID); u.TOTPEnabledAt != nil || u.TOTPSecret != "" {
			t.Error("TOTP still enabled after disabling it")
		}
		if n := e.count(`SELECT count(*) FROM recovery_code WHERE user_id = $1`, a.ID); n != 0 {
			t.Errorf("%d recovery codes left after disabling TOTP, want 0", n)
		}
		c.wantSignedIn("after disabling TOTP")
		a.TOTPSecret = ""
		if loc := e.newClient(t).signIn(a); loc != "/exhibitor" {
			t.Errorf("sign in after disabling TOTP went to %q, want /exhibitor", loc)
		}
	})

	t.Run("OrganizerMayNotDisable", func(t *testing.T) {
		c := e.signedIn(t, w.Organizer)
		resp, _ := c.post("/account/totp/disable", url.Values{"current_password": {testPassword}})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("organizer disables TOTP: %d, want 403", resp.StatusCode)
		}
		if u := e.user(w.Organizer.ID); u.TOTPEnabledAt == nil {
			t.Error("the organizer's TOTP was disabled")
		}
	})
}

// TestAuthNextRedirect checks that the page to return to after signing in
// is always on this site.
func TestAuthNextRedirect(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	for _, next := range []string{"//evil.example", "https://evil.example", `/\evil.example`, `/\/evil.example`,
		"http:evil.example", "javascript:alert(1)", " //evil.example", "\t//evil.example", "/\t/evil.example",
		"//evil.example/%2e%2e", "/\r\nSet-Cookie: x=y", "evil.example",
		// Cleaned by http.Redirect into /\evil.example, which browsers read as //evil.example.
		`/./\evil.example/x`, "/.//evil.example", "/a/..//evil.example", "/%5Cevil.example"} {
		t.Run(url.QueryEscape(next), func(t *testing.T) {
			c := e.newClient(t)
			_, body := c.get("/signin?next=" + url.QueryEscape(next))
			if v, _ := doc(t, body).Find(`input[name="next"]`).Attr("value"); v != "" {
				t.Errorf("sign-in form carries next=%q for %q, want it dropped", v, next)
			}
			resp, _ := c.signInStep(w.ExhibitorA.Email, testPassword, "next", next)
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/exhibitor" {
				t.Errorf("sign in with next=%q: %d to %q, want 303 to /exhibitor (the home page)", next, resp.StatusCode, loc)
			}
		})
	}
	t.Run("LocalPathKept", func(t *testing.T) {
		anon := e.newClient(t)
		resp, _ := anon.get("/organizer/users")
		loc := resp.Header.Get("Location")
		if loc != "/signin?next=%2Forganizer%2Fusers" {
			t.Fatalf("GET /organizer/users as a visitor went to %q", loc)
		}
		_, body := anon.get(loc)
		next, _ := doc(t, body).Find(`input[name="next"]`).Attr("value")
		if next != "/organizer/users" {
			t.Fatalf("sign-in form carries next=%q, want /organizer/users", next)
		}
		resp, _ = anon.signInStep(w.Organizer.Email, testPassword, "next", next)
		if resp.Header.Get("Location") != "/signin/totp" {
			t.Fatalf("password step went to %q", resp.Header.Get("Location"))
		}
		resp, _ = anon.post("/signin/totp", url.Values{"code": {e.totpCode(w.Organizer.ID, w.Organizer.TOTPSecret)}})
		if got := resp.Header.Get("Location"); got != "/organizer/users" {
			t.Errorf("after the second factor went to %q, want /organizer/users", got)
		}
	})
}

// TestAuthSessionTimeouts checks the idle and absolute session limits (with
// short limits: the session store keeps real time, which the test clock does not move).
func TestAuthSessionTimeouts(t *testing.T) {
	t.Parallel()
	// The session manager keeps its own (real) time. Its limits leave room
	// for a machine under load: each step waits for the time it is about,
	// measured, rather than counting sleeps.
	const idleLimit, lifetime = 2 * time.Second, 6 * time.Second
	e := newAuthEnv(t, Config{SessionIdleTimeout: idleLimit, SessionLifetime: lifetime})
	w := e.world()

	idle := e.signedIn(t, w.ExhibitorA)
	idleSince := time.Now()
	active := e.signedIn(t, w.ExhibitorB)
	created := time.Now()                     // the session began before this
	for time.Since(created) < 3*time.Second { // 3 s of activity: the idle limit does not end a session in use
		time.Sleep(500 * time.Millisecond)
		active.wantSignedIn("a session in use")
	}
	if d := time.Since(idleSince); d <= idleLimit {
		time.Sleep(idleLimit - d + 300*time.Millisecond)
	}
	idle.wantSignedOut("a session idle past its 2 s idle limit")
	time.Sleep(time.Until(created.Add(lifetime + 300*time.Millisecond)))
	active.wantSignedOut("a session in use past its 6 s absolute limit")
}
