package server

import (
	"context"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

// waitlistFixture makes fresh objects for the waitlist's matrix and
// cross-site rows: each slot on 11 May from 14:00 at a time no other call
// uses, on the fixture's stage, under Barcelona's rules opened with a quota
// no row reaches.
type waitlistFixture struct {
	e *testEnv
	w world
	n atomic.Int64
}

func newWaitlistFixture(e *testEnv, w world) *waitlistFixture {
	opens := e.clock.Now().Add(-time.Hour)
	if _, err := e.store.BookingRulesSetExpo(context.Background(), expodesk.BookingRules{ExpoID: w.Barcelona.ID, OpensAt: &opens,
		SlotQuota: 1000, CancelHoursBefore: 48}); err != nil {
		e.t.Fatal(err)
	}
	return &waitlistFixture{e: e, w: w}
}

// slot is a new free slot.
func (f *waitlistFixture) slot() expodesk.Slot {
	f.e.t.Helper()
	start := time.Date(2027, 5, 11, 14, 0, 0, 0, f.w.Barcelona.Location()).Add(time.Duration(f.n.Add(1)) * 10 * time.Minute)
	sl, err := f.e.store.SlotCreate(context.Background(), expodesk.Slot{StageID: f.w.Stage.ID, StartsAt: start, EndsAt: start.Add(5 * time.Minute)})
	if err != nil {
		f.e.t.Fatal(err)
	}
	return sl
}

// heldBy is a new slot booked by company.
func (f *waitlistFixture) heldBy(company int64) expodesk.Slot {
	f.e.t.Helper()
	sl := f.slot()
	if _, err := f.e.store.BookingCreate(context.Background(), expodesk.Booking{SlotID: sl.ID, ExhibitorID: company}, nil); err != nil {
		f.e.t.Fatal(err)
	}
	return sl
}

// entry is company's place in the line of a new slot Taihu Sensing holds.
func (f *waitlistFixture) entry(company int64) expodesk.WaitlistEntry {
	f.e.t.Helper()
	en, err := f.e.store.WaitlistEntryCreate(context.Background(), expodesk.WaitlistEntry{SlotID: f.heldBy(f.w.Sensing.ID).ID,
		ExhibitorID: company}, nil)
	if err != nil {
		f.e.t.Fatal(err)
	}
	return en
}

// offer is a new slot offered to company for a day.
func (f *waitlistFixture) offer(company int64) expodesk.Booking {
	f.e.t.Helper()
	b, err := f.e.store.BookingOfferCreate(context.Background(), expodesk.Booking{SlotID: f.slot().ID, ExhibitorID: company},
		f.e.clock.Now().Add(24*time.Hour))
	if err != nil {
		f.e.t.Fatal(err)
	}
	return b
}

// waitlistMatrixCases are the matrix rows of waitlists: a company's own
// entry or offer works, another company's is not found, a visitor signs
// in, organizers are refused the exhibitor pages.
func waitlistMatrixCases(e *testEnv, w world) []matrixCase {
	f := newWaitlistFixture(e, w)
	bcn := w.Barcelona.Slug
	exhibitorWrite := func(a, b int) [roleCount]int { return [roleCount]int{s401, a, b, s403, s403} }
	path := func(p string) func(role) string { return func(role) string { return p } }
	return []matrixCase{
		{method: "POST", pattern: "/exhibitor/expos/{expo}/slots/{slot}/waitlist", object: "a slot Taihu Sensing holds",
			path: func(role) string { return urls.ExhibitorSlotWaitlist(bcn, f.heldBy(w.Sensing.ID).ID) },
			want: exhibitorWrite(s422, s303)},
		{method: "POST", pattern: "/exhibitor/expos/{expo}/slots/{slot}/waitlist", object: "a free slot",
			path: func(role) string { return urls.ExhibitorSlotWaitlist(bcn, f.slot().ID) }, want: exhibitorWrite(s422, s422)},
		{method: "POST", pattern: "/exhibitor/expos/{expo}/slots/{slot}/waitlist", object: "another expo's slot",
			path: func(role) string { return urls.ExhibitorSlotWaitlist(w.Wuxi.Slug, f.heldBy(w.Sensing.ID).ID) },
			want: exhibitorWrite(s404, s404)},
		{method: "POST", pattern: "/exhibitor/waitlist/{entry}/leave", object: "Nube Catalana's entry",
			path: func(role) string { return urls.ExhibitorWaitlistLeave(f.entry(w.Cloud.ID).ID) }, want: exhibitorWrite(s404, s303)},
		{method: "POST", pattern: "/exhibitor/waitlist/{entry}/leave", object: "unknown",
			path: path(urls.ExhibitorWaitlistLeave(987654)), want: exhibitorWrite(s404, s404)},
		{method: "GET", pattern: "/exhibitor/offers/{booking}", object: "an offer to Nube Catalana",
			path: func(role) string { return urls.ExhibitorOffer(f.offer(w.Cloud.ID).ID) },
			want: [roleCount]int{s303, s404, s200, s403, s403}},
		{method: "GET", pattern: "/exhibitor/offers/{booking}", object: "a booking never offered",
			path: path(urls.ExhibitorOffer(w.Booking.ID)), want: [roleCount]int{s303, s303, s404, s403, s403}},
		{method: "POST", pattern: "/exhibitor/offers/{booking}/accept",
			path: func(role) string { return urls.ExhibitorOfferAccept(f.offer(w.Cloud.ID).ID) }, want: exhibitorWrite(s404, s303)},
		{method: "POST", pattern: "/exhibitor/offers/{booking}/decline",
			path: func(role) string { return urls.ExhibitorOfferDecline(f.offer(w.Cloud.ID).ID) }, want: exhibitorWrite(s404, s303)},
	}
}

// waitlistCSRFCases are the cross-site rows of waitlists.
func waitlistCSRFCases(e *testEnv, w world) []csrfCase {
	f := newWaitlistFixture(e, w)
	return []csrfCase{
		{pattern: "/exhibitor/expos/{expo}/slots/{slot}/waitlist", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.ExhibitorB), urls.ExhibitorSlotWaitlist(w.Barcelona.Slug, f.heldBy(w.Sensing.ID).ID), nil
		}},
		{pattern: "/exhibitor/waitlist/{entry}/leave", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.ExhibitorB), urls.ExhibitorWaitlistLeave(f.entry(w.Cloud.ID).ID), nil
		}},
		{pattern: "/exhibitor/offers/{booking}/accept", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.ExhibitorB), urls.ExhibitorOfferAccept(f.offer(w.Cloud.ID).ID), nil
		}},
		{pattern: "/exhibitor/offers/{booking}/decline", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.ExhibitorB), urls.ExhibitorOfferDecline(f.offer(w.Cloud.ID).ID), nil
		}},
	}
}
