package server

import (
	"context"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"expodesk/internal/expodesk"
)

// itineraryMatrixCases are the matrix rows of itineraries, meetings and
// the shared link (O4, E4): only expo-wide organizers plan (a coordinator
// meets a delegation as not found); a company reads and answers its own
// meetings only; the shared link is the same for everyone, and an unknown
// one is not found.
func itineraryMatrixCases(e *testEnv, w world) []matrixCase {
	t := e.t
	p := e.plan(t, w)
	var n atomic.Int64
	path := func(s string) func(role) string { return func(role) string { return s } }
	base := "/organizer/delegations/" + itoa(p.Delegation.ID)
	planners := [roleCount]int{s303, s403, s403, s404, s200}
	plannerWrites := func(ok int) [roleCount]int { return [roleCount]int{s401, s403, s403, s404, ok} }
	exhibitors := [roleCount]int{s303, s200, s200, s403, s403}
	sensingOnly := func(ok int) [roleCount]int { return [roleCount]int{s401, ok, s404, s403, s403} }
	zone := w.Barcelona.Location()
	at := func(d time.Time) string { return d.In(zone).Format(dateTimeLayout) }
	free := url.Values{"kind": {"transfer"}, "title": {"Hotel → Fira"}, "starts_at": {at(madrid(w, 11, 8, 0))}, "ends_at": {at(madrid(w, 11, 8, 40))}}
	freshItem := func() expodesk.ItineraryItem {
		t.Helper()
		it, err := e.store.ItineraryItemCreate(context.Background(), expodesk.ItineraryItem{DelegationID: p.Delegation.ID,
			Kind: expodesk.ItineraryOther, StartsAt: madrid(w, 13, 8, 0), EndsAt: madrid(w, 13, 8, 30), Title: "Fresh " + itoa(n.Add(1))})
		if err != nil {
			t.Fatal(err)
		}
		return it
	}
	freshMeeting := func() expodesk.Meeting {
		return e.meeting(t, p.Delegation.ID, w.Sensing.ID, madrid(w, 13, 17, 0).Add(time.Duration(n.Add(1))*time.Minute), &w.Organizer.ID)
	}
	meetingPath := func(action string, make func() expodesk.Meeting) func(role) string {
		return func(role) string { return base + "/meetings/" + itoa(make().ID) + "/" + action }
	}
	companyPath := func(action string) func(role) string {
		return func(role) string { return "/exhibitor/meetings/" + itoa(freshMeeting().ID) + "/" + action }
	}
	request := url.Values{"exhibitor": {itoa(w.Sensing.ID)}, "starts_at": {at(madrid(w, 12, 11, 0))}, "ends_at": {at(madrid(w, 12, 11, 30))}}
	notApproved := url.Values{"exhibitor": {itoa(w.Hidden.ID)}, "starts_at": {at(madrid(w, 12, 11, 0))}, "ends_at": {at(madrid(w, 12, 11, 30))}}
	unknownToken := strings.Repeat("A", 43)
	all := func(s int) [roleCount]int { return [roleCount]int{s, s, s, s, s} }
	return []matrixCase{
		{method: "GET", pattern: "/organizer/delegations/{delegation}/itinerary", path: path(base + "/itinerary"), want: planners},
		{method: "GET", pattern: "/organizer/delegations/{delegation}/itinerary", object: "unknown delegation",
			path: path("/organizer/delegations/987654321/itinerary"), want: [roleCount]int{s303, s403, s403, s404, s404}},
		{method: "POST", pattern: "/organizer/delegations/{delegation}/itinerary", object: "a transfer", path: path(base + "/itinerary"),
			form: free, want: plannerWrites(s303)},
		{method: "POST", pattern: "/organizer/delegations/{delegation}/itinerary", object: "empty form", path: path(base + "/itinerary"),
			want: plannerWrites(s422)},
		{method: "GET", pattern: "/organizer/delegations/{delegation}/itinerary/new", path: path(base + "/itinerary/new?kind=visit"), want: planners},
		{method: "GET", pattern: "/organizer/delegations/{delegation}/itinerary/new", object: "unknown kind",
			path: path(base + "/itinerary/new?kind=party"), want: [roleCount]int{s303, s403, s403, s404, s404}},
		{method: "GET", pattern: "/organizer/delegations/{delegation}/itinerary/{item}", path: path(base + "/itinerary/" + itoa(p.Item.ID)), want: planners},
		{method: "GET", pattern: "/organizer/delegations/{delegation}/itinerary/{item}", object: "another delegation's item",
			path: path(base + "/itinerary/" + itoa(p.OtherItem.ID)), want: [roleCount]int{s303, s403, s403, s404, s404}},
		{method: "POST", pattern: "/organizer/delegations/{delegation}/itinerary/{item}", path: path(base + "/itinerary/" + itoa(p.Item.ID)),
			form: url.Values{"kind": {"meal"}, "title": {"工作午餐"}, "starts_at": {at(madrid(w, 12, 13, 0))}, "ends_at": {at(madrid(w, 12, 14, 0))}},
			want: plannerWrites(s303)},
		{method: "POST", pattern: "/organizer/delegations/{delegation}/itinerary/{item}/delete",
			path: func(role) string { return base + "/itinerary/" + itoa(freshItem().ID) + "/delete" }, want: plannerWrites(s303)},
		{method: "POST", pattern: "/organizer/delegations/{delegation}/itinerary/{item}/delete", object: "another delegation's item",
			path: path(base + "/itinerary/" + itoa(p.OtherItem.ID) + "/delete"), want: plannerWrites(s404)},
		{method: "GET", pattern: "/organizer/delegations/{delegation}/suggestions", path: path(base + "/suggestions?sector=sensors"), want: planners},
		{method: "GET", pattern: "/organizer/delegations/{delegation}/meetings/new", path: path(base + "/meetings/new"), want: planners},
		{method: "POST", pattern: "/organizer/delegations/{delegation}/meetings", path: path(base + "/meetings"), form: request, want: plannerWrites(s303)},
		{method: "POST", pattern: "/organizer/delegations/{delegation}/meetings", object: "a company not approved there",
			path: path(base + "/meetings"), form: notApproved, want: plannerWrites(s422)},
		{method: "POST", pattern: "/organizer/delegations/{delegation}/meetings/{meeting}/proposal",
			path: meetingPath("proposal", func() expodesk.Meeting { return e.proposed(t, freshMeeting()) }),
			form: url.Values{"decision": {"take"}}, want: plannerWrites(s303)},
		{method: "POST", pattern: "/organizer/delegations/{delegation}/meetings/{meeting}/cancel",
			path: meetingPath("cancel", freshMeeting), want: plannerWrites(s303)},
		// The other delegation's link: the fixture's own must keep working for the /d rows.
		{method: "POST", pattern: "/organizer/delegations/{delegation}/share", path: path("/organizer/delegations/" + itoa(p.Other.ID) + "/share"),
			want: plannerWrites(s200)},
		{method: "POST", pattern: "/organizer/delegations/{delegation}/share/revoke", path: path("/organizer/delegations/" + itoa(p.Other.ID) + "/share/revoke"),
			want: plannerWrites(s303)},
		{method: "GET", pattern: "/exhibitor/meetings", path: path("/exhibitor/meetings"), want: exhibitors},
		{method: "GET", pattern: "/exhibitor/meetings/{meeting}", object: "Taihu Sensing's meeting", path: path("/exhibitor/meetings/" + itoa(p.MeetingA.ID)),
			want: [roleCount]int{s303, s200, s404, s403, s403}},
		{method: "GET", pattern: "/exhibitor/meetings/{meeting}", object: "unknown", path: path("/exhibitor/meetings/987654321"),
			want: [roleCount]int{s303, s404, s404, s403, s403}},
		{method: "POST", pattern: "/exhibitor/meetings/{meeting}/answer", path: companyPath("answer"),
			form: url.Values{"answer": {"accept"}, "note": {"欢迎"}}, want: sensingOnly(s303)},
		{method: "POST", pattern: "/exhibitor/meetings/{meeting}/answer", object: "no answer chosen", path: companyPath("answer"),
			want: sensingOnly(s422)},
		{method: "POST", pattern: "/exhibitor/meetings/{meeting}/propose", path: companyPath("propose"),
			form: url.Values{"proposed_starts_at": {at(madrid(w, 13, 10, 0))}, "proposed_ends_at": {at(madrid(w, 13, 10, 30))}},
			want: sensingOnly(s303)},
		{method: "GET", pattern: "/d/{token}", path: path("/d/" + p.Token), want: all(s200)},
		{method: "GET", pattern: "/d/{token}", object: "guessed token", path: path("/d/" + unknownToken), want: all(s404)},
		{method: "GET", pattern: "/d/{token}", object: "malformed token", path: path("/d/abc"), want: all(s404)},
		{method: "GET", pattern: "/d/{token}.ics", path: path("/d/" + p.Token + ".ics"), want: all(s200)},
		{method: "GET", pattern: "/d/{token}.ics", object: "guessed token", path: path("/d/" + unknownToken + ".ics"), want: all(s404)},
	}
}

// itineraryCSRFCases are the cross-site rows of itineraries and meetings.
func itineraryCSRFCases(t *testing.T, e *testEnv, w world) []csrfCase {
	p := e.plan(t, w)
	base := "/organizer/delegations/" + itoa(p.Delegation.ID)
	zone := w.Barcelona.Location()
	at := func(d time.Time) string { return d.In(zone).Format(dateTimeLayout) }
	var n int
	next := func() time.Time { n++; return madrid(w, 13, 17, 0).Add(time.Duration(n) * time.Minute) }
	fresh := func(t *testing.T) expodesk.Meeting {
		return e.meeting(t, p.Delegation.ID, w.Sensing.ID, next(), &w.Organizer.ID)
	}
	org := func(t *testing.T, path string, form url.Values) (*client, string, url.Values) {
		return e.signedIn(t, w.Organizer), path, form
	}
	return []csrfCase{
		{pattern: "/organizer/delegations/{delegation}/itinerary", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return org(t, base+"/itinerary", url.Values{"kind": {"ceremony"}, "title": {"Opening"},
				"starts_at": {at(madrid(w, 11, 9, 0))}, "ends_at": {at(madrid(w, 11, 9, 30))}})
		}},
		{pattern: "/organizer/delegations/{delegation}/itinerary/{item}", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return org(t, base+"/itinerary/"+itoa(p.Item.ID), url.Values{"kind": {"meal"}, "title": {"Dinner"},
				"starts_at": {at(madrid(w, 12, 20, 0))}, "ends_at": {at(madrid(w, 12, 22, 0))}})
		}},
		{pattern: "/organizer/delegations/{delegation}/itinerary/{item}/delete", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			it, err := e.store.ItineraryItemCreate(context.Background(), expodesk.ItineraryItem{DelegationID: p.Delegation.ID,
				Kind: expodesk.ItineraryOther, StartsAt: madrid(w, 13, 8, 0), EndsAt: madrid(w, 13, 8, 30), Title: "To remove"})
			if err != nil {
				t.Fatal(err)
			}
			return org(t, base+"/itinerary/"+itoa(it.ID)+"/delete", nil)
		}},
		{pattern: "/organizer/delegations/{delegation}/meetings", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			s := next()
			return org(t, base+"/meetings", url.Values{"exhibitor": {itoa(w.Cloud.ID)}, "starts_at": {at(s)}, "ends_at": {at(s.Add(30 * time.Minute))}})
		}},
		{pattern: "/organizer/delegations/{delegation}/meetings/{meeting}/proposal", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return org(t, base+"/meetings/"+itoa(e.proposed(t, fresh(t)).ID)+"/proposal", url.Values{"decision": {"turn_down"}})
		}},
		{pattern: "/organizer/delegations/{delegation}/meetings/{meeting}/cancel", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return org(t, base+"/meetings/"+itoa(fresh(t).ID)+"/cancel", nil)
		}},
		{pattern: "/organizer/delegations/{delegation}/share", want: s200, setup: func(t *testing.T) (*client, string, url.Values) {
			return org(t, base+"/share", nil)
		}},
		{pattern: "/organizer/delegations/{delegation}/share/revoke", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return org(t, base+"/share/revoke", nil)
		}},
		{pattern: "/exhibitor/meetings/{meeting}/answer", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.ExhibitorA), "/exhibitor/meetings/" + itoa(fresh(t).ID) + "/answer", url.Values{"answer": {"decline"}}
		}},
		{pattern: "/exhibitor/meetings/{meeting}/propose", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.ExhibitorA), "/exhibitor/meetings/" + itoa(fresh(t).ID) + "/propose",
				url.Values{"proposed_starts_at": {at(madrid(w, 13, 11, 0))}, "proposed_ends_at": {at(madrid(w, 13, 11, 30))}}
		}},
	}
}
