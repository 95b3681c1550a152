package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"expodesk/internal/expodesk"
)

// auditRow is an audit entry as the tests read it back.
type auditRow struct {
	ActorID                 *int64
	ActorLabel              string
	Action                  string
	ObjectType, ObjectID    string
	At                      time.Time
	ClientIP                string
	Before, After           string
	PavilionID, ExhibitorID *int64
}

// lastAudit returns the newest entry with the action, failing when there is none.
func (e *testEnv) lastAudit(t *testing.T, action string) auditRow {
	t.Helper()
	var a auditRow
	err := e.pool.QueryRow(context.Background(), `SELECT actor_id, actor_label, action, object_type, object_id, at, client_ip,
			coalesce(before::text, ''), coalesce(after::text, ''), pavilion_id, exhibitor_id
		FROM audit_entry WHERE action = $1 ORDER BY id DESC LIMIT 1`, action).
		Scan(&a.ActorID, &a.ActorLabel, &a.Action, &a.ObjectType, &a.ObjectID, &a.At, &a.ClientIP, &a.Before, &a.After,
			&a.PavilionID, &a.ExhibitorID)
	if err != nil {
		t.Fatalf("no %s audit entry: %v", action, err)
	}
	return a
}

// TestAudit checks that sign-ins, sign-outs, refusals and writes are in the
// audit log with who, what, which object, when and from where.
func TestAudit(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	// check compares an entry with what the test did.
	check := func(t *testing.T, a auditRow, actor *account, label, objectType, objectID, ip string) {
		t.Helper()
		switch {
		case actor == nil && a.ActorID != nil:
			t.Errorf("%s: actor id %d, want none", a.Action, *a.ActorID)
		case actor != nil && (a.ActorID == nil || *a.ActorID != actor.ID):
			t.Errorf("%s: actor id %v, want %d", a.Action, a.ActorID, actor.ID)
		}
		if a.ActorLabel != label || a.ObjectType != objectType || a.ObjectID != objectID || a.ClientIP != ip {
			t.Errorf("%s: actor %q object %s %s ip %q; want actor %q object %s %s ip %q",
				a.Action, a.ActorLabel, a.ObjectType, a.ObjectID, a.ClientIP, label, objectType, objectID, ip)
		}
		if !a.At.Equal(e.clock.Now()) {
			t.Errorf("%s: at %s, want the server's clock %s", a.Action, a.At, e.clock.Now())
		}
	}
	exA := w.ExhibitorA

	t.Run("SignIn", func(t *testing.T) {
		c := e.newClient(t)
		c.signIn(exA)
		check(t, e.lastAudit(t, "auth.signin"), &exA, exA.Email, "user", itoa(exA.ID), c.ip)
	})
	t.Run("SignInFailedKnown", func(t *testing.T) {
		c := e.newClient(t)
		c.signInStep(exA.Email, "wrong password, audited")
		check(t, e.lastAudit(t, "auth.signin_failed"), &exA, exA.Email, "user", itoa(exA.ID), c.ip)
	})
	t.Run("SignInFailedUnknown", func(t *testing.T) {
		c := e.newClient(t)
		c.signInStep("nobody@taihu.example.com", "wrong password, audited")
		check(t, e.lastAudit(t, "auth.signin_failed"), nil, "nobody@taihu.example.com", "user", "", c.ip)
	})
	t.Run("SignOut", func(t *testing.T) {
		c := e.signedIn(t, exA)
		c.post("/signout", nil)
		check(t, e.lastAudit(t, "auth.signout"), &exA, exA.Email, "user", itoa(exA.ID), c.ip)
	})
	t.Run("AuthorizationFailed", func(t *testing.T) {
		c := e.signedIn(t, exA)
		if resp, _ := c.get("/organizer/users"); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("exhibitor opens /organizer/users: %d, want 403", resp.StatusCode)
		}
		if !strings.Contains(e.logs.String(), fmt.Sprintf(`msg="authorization failed" object_type=route object_id=/organizer/users user_id=%d`, exA.ID)) {
			t.Error("no authorization warning in the log for the exhibitor's 403")
		}
		a := e.lastAudit(t, "auth.forbidden")
		check(t, a, &exA, exA.Email, "route", "/organizer/users", c.ip)
		// Another company's object: a 404 to the person, a refusal in the log.
		if resp, _ := c.post("/exhibitor/team/"+itoa(w.ExhibitorB2.ID)+"/remove", nil); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("remove another company's member: %d, want 404", resp.StatusCode)
		}
		check(t, e.lastAudit(t, "auth.forbidden"), &exA, exA.Email, "user", itoa(w.ExhibitorB2.ID), c.ip)
	})
	t.Run("InviteDisableEnable", func(t *testing.T) {
		org := e.signedIn(t, w.Organizer)
		org.post("/organizer/users/invite", url.Values{"kind": {"exhibitor"}, "exhibitor": {itoa(w.Cloud.ID)},
			"email": {"audited@nube.example.es"}, "family_name": {"Audited"}, "lang": {"es"}})
		u, err := e.store.UserGetByEmail(ctx, "audited@nube.example.es")
		if err != nil {
			t.Fatal(err)
		}
		a := e.lastAudit(t, "user.invite")
		check(t, a, &w.Organizer, w.Organizer.Email, "user", itoa(u.ID), org.ip)
		if !strings.Contains(a.After, `"audited@nube.example.es"`) {
			t.Errorf("user.invite: after %s, want the new account", a.After)
		}
		org.post("/organizer/users/"+itoa(u.ID)+"/disable", nil)
		a = e.lastAudit(t, "user.disable")
		check(t, a, &w.Organizer, w.Organizer.Email, "user", itoa(u.ID), org.ip)
		if !strings.Contains(a.Before, `"disabled": false`) || !strings.Contains(a.After, `"disabled": true`) {
			t.Errorf("user.disable: before %s after %s, want disabled false → true", a.Before, a.After)
		}
		org.post("/organizer/users/"+itoa(u.ID)+"/enable", nil)
		check(t, e.lastAudit(t, "user.enable"), &w.Organizer, w.Organizer.Email, "user", itoa(u.ID), org.ip)
	})
	t.Run("PasswordChange", func(t *testing.T) {
		a := w.ExhibitorB2
		c := e.signedIn(t, a)
		resp, _ := c.post("/account/password", url.Values{"current_password": {a.Password}, "password": {newPW}, "password_confirm": {newPW}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("change password: %d", resp.StatusCode)
		}
		check(t, e.lastAudit(t, "user.change_password"), &a, a.Email, "user", itoa(a.ID), c.ip)
	})
}

// auditPageRows reads the audit page's table: the actor cell (label and
// address) and the action of each row.
func auditPageRows(t *testing.T, c *client, query string) [][2]string {
	t.Helper()
	resp, body := c.get("/organizer/audit" + query)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /organizer/audit%s: %d", query, resp.StatusCode)
	}
	var rows [][2]string
	doc(t, body).Find("tbody tr").Each(func(_ int, tr *goquery.Selection) {
		tds := tr.Find("td")
		rows = append(rows, [2]string{strings.TrimSpace(tds.Eq(1).Text()), strings.TrimSpace(tds.Eq(2).Text())})
	})
	return rows
}

// TestAuditPage checks the organizer's audit page: it lists entries,
// filters by action prefix and actor, and shows a coordinator only the
// entries about their pavilion and its companies.
func TestAuditPage(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	// Activity: A (Wuxi Pavilion company) and B (no pavilion) sign in and fail once.
	for _, a := range []account{w.ExhibitorA, w.ExhibitorB} {
		e.signedIn(t, a)
		e.newClient(t).signInStep(a.Email, "a wrong password")
	}
	org := e.signedIn(t, w.Organizer)
	coord := e.signedIn(t, w.Coordinator)

	all := auditPageRows(t, org, "")
	if len(all) < 6 {
		t.Fatalf("the organizer's audit page lists %d entries, want at least 6: %v", len(all), all)
	}
	for _, tc := range []struct {
		query string
		ok    func(actor, action string) bool
	}{
		{"?action=auth.signin_failed", func(_, action string) bool { return action == "auth.signin_failed" }},
		{"?action=auth.", func(_, action string) bool { return strings.HasPrefix(action, "auth.") }},
		{"?actor=" + url.QueryEscape(w.ExhibitorB.Email), func(actor, _ string) bool { return strings.Contains(actor, w.ExhibitorB.Email) }},
		{"?action=auth.signin&actor=nube", func(actor, action string) bool {
			return strings.HasPrefix(action, "auth.signin") && strings.Contains(actor, "nube")
		}},
	} {
		rows := auditPageRows(t, org, tc.query)
		if len(rows) == 0 {
			t.Errorf("audit page %s lists nothing", tc.query)
		}
		for _, r := range rows {
			if !tc.ok(r[0], r[1]) {
				t.Errorf("audit page %s lists %q %q", tc.query, r[0], r[1])
			}
		}
	}
	if rows := auditPageRows(t, org, "?action=%25"); len(rows) != 0 {
		t.Errorf("action filter %% is a wildcard: %d rows", len(rows))
	}

	// The coordinator sees their pavilion's company, not the other company nor the expo-wide organizer.
	rows := auditPageRows(t, coord, "")
	sawA := false
	for _, r := range rows {
		switch {
		case strings.Contains(r[0], w.ExhibitorA.Email):
			sawA = true
		case strings.Contains(r[0], w.ExhibitorB.Email), strings.Contains(r[0], w.Organizer.Email):
			t.Errorf("the coordinator's audit page shows %q %q, outside their pavilion", r[0], r[1])
		}
	}
	if !sawA {
		t.Errorf("the coordinator's audit page does not show the Wuxi Pavilion company's sign-ins: %v", rows)
	}
	if rows := auditPageRows(t, coord, "?actor="+url.QueryEscape(w.ExhibitorB.Email)); len(rows) != 0 {
		t.Errorf("filtering by another company's member shows the coordinator %d entries", len(rows))
	}
}

// TestAuditNoSecrets runs the flows that handle secrets (sign-in, a wrong
// password, TOTP enrolment and use, invitation, reset, password change, a
// throttled link) and then greps the server's log, the audit log and the
// session table for every password, token, cookie, TOTP secret and
// recovery code involved.
func TestAuditNoSecrets(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	secrets := map[string]string{} // value → what it is
	add := func(what, v string) {
		if len(v) >= 6 {
			secrets[v] = what
		}
	}
	var clients []*client
	browser := func() *client {
		c := e.newClient(t)
		clients = append(clients, c)
		return c
	}
	cookie := func(c *client) { add("session cookie", c.session()) }
	for _, a := range []account{w.Coordinator, w.Organizer} {
		add("TOTP secret", a.TOTPSecret)
		for _, rc := range a.RecoveryCodes {
			add("recovery code", rc)
		}
	}
	add("password", testPassword)
	add("password hash", testPasswordHash())

	// Sign-ins: a wrong password, an organizer with TOTP, a recovery code.
	wrong := "Wrong-Password-Typed-By-Mistake-9"
	add("wrong password", wrong)
	browser().signInStep(w.ExhibitorA.Email, wrong)
	o := browser()
	o.signInStep(w.Organizer.Email, testPassword)
	cookie(o)
	code := e.totpCode(w.Organizer.ID, w.Organizer.TOTPSecret)
	o.post("/signin/totp", url.Values{"code": {code}})
	cookie(o)
	rc := browser()
	rc.signInStep(w.Coordinator.Email, testPassword)
	rc.post("/signin/totp", url.Values{"mode": {"recovery"}, "recovery_code": {w.Coordinator.RecoveryCodes[1]}})
	cookie(rc)

	// An exhibitor enrols TOTP: the secret and the recovery codes are shown once.
	ex := browser()
	ex.signIn(w.ExhibitorA)
	cookie(ex)
	_, body := ex.get("/account/totp")
	secret := strings.ReplaceAll(doc(t, body).Find("code.secret").Text(), " ", "")
	add("TOTP secret (enrolled)", secret)
	_, body = ex.post("/account/totp", url.Values{"code": {e.totpCode(w.ExhibitorA.ID, secret)}, "current_password": {w.ExhibitorA.Password}})
	for _, n := range doc(t, body).Find("ul.codes code").Nodes {
		add("recovery code (enrolled)", n.FirstChild.Data)
	}
	cookie(ex)

	// An invitation, accepted.
	o.post("/organizer/users/invite", url.Values{"kind": {"exhibitor"}, "exhibitor": {itoa(w.Sensing.ID)},
		"email": {"secret.keeper@taihu.example.com"}, "family_name": {"Keeper"}, "lang": {"en"}})
	invite := linkIn(t, e.mailTo("secret.keeper@taihu.example.com")[0], "/invitations/")
	add("invitation token", strings.TrimPrefix(invite, "/invitations/"))
	inv := browser()
	invPW := "Invitee-Chose-This-Passphrase-31"
	add("invitee's password", invPW)
	inv.get(invite)
	inv.post(invite, url.Values{"family_name": {"Keeper"}, "lang": {"en"}, "password": {invPW}, "password_confirm": {invPW}})
	cookie(inv)

	// A reset, used.
	browser().post("/password/forgot", url.Values{"email": {w.ExhibitorB.Email}})
	reset := linkIn(t, e.mailTo(w.ExhibitorB.Email)[0], "/password/reset/")
	add("reset token", strings.TrimPrefix(reset, "/password/reset/"))
	resetPW := "Reset-Chose-Another-Passphrase-47"
	add("reset password", resetPW)
	rs := browser()
	rs.get(reset)
	rs.post(reset, url.Values{"password": {resetPW}, "password_confirm": {resetPW}})

	// A password change.
	changed := "Changed-To-Yet-Another-Passphrase-58"
	add("changed password", changed)
	b2 := browser()
	b2.signIn(w.ExhibitorB2)
	cookie(b2)
	b2.post("/account/password", url.Values{"current_password": {testPassword}, "password": {changed}, "password_confirm": {changed}})
	cookie(b2)

	// A valid link opened from an address that is throttled: the refusal is logged.
	org2 := e.createAccount(expodesk.User{Email: "second@taihu.example.com", Role: expodesk.RoleExhibitor, ExhibitorID: &w.Sensing.ID})
	throttledToken := e.createToken(expodesk.TokenPasswordReset, org2.ID, expodesk.ResetTTL)
	add("reset token (throttled)", throttledToken)
	guesser := browser()
	for i := range 30 {
		guesser.get(fmt.Sprintf("/invitations/%043d", i))
	}
	if resp, _ := guesser.get("/password/reset/" + throttledToken); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("31st link from one address: %d, want 429", resp.StatusCode)
	}

	for _, c := range clients {
		cookie(c)
	}
	// Every user's hash, whatever it now is.
	users, err := e.store.UserList(ctx, expodesk.UserFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		add("password hash", u.PasswordHash)
		add("TOTP secret", u.TOTPSecret)
	}

	var audit, sessions string
	if err := e.pool.QueryRow(ctx, `SELECT coalesce(string_agg(a::text, E'\n'), '') FROM audit_entry a`).Scan(&audit); err != nil {
		t.Fatal(err)
	}
	if err := e.pool.QueryRow(ctx, `SELECT coalesce(string_agg(token || ' ' || encode(data, 'escape'), E'\n'), '') FROM sessions`).Scan(&sessions); err != nil {
		t.Fatal(err)
	}
	logs := e.logs.String()
	if len(logs) < 1000 || !strings.Contains(audit, "auth.invitation_accepted") || !strings.Contains(audit, "auth.password_reset") {
		t.Fatalf("the flows did not run: %d bytes of log, audit:\n%s", len(logs), audit)
	}
	for v, what := range secrets {
		for _, place := range []struct{ name, text string }{{"the server log", logs}, {"the audit log", audit}, {"the session table", sessions}} {
			if place.name == "the session table" && strings.HasPrefix(what, "TOTP secret") {
				continue // an enrolment keeps the new secret in the server-side session until confirmed
			}
			if strings.Contains(place.text, v) {
				t.Errorf("%s contains a %s", place.name, what)
			}
		}
	}
}
