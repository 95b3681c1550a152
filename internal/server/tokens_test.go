package server

import (
	"context"
	"crypto/sha256"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/service"
)

// newPassword is what invitees and resetters choose: it passes the policy.
const newPW = "copper kite over the delta 42"

// acceptForm fills the invitation form.
func acceptForm(family, given, lang string) url.Values {
	return url.Values{"family_name": {family}, "given_name": {given}, "lang": {lang},
		"password": {newPW}, "password_confirm": {newPW}}
}

func resetForm() url.Values { return url.Values{"password": {newPW}, "password_confirm": {newPW}} }

// TestTokenInvitation follows invitations end to end: an organizer invites,
// the mail waits in the outbox in the invitee's language, and the link sets
// a password and signs the invitee in, once.
func TestTokenInvitation(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	org := e.signedIn(t, w.Organizer)
	catalog := e.server.catalog

	for _, tc := range []struct {
		name     string
		form     url.Values
		lang     expodesk.Lang
		subject  string // catalog key of the mail's subject
		data     map[string]any
		landing  string
		role     expodesk.Role
		pavilion *int64
	}{
		{name: "ExhibitorInChinese", lang: expodesk.ZH, subject: "mail.invitation.team.subject",
			data: map[string]any{"Inviter": "Marc Tarragó", "Company": "太湖传感"}, landing: "/exhibitor", role: expodesk.RoleExhibitor,
			form: url.Values{"kind": {"exhibitor"}, "exhibitor": {itoa(w.Sensing.ID)}, "email": {"zhang.min@taihu.example.com"},
				"family_name": {"张"}, "given_name": {"敏"}, "lang": {"zh"}}},
		{name: "CoordinatorInSpanish", lang: expodesk.ES, subject: "mail.invitation.pavilion.subject",
			data: map[string]any{"Pavilion": "Pabellón de Wuxi", "Expo": "IoT Solutions World Congress"}, landing: "/signin/totp/setup",
			role: expodesk.RoleOrganizer, pavilion: &w.WuxiPavilion.ID,
			form: url.Values{"kind": {"coordinator"}, "pavilion": {itoa(w.WuxiPavilion.ID)}, "email": {"montse@eupic.example.org"},
				"family_name": {"Ribas"}, "given_name": {"Montse"}, "lang": {"es"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			email := tc.form.Get("email")
			resp, body := org.post("/organizer/users/invite", tc.form)
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/organizer/users" {
				t.Fatalf("invite: %d to %q, want 303 to /organizer/users\n%s", resp.StatusCode, resp.Header.Get("Location"), excerpt(body))
			}
			msgs := e.mailTo(email)
			if len(msgs) != 1 {
				t.Fatalf("%d mails to %s in the outbox, want 1", len(msgs), email)
			}
			m := msgs[0]
			loc := catalog.Localizer(tc.lang)
			if m.Lang != tc.lang || m.Kind != expodesk.MailInvitation {
				t.Errorf("mail: lang %s kind %s, want %s invitation", m.Lang, m.Kind, tc.lang)
			}
			if accept := loc.T("mail.invitation.accept"); !strings.Contains(m.BodyText, accept) {
				t.Errorf("mail body is not in %s (no %q):\n%s", tc.lang, accept, m.BodyText)
			}
			if en := catalog.Localizer(expodesk.EN).T("mail.invitation.accept"); strings.Contains(m.BodyText, en) {
				t.Errorf("mail body has the English text %q", en)
			}
			if want := loc.T(tc.subject, tc.data); m.Subject != want {
				t.Errorf("subject %q, want %q", m.Subject, want)
			}
			link := linkIn(t, m, "/invitations/")
			tok := strings.TrimPrefix(link, "/invitations/")
			if len(tok) < 22 { // 128 bits in base64
				t.Errorf("invitation token %q is shorter than 128 bits", tok)
			}
			// Only the token's hash is stored.
			sum := sha256.Sum256([]byte(tok))
			if n := e.count(`SELECT count(*) FROM user_token WHERE token_hash = $1 AND kind = 'invitation'`, sum[:]); n != 1 {
				t.Errorf("%d user_token rows hold the token's SHA-256, want 1", n)
			}
			if n := e.count(`SELECT count(*) FROM user_token t WHERE strpos(t::text, $1) > 0 OR strpos(encode(token_hash, 'escape'), $1) > 0`, tok); n != 0 {
				t.Errorf("the raw token is stored in user_token")
			}

			invitee := e.newClient(t)
			resp, body = invitee.get(link)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("open the link: %d\n%s", resp.StatusCode, excerpt(body))
			}
			if !strings.Contains(body, email) {
				t.Errorf("the invitation page does not name %s", email)
			}
			resp, body = invitee.post(link, acceptForm(tc.form.Get("family_name"), tc.form.Get("given_name"), tc.form.Get("lang")))
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != tc.landing {
				t.Fatalf("accept: %d to %q, want 303 to %s\n%s", resp.StatusCode, resp.Header.Get("Location"), tc.landing, excerpt(body))
			}
			if tc.role == expodesk.RoleExhibitor {
				invitee.wantSignedIn("invitee after accepting")
				if resp, _ := invitee.get("/exhibitor"); resp.StatusCode != http.StatusOK {
					t.Errorf("invitee's company area: %d, want 200", resp.StatusCode)
				}
			} else {
				// An organizer is not signed in before enrolling a second factor.
				if resp, _ := invitee.get("/organizer"); resp.StatusCode != http.StatusSeeOther {
					t.Errorf("invited organizer reaches /organizer before enrolling TOTP: %d", resp.StatusCode)
				}
				if resp, _ := invitee.get("/signin/totp/setup"); resp.StatusCode != http.StatusOK {
					t.Errorf("invited organizer's enrolment page: %d, want 200", resp.StatusCode)
				}
			}
			u, err := e.store.UserGetByEmail(context.Background(), email)
			if err != nil {
				t.Fatal(err)
			}
			if u.Role != tc.role || u.Lang != tc.lang || u.PasswordHash == "" || u.FamilyName != tc.form.Get("family_name") {
				t.Errorf("invitee after accepting: role %s lang %s family %q hash set %v", u.Role, u.Lang, u.FamilyName, u.PasswordHash != "")
			}
			if (u.PavilionID == nil) != (tc.pavilion == nil) || (u.PavilionID != nil && *u.PavilionID != *tc.pavilion) {
				t.Errorf("invitee's pavilion %v, want %v", u.PavilionID, tc.pavilion)
			}

			// The link is spent.
			again := e.newClient(t)
			if resp, _ := again.get(link); resp.StatusCode != http.StatusGone {
				t.Errorf("open the link again: %d, want 410", resp.StatusCode)
			}
			before := e.snapshot()
			if resp, _ := again.post(link, acceptForm("Someone", "Else", "en")); resp.StatusCode != http.StatusGone {
				t.Errorf("accept again: %d, want 410", resp.StatusCode)
			}
			if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
				t.Errorf("accepting a spent invitation changed %v", changed)
			}
		})
	}

	t.Run("EmailTaken", func(t *testing.T) {
		before := e.snapshot()
		resp, body := org.post("/organizer/users/invite", url.Values{"kind": {"exhibitor"}, "exhibitor": {itoa(w.Sensing.ID)},
			"email": {strings.ToUpper(w.ExhibitorA.Email)}, "family_name": {"Dup"}, "lang": {"en"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || doc(t, body).Find("#email-error").Length() != 1 {
			t.Errorf("invite an existing email: %d, want 422 with an error on the email field\n%s", resp.StatusCode, excerpt(body))
		}
		if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
			t.Errorf("a refused invitation changed %v", changed)
		}
	})
}

// createToken stores a token of kind for u the way the handlers do and returns the raw token.
func (e *testEnv) createToken(kind expodesk.TokenKind, userID int64, ttl time.Duration) string {
	e.t.Helper()
	tok, hash, err := service.NewToken()
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.store.TokenCreate(context.Background(), kind, userID, nil, hash, ttl); err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// TestTokenConcurrentRedeem submits one invitation, and one reset link, from
// several browsers at the same moment: exactly one succeeds, the others are
// told the link was used, and the password is set once.
func TestTokenConcurrentRedeem(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	const n = 8

	race := func(t *testing.T, path string, form url.Values, success string) {
		t.Helper()
		clients := make([]*client, n)
		for i := range clients {
			clients[i] = e.newClient(t)
		}
		var start sync.WaitGroup
		start.Add(1)
		statuses := make([]int, n)
		locations := make([]string, n)
		var done sync.WaitGroup
		for i, c := range clients {
			done.Add(1)
			go func() {
				defer done.Done()
				start.Wait()
				req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("X-Forwarded-For", c.ip)
				resp, err := c.http.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				statuses[i], locations[i] = resp.StatusCode, resp.Header.Get("Location")
			}()
		}
		start.Done()
		done.Wait()
		won, gone := 0, 0
		for i, s := range statuses {
			switch {
			case s == http.StatusSeeOther && locations[i] == success:
				won++
			case s == http.StatusGone:
				gone++
			default:
				t.Errorf("request %d: %d to %q, want 303 to %s or 410", i, s, locations[i], success)
			}
		}
		if won != 1 || gone != n-1 {
			t.Errorf("%d of %d simultaneous submissions succeeded and %d were told the link was used; want 1 and %d", won, n, gone, n-1)
		}
	}

	t.Run("Invitation", func(t *testing.T) {
		u, err := e.store.UserCreate(ctx, expodesk.User{Email: "race@taihu.example.com", Role: expodesk.RoleExhibitor, ExhibitorID: &w.Sensing.ID})
		if err != nil {
			t.Fatal(err)
		}
		tok := e.createToken(expodesk.TokenInvitation, u.ID, expodesk.InvitationTTL)
		race(t, "/invitations/"+tok, acceptForm("Race", "Winner", "en"), "/exhibitor")
		if got := e.user(u.ID); got.SessionVersion != u.SessionVersion+1 || got.PasswordHash == "" {
			t.Errorf("session version %d → %d (hash set %v): the password was set %d times, want once",
				u.SessionVersion, got.SessionVersion, got.PasswordHash != "", got.SessionVersion-u.SessionVersion)
		}
		if n := e.count(`SELECT count(*) FROM audit_entry WHERE action = 'auth.invitation_accepted' AND object_id = $1`, itoa(u.ID)); n != 1 {
			t.Errorf("%d audit entries of the acceptance, want 1", n)
		}
	})

	t.Run("Reset", func(t *testing.T) {
		u := w.ExhibitorB2.User
		tok := e.createToken(expodesk.TokenPasswordReset, u.ID, expodesk.ResetTTL)
		race(t, "/password/reset/"+tok, resetForm(), "/signin")
		got := e.user(u.ID)
		if got.SessionVersion != u.SessionVersion+1 || got.PasswordHash == u.PasswordHash {
			t.Errorf("session version %d → %d: the password was set %d times, want once",
				u.SessionVersion, got.SessionVersion, got.SessionVersion-u.SessionVersion)
		}
		if n := e.count(`SELECT count(*) FROM audit_entry WHERE action = 'auth.password_reset' AND object_id = $1`, itoa(u.ID)); n != 1 {
			t.Errorf("%d audit entries of the reset, want 1", n)
		}
	})
}

// TestTokenExpiry moves the clock past a token's lifetime: an invitation
// lasts 7 days, a reset link an hour; after that the link answers 410.
func TestTokenExpiry(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	u, err := e.store.UserCreate(ctx, expodesk.User{Email: "late@taihu.example.com", Role: expodesk.RoleExhibitor, ExhibitorID: &w.Sensing.ID})
	if err != nil {
		t.Fatal(err)
	}
	invitation := "/invitations/" + e.createToken(expodesk.TokenInvitation, u.ID, expodesk.InvitationTTL)
	reset := "/password/reset/" + e.createToken(expodesk.TokenPasswordReset, w.ExhibitorA.ID, expodesk.ResetTTL)
	c := e.newClient(t)
	check := func(path string, want int) {
		t.Helper()
		if resp, body := c.get(path); resp.StatusCode != want {
			t.Errorf("GET %s at %s: %d, want %d\n%s", path[:20], e.clock.Now().Format(time.RFC3339), resp.StatusCode, want, excerpt(body))
		}
	}
	e.clock.Advance(59 * time.Minute)
	check(reset, http.StatusOK)
	e.clock.Advance(2 * time.Minute)
	check(reset, http.StatusGone)
	before := e.snapshot()
	if resp, _ := c.post(reset, resetForm()); resp.StatusCode != http.StatusGone {
		t.Errorf("POST an expired reset link: %d, want 410", resp.StatusCode)
	}
	check(invitation, http.StatusOK)
	e.clock.Advance(7*24*time.Hour - 62*time.Minute)
	check(invitation, http.StatusOK)
	e.clock.Advance(2 * time.Minute)
	check(invitation, http.StatusGone)
	if resp, _ := c.post(invitation, acceptForm("Late", "", "en")); resp.StatusCode != http.StatusGone {
		t.Errorf("POST an expired invitation: %d, want 410", resp.StatusCode)
	}
	if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
		t.Errorf("expired links changed %v", changed)
	}
	if got := e.user(u.ID); got.PasswordHash != "" {
		t.Error("an expired invitation set a password")
	}
}

// TestTokenMalformed sends links whose token no server ever made: each is
// a 410 page (or 404 when it does not even match the route), never a 500.
func TestTokenMalformed(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	u, err := e.store.UserCreate(context.Background(), expodesk.User{Email: "kind@taihu.example.com", Role: expodesk.RoleExhibitor, ExhibitorID: &w.Sensing.ID})
	if err != nil {
		t.Fatal(err)
	}
	invitation := e.createToken(expodesk.TokenInvitation, u.ID, expodesk.InvitationTTL)
	reset := e.createToken(expodesk.TokenPasswordReset, w.ExhibitorA.ID, expodesk.ResetTTL)
	tokens := map[string]string{
		"Short":             "abc",
		"OneShort":          strings.Repeat("A", 42),
		"OneLong":           strings.Repeat("A", 44),
		"VeryLong":          strings.Repeat("A", 4000),
		"NotBase64":         strings.Repeat("!", 43),
		"Padding":           strings.Repeat("A", 42) + "=",
		"Unicode":           url.PathEscape(strings.Repeat("令", 43)),
		"NUL":               "%00" + strings.Repeat("A", 40),
		"DotDot":            "..",
		"EncodedSlash":      strings.Repeat("A", 20) + "%2F" + strings.Repeat("A", 20),
		"InvalidUTF8":       "%FF%FE" + strings.Repeat("A", 37),
		"ResetAsInvitation": reset,
		"InvitationAsReset": invitation,
	}
	c := e.newClient(t)
	before := e.snapshot()
	for name, tok := range tokens {
		for _, prefix := range []string{"/invitations/", "/password/reset/"} {
			if (name == "ResetAsInvitation" && prefix != "/invitations/") || (name == "InvitationAsReset" && prefix != "/password/reset/") {
				continue
			}
			for _, method := range []string{http.MethodGet, http.MethodPost} {
				var resp *http.Response
				var body string
				if method == http.MethodGet {
					resp, body = c.get(prefix + tok)
				} else {
					resp, body = c.post(prefix+tok, acceptForm("X", "Y", "en"))
				}
				if resp.StatusCode != http.StatusGone && !(resp.StatusCode == http.StatusNotFound && (name == "DotDot" || name == "EncodedSlash")) {
					t.Errorf("%s %s (%s): %d, want 410\n%s", method, prefix, name, resp.StatusCode, excerpt(body))
				}
			}
		}
		// Each test client has its own address: the per-address limit on token pages is not what this test is about.
		c = e.newClient(t)
	}
	if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
		t.Errorf("malformed tokens changed %v", changed)
	}
	// The real links still work: a token of the wrong kind spends nothing.
	if resp, _ := c.get("/invitations/" + invitation); resp.StatusCode != http.StatusOK {
		t.Errorf("the invitation after being tried as a reset link: %d, want 200", resp.StatusCode)
	}
	if resp, _ := c.get("/password/reset/" + reset); resp.StatusCode != http.StatusOK {
		t.Errorf("the reset link after being tried as an invitation: %d, want 200", resp.StatusCode)
	}
}

// TestTokenForgotPassword checks the reset flow: the same answer for known
// and unknown addresses, mail only for the known one, a new link revokes the
// old one, and a reset ends every session of the user.
func TestTokenForgotPassword(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	disabled := e.createAccount(expodesk.User{Email: "off@nube.example.es", Role: expodesk.RoleExhibitor, ExhibitorID: &w.Cloud.ID})
	if _, err := e.store.UserSetDisabled(ctx, disabled.ID, true); err != nil {
		t.Fatal(err)
	}

	t.Run("SameAnswer", func(t *testing.T) {
		c := e.newClient(t)
		resp, body := c.post("/password/forgot", url.Values{"email": {w.ExhibitorB.Email}})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("forgot, known email: %d\n%s", resp.StatusCode, excerpt(body))
		}
		reference := sameAnswer(body, w.ExhibitorB.Email)
		for _, email := range []string{"nobody@nube.example.es", disabled.Email} {
			resp, body := c.post("/password/forgot", url.Values{"email": {email}})
			if resp.StatusCode != http.StatusOK || sameAnswer(body, email) != reference {
				t.Errorf("forgot %s: %d, and the page differs from a known address's:\n%s", email, resp.StatusCode, excerpt(body))
			}
			if n := len(e.mailTo(email)); n != 0 {
				t.Errorf("forgot %s wrote %d mails, want none", email, n)
			}
		}
		msgs := e.mailTo(w.ExhibitorB.Email)
		if len(msgs) != 1 || msgs[0].Kind != expodesk.MailPasswordReset || msgs[0].Lang != expodesk.ES {
			t.Fatalf("mails to the known address: %+v, want one Spanish password reset", msgs)
		}
	})

	t.Run("NewLinkRevokesOld", func(t *testing.T) {
		a := w.ExhibitorA
		c := e.newClient(t)
		c.post("/password/forgot", url.Values{"email": {a.Email}})
		c.post("/password/forgot", url.Values{"email": {a.Email}})
		msgs := e.mailTo(a.Email)
		if len(msgs) != 2 {
			t.Fatalf("%d mails, want 2", len(msgs))
		}
		first, second := linkIn(t, msgs[0], "/password/reset/"), linkIn(t, msgs[1], "/password/reset/")
		if resp, _ := c.get(first); resp.StatusCode != http.StatusGone {
			t.Errorf("the first link after asking again: %d, want 410", resp.StatusCode)
		}
		if resp, _ := c.get(second); resp.StatusCode != http.StatusOK {
			t.Errorf("the second link: %d, want 200", resp.StatusCode)
		}
	})

	t.Run("ResetEndsAllSessions", func(t *testing.T) {
		a := w.ExhibitorA2
		one, two := e.signedIn(t, a), e.signedIn(t, a)
		c := e.newClient(t)
		c.post("/password/forgot", url.Values{"email": {a.Email}})
		msgs := e.mailTo(a.Email)
		link := linkIn(t, msgs[len(msgs)-1], "/password/reset/")
		resp, body := c.post(link, url.Values{"password": {"short"}, "password_confirm": {"short"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("reset to a too-short password: %d, want 422\n%s", resp.StatusCode, excerpt(body))
		}
		one.wantSignedIn("a session after a refused reset")
		resp, body = c.post(link, resetForm())
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/signin" {
			t.Fatalf("reset: %d to %q, want 303 to /signin\n%s", resp.StatusCode, resp.Header.Get("Location"), excerpt(body))
		}
		one.wantSignedOut("first session after a reset")
		two.wantSignedOut("second session after a reset")
		c.wantSignedOut("the resetting browser (it signs in afresh)")
		if resp, _ := e.newClient(t).signInStep(a.Email, testPassword); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("old password after a reset: %d, want 401", resp.StatusCode)
		}
		a.Password = newPW
		if loc := e.newClient(t).signIn(a); loc != "/exhibitor" {
			t.Errorf("new password signs in to %q, want /exhibitor", loc)
		}
		if resp, _ := c.get(link); resp.StatusCode != http.StatusGone {
			t.Errorf("the used reset link: %d, want 410", resp.StatusCode)
		}
	})

	t.Run("ResetKeepsSecondFactor", func(t *testing.T) {
		o := w.Coordinator
		c := e.newClient(t)
		c.post("/password/forgot", url.Values{"email": {o.Email}})
		msgs := e.mailTo(o.Email)
		if len(msgs) != 1 {
			t.Fatalf("%d mails to the coordinator, want 1", len(msgs))
		}
		if resp, _ := c.post(linkIn(t, msgs[0], "/password/reset/"), resetForm()); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("reset: %d", resp.StatusCode)
		}
		resp, _ := e.newClient(t).signInStep(o.Email, newPW)
		if resp.Header.Get("Location") != "/signin/totp" {
			t.Errorf("coordinator after a reset signs in to %q, want the second factor", resp.Header.Get("Location"))
		}
		// The coordinator's outbox does not show the reset mail's body to another organizer.
		org := e.signedIn(t, w.Organizer)
		_, body := org.get("/organizer/outbox/" + itoa(msgs[0].ID))
		if strings.Contains(body, "/password/reset/") {
			t.Error("the outbox page shows a reset link to another organizer")
		}
	})
}

// TestTokenInviteScope checks what a pavilion coordinator may invite, with
// forged forms too: teams of their pavilion's companies only, never an organizer.
func TestTokenInviteScope(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	coord := e.signedIn(t, w.Coordinator)
	person := func(email string) url.Values {
		return url.Values{"email": {email}, "family_name": {"Forged"}, "given_name": {"Form"}, "lang": {"en"}}
	}
	with := func(v url.Values, kv ...string) url.Values {
		for i := 0; i+1 < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v
	}
	for _, tc := range []struct {
		name  string
		form  url.Values
		want  int
		field string // the field the 422 page marks
	}{
		{"Organizer", with(person("boss@evil.example.com"), "kind", "organizer"), s403, ""},
		{"CoordinatorOfOwnPavilion", with(person("deputy@evil.example.com"), "kind", "coordinator", "pavilion", itoa(w.WuxiPavilion.ID)), s403, ""},
		{"CoordinatorOfOtherPavilion", with(person("euro@evil.example.com"), "kind", "coordinator", "pavilion", itoa(w.EuroPavilion.ID)), s403, ""},
		{"CompanyOutsidePavilion", with(person("mole@nube.example.es"), "kind", "exhibitor", "exhibitor", itoa(w.Cloud.ID)), s422, "exhibitor"},
		{"UnknownCompany", with(person("ghost@example.com"), "kind", "exhibitor", "exhibitor", "987654321"), s422, "exhibitor"},
		{"KindTwice", with(person("twice@example.com"), "kind", "exhibitor", "kind", "organizer", "exhibitor", itoa(w.Sensing.ID)), s403, ""},
		{"CompanyTwice", with(person("both@example.com"), "kind", "exhibitor", "exhibitor", itoa(w.Sensing.ID), "exhibitor", itoa(w.Cloud.ID)), s422, "exhibitor"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.snapshot()
			resp, body := coord.post("/organizer/users/invite", tc.form)
			if resp.StatusCode != tc.want {
				t.Fatalf("coordinator invites %s: %d, want %d\n%s", tc.name, resp.StatusCode, tc.want, excerpt(body))
			}
			if tc.field != "" && doc(t, body).Find("#"+tc.field+"-error").Length() != 1 {
				t.Errorf("the page marks no problem on the %s field\n%s", tc.field, excerpt(body))
			}
			if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
				t.Errorf("a refused invitation changed %v", changed)
			}
		})
	}

	t.Run("ForgedPavilionIgnored", func(t *testing.T) {
		resp, body := coord.post("/organizer/users/invite", with(person("new@taihu.example.com"), "kind", "exhibitor",
			"exhibitor", itoa(w.Sensing.ID), "pavilion", itoa(w.EuroPavilion.ID), "role", "organizer"))
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("coordinator invites a Taihu Sensing member: %d, want 303\n%s", resp.StatusCode, excerpt(body))
		}
		u, err := e.store.UserGetByEmail(context.Background(), "new@taihu.example.com")
		if err != nil {
			t.Fatal(err)
		}
		if u.Role != expodesk.RoleExhibitor || u.PavilionID != nil || u.ExhibitorID == nil || *u.ExhibitorID != w.Sensing.ID {
			t.Errorf("invited user: role %s pavilion %v company %v; want a Taihu Sensing team member", u.Role, u.PavilionID, u.ExhibitorID)
		}
		msgs := e.mailTo(u.Email)
		if len(msgs) != 1 || msgs[0].PavilionID == nil || *msgs[0].PavilionID != w.WuxiPavilion.ID {
			t.Errorf("the invitation mail is not in the Wuxi Pavilion's outbox: %+v", msgs)
		}
	})

	t.Run("ProfileIgnoresForgedFields", func(t *testing.T) {
		a := w.ExhibitorB
		c := e.signedIn(t, a)
		resp, _ := c.post("/account/profile", url.Values{"family_name": {"Puig"}, "given_name": {"Jordi"}, "lang": {"es"},
			"email": {"boss@iotswc.example.org"}, "role": {"organizer"}, "pavilion_id": {itoa(w.WuxiPavilion.ID)},
			"exhibitor_id": {itoa(w.Sensing.ID)}, "disabled": {"false"}, "session_version": {"99"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("profile with forged fields: %d, want 303", resp.StatusCode)
		}
		got := e.user(a.ID)
		if got.Email != a.Email || got.Role != expodesk.RoleExhibitor || got.PavilionID != nil ||
			got.ExhibitorID == nil || *got.ExhibitorID != w.Cloud.ID {
			t.Errorf("after a forged profile form: email %s role %s pavilion %v company %v", got.Email, got.Role, got.PavilionID, got.ExhibitorID)
		}
		c.wantSignedIn("after a forged profile form")
	})

	t.Run("ExhibitorCannotChooseCompany", func(t *testing.T) {
		ex := e.signedIn(t, w.ExhibitorA)
		resp, body := ex.post("/exhibitor/team/invite", with(person("colleague@taihu.example.com"), "exhibitor", itoa(w.Cloud.ID),
			"kind", "organizer"))
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("exhibitor invites a colleague: %d, want 303\n%s", resp.StatusCode, excerpt(body))
		}
		u, err := e.store.UserGetByEmail(context.Background(), "colleague@taihu.example.com")
		if err != nil {
			t.Fatal(err)
		}
		if u.Role != expodesk.RoleExhibitor || u.ExhibitorID == nil || *u.ExhibitorID != w.Sensing.ID {
			t.Errorf("invited colleague: role %s company %v; want Taihu Sensing (the inviter's), whatever the form says", u.Role, u.ExhibitorID)
		}
	})
}
