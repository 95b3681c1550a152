package server

import (
	"context"
	"fmt"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

// delegationFixture creates delegations and members for the delegation
// console's tests: each call a new one, so that every role meets the same
// situation.
type delegationFixture struct {
	e *testEnv
	w world
	n atomic.Int64
}

// delegation creates a planned delegation to expo, hosted by pavilion (nil: the whole expo).
func (f *delegationFixture) delegation(expo expodesk.Expo, pavilion *int64) expodesk.Delegation {
	f.e.t.Helper()
	arrives := time.Date(expo.FirstDay.Year(), expo.FirstDay.Month(), expo.FirstDay.Day()-1, 16, 20, 0, 0, expo.Location())
	d, err := f.e.store.DelegationCreate(context.Background(), expodesk.Delegation{ExpoID: expo.ID,
		Name: expodesk.Text{EN: fmt.Sprintf("Fixture delegation %d", f.n.Add(1))}, Kind: expodesk.KindGovernment,
		HomeTimeZone: "Asia/Shanghai", ArrivesAt: arrives, DepartsAt: arrives.Add(96 * time.Hour), HostPavilionID: pavilion})
	if err != nil {
		f.e.t.Fatal(err)
	}
	return d
}

// member adds a Chinese member to delegation d.
func (f *delegationFixture) member(d expodesk.Delegation) expodesk.DelegationMember {
	f.e.t.Helper()
	m, err := f.e.store.DelegationMemberCreate(context.Background(), expodesk.DelegationMember{DelegationID: d.ID,
		PersonName: expodesk.PersonName{FamilyName: "王", GivenName: "伟"}, Title: "副秘书长", Email: "wang.wei@example.cn",
		LetterStatus: expodesk.LetterRequested})
	if err != nil {
		f.e.t.Fatal(err)
	}
	return m
}

// delegationForm is a valid delegation form for expo e hosted by pavilion ("" for the whole expo).
func delegationForm(name, pavilion string) url.Values {
	return url.Values{"name_en": {name}, "name_zh": {"无锡代表团"}, "origin": {"Wuxi Municipal Government"},
		"kind": {"government"}, "home_time_zone": {"Asia/Shanghai"}, "lang": {"zh"}, "host_pavilion": {pavilion},
		"arrives_at": {"2027-05-10T16:20"}, "departs_at": {"2027-05-14T11:00"}, "sectors": {"sensors", "smart-city"}}
}

// memberForm is a valid member form.
func memberForm() url.Values {
	return url.Values{"family_name": {"欧阳"}, "given_name": {"晓明"}, "title": {"处长"}, "protocol_role": {"member"},
		"letter_status": {"requested"}, "letter_requested_on": {"2027-03-01"}, "email": {"ouyang@example.cn"}}
}

// delegationMatrixCases are the route × role matrix rows of the delegation
// console. Everything is for organizers; a coordinator manages the visits
// the Wuxi Pavilion hosts, and a visit to the whole expo or to another expo
// is not found for them.
func delegationMatrixCases(e *testEnv, w world) []matrixCase {
	f := &delegationFixture{e: e, w: w}
	bcn, wuxi := w.Barcelona.Slug, w.Wuxi.Slug
	wuxiPav := &w.WuxiPavilion.ID
	path := func(p string) func(role) string { return func(role) string { return p } }
	organizers := [roleCount]int{s303, s403, s403, s200, s200}
	expoWideOnly := [roleCount]int{s303, s403, s403, s404, s200}
	writes := func(coord, org int) [roleCount]int { return [roleCount]int{s401, s403, s403, coord, org} }
	ours, theirs := f.delegation(w.Barcelona, wuxiPav), f.delegation(w.Barcelona, nil)
	ourMember, theirMember := f.member(ours), f.member(theirs)
	// fresh returns a URL on a new delegation (and member) for each role.
	fresh := func(pavilion *int64, build func(d expodesk.Delegation) string) func(role) string {
		return func(role) string { return build(f.delegation(w.Barcelona, pavilion)) }
	}
	withMember := func(pavilion *int64, build func(d expodesk.Delegation, m expodesk.DelegationMember) string) func(role) string {
		return fresh(pavilion, func(d expodesk.Delegation) string { f.member(d); return build(d, f.member(d)) })
	}
	return []matrixCase{
		{method: "GET", pattern: "/organizer/expos/{expo}/delegations", path: path(urls.OrganizerDelegations(bcn, url.Values{"status": {"planned"}, "q": {"王"}})), want: organizers},
		{method: "GET", pattern: "/organizer/expos/{expo}/delegations", object: "another expo", path: path(urls.OrganizerDelegations(wuxi, nil)), want: expoWideOnly},
		{method: "POST", pattern: "/organizer/expos/{expo}/delegations", object: "empty form", path: path(urls.OrganizerDelegations(bcn, nil)), want: writes(s422, s422)},
		{method: "POST", pattern: "/organizer/expos/{expo}/delegations", object: "hosted by the Wuxi Pavilion",
			path: path(urls.OrganizerDelegations(bcn, nil)), form: delegationForm("Matrix delegation", itoa(w.WuxiPavilion.ID)), want: writes(s303, s303)},
		{method: "POST", pattern: "/organizer/expos/{expo}/delegations", object: "to the whole expo",
			path: path(urls.OrganizerDelegations(bcn, nil)), form: delegationForm("Matrix delegation", ""), want: writes(s422, s303)},
		{method: "POST", pattern: "/organizer/expos/{expo}/delegations", object: "another expo",
			path: path(urls.OrganizerDelegations(wuxi, nil)), form: delegationForm("Matrix delegation", ""), want: writes(s404, s303)},
		{method: "GET", pattern: "/organizer/expos/{expo}/delegations/new", path: path(urls.OrganizerDelegationNew(bcn)), want: organizers},
		{method: "GET", pattern: "/organizer/expos/{expo}/delegations/letters", path: path(urls.OrganizerDelegationLetters(bcn)), want: organizers},
		{method: "GET", pattern: "/organizer/expos/{expo}/delegations/letters", object: "another expo", path: path(urls.OrganizerDelegationLetters(wuxi)), want: expoWideOnly},
		{method: "GET", pattern: "/organizer/expos/{expo}/delegations.csv", path: path(urls.OrganizerDelegationsCSV(bcn)), want: organizers},
		{method: "GET", pattern: "/organizer/expos/{expo}/delegations.csv", object: "another expo", path: path(urls.OrganizerDelegationsCSV(wuxi)), want: expoWideOnly},
		{method: "GET", pattern: "/organizer/delegations/{delegation}", object: "hosted by the Wuxi Pavilion", path: path(urls.OrganizerDelegation(ours.ID)), want: organizers},
		{method: "GET", pattern: "/organizer/delegations/{delegation}", object: "to the whole expo", path: path(urls.OrganizerDelegation(theirs.ID)), want: expoWideOnly},
		{method: "GET", pattern: "/organizer/delegations/{delegation}", object: "hosted by another expo's pavilion",
			path: path(urls.OrganizerDelegation(f.delegation(w.Wuxi, &w.EuroPavilion.ID).ID)), want: expoWideOnly},
		{method: "GET", pattern: "/organizer/delegations/{delegation}", object: "unknown", path: path(urls.OrganizerDelegation(987654321)),
			want: [roleCount]int{s303, s403, s403, s404, s404}},
		{method: "GET", pattern: "/organizer/delegations/{delegation}", object: "not a number", path: path("/organizer/delegations/abc"),
			want: [roleCount]int{s303, s403, s403, s404, s404}},
		{method: "GET", pattern: "/organizer/delegations/{delegation}/edit", path: path(urls.OrganizerDelegationEdit(ours.ID)), want: organizers},
		{method: "GET", pattern: "/organizer/delegations/{delegation}/edit", object: "to the whole expo", path: path(urls.OrganizerDelegationEdit(theirs.ID)), want: expoWideOnly},
		{method: "POST", pattern: "/organizer/delegations/{delegation}", object: "hosted by the Wuxi Pavilion",
			path: fresh(wuxiPav, func(d expodesk.Delegation) string { return urls.OrganizerDelegation(d.ID) }),
			form: delegationForm("Renamed", itoa(w.WuxiPavilion.ID)), want: writes(s303, s303)},
		{method: "POST", pattern: "/organizer/delegations/{delegation}", object: "to the whole expo, empty form",
			path: path(urls.OrganizerDelegation(theirs.ID)), want: writes(s404, s422)},
		{method: "POST", pattern: "/organizer/delegations/{delegation}/status", object: "planned → confirmed",
			path: fresh(wuxiPav, func(d expodesk.Delegation) string { return urls.OrganizerDelegationStatus(d.ID) }),
			form: url.Values{"status": {"confirmed"}}, want: writes(s303, s303)},
		{method: "POST", pattern: "/organizer/delegations/{delegation}/status", object: "planned → arrived",
			path: path(urls.OrganizerDelegationStatus(ours.ID)), form: url.Values{"status": {"arrived"}}, want: writes(s422, s422)},
		{method: "POST", pattern: "/organizer/delegations/{delegation}/status", object: "to the whole expo",
			path: fresh(nil, func(d expodesk.Delegation) string { return urls.OrganizerDelegationStatus(d.ID) }),
			form: url.Values{"status": {"cancelled"}}, want: writes(s404, s303)},
		{method: "POST", pattern: "/organizer/delegations/{delegation}/members", object: "hosted by the Wuxi Pavilion",
			path: path(urls.OrganizerDelegationMembers(ours.ID)), form: memberForm(), want: writes(s303, s303)},
		{method: "POST", pattern: "/organizer/delegations/{delegation}/members", object: "to the whole expo",
			path: path(urls.OrganizerDelegationMembers(theirs.ID)), form: memberForm(), want: writes(s404, s303)},
		{method: "POST", pattern: "/organizer/delegations/{delegation}/members", object: "empty form",
			path: path(urls.OrganizerDelegationMembers(ours.ID)), want: writes(s422, s422)},
		{method: "GET", pattern: "/organizer/delegations/{delegation}/members/{member}", path: path(urls.OrganizerDelegationMember(ours.ID, ourMember.ID)), want: organizers},
		{method: "GET", pattern: "/organizer/delegations/{delegation}/members/{member}", object: "to the whole expo",
			path: path(urls.OrganizerDelegationMember(theirs.ID, theirMember.ID)), want: expoWideOnly},
		{method: "GET", pattern: "/organizer/delegations/{delegation}/members/{member}", object: "another delegation's member",
			path: path(urls.OrganizerDelegationMember(ours.ID, theirMember.ID)), want: [roleCount]int{s303, s403, s403, s404, s404}},
		{method: "POST", pattern: "/organizer/delegations/{delegation}/members/{member}", object: "hosted by the Wuxi Pavilion",
			path: path(urls.OrganizerDelegationMember(ours.ID, ourMember.ID)), form: memberForm(), want: writes(s303, s303)},
		{method: "POST", pattern: "/organizer/delegations/{delegation}/members/{member}", object: "to the whole expo",
			path: path(urls.OrganizerDelegationMember(theirs.ID, theirMember.ID)), form: memberForm(), want: writes(s404, s303)},
		{method: "POST", pattern: "/organizer/delegations/{delegation}/members/{member}/move", object: "hosted by the Wuxi Pavilion",
			path: withMember(wuxiPav, func(d expodesk.Delegation, m expodesk.DelegationMember) string {
				return urls.OrganizerDelegationMemberMove(d.ID, m.ID)
			}), form: url.Values{"direction": {"up"}}, want: writes(s303, s303)},
		{method: "POST", pattern: "/organizer/delegations/{delegation}/members/{member}/move", object: "to the whole expo",
			path: withMember(nil, func(d expodesk.Delegation, m expodesk.DelegationMember) string {
				return urls.OrganizerDelegationMemberMove(d.ID, m.ID)
			}), form: url.Values{"direction": {"up"}}, want: writes(s404, s303)},
		{method: "POST", pattern: "/organizer/delegations/{delegation}/members/{member}/remove", object: "hosted by the Wuxi Pavilion",
			path: withMember(wuxiPav, func(d expodesk.Delegation, m expodesk.DelegationMember) string {
				return urls.OrganizerDelegationMemberRemove(d.ID, m.ID)
			}), want: writes(s303, s303)},
		{method: "POST", pattern: "/organizer/delegations/{delegation}/members/{member}/remove", object: "another delegation's member",
			path: path(urls.OrganizerDelegationMemberRemove(ours.ID, theirMember.ID)), want: writes(s404, s404)},
		{method: "POST", pattern: "/organizer/delegations/{delegation}/members/{member}/erase", object: "hosted by the Wuxi Pavilion",
			path: withMember(wuxiPav, func(d expodesk.Delegation, m expodesk.DelegationMember) string {
				return urls.OrganizerDelegationMemberErase(d.ID, m.ID)
			}), want: writes(s303, s303)},
		{method: "POST", pattern: "/organizer/delegations/{delegation}/members/{member}/erase", object: "to the whole expo",
			path: withMember(nil, func(d expodesk.Delegation, m expodesk.DelegationMember) string {
				return urls.OrganizerDelegationMemberErase(d.ID, m.ID)
			}), want: writes(s404, s303)},
	}
}

// delegationCSRFCases are the delegation console's cross-site cases.
func delegationCSRFCases(e *testEnv, w world) []csrfCase {
	f := &delegationFixture{e: e, w: w}
	bcn := w.Barcelona.Slug
	wuxiPav := &w.WuxiPavilion.ID
	as := func(t *testing.T) *client { return e.signedIn(t, w.Coordinator) }
	return []csrfCase{
		{pattern: "/organizer/expos/{expo}/delegations", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return as(t), urls.OrganizerDelegations(bcn, nil), delegationForm("CSRF delegation", itoa(w.WuxiPavilion.ID))
		}},
		{pattern: "/organizer/delegations/{delegation}", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return as(t), urls.OrganizerDelegation(f.delegation(w.Barcelona, wuxiPav).ID), delegationForm("Renamed", itoa(w.WuxiPavilion.ID))
		}},
		{pattern: "/organizer/delegations/{delegation}/status", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return as(t), urls.OrganizerDelegationStatus(f.delegation(w.Barcelona, wuxiPav).ID), url.Values{"status": {"confirmed"}}
		}},
		{pattern: "/organizer/delegations/{delegation}/members", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return as(t), urls.OrganizerDelegationMembers(f.delegation(w.Barcelona, wuxiPav).ID), memberForm()
		}},
		{pattern: "/organizer/delegations/{delegation}/members/{member}", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			d := f.delegation(w.Barcelona, wuxiPav)
			return as(t), urls.OrganizerDelegationMember(d.ID, f.member(d).ID), memberForm()
		}},
		{pattern: "/organizer/delegations/{delegation}/members/{member}/move", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			d := f.delegation(w.Barcelona, wuxiPav)
			f.member(d)
			return as(t), urls.OrganizerDelegationMemberMove(d.ID, f.member(d).ID), url.Values{"direction": {"up"}}
		}},
		{pattern: "/organizer/delegations/{delegation}/members/{member}/remove", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			d := f.delegation(w.Barcelona, wuxiPav)
			return as(t), urls.OrganizerDelegationMemberRemove(d.ID, f.member(d).ID), nil
		}},
		{pattern: "/organizer/delegations/{delegation}/members/{member}/erase", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			d := f.delegation(w.Barcelona, wuxiPav)
			return as(t), urls.OrganizerDelegationMemberErase(d.ID, f.member(d).ID), nil
		}},
	}
}
