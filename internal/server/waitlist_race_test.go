package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

// The proof under contention for waitlists (issue 9, item 8): on two
// instances over one database, a holder cancels a slot with a waitlist
// while many companies reach for the freed slot directly. The slot goes to
// the first in line every time — the promotion happens in the cancel's own
// transaction, so the slot is never free for anybody to see — and the
// invariant query finds nothing wrong. Then cancellations whose waitlists
// hold each other's company wait on each other; PostgreSQL breaks the
// deadlock and the service runs the transaction again, so every one goes
// through.

func (w *raceWorld) companyOf(t *testing.T, i int) int64 {
	t.Helper()
	var id int64
	if err := w.e.pool.QueryRow(context.Background(), `SELECT id FROM exhibitor WHERE slug = $1`,
		fmt.Sprintf("racer-%03d", i)).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// one sends a single request and fails unless it answers 303.
func (w *raceWorld) one(t *testing.T, s *shot) {
	t.Helper()
	burst([]*shot{s})
	if s.err != nil || s.status != http.StatusSeeOther {
		t.Fatalf("%s: %d %v %s", s.path, s.status, s.err, excerpt(s.body))
	}
}

func (w *raceWorld) joinShot(c *client, slot int64) *shot {
	return &shot{c: c, slot: slot, path: urls.ExhibitorSlotWaitlist(w.expo.Slug, slot)}
}

func (w *raceWorld) cancelShot(t *testing.T, c *client, slot int64) *shot {
	t.Helper()
	_, id := activeHolder(t, w.e, slot)
	return &shot{c: c, slot: slot, path: urls.ExhibitorBookingCancel(id)}
}

func TestWaitlistPromotionUnderContention(t *testing.T) {
	t.Parallel()
	const rounds, line, bookers = 4, 4, 30
	w := newRaceWorld(t, rounds*(1+line)+bookers+2*8)
	e := w.e
	direct := w.clients[rounds*(1+line) : rounds*(1+line)+bookers]

	t.Run("PromotionBeatsDirectBookings", func(t *testing.T) {
		for r := range rounds {
			holder := rounds*(1+line) - (r+1)*(1+line) // clients of this round: holder, then its line
			x := w.slots(t, 1)[0]
			w.one(t, w.bookShot(w.clients[holder], x.ID))
			for k := 1; k <= line; k++ {
				w.one(t, w.joinShot(w.clients[holder+k], x.ID))
			}
			shots := []*shot{w.cancelShot(t, w.clients[holder], x.ID)}
			for _, c := range direct {
				shots = append(shots, w.bookShot(c, x.ID))
			}
			burst(shots)
			if s := shots[0]; s.err != nil || s.status != http.StatusSeeOther {
				t.Fatalf("round %d: the cancel answered %d %v %s", r, s.status, s.err, excerpt(s.body))
			}
			won, taken, other := tally(t, shots[1:])
			if len(won) > 0 || taken != bookers || len(other) > 0 {
				t.Errorf("round %d: %d direct bookers won, %d told taken, others %v; want every one told taken", r, len(won), taken, other)
			}
			if company, _ := activeHolder(t, e, x.ID); company != w.companyOf(t, holder+1) {
				t.Errorf("round %d: the slot went to company %d, want the first in line", r, company)
			}
			if n := e.count(`SELECT count(*) FROM booking WHERE slot_id = $1 AND status IN ('active', 'offered')`, x.ID); n != 1 {
				t.Errorf("round %d: %d bookings hold the slot", r, n)
			}
			if n := e.count(`SELECT count(*) FROM waitlist_entry WHERE slot_id = $1`, x.ID); n != line-1 {
				t.Errorf("round %d: %d left in line, want %d", r, n, line-1)
			}
			if v := bookingViolations(t, e); v != (violations{}) {
				t.Errorf("round %d: invariants %+v", r, v)
			}
		}
		if n := e.count(`SELECT count(*) FROM audit_entry WHERE action = 'waitlist.promote'`); n != rounds {
			t.Errorf("%d promotions audited, want %d", n, rounds)
		}
	})

	t.Run("CrossedCancelsAllGoThrough", func(t *testing.T) {
		// Quota 2: each pair holds a slot each and waits for the other's.
		opens := e.clock.Now().Add(-time.Minute)
		if _, err := e.store.BookingRulesSetExpo(context.Background(), expodesk.BookingRules{ExpoID: w.expo.ID, OpensAt: &opens,
			SlotQuota: 2, CancelHoursBefore: 48}); err != nil {
			t.Fatal(err)
		}
		pairs := w.clients[rounds*(1+line)+bookers:]
		var shots []*shot
		var xs, ys []expodesk.Slot
		for p := 0; p+1 < len(pairs); p += 2 {
			sl := w.slots(t, 2)
			x, y := sl[0], sl[1]
			w.one(t, w.bookShot(pairs[p], x.ID))
			w.one(t, w.bookShot(pairs[p+1], y.ID))
			w.one(t, w.joinShot(pairs[p], y.ID))
			w.one(t, w.joinShot(pairs[p+1], x.ID))
			shots = append(shots, w.cancelShot(t, pairs[p], x.ID), w.cancelShot(t, pairs[p+1], y.ID))
			xs, ys = append(xs, x), append(ys, y)
		}
		burst(shots)
		for _, s := range shots {
			if s.err != nil || s.status != http.StatusSeeOther {
				t.Errorf("cancel of slot %d: %d %v %s", s.slot, s.status, s.err, excerpt(s.body))
			}
		}
		first := rounds*(1+line) + bookers
		for i := range xs {
			p, q := w.companyOf(t, first+2*i), w.companyOf(t, first+2*i+1)
			cx, _ := activeHolder(t, e, xs[i].ID)
			cy, _ := activeHolder(t, e, ys[i].ID)
			if cx != q || cy != p {
				t.Errorf("pair %d: x held by %d, y by %d; want them swapped (%d, %d)", i, cx, cy, q, p)
			}
		}
		if v := bookingViolations(t, e); v != (violations{}) {
			t.Errorf("invariants %+v", v)
		}
		t.Logf("transactions run again after a deadlock: %d", strings.Count(e.logs.String(), "transaction run again"))
	})
}
