package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/go-chi/chi/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/mail"
)

// role is one column of the route × role matrix.
type role int

const (
	anonymous role = iota
	exhibitorA
	exhibitorB
	coordinator
	organizer
	roleCount
)

var roleNames = [roleCount]string{"Anonymous", "ExhibitorA", "ExhibitorB", "Coordinator", "Organizer"}

func (r role) String() string { return roleNames[r] }

// Statuses, short so that the matrix reads as a table.
const (
	s200 = http.StatusOK
	s303 = http.StatusSeeOther
	s401 = http.StatusUnauthorized
	s403 = http.StatusForbidden
	s404 = http.StatusNotFound
	s410 = http.StatusGone
	s422 = http.StatusUnprocessableEntity
)

// matrixCase is one row of the matrix: a route, a concrete URL and form,
// and the status each role must get.
type matrixCase struct {
	method, pattern string
	// object names the object the URL points at when a route has several rows.
	object string
	// path returns the URL for a role; it may create the object it names
	// (a new colleague to remove for each role, so that every role meets
	// the same situation).
	path func(r role) string
	form url.Values
	want [roleCount]int
	// fresh asks for a newly signed-in client for each role (the request ends the session).
	fresh bool
}

func (c matrixCase) name() string {
	n := c.method + " " + c.pattern
	if c.object != "" {
		n += " (" + c.object + ")"
	}
	return n
}

// routeKeys returns "METHOD pattern" for every route of the router, found by walking it.
func routeKeys(t *testing.T, s *Server) map[string]bool {
	t.Helper()
	routes, ok := s.router.(chi.Routes)
	if !ok {
		t.Fatalf("the server's router is a %T, not a chi.Routes", s.router)
	}
	keys := map[string]bool{}
	err := chi.Walk(routes, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		keys[method+" "+route] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) < 20 {
		t.Fatalf("walking the router found %d routes; the walk is broken", len(keys))
	}
	return keys
}

// matrixCases is the route × role matrix over the world's fixture. Objects
// a request changes are created per role, so that every role meets the same
// situation.
func matrixCases(e *testEnv, w world) []matrixCase {
	ctx := context.Background()
	var n atomic.Int64
	// newMember creates a colleague in a company's team (or an organizer when company is nil).
	newMember := func(company *int64, pavilion *int64, disabled bool) expodesk.User {
		e.t.Helper()
		u := expodesk.User{Email: fmt.Sprintf("victim%d@example.com", n.Add(1)), Role: expodesk.RoleExhibitor,
			ExhibitorID: company, PavilionID: pavilion, PersonName: expodesk.PersonName{FamilyName: "Victim"}}
		if company == nil {
			u.Role = expodesk.RoleOrganizer
		}
		a := e.createAccount(u)
		if disabled {
			if _, err := e.store.UserSetDisabled(ctx, a.ID, true); err != nil {
				e.t.Fatal(err)
			}
		}
		return a.User
	}
	path := func(p string) func(role) string { return func(role) string { return p } }
	userPath := func(action string, make func() expodesk.User) func(role) string {
		return func(role) string { return "/organizer/users/" + itoa(make().ID) + "/" + action }
	}
	removePath := func(make func() expodesk.User) func(role) string {
		return func(role) string { return "/exhibitor/team/" + itoa(make().ID) + "/remove" }
	}
	self := map[role]int64{exhibitorA: w.ExhibitorA.ID, exhibitorB: w.ExhibitorB.ID,
		coordinator: w.Coordinator.ID, organizer: w.Organizer.ID}
	euroCoordinator := newMember(nil, &w.EuroPavilion.ID, false)
	if err := e.store.LogoPut(ctx, w.Cloud.ID, "image/png", []byte("\x89PNG\r\n\x1a\n"), 1, 1, "nube-logo"); err != nil {
		e.t.Fatal(err)
	}

	// Outbox messages in three scopes: the Wuxi Pavilion, another pavilion, none.
	mailIn := func(pavilion *int64) string {
		e.t.Helper()
		m := e.server.mail.Message("someone@example.com", expodesk.EN, mail.Invitation{Role: mail.InviteTeamMember,
			Link: e.ts.URL + "/invitations/x", Inviter: "Matrix", Company: "Taihu Sensing"})
		m.PavilionID = pavilion
		m, err := e.store.MailEnqueue(ctx, m)
		if err != nil {
			e.t.Fatal(err)
		}
		return "/organizer/outbox/" + itoa(m.ID)
	}
	wuxiMail, euroMail, unscopedMail := mailIn(&w.WuxiPavilion.ID), mailIn(&w.EuroPavilion.ID), mailIn(nil)

	// freshExpo creates an expo for a request that changes one (archive, restore, sisters).
	freshExpo := func() expodesk.Expo {
		e.t.Helper()
		x, err := e.store.ExpoCreate(ctx, expodesk.Expo{Slug: fmt.Sprintf("matrix-expo-%d", n.Add(1)), Name: expodesk.Text{EN: "Matrix Expo"},
			City: expodesk.Text{EN: "Valencia"}, Country: "ES", TimeZone: "Europe/Madrid",
			FirstDay: w.Barcelona.FirstDay, LastDay: w.Barcelona.LastDay, SlotQuota: 2, CancelHoursBefore: 48})
		if err != nil {
			e.t.Fatal(err)
		}
		return x
	}
	expoAction := func(action string) func(role) string {
		return func(role) string { return "/organizer/expos/" + freshExpo().Slug + "/" + action }
	}
	expoManagers := [roleCount]int{s303, s403, s403, s403, s200}
	expoWrites := func(ok int) [roleCount]int { return [roleCount]int{s401, s403, s403, s403, ok} }
	wuxiPav := "/organizer/expos/" + w.Barcelona.Slug + "/pavilions/" + itoa(w.WuxiPavilion.ID)
	euroPav := "/organizer/expos/" + w.Wuxi.Slug + "/pavilions/" + itoa(w.EuroPavilion.ID)

	expo, pavilion, exhibitor := w.Barcelona.Slug, w.WuxiPavilion.Slug, w.Sensing.Slug
	// participationOf is a company's participation in Barcelona; freshApplicant
	// a new company that applied there, in the Wuxi Pavilion.
	participationOf := func(company int64) int64 {
		e.t.Helper()
		rows, err := e.store.Participations(ctx, expodesk.ParticipationFilter{ExpoID: w.Barcelona.ID})
		if err != nil {
			e.t.Fatal(err)
		}
		for _, r := range rows {
			if r.ExhibitorID == company {
				return r.ID
			}
		}
		e.t.Fatalf("company %d does not participate", company)
		return 0
	}
	freshApplicant := func(action string) func(role) string {
		return func(role) string {
			e.t.Helper()
			x, err := e.store.ExhibitorCreate(ctx, expodesk.Exhibitor{Slug: fmt.Sprintf("matrix-applicant-%d", n.Add(1)),
				LegalName: "Matrix Applicant", Name: expodesk.Text{EN: "Matrix Applicant"}, Country: "CN"}, nil)
			if err != nil {
				e.t.Fatal(err)
			}
			pt, err := e.store.ParticipationCreate(ctx, expodesk.Participation{ExpoID: w.Barcelona.ID, ExhibitorID: x.ID,
				PavilionID: &w.WuxiPavilion.ID, Status: expodesk.StatusApplied})
			if err != nil {
				e.t.Fatal(err)
			}
			return "/organizer/participations/" + itoa(pt.ID) + "/" + action
		}
	}
	sensingPart, cloudPart := itoa(participationOf(w.Sensing.ID)), itoa(participationOf(w.Cloud.ID))
	othersUpload := keptUpload(e, newMember(nil, nil, false).ID)
	unknownToken := strings.Repeat("A", 43) // well formed, matches nothing
	callExpo, _ := e.callExpo(e.t)
	all := func(s int) [roleCount]int { return [roleCount]int{s, s, s, s, s} }
	signedIn := [roleCount]int{s303, s200, s200, s200, s200}
	organizers := [roleCount]int{s303, s403, s403, s200, s200}
	exhibitors := [roleCount]int{s303, s200, s200, s403, s403}

	// invitationPath creates an open invitation of the company for each role
	// and returns the URL that cancels it.
	invitationPath := func(company int64) func(role) string {
		return func(role) string {
			inv, err := e.store.TeamInvitationAdd(context.Background(), expodesk.TeamInvitation{ExhibitorID: company,
				Email: "invited." + itoa(company) + "@example.com"})
			if err != nil {
				e.t.Fatal(err)
			}
			return "/exhibitor/team/invitations/" + itoa(inv.ID) + "/cancel"
		}
	}
	return append(append(append(append(append(append(append(stageMatrixCases(e, w), bookingMatrixCases(e, w)...), controlMatrixCases(e, w)...),
		waitlistMatrixCases(e, w)...), itineraryMatrixCases(e, w)...), delegationMatrixCases(e, w)...), append(drawMatrixCases(e, w), webhookMatrixCases(e, w)...)...), []matrixCase{
		// Operations and visitor pages: the same answer for everyone.
		{method: "GET", pattern: "/livez", path: path("/livez"), want: all(s200)},
		{method: "GET", pattern: "/readyz", path: path("/readyz"), want: all(s200)},
		{method: "GET", pattern: "/static/*", path: path("/static/app.css"), want: all(s200)},
		{method: "GET", pattern: "/favicon.ico", path: path("/favicon.ico"), want: all(s200)},
		{method: "GET", pattern: "/robots.txt", path: path("/robots.txt"), want: all(s200)},
		// Without METRICS_TOKEN (the matrix's server has none) an unknown path for everyone.
		{method: "GET", pattern: "/metrics", path: path("/metrics"), want: all(s404)},
		{method: "GET", pattern: "/", path: path("/"), want: all(s200)},
		{method: "GET", pattern: "/expos/{expo}", path: path("/expos/" + expo), want: all(s200)},
		{method: "GET", pattern: "/expos/{expo}/exhibitors", path: path("/expos/" + expo + "/exhibitors"), want: all(s200)},
		{method: "GET", pattern: "/expos/{expo}/pavilions/{pavilion}", path: path("/expos/" + expo + "/pavilions/" + pavilion), want: all(s200)},
		{method: "GET", pattern: "/expos/{expo}/agenda", path: path("/expos/" + expo + "/agenda"), want: all(s200)},
		{method: "GET", pattern: "/expos/{expo}/agenda.ics", path: path("/expos/" + expo + "/agenda.ics"), want: all(s200)},
		{method: "GET", pattern: "/expos/{expo}/pavilions/{pavilion}/agenda", path: path("/expos/" + expo + "/pavilions/" + pavilion + "/agenda"), want: all(s200)},
		{method: "GET", pattern: "/expos/{expo}/pavilions/{pavilion}/agenda.ics", path: path("/expos/" + expo + "/pavilions/" + pavilion + "/agenda.ics"), want: all(s200)},
		{method: "GET", pattern: "/exhibitors/{exhibitor}", path: path("/exhibitors/" + exhibitor), want: all(s200)},
		{method: "GET", pattern: "/exhibitors/{exhibitor}/logo", object: "no logo uploaded", path: path("/exhibitors/" + exhibitor + "/logo"), want: all(s404)},
		{method: "GET", pattern: "/exhibitors/{exhibitor}/agenda.ics", path: path("/exhibitors/" + exhibitor + "/agenda.ics"), want: all(s200)},

		// The public application form (E5): the same for everyone; a call
		// that is not open answers 409 to a post and changes nothing.
		{method: "GET", pattern: "/expos/{expo}/apply", path: path("/expos/" + callExpo.Slug + "/apply"), want: all(s200)},
		{method: "GET", pattern: "/expos/{expo}/apply", object: "no call", path: path("/expos/" + expo + "/apply"), want: all(s200)},
		{method: "POST", pattern: "/expos/{expo}/apply", object: "empty form", path: path("/expos/" + callExpo.Slug + "/apply"), want: all(s422)},
		{method: "POST", pattern: "/expos/{expo}/apply", object: "no call", path: path("/expos/" + expo + "/apply"),
			form: applicationForm(""), want: all(http.StatusConflict)},

		// Signing in: public, and a signed-in person is sent home.
		{method: "GET", pattern: "/signin", path: path("/signin"), want: [roleCount]int{s200, s303, s303, s303, s303}},
		{method: "POST", pattern: "/signin", object: "empty form", path: path("/signin"), want: all(s422)},
		{method: "GET", pattern: "/signin/totp", object: "no password step", path: path("/signin/totp"), want: all(s303)},
		{method: "POST", pattern: "/signin/totp", object: "no password step", path: path("/signin/totp"), want: all(s303)},
		// Exhibitors may enrol (opt in); organizers have a second factor already.
		{method: "GET", pattern: "/signin/totp/setup", path: path("/signin/totp/setup"), want: [roleCount]int{s303, s200, s200, s303, s303}},
		{method: "POST", pattern: "/signin/totp/setup", object: "empty code", path: path("/signin/totp/setup"), want: [roleCount]int{s303, s422, s422, s303, s303}},
		{method: "POST", pattern: "/signout", path: path("/signout"), want: [roleCount]int{s401, s303, s303, s303, s303}, fresh: true},
		{method: "GET", pattern: "/password/forgot", path: path("/password/forgot"), want: all(s200)},
		{method: "POST", pattern: "/password/forgot", object: "empty form", path: path("/password/forgot"), want: all(s422)},
		{method: "GET", pattern: "/password/reset/{token}", object: "unknown token", path: path("/password/reset/" + unknownToken), want: all(s410)},
		{method: "POST", pattern: "/password/reset/{token}", object: "unknown token", path: path("/password/reset/" + unknownToken), want: all(s410)},
		{method: "GET", pattern: "/invitations/{token}", object: "unknown token", path: path("/invitations/" + unknownToken), want: all(s410)},
		{method: "POST", pattern: "/invitations/{token}", object: "unknown token", path: path("/invitations/" + unknownToken), want: all(s410)},

		// One's own account.
		{method: "GET", pattern: "/account", path: path("/account"), want: signedIn},
		{method: "POST", pattern: "/account/profile", path: path("/account/profile"),
			form: url.Values{"family_name": {"Matrix"}, "given_name": {"Test"}, "lang": {"en"}},
			want: [roleCount]int{s401, s303, s303, s303, s303}},
		{method: "POST", pattern: "/account/password", object: "empty form", path: path("/account/password"), want: [roleCount]int{s401, s422, s422, s422, s422}},
		{method: "GET", pattern: "/account/totp", path: path("/account/totp"), want: [roleCount]int{s303, s200, s200, s303, s303}},
		{method: "POST", pattern: "/account/totp", object: "empty code", path: path("/account/totp"), want: [roleCount]int{s401, s422, s422, s303, s303}},
		// Organizers must keep their second factor.
		{method: "POST", pattern: "/account/totp/disable", object: "empty form", path: path("/account/totp/disable"), want: [roleCount]int{s401, s422, s422, s403, s403}},
		{method: "POST", pattern: "/account/recovery-codes", object: "empty form", path: path("/account/recovery-codes"), want: [roleCount]int{s401, s303, s303, s422, s422}},

		// Organizers; a coordinator manages the teams of their pavilion's companies only.
		{method: "GET", pattern: "/organizer", path: path("/organizer"), want: organizers},
		{method: "GET", pattern: "/organizer/users", path: path("/organizer/users"), want: organizers},
		{method: "POST", pattern: "/organizer/users/invite", object: "no email", path: path("/organizer/users/invite"),
			form: url.Values{"kind": {"exhibitor"}}, want: [roleCount]int{s401, s403, s403, s422, s422}},
		{method: "POST", pattern: "/organizer/users/{user}/disable", object: "team member of a Wuxi Pavilion company",
			path: userPath("disable", func() expodesk.User { return newMember(&w.Sensing.ID, nil, false) }),
			want: [roleCount]int{s401, s403, s403, s303, s303}},
		{method: "POST", pattern: "/organizer/users/{user}/disable", object: "team member of a company outside the pavilion",
			path: userPath("disable", func() expodesk.User { return newMember(&w.Cloud.ID, nil, false) }),
			want: [roleCount]int{s401, s403, s403, s404, s303}},
		{method: "POST", pattern: "/organizer/users/{user}/disable", object: "expo-wide organizer",
			path: userPath("disable", func() expodesk.User { return newMember(nil, nil, false) }),
			want: [roleCount]int{s401, s403, s403, s404, s303}},
		{method: "POST", pattern: "/organizer/users/{user}/disable", object: "coordinator of another pavilion",
			path: path("/organizer/users/" + itoa(euroCoordinator.ID) + "/disable"),
			want: [roleCount]int{s401, s403, s403, s404, s303}},
		{method: "POST", pattern: "/organizer/users/{user}/disable", object: "oneself",
			path: func(r role) string { return "/organizer/users/" + itoa(self[r]) + "/disable" },
			want: [roleCount]int{s401, s403, s403, s403, s403}},
		{method: "POST", pattern: "/organizer/users/{user}/disable", object: "unknown user",
			path: path("/organizer/users/987654321/disable"), want: [roleCount]int{s401, s403, s403, s404, s404}},
		{method: "POST", pattern: "/organizer/users/{user}/disable", object: "not a number",
			path: path("/organizer/users/abc/disable"), want: [roleCount]int{s401, s403, s403, s404, s404}},
		{method: "POST", pattern: "/organizer/users/{user}/enable", object: "disabled member of a Wuxi Pavilion company",
			path: userPath("enable", func() expodesk.User { return newMember(&w.Sensing.ID, nil, true) }),
			want: [roleCount]int{s401, s403, s403, s303, s303}},
		{method: "POST", pattern: "/organizer/users/{user}/enable", object: "disabled member of a company outside the pavilion",
			path: userPath("enable", func() expodesk.User { return newMember(&w.Cloud.ID, nil, true) }),
			want: [roleCount]int{s401, s403, s403, s404, s303}},
		{method: "GET", pattern: "/organizer/audit", path: path("/organizer/audit"), want: organizers},
		{method: "GET", pattern: "/organizer/outbox", path: path("/organizer/outbox"), want: organizers},
		{method: "GET", pattern: "/organizer/outbox/{message}", object: "mail of the Wuxi Pavilion", path: path(wuxiMail), want: organizers},
		{method: "GET", pattern: "/organizer/outbox/{message}", object: "mail of another pavilion", path: path(euroMail),
			want: [roleCount]int{s303, s403, s403, s404, s200}},
		{method: "GET", pattern: "/organizer/outbox/{message}", object: "mail of no pavilion", path: path(unscopedMail),
			want: [roleCount]int{s303, s403, s403, s404, s200}},
		{method: "GET", pattern: "/organizer/outbox/{message}", object: "unknown message", path: path("/organizer/outbox/987654321"),
			want: [roleCount]int{s303, s403, s403, s404, s404}},

		// Organizers: expos, sister links, pavilions (O1). Expo-wide changes
		// are for expo-wide organizers; a coordinator edits their own pavilion.
		{method: "GET", pattern: "/organizer/expos", path: path("/organizer/expos"), want: organizers},
		{method: "POST", pattern: "/organizer/expos", object: "empty form", path: path("/organizer/expos"), want: expoWrites(s422)},
		{method: "GET", pattern: "/organizer/expos/new", path: path("/organizer/expos/new"), want: expoManagers},
		{method: "GET", pattern: "/organizer/expos/{expo}", path: path("/organizer/expos/" + expo), want: expoManagers},
		{method: "GET", pattern: "/organizer/expos/{expo}", object: "unknown expo", path: path("/organizer/expos/no-such-expo"),
			want: [roleCount]int{s303, s403, s403, s403, s404}},
		{method: "POST", pattern: "/organizer/expos/{expo}", object: "empty form", path: path("/organizer/expos/" + expo), want: expoWrites(s422)},
		{method: "POST", pattern: "/organizer/expos/{expo}/archive", path: expoAction("archive"), want: expoWrites(s303)},
		{method: "POST", pattern: "/organizer/expos/{expo}/restore", path: expoAction("restore"), want: expoWrites(s303)},
		{method: "POST", pattern: "/organizer/expos/{expo}/sisters", object: "no sister chosen", path: expoAction("sisters"), want: expoWrites(s422)},
		{method: "POST", pattern: "/organizer/expos/{expo}/sisters", object: "a new expo", path: expoAction("sisters"),
			form: url.Values{"sister": {itoa(w.Barcelona.ID)}}, want: expoWrites(s303)},
		{method: "POST", pattern: "/organizer/expos/{expo}/sisters/{sister}/unlink", object: "a new expo",
			path: func(role) string { return "/organizer/expos/" + expo + "/sisters/" + itoa(freshExpo().ID) + "/unlink" }, want: expoWrites(s303)},
		{method: "GET", pattern: "/organizer/expos/{expo}/pavilions/new", path: path("/organizer/expos/" + expo + "/pavilions/new"), want: expoManagers},
		{method: "POST", pattern: "/organizer/expos/{expo}/pavilions", object: "empty form", path: path("/organizer/expos/" + expo + "/pavilions"), want: expoWrites(s422)},
		{method: "GET", pattern: "/organizer/expos/{expo}/pavilions/{pavilion}", object: "the Wuxi Pavilion", path: path(wuxiPav),
			want: [roleCount]int{s303, s403, s403, s200, s200}},
		{method: "GET", pattern: "/organizer/expos/{expo}/pavilions/{pavilion}", object: "another pavilion", path: path(euroPav),
			want: [roleCount]int{s303, s403, s403, s404, s200}},
		{method: "GET", pattern: "/organizer/expos/{expo}/pavilions/{pavilion}", object: "the Wuxi Pavilion under another expo",
			path: path("/organizer/expos/" + w.Wuxi.Slug + "/pavilions/" + itoa(w.WuxiPavilion.ID)),
			want: [roleCount]int{s303, s403, s403, s404, s404}},
		{method: "POST", pattern: "/organizer/expos/{expo}/pavilions/{pavilion}", object: "the Wuxi Pavilion, empty form", path: path(wuxiPav),
			want: [roleCount]int{s401, s403, s403, s422, s422}},
		{method: "POST", pattern: "/organizer/expos/{expo}/pavilions/{pavilion}", object: "another pavilion, empty form", path: path(euroPav),
			want: [roleCount]int{s401, s403, s403, s404, s422}},
		{method: "POST", pattern: "/organizer/expos/{expo}/pavilions/{pavilion}/move", object: "the Wuxi Pavilion", path: path(wuxiPav + "/move"),
			form: url.Values{"direction": {"down"}}, want: expoWrites(s303)},

		// Organizers: exports (O2, O5). A coordinator's files hold their pavilion only (export_test.go).
		{method: "GET", pattern: "/organizer/exhibitors.csv", path: path("/organizer/exhibitors.csv"), want: organizers},
		{method: "GET", pattern: "/organizer/exhibitors.csv", object: "one expo, approved", path: path("/organizer/exhibitors.csv?expo=" + expo + "&status=approved"), want: organizers},
		{method: "GET", pattern: "/organizer/exhibitors.csv", object: "unknown expo", path: path("/organizer/exhibitors.csv?expo=no-such-expo"),
			want: [roleCount]int{s303, s403, s403, s404, s404}},
		{method: "GET", pattern: "/organizer/exhibitors.csv", object: "unknown status", path: path("/organizer/exhibitors.csv?status=paid"),
			want: [roleCount]int{s303, s403, s403, s422, s422}},
		{method: "GET", pattern: "/organizer/exhibitors-template.csv", path: path("/organizer/exhibitors-template.csv"), want: organizers},
		{method: "GET", pattern: "/organizer/audit.csv", path: path("/organizer/audit.csv?action=auth."), want: organizers},

		// Organizers: the spreadsheet import (O2). Another organizer's upload
		// is gone for anyone else, as an unknown one is (imports_test.go).
		{method: "GET", pattern: "/organizer/import", path: path("/organizer/import"), want: organizers},
		{method: "POST", pattern: "/organizer/import/preview", object: "no file", path: path("/organizer/import/preview"),
			want: [roleCount]int{s401, s403, s403, s422, s422}},
		{method: "POST", pattern: "/organizer/import/commit", object: "unknown upload", path: path("/organizer/import/commit"),
			form: url.Values{"import": {"987654321"}}, want: [roleCount]int{s401, s403, s403, s410, s410}},
		{method: "POST", pattern: "/organizer/import/commit", object: "another organizer's upload", path: path("/organizer/import/commit"),
			form: url.Values{"import": {itoa(othersUpload)}}, want: [roleCount]int{s401, s403, s403, s410, s410}},

		// Organizers: participations (O3, O6). A coordinator sees and manages
		// their pavilion's; another pavilion's participation is not found.
		{method: "GET", pattern: "/organizer/expos/{expo}/participations", path: path("/organizer/expos/" + expo + "/participations?status=applied&q=applied"),
			want: organizers},
		{method: "GET", pattern: "/organizer/expos/{expo}/participations", object: "another expo", path: path("/organizer/expos/" + w.Wuxi.Slug + "/participations"),
			want: [roleCount]int{s303, s403, s403, s404, s200}},
		{method: "POST", pattern: "/organizer/participations/{participation}/status", object: "an applicant in the Wuxi Pavilion",
			path: freshApplicant("status"), form: url.Values{"status": {"approved"}}, want: [roleCount]int{s401, s403, s403, s303, s303}},
		{method: "POST", pattern: "/organizer/participations/{participation}/status", object: "a company in no pavilion, empty form",
			path: path("/organizer/participations/" + cloudPart + "/status"), want: [roleCount]int{s401, s403, s403, s404, s422}},
		{method: "POST", pattern: "/organizer/participations/{participation}/placement", object: "a company in the Wuxi Pavilion",
			path: path("/organizer/participations/" + sensingPart + "/placement"),
			form: url.Values{"pavilion": {itoa(w.WuxiPavilion.ID)}, "booth": {"2-A01"}}, want: [roleCount]int{s401, s403, s403, s303, s303}},
		{method: "POST", pattern: "/organizer/participations/{participation}/placement", object: "a company in no pavilion",
			path: path("/organizer/participations/" + cloudPart + "/placement"),
			form: url.Values{"booth": {"3-B10"}}, want: [roleCount]int{s401, s403, s403, s404, s303}},

		// Organizers: an expo's dashboard (O5, O6), a coordinator's of their
		// pavilion only; another pavilion's, no pavilion's or another expo's
		// numbers are not found for them, as are the lists they link to.
		{method: "GET", pattern: "/organizer/expos/{expo}/dashboard", path: path("/organizer/expos/" + expo + "/dashboard"), want: organizers},
		{method: "GET", pattern: "/organizer/expos/{expo}/dashboard", object: "the Wuxi Pavilion",
			path: path("/organizer/expos/" + expo + "/dashboard?pavilion=" + itoa(w.WuxiPavilion.ID)), want: organizers},
		{method: "GET", pattern: "/organizer/expos/{expo}/dashboard", object: "no pavilion",
			path: path("/organizer/expos/" + expo + "/dashboard?pavilion=none"), want: [roleCount]int{s303, s403, s403, s404, s200}},
		{method: "GET", pattern: "/organizer/expos/{expo}/dashboard", object: "another expo", path: path("/organizer/expos/" + w.Wuxi.Slug + "/dashboard"),
			want: [roleCount]int{s303, s403, s403, s404, s200}},
		{method: "GET", pattern: "/organizer/expos/{expo}/dashboard", object: "a pavilion of another expo",
			path: path("/organizer/expos/" + expo + "/dashboard?pavilion=" + itoa(w.EuroPavilion.ID)), want: [roleCount]int{s303, s403, s403, s404, s404}},
		{method: "GET", pattern: "/organizer/expos/{expo}/dashboard", object: "unknown expo", path: path("/organizer/expos/no-such-expo/dashboard"),
			want: [roleCount]int{s303, s403, s403, s404, s404}},
		{method: "GET", pattern: "/organizer/expos/{expo}/participations", object: "incomplete profiles of the Wuxi Pavilion",
			path: path("/organizer/expos/" + expo + "/participations?incomplete=logo&pavilion=" + itoa(w.WuxiPavilion.ID)), want: organizers},
		{method: "GET", pattern: "/organizer/expos/{expo}/participations", object: "no pavilion",
			path: path("/organizer/expos/" + expo + "/participations?pavilion=none"), want: [roleCount]int{s303, s403, s403, s404, s200}},
		// Organizers: registering a company (O2) and a company's page. A
		// coordinator registers at their pavilion's expo, in their pavilion,
		// and edits their pavilion's companies; anything else is not found.
		{method: "GET", pattern: "/organizer/expos/{expo}/exhibitors/new", path: path("/organizer/expos/" + expo + "/exhibitors/new"), want: organizers},
		{method: "GET", pattern: "/organizer/expos/{expo}/exhibitors/new", object: "another expo", path: path("/organizer/expos/" + w.Wuxi.Slug + "/exhibitors/new"),
			want: [roleCount]int{s303, s403, s403, s404, s200}},
		{method: "POST", pattern: "/organizer/expos/{expo}/exhibitors", object: "empty form", path: path("/organizer/expos/" + expo + "/exhibitors"),
			want: [roleCount]int{s401, s403, s403, s422, s422}},
		{method: "POST", pattern: "/organizer/expos/{expo}/exhibitors", object: "another expo, empty form", path: path("/organizer/expos/" + w.Wuxi.Slug + "/exhibitors"),
			want: [roleCount]int{s401, s403, s403, s404, s422}},
		// The coordinator registers it first; the organizer, next, is shown it as a likely duplicate.
		{method: "POST", pattern: "/organizer/expos/{expo}/exhibitors", object: "a new company in the Wuxi Pavilion",
			path: path("/organizer/expos/" + expo + "/exhibitors"), form: with(registerForm("Matrix Sensors"), "pavilion", itoa(w.WuxiPavilion.ID)),
			want: [roleCount]int{s401, s403, s403, s303, s200}},
		{method: "GET", pattern: "/organizer/exhibitors/{exhibitor}", object: "a company in the Wuxi Pavilion", path: path("/organizer/exhibitors/" + itoa(w.Sensing.ID)),
			want: organizers},
		{method: "GET", pattern: "/organizer/exhibitors/{exhibitor}", object: "a company in no pavilion", path: path("/organizer/exhibitors/" + itoa(w.Cloud.ID)),
			want: [roleCount]int{s303, s403, s403, s404, s200}},
		{method: "GET", pattern: "/organizer/exhibitors/{exhibitor}", object: "unknown company", path: path("/organizer/exhibitors/987654321"),
			want: [roleCount]int{s303, s403, s403, s404, s404}},
		{method: "POST", pattern: "/organizer/exhibitors/{exhibitor}", object: "a company in the Wuxi Pavilion, empty form",
			path: path("/organizer/exhibitors/" + itoa(w.Sensing.ID)), want: [roleCount]int{s401, s403, s403, s422, s422}},
		{method: "POST", pattern: "/organizer/exhibitors/{exhibitor}", object: "a company in no pavilion, empty form",
			path: path("/organizer/exhibitors/" + itoa(w.Cloud.ID)), want: [roleCount]int{s401, s403, s403, s404, s422}},
		{method: "POST", pattern: "/organizer/exhibitors/{exhibitor}/identity", object: "a company in the Wuxi Pavilion",
			path: path("/organizer/exhibitors/" + itoa(w.Sensing.ID) + "/identity"), form: url.Values{"legal_name": {w.Sensing.LegalName}},
			want: [roleCount]int{s401, s403, s403, s303, s303}},
		{method: "POST", pattern: "/organizer/exhibitors/{exhibitor}/identity", object: "a company in no pavilion",
			path: path("/organizer/exhibitors/" + itoa(w.Cloud.ID) + "/identity"), form: url.Values{"legal_name": {"Nube Catalana SLU"}},
			want: [roleCount]int{s401, s403, s403, s404, s303}},
		{method: "GET", pattern: "/organizer/participations/{participation}", object: "a company in the Wuxi Pavilion",
			path: path("/organizer/participations/" + sensingPart), want: organizers},
		{method: "GET", pattern: "/organizer/participations/{participation}", object: "a company in no pavilion",
			path: path("/organizer/participations/" + cloudPart), want: [roleCount]int{s303, s403, s403, s404, s200}},
		{method: "POST", pattern: "/organizer/expos/{expo}/participations/bulk", object: "nothing selected",
			path: path("/organizer/expos/" + expo + "/participations/bulk"), form: url.Values{"bulk_status": {"approved"}},
			want: [roleCount]int{s401, s403, s403, s422, s422}},
		{method: "POST", pattern: "/organizer/expos/{expo}/participations/bulk", object: "another expo",
			path: path("/organizer/expos/" + w.Wuxi.Slug + "/participations/bulk"), form: url.Values{"bulk_status": {"approved"}},
			want: [roleCount]int{s401, s403, s403, s404, s422}},
		{method: "POST", pattern: "/organizer/users/invite-many", object: "empty form", path: path("/organizer/users/invite-many"),
			want: [roleCount]int{s401, s403, s403, s422, s422}},

		// Exhibitors: their own company's team; another company's member is not found.
		{method: "GET", pattern: "/exhibitor", path: path("/exhibitor"), want: exhibitors},
		{method: "POST", pattern: "/exhibitor/team/invite", object: "empty form", path: path("/exhibitor/team/invite"),
			want: [roleCount]int{s401, s422, s422, s403, s403}},
		{method: "POST", pattern: "/exhibitor/team/{user}/remove", object: "member of Taihu Sensing",
			path: removePath(func() expodesk.User { return newMember(&w.Sensing.ID, nil, false) }),
			want: [roleCount]int{s401, s303, s404, s403, s403}},
		{method: "POST", pattern: "/exhibitor/team/{user}/remove", object: "member of Nube Catalana",
			path: removePath(func() expodesk.User { return newMember(&w.Cloud.ID, nil, false) }),
			want: [roleCount]int{s401, s404, s303, s403, s403}},
		{method: "POST", pattern: "/exhibitor/team/{user}/remove", object: "an organizer",
			path: path("/exhibitor/team/" + itoa(w.Organizer.ID) + "/remove"), want: [roleCount]int{s401, s404, s404, s403, s403}},
		{method: "POST", pattern: "/exhibitor/team/{user}/remove", object: "oneself",
			path: func(r role) string { return "/exhibitor/team/" + itoa(self[r]) + "/remove" },
			want: [roleCount]int{s401, s403, s403, s403, s403}},
		{method: "POST", pattern: "/exhibitor/team/{user}/remove", object: "unknown user",
			path: path("/exhibitor/team/987654321/remove"), want: [roleCount]int{s401, s404, s404, s403, s403}},
		{method: "POST", pattern: "/exhibitor/team/invitations/{invitation}/cancel", object: "invitation of Taihu Sensing",
			path: invitationPath(w.Sensing.ID), want: [roleCount]int{s401, s303, s404, s403, s403}},
		{method: "POST", pattern: "/exhibitor/team/invitations/{invitation}/cancel", object: "invitation of Nube Catalana",
			path: invitationPath(w.Cloud.ID), want: [roleCount]int{s401, s404, s303, s403, s403}},
		{method: "POST", pattern: "/exhibitor/team/invitations/{invitation}/cancel", object: "unknown invitation",
			path: path("/exhibitor/team/invitations/987654321/cancel"), want: [roleCount]int{s401, s404, s404, s403, s403}},

		// Exhibitors: their own company's profile and logo, the company taken
		// from the session. Nube Catalana has a logo and Taihu Sensing none, so
		// A's 404 shows it never sees B's.
		{method: "GET", pattern: "/exhibitor/profile", path: path("/exhibitor/profile"), want: exhibitors},
		{method: "POST", pattern: "/exhibitor/profile", object: "empty form", path: path("/exhibitor/profile"),
			want: [roleCount]int{s401, s422, s422, s403, s403}},
		{method: "GET", pattern: "/exhibitor/logo", object: "Nube Catalana's logo", path: path("/exhibitor/logo"),
			want: [roleCount]int{s303, s404, s200, s403, s403}},
		{method: "POST", pattern: "/exhibitor/logo", object: "no file", path: path("/exhibitor/logo"),
			want: [roleCount]int{s401, s422, s422, s403, s403}},
		{method: "POST", pattern: "/exhibitor/logo/delete", path: path("/exhibitor/logo/delete"),
			want: [roleCount]int{s401, s303, s303, s403, s403}},
	}...)
}

// TestMatrix walks the router and checks every route for every role:
// visitors are sent to sign in (GET) or refused (401); a signed-in person
// without the role gets 403; another company's or pavilion's object is not
// found, and a refused request changes nothing in the database.
func TestMatrix(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	cases := append(matrixCases(e, w), apiMatrixCases(w)...)

	t.Run("EveryRouteDeclared", func(t *testing.T) {
		walked := routeKeys(t, e.server)
		declared := e.server.Routes()
		inMatrix := map[string]bool{}
		for _, c := range cases {
			inMatrix[c.method+" "+c.pattern] = true
		}
		for _, k := range sortedKeys(walked) {
			if _, ok := declared[k]; !ok {
				t.Errorf("route %s has no declared access rule (register it with s.handle)", k)
			}
			if !inMatrix[k] {
				t.Errorf("route %s is missing from the route × role matrix in matrix_test.go", k)
			}
		}
		for k := range declared {
			if !walked[k] {
				t.Errorf("access rule declared for %s, which the router does not serve", k)
			}
		}
		for k := range inMatrix {
			if !walked[k] {
				t.Errorf("the matrix lists %s, which the router does not serve", k)
			}
		}
	})

	accounts := [roleCount]account{anonymous: {}, exhibitorA: w.ExhibitorA, exhibitorB: w.ExhibitorB,
		coordinator: w.Coordinator, organizer: w.Organizer}
	var clients [roleCount]*client
	for r := range roleCount {
		clients[r] = e.newClient(t)
		if r != anonymous {
			clients[r].signIn(accounts[r])
		}
	}
	for _, c := range cases {
		t.Run(c.name(), func(t *testing.T) {
			for r := range roleCount {
				cl := clients[r]
				if c.fresh && r != anonymous {
					cl = e.signedIn(t, accounts[r])
				}
				cl.t = t
				p := c.path(r)
				want := c.want[r]
				// Refusals and reads change nothing; a 404 for another company's object above all.
				unchanged := c.method == http.MethodGet || c.method == http.MethodOptions || want >= 400
				var before map[string]string
				if unchanged {
					before = e.snapshot()
				}
				var resp *http.Response
				var body string
				if c.method == http.MethodGet {
					resp, body = cl.get(p)
				} else if c.method == http.MethodOptions {
					req, err := http.NewRequest(c.method, cl.base+p, nil)
					if err != nil {
						t.Fatal(err)
					}
					resp, body = cl.do(req)
				} else {
					resp, body = cl.post(p, c.form)
				}
				if resp.StatusCode != want {
					t.Errorf("%s %s as %s = %d, want %d\n%s", c.method, p, r, resp.StatusCode, want, excerpt(body))
					continue
				}
				loc := resp.Header.Get("Location")
				if r == anonymous && c.method == http.MethodGet && want == s303 && c.pattern != "/signin/totp" && c.pattern != "/signin/totp/setup" {
					if wantLoc := "/signin?next=" + url.QueryEscape(p); loc != wantLoc {
						t.Errorf("%s %s as %s: Location %q, want %q", c.method, p, r, loc, wantLoc)
					}
				}
				if unchanged {
					if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
						t.Errorf("%s %s as %s answered %d but changed tables %v", c.method, p, r, want, changed)
					}
				}
				// HEAD answers as GET does (link checkers, monitors), rule included.
				if c.method == http.MethodGet {
					req, err := http.NewRequest(http.MethodHead, cl.base+p, nil)
					if err != nil {
						t.Fatal(err)
					}
					head, _ := cl.do(req)
					if head.StatusCode != want || head.Header.Get("Location") != loc {
						t.Errorf("HEAD %s as %s = %d (Location %q), want %d (Location %q) like GET",
							p, r, head.StatusCode, head.Header.Get("Location"), want, loc)
					}
				}
				if want == s403 || want == s404 {
					if strings.Contains(body, "goroutine ") || strings.Contains(body, ".go:") {
						t.Errorf("%s %s as %s: the error page shows internals:\n%s", c.method, p, r, excerpt(body))
					}
				}
			}
		})
	}

	// The shared sessions survived every refusal: a 403 or 404 does not sign anyone out.
	for r := exhibitorA; r < roleCount; r++ {
		clients[r].t = t
		clients[r].wantSignedIn(r.String() + " after the matrix")
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestMatrixScopedLists checks the lists behind the matrix's routes: a
// coordinator's users and outbox hold their pavilion's people and mail only,
// and an exhibitor's team page their own company's members only.
func TestMatrixScopedLists(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	org := e.signedIn(t, w.Organizer)
	// Invitations in three scopes: a Taihu Sensing member (Wuxi Pavilion), a
	// Nube Catalana member (no pavilion), a European Pavilion coordinator.
	for _, form := range []url.Values{
		{"kind": {"exhibitor"}, "exhibitor": {itoa(w.Sensing.ID)}, "email": {"in.pavilion@taihu.example.com"}, "family_name": {"In"}, "lang": {"en"}},
		{"kind": {"exhibitor"}, "exhibitor": {itoa(w.Cloud.ID)}, "email": {"outside@nube.example.es"}, "family_name": {"Out"}, "lang": {"en"}},
		{"kind": {"coordinator"}, "pavilion": {itoa(w.EuroPavilion.ID)}, "email": {"euro@eupavilion.example.org"}, "family_name": {"Euro"}, "lang": {"en"}},
	} {
		if resp, body := org.post("/organizer/users/invite", form); resp.StatusCode != s303 {
			t.Fatalf("invite %s: %d\n%s", form.Get("email"), resp.StatusCode, excerpt(body))
		}
	}
	coord := e.signedIn(t, w.Coordinator)
	// The coordinator's own invitation of a pavilion member lands in their outbox.
	coord.post("/organizer/users/invite", url.Values{"kind": {"exhibitor"}, "exhibitor": {itoa(w.Sensing.ID)},
		"email": {"by.coordinator@taihu.example.com"}, "family_name": {"By"}, "lang": {"en"}})

	check := func(c *client, who, path string, want, notWant []string) {
		t.Helper()
		resp, body := c.get(path)
		if resp.StatusCode != s200 {
			t.Fatalf("%s GET %s: %d", who, path, resp.StatusCode)
		}
		for _, s := range want {
			if !strings.Contains(body, s) {
				t.Errorf("%s's %s does not list %s", who, path, s)
			}
		}
		for _, s := range notWant {
			if strings.Contains(body, s) {
				t.Errorf("%s's %s lists %s, outside their scope", who, path, s)
			}
		}
	}
	check(coord, "the coordinator", "/organizer/users",
		[]string{w.ExhibitorA.Email, w.ExhibitorA2.Email, w.Coordinator.Email, "in.pavilion@taihu.example.com"},
		[]string{w.ExhibitorB.Email, w.ExhibitorB2.Email, w.Organizer.Email, "outside@nube.example.es", "euro@eupavilion.example.org"})
	check(org, "the organizer", "/organizer/users",
		[]string{w.ExhibitorA.Email, w.ExhibitorB.Email, w.Organizer.Email, "outside@nube.example.es", "euro@eupavilion.example.org"}, nil)
	check(coord, "the coordinator", "/organizer/outbox",
		[]string{"by.coordinator@taihu.example.com"},
		[]string{"outside@nube.example.es", "euro@eupavilion.example.org"})
	check(org, "the organizer", "/organizer/outbox",
		[]string{"in.pavilion@taihu.example.com", "outside@nube.example.es", "euro@eupavilion.example.org"}, nil)
	check(e.signedIn(t, w.ExhibitorA), "exhibitor A", "/exhibitor",
		[]string{w.ExhibitorA2.Email, "in.pavilion@taihu.example.com"},
		[]string{w.ExhibitorB.Email, w.ExhibitorB2.Email, w.Coordinator.Email, w.Organizer.Email})
	// The coordinator's invitation form offers their pavilion's companies only.
	_, body := coord.get("/organizer/users")
	if doc(t, body).Find(`select[name="exhibitor"] option[value="`+itoa(w.Cloud.ID)+`"]`).Length() != 0 {
		t.Error("the coordinator's invitation form offers a company outside their pavilion")
	}
	if doc(t, body).Find(`select[name="kind"] option[value="organizer"]`).Length() != 0 {
		t.Error("the coordinator's invitation form offers to invite an organizer")
	}
}
