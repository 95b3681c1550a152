package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

// csrfCase is a form post that would succeed from the site's own pages.
type csrfCase struct {
	pattern string
	// setup returns the browser, URL and form of a request that succeeds
	// when sent from the site itself, with a fresh user where it needs one.
	setup func(t *testing.T) (*client, string, url.Values)
	want  int
	// sessionOnly marks requests whose success changes only the session (sign-out).
	sessionOnly bool
	// upload, when set, is sent as the file of a multipart form instead of the form.
	upload []byte
}

// send posts the case's form, or its upload as a multipart form.
func (tc csrfCase) send(c *client, path string, form url.Values, headers ...string) (*http.Response, string) {
	c.t.Helper()
	if tc.upload != nil {
		return c.upload(path, "logo.png", tc.upload, headers...)
	}
	return c.post(path, form, headers...)
}

// crossSiteHeaders are the ways a forged form arrives from another site.
var crossSiteHeaders = []struct {
	name    string
	headers []string
}{
	{"CrossSite", []string{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"}},
	{"SameSiteSibling", []string{"Sec-Fetch-Site", "same-site", "Origin", "https://sub.expodesk.example"}},
	{"ForeignOriginOnly", []string{"Sec-Fetch-Site", "", "Origin", "https://evil.example"}},
	{"NullOrigin", []string{"Sec-Fetch-Site", "", "Origin", "null"}},
}

// TestCSRF posts every unsafe route's form from another site: each is
// refused with 403 and changes nothing; the same form from the site works.
func TestCSRF(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	var n int
	fresh := func(company *int64) account {
		n++
		u := expodesk.User{Email: "csrf" + itoa(int64(n)) + "@example.com", Role: expodesk.RoleExhibitor, ExhibitorID: company,
			PersonName: expodesk.PersonName{FamilyName: "Fresh"}}
		if company == nil {
			u.Role = expodesk.RoleOrganizer
		}
		return e.createAccount(u)
	}
	// csrfExpo creates an expo for a case that changes one.
	csrfExpo := func(t *testing.T) expodesk.Expo {
		n++
		x, err := e.store.ExpoCreate(ctx, expodesk.Expo{Slug: "csrf-" + itoa(int64(n)), Name: expodesk.Text{EN: "CSRF Expo"},
			City: expodesk.Text{EN: "Madrid"}, Country: "ES", TimeZone: "Europe/Madrid",
			FirstDay: w.Barcelona.FirstDay, LastDay: w.Barcelona.LastDay, SlotQuota: 2, CancelHoursBefore: 48})
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	// csrfApplicant is a new company that applied to Barcelona, in the Wuxi Pavilion.
	csrfApplicant := func(t *testing.T) expodesk.Participation {
		n++
		x, err := e.store.ExhibitorCreate(ctx, expodesk.Exhibitor{Slug: "csrf-applicant-" + itoa(int64(n)), LegalName: "CSRF Applicant",
			Name: expodesk.Text{EN: "CSRF Applicant"}, Country: "CN"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		pt, err := e.store.ParticipationCreate(ctx, expodesk.Participation{ExpoID: w.Barcelona.ID, ExhibitorID: x.ID,
			PavilionID: &w.WuxiPavilion.ID, Status: expodesk.StatusApplied})
		if err != nil {
			t.Fatal(err)
		}
		return pt
	}
	pwForm := func(pw string) url.Values { return url.Values{"current_password": {pw}} }
	// enrolled returns a signed-in exhibitor who has just turned TOTP on.
	enrolled := func(t *testing.T) *client {
		a := fresh(&w.Cloud.ID)
		c := e.signedIn(t, a)
		_, body := c.get("/account/totp")
		secret := strings.ReplaceAll(doc(t, body).Find("code.secret").Text(), " ", "")
		if resp, _ := c.post("/account/totp", url.Values{"code": {e.totpCode(a.ID, secret)}, "current_password": {a.Password}}); resp.StatusCode != http.StatusOK {
			t.Fatalf("enrol TOTP: %d", resp.StatusCode)
		}
		return c
	}

	cases := []csrfCase{
		{pattern: "/signin", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.newClient(t), "/signin", url.Values{"email": {w.ExhibitorA.Email}, "password": {testPassword}}
		}},
		{pattern: "/signin/totp", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			c := e.newClient(t)
			c.signInStep(w.Organizer.Email, testPassword)
			return c, "/signin/totp", url.Values{"code": {e.totpCode(w.Organizer.ID, w.Organizer.TOTPSecret)}}
		}},
		{pattern: "/signin/totp/setup", want: s200, setup: func(t *testing.T) (*client, string, url.Values) {
			c := e.newClient(t)
			o := fresh(nil)
			c.signIn(o)
			_, body := c.get("/signin/totp/setup")
			secret := strings.ReplaceAll(doc(t, body).Find("code.secret").Text(), " ", "")
			return c, "/signin/totp/setup", url.Values{"code": {e.totpCode(o.ID, secret)}}
		}},
		{pattern: "/signout", want: s303, sessionOnly: true, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.ExhibitorA), "/signout", nil
		}},
		{pattern: "/password/forgot", want: s200, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.newClient(t), "/password/forgot", url.Values{"email": {fresh(&w.Sensing.ID).Email}}
		}},
		{pattern: "/password/reset/{token}", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.newClient(t), "/password/reset/" + e.createToken(expodesk.TokenPasswordReset, fresh(&w.Sensing.ID).ID, expodesk.ResetTTL), resetForm()
		}},
		{pattern: "/invitations/{token}", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			u, err := e.store.UserCreate(ctx, expodesk.User{Email: "csrf-invitee" + itoa(int64(n)) + "@example.com", Role: expodesk.RoleExhibitor, ExhibitorID: &w.Sensing.ID})
			n++
			if err != nil {
				t.Fatal(err)
			}
			return e.newClient(t), "/invitations/" + e.createToken(expodesk.TokenInvitation, u.ID, expodesk.InvitationTTL), acceptForm("Invitee", "New", "es")
		}},
		{pattern: "/account/profile", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, fresh(&w.Sensing.ID)), "/account/profile", url.Values{"family_name": {"Changed"}, "given_name": {"Name"}, "lang": {"zh"}}
		}},
		{pattern: "/account/password", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, fresh(&w.Sensing.ID)), "/account/password",
				url.Values{"current_password": {testPassword}, "password": {newPW}, "password_confirm": {newPW}}
		}},
		{pattern: "/account/totp", want: s200, setup: func(t *testing.T) (*client, string, url.Values) {
			a := fresh(&w.Sensing.ID)
			c := e.signedIn(t, a)
			_, body := c.get("/account/totp")
			secret := strings.ReplaceAll(doc(t, body).Find("code.secret").Text(), " ", "")
			return c, "/account/totp", url.Values{"code": {e.totpCode(a.ID, secret)}, "current_password": {a.Password}}
		}},
		{pattern: "/account/totp/disable", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return enrolled(t), "/account/totp/disable", pwForm(testPassword)
		}},
		{pattern: "/account/recovery-codes", want: s200, setup: func(t *testing.T) (*client, string, url.Values) {
			return enrolled(t), "/account/recovery-codes", pwForm(testPassword)
		}},
		{pattern: "/organizer/users/invite", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.Organizer), "/organizer/users/invite", url.Values{"kind": {"exhibitor"}, "exhibitor": {itoa(w.Cloud.ID)},
				"email": {"csrf-invited@nube.example.es"}, "family_name": {"Invited"}, "lang": {"es"}}
		}},
		{pattern: "/organizer/users/{user}/disable", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.Coordinator), "/organizer/users/" + itoa(fresh(&w.Sensing.ID).ID) + "/disable", nil
		}},
		{pattern: "/organizer/users/{user}/enable", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			a := fresh(&w.Sensing.ID)
			if _, err := e.store.UserSetDisabled(ctx, a.ID, true); err != nil {
				t.Fatal(err)
			}
			return e.signedIn(t, w.Organizer), "/organizer/users/" + itoa(a.ID) + "/enable", nil
		}},
		// Organizers: expos, sister links, pavilions (O1).
		{pattern: "/organizer/expos", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			n++
			return e.signedIn(t, w.Organizer), "/organizer/expos", expoForm("csrf-expo-" + itoa(int64(n)))
		}},
		{pattern: "/organizer/expos/{expo}", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.Organizer), "/organizer/expos/" + csrfExpo(t).Slug, expoForm("csrf-renamed-" + itoa(int64(n)))
		}},
		{pattern: "/organizer/expos/{expo}/archive", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.Organizer), "/organizer/expos/" + csrfExpo(t).Slug + "/archive", nil
		}},
		{pattern: "/organizer/expos/{expo}/restore", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			x := csrfExpo(t)
			if _, err := e.store.ExpoSetArchived(ctx, x.ID, true); err != nil {
				t.Fatal(err)
			}
			return e.signedIn(t, w.Organizer), "/organizer/expos/" + x.Slug + "/restore", nil
		}},
		{pattern: "/organizer/expos/{expo}/sisters", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.Organizer), "/organizer/expos/" + csrfExpo(t).Slug + "/sisters", url.Values{"sister": {itoa(w.Barcelona.ID)}}
		}},
		{pattern: "/organizer/expos/{expo}/sisters/{sister}/unlink", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			x := csrfExpo(t)
			if err := e.store.ExpoLinkSisters(ctx, x.ID, w.Barcelona.ID); err != nil {
				t.Fatal(err)
			}
			return e.signedIn(t, w.Organizer), "/organizer/expos/" + x.Slug + "/sisters/" + itoa(w.Barcelona.ID) + "/unlink", nil
		}},
		{pattern: "/organizer/expos/{expo}/pavilions", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.Organizer), "/organizer/expos/" + w.Barcelona.Slug + "/pavilions",
				url.Values{"slug": {"csrf-pavilion"}, "name_en": {"CSRF Pavilion"}}
		}},
		{pattern: "/organizer/expos/{expo}/pavilions/{pavilion}", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.Coordinator), "/organizer/expos/" + w.Barcelona.Slug + "/pavilions/" + itoa(w.WuxiPavilion.ID),
				url.Values{"slug": {"wuxi-pavilion"}, "name_en": {"Wuxi Pavilion"}, "hall": {"CSRF hall"}}
		}},
		{pattern: "/organizer/expos/{expo}/pavilions/{pavilion}/move", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.Organizer), "/organizer/expos/" + w.Barcelona.Slug + "/pavilions/" + itoa(w.WuxiPavilion.ID) + "/move",
				url.Values{"direction": {"down"}}
		}},
		// Organizers: participations (O3, O6).
		{pattern: "/organizer/participations/{participation}/status", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.Coordinator), urls.OrganizerParticipationStatus(csrfApplicant(t).ID), url.Values{"status": {"approved"}}
		}},
		{pattern: "/organizer/participations/{participation}/placement", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.Organizer), urls.OrganizerParticipationPlacement(csrfApplicant(t).ID),
				url.Values{"pavilion": {itoa(w.WuxiPavilion.ID)}, "booth": {"CSRF-" + itoa(int64(n))}}
		}},
		// Organizers: the spreadsheet import (O2).
		{pattern: "/organizer/import/preview", want: s200, upload: []byte(importSheet("csrf-preview")), setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.Organizer), urls.OrganizerImportPreview(), nil
		}},
		{pattern: "/organizer/import/commit", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.Organizer), urls.OrganizerImportCommit(), url.Values{"import": {itoa(keptUpload(e, w.Organizer.ID))}}
		}},
		// Organizers: registering a company (O2) and a company's page.
		{pattern: "/organizer/expos/{expo}/exhibitors", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			n++
			return e.signedIn(t, w.Organizer), urls.OrganizerExhibitors(w.Barcelona.Slug), registerForm("CSRF Company " + itoa(int64(n)))
		}},
		{pattern: "/organizer/exhibitors/{exhibitor}", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			n++
			return e.signedIn(t, w.Organizer), urls.OrganizerExhibitor(w.Cloud.ID),
				url.Values{"name_es": {"Nube Catalana " + itoa(int64(n))}, "country": {"ES"}}
		}},
		{pattern: "/organizer/exhibitors/{exhibitor}/identity", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			n++
			return e.signedIn(t, w.Coordinator), urls.OrganizerExhibitorIdentity(w.Sensing.ID),
				url.Values{"legal_name": {"CSRF Legal " + itoa(int64(n))}}
		}},
		{pattern: "/organizer/expos/{expo}/participations/bulk", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.Coordinator), urls.OrganizerParticipationsBulk(w.Barcelona.Slug),
				url.Values{"ids": {itoa(csrfApplicant(t).ID), itoa(csrfApplicant(t).ID)}, "bulk_status": {"approved"}}
		}},
		{pattern: "/organizer/users/invite-many", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.Organizer), urls.OrganizerUsersInviteMany(),
				url.Values{"lines": {"csrf-many@taihu.example.com, taihu-sensing, 王, 芳\ncsrf-many@nube.example.es; nube-catalana; Vidal"}}
		}},
		{pattern: "/expos/{expo}/apply", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			x, _ := e.callExpo(t)
			return e.newClient(t), urls.ExpoApply(x.Slug), applicationForm("csrf@cloudsense.example.cn")
		}},
		{pattern: "/exhibitor/team/invite", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.ExhibitorA), "/exhibitor/team/invite",
				url.Values{"email": {"csrf-colleague@taihu.example.com"}, "family_name": {"Colleague"}, "lang": {"zh"}}
		}},
		{pattern: "/exhibitor/team/{user}/remove", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.ExhibitorA), "/exhibitor/team/" + itoa(fresh(&w.Sensing.ID).ID) + "/remove", nil
		}},
		{pattern: "/exhibitor/team/invitations/{invitation}/cancel", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			inv, err := e.store.TeamInvitationAdd(context.Background(), expodesk.TeamInvitation{ExhibitorID: w.Sensing.ID, Email: "csrf@example.com"})
			if err != nil {
				t.Fatal(err)
			}
			return e.signedIn(t, w.ExhibitorA), "/exhibitor/team/invitations/" + itoa(inv.ID) + "/cancel", nil
		}},
		{pattern: "/exhibitor/profile", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.ExhibitorA), "/exhibitor/profile", profileForm()
		}},
		{pattern: "/exhibitor/logo", want: s303, upload: encodePNG(t, 16, 16), setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.ExhibitorB), "/exhibitor/logo", nil
		}},
		{pattern: "/exhibitor/logo/delete", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			if err := e.store.LogoPut(ctx, w.Cloud.ID, "image/png", []byte("\x89PNG\r\n\x1a\n"), 1, 1, "csrf"); err != nil {
				t.Fatal(err)
			}
			return e.signedIn(t, w.ExhibitorB), "/exhibitor/logo/delete", nil
		}},
	}
	cases = append(cases, bookingCSRFCases(t, e, w)...)

	cases = append(cases, stageCSRFCases(e, w)...)
	cases = append(cases, controlCSRFCases(e, w)...)
	cases = append(cases, delegationCSRFCases(e, w)...)
	cases = append(cases, waitlistCSRFCases(e, w)...)
	cases = append(cases, itineraryCSRFCases(t, e, w)...)
	cases = append(cases, drawCSRFCases(e, w)...)
	cases = append(cases, webhookCSRFCases(e, w)...)

	t.Run("EveryUnsafeRoute", func(t *testing.T) {
		covered := map[string]bool{}
		for _, c := range cases {
			covered["POST "+c.pattern] = true
		}
		for k := range routeKeys(t, e.server) {
			method, _, _ := strings.Cut(k, " ")
			if method != http.MethodGet && method != http.MethodHead && method != http.MethodOptions && !covered[k] {
				t.Errorf("unsafe route %s has no cross-site test in csrf_test.go", k)
			}
		}
	})

	for _, tc := range cases {
		t.Run(strings.TrimPrefix(tc.pattern, "/"), func(t *testing.T) {
			c, path, form := tc.setup(t)
			resp, _ := c.get("/account")
			signedIn := resp.StatusCode == http.StatusOK
			for _, cs := range crossSiteHeaders {
				before := e.snapshot()
				resp, body := tc.send(c, path, form, cs.headers...)
				if resp.StatusCode != http.StatusForbidden {
					t.Errorf("%s POST %s: %d, want 403\n%s", cs.name, path, resp.StatusCode, excerpt(body))
				} else if !strings.Contains(body, "sent from another website") {
					t.Errorf("%s POST %s: the 403 page does not explain the refusal\n%s", cs.name, path, excerpt(body))
				}
				if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
					t.Errorf("%s POST %s was refused but changed %v", cs.name, path, changed)
				}
				if signedIn {
					c.wantSignedIn(cs.name + " POST " + path + " (a forged form must not end the session)")
				}
			}
			before := e.snapshot()
			resp, body := tc.send(c, path, form)
			if resp.StatusCode != tc.want {
				t.Fatalf("same-origin POST %s: %d, want %d\n%s", path, resp.StatusCode, tc.want, excerpt(body))
			}
			if tc.sessionOnly {
				c.wantSignedOut("after a same-origin sign-out")
			} else if changed := changedTables(before, e.snapshot()); len(changed) == 0 {
				t.Errorf("same-origin POST %s answered %d but changed no table; the form is not a real one", path, resp.StatusCode)
			}
		})
	}
	if !strings.Contains(e.logs.String(), "cross-origin request refused") {
		t.Error(`no "cross-origin request refused" warning in the server log`)
	}
}

// TestCSRFNoGetChangesState requests every route of the matrix with GET and
// HEAD as each role, POST-only URLs included: no table changes, and nobody
// is signed out by a link.
func TestCSRFNoGetChangesState(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	cases := matrixCases(e, w)
	var paths []string
	for _, c := range cases {
		paths = append(paths, c.path(organizer)) // creates the objects the paths name, before the snapshot
	}
	paths = append(paths, "/signout?confirm=1", "/organizer/users/invite?kind=organizer&email=x%40example.com")
	accounts := map[role]account{anonymous: {}, exhibitorA: w.ExhibitorA, coordinator: w.Coordinator, organizer: w.Organizer}
	for _, r := range []role{anonymous, exhibitorA, coordinator, organizer} {
		t.Run(r.String(), func(t *testing.T) {
			c := e.newClient(t)
			if r != anonymous {
				c.signIn(accounts[r])
			}
			before := e.snapshot()
			for _, p := range paths {
				for _, method := range []string{http.MethodGet, http.MethodHead} {
					req, err := http.NewRequest(method, c.base+p, nil)
					if err != nil {
						t.Fatal(err)
					}
					resp, body := c.do(req)
					if resp.StatusCode >= 500 {
						t.Errorf("%s %s as %s: %d\n%s", method, p, r, resp.StatusCode, excerpt(body))
					}
				}
			}
			if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
				t.Errorf("GET and HEAD requests as %s changed %v", r, changed)
			}
			if r != anonymous {
				c.wantSignedIn(r.String() + " after following every link")
			}
		})
	}
}
