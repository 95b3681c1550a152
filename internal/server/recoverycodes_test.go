package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"expodesk/internal/expodesk"
)

// TestRecoveryCodesPageHeaderShowsTheSession: the recovery codes shown right
// after enrolling TOTP at first sign-in come in the request that starts the
// session, and the page's header must show the person signed in (their area,
// sign out), not the visitor's "Sign in" link.
func TestRecoveryCodesPageHeaderShowsTheSession(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	o := e.createAccount(expodesk.User{Email: "header.check@iotswc.example.org", Role: expodesk.RoleOrganizer,
		PersonName: expodesk.PersonName{FamilyName: "Soler", GivenName: "Pau"}})
	c := e.newClient(t)
	if loc := c.signIn(o); loc != "/signin/totp/setup" {
		t.Fatalf("first sign-in went to %q, want /signin/totp/setup", loc)
	}
	_, body := c.get("/signin/totp/setup")
	secret := strings.ReplaceAll(doc(t, body).Find("code.secret").Text(), " ", "")
	resp, body := c.post("/signin/totp/setup", url.Values{"code": {codeAt(t, secret, e.clock.Now().Unix()/30)}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("enrol: %d, want 200 with the recovery codes\n%s", resp.StatusCode, excerpt(body))
	}
	header := doc(t, body).Find("header.site-header")
	if n := header.Find(`a[href="/signin"]`).Length(); n != 0 {
		t.Errorf("recovery codes page header offers Sign in to a signed-in organizer:\n%s", excerpt(body))
	}
	if header.Find(`form[action="/signout"]`).Length() != 1 || header.Find(`a[href="/organizer"]`).Length() != 1 {
		t.Errorf("recovery codes page header lacks the organizer area and sign out:\n%s", excerpt(body))
	}
}
