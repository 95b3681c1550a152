package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"expodesk/internal/expodesk"
)

// The proof under contention (issue 9, item 8): companies signed in on two
// server instances over one database, released at once, booking through
// HTTP. The quota and the one-booking-per-slot rule must hold exactly, every
// loser must be told so, and an invariant query over the bookings must find
// nothing wrong; a negative control shows the same checks catch a double
// booking when the database's protection is taken away.

// raceWorld is an expo open for booking (quota 1) with companies whose
// teams are signed in, alternately on two instances.
type raceWorld struct {
	e       *testEnv
	expo    expodesk.Expo
	stage   expodesk.Stage
	clients []*client
	next    time.Time // where the next slot starts
}

func newRaceWorld(t *testing.T, companies int) *raceWorld {
	t.Helper()
	e := newAuthEnv(t, Config{})
	ctx := context.Background()
	second := e.secondInstance()
	opens := e.clock.Now().Add(-time.Minute)
	expo, err := e.store.ExpoCreate(ctx, expodesk.Expo{Slug: "race-expo", Name: expodesk.Text{EN: "Race Expo"},
		City: expodesk.Text{EN: "Barcelona"}, Country: "ES", TimeZone: "Europe/Madrid",
		FirstDay: time.Date(2027, 5, 11, 0, 0, 0, 0, time.UTC), LastDay: time.Date(2027, 5, 13, 0, 0, 0, 0, time.UTC),
		SlotQuota: 1, CancelHoursBefore: 48, BookingOpensAt: &opens})
	if err != nil {
		t.Fatal(err)
	}
	stage, err := e.store.StageCreate(ctx, expodesk.Stage{ExpoID: expo.ID, Slug: "main", Name: expodesk.Text{EN: "Main stage"}})
	if err != nil {
		t.Fatal(err)
	}
	w := &raceWorld{e: e, expo: expo, stage: stage, next: time.Date(2027, 5, 11, 9, 0, 0, 0, expo.Location())}
	for i := range companies {
		x, err := e.store.ExhibitorCreate(ctx, expodesk.Exhibitor{Slug: fmt.Sprintf("racer-%03d", i), LegalName: fmt.Sprintf("Racer %d Ltd", i),
			Name: expodesk.Text{EN: fmt.Sprintf("Racer %d", i)}, Country: "CN"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.store.ParticipationCreate(ctx, expodesk.Participation{ExpoID: expo.ID, ExhibitorID: x.ID,
			Status: expodesk.StatusApproved}); err != nil {
			t.Fatal(err)
		}
		a := e.createAccount(expodesk.User{Email: fmt.Sprintf("racer%03d@example.com", i), Role: expodesk.RoleExhibitor,
			ExhibitorID: &x.ID, PersonName: expodesk.PersonName{FamilyName: "Racer"}, Lang: expodesk.EN})
		base := e.ts.URL
		if i%2 == 1 {
			base = second.URL
		}
		c := e.newClientOf(t, base)
		c.signIn(a)
		w.clients = append(w.clients, c)
	}
	return w
}

// slots adds n free slots of 30 minutes, one after the other.
func (w *raceWorld) slots(t *testing.T, n int) []expodesk.Slot {
	t.Helper()
	var out []expodesk.Slot
	for range n {
		sl, err := w.e.store.SlotCreate(context.Background(), expodesk.Slot{StageID: w.stage.ID, StartsAt: w.next, EndsAt: w.next.Add(30 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		w.next = w.next.Add(30 * time.Minute)
		out = append(out, sl)
	}
	return out
}

// shot is one request of a burst and what it got.
type shot struct {
	c      *client
	path   string
	slot   int64
	status int
	body   string
	err    error
}

// burst sends every shot at once (after all goroutines are ready) and
// waits for every answer.
func burst(shots []*shot) {
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	for _, s := range shots {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			req, err := http.NewRequest(http.MethodPost, s.c.base+s.path, strings.NewReader(""))
			if err != nil {
				s.err = err
				ready.Done()
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", s.c.base)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			req.Header.Set("Accept-Language", "en")
			req.Header.Set("X-Forwarded-For", s.c.ip)
			ready.Done()
			<-start
			resp, err := s.c.http.Do(req)
			if err != nil {
				s.err = err
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			s.status, s.body, s.err = resp.StatusCode, string(b), err
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
}

func (w *raceWorld) bookShot(c *client, slot int64) *shot {
	return &shot{c: c, slot: slot, path: "/exhibitor/expos/" + w.expo.Slug + "/slots/" + itoa(slot) + "/book"}
}

// toldTaken reports whether a page says the slot was just taken and offers
// the nearest free ones (or says none is left).
func toldTaken(body string) bool {
	return strings.Contains(body, `data-testid="booking-notice"`) && strings.Contains(body, "This slot was just taken") &&
		(strings.Contains(body, `data-testid="nearest"`) || strings.Contains(body, "No other slot is free."))
}

// violations is what the invariant query finds wrong with the bookings
// (Store.BookingViolations, over every expo).
type violations = expodesk.BookingViolations

func bookingViolations(t *testing.T, e *testEnv) violations {
	t.Helper()
	v, err := e.store.BookingViolations(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// tally counts a burst's winners (303) and losers told the slot was taken,
// and reports every other answer.
func tally(t *testing.T, shots []*shot) (won map[int64][]*shot, taken int, other []string) {
	t.Helper()
	won = map[int64][]*shot{}
	for _, s := range shots {
		switch {
		case s.err != nil:
			other = append(other, s.err.Error())
		case s.status == http.StatusSeeOther:
			won[s.slot] = append(won[s.slot], s)
		case s.status == http.StatusConflict && toldTaken(s.body):
			taken++
		default:
			other = append(other, fmt.Sprintf("%d %s", s.status, excerpt(s.body)))
		}
	}
	return won, taken, other
}

// TestBookingUnderContention: 200 companies on two instances reach for 20
// slots at once: exactly 20 win, one per slot, and the 180 others are told
// the slot was just taken; then companies fire at several slots at once and
// keep to their quota; then cancellations race new bookings of the same
// slots. After each burst the invariant query finds nothing wrong.
func TestBookingUnderContention(t *testing.T) {
	t.Parallel()
	w := newRaceWorld(t, 200)
	e := w.e

	slots := w.slots(t, 20)
	var shots []*shot
	for i, c := range w.clients {
		shots = append(shots, w.bookShot(c, slots[i%len(slots)].ID))
	}
	burst(shots)
	won, taken, other := tally(t, shots)
	if len(other) > 0 {
		t.Fatalf("%d answers were neither a booking nor 'just taken', e.g. %s", len(other), other[0])
	}
	winners := 0
	winner := map[*client]bool{}
	for slot, ws := range won {
		if len(ws) != 1 {
			t.Errorf("slot %d: %d winners", slot, len(ws))
		}
		winners += len(ws)
		for _, s := range ws {
			winner[s.c] = true
		}
	}
	if winners != 20 || taken != 180 {
		t.Errorf("winners %d, told taken %d; want 20 and 180", winners, taken)
	}
	if v := bookingViolations(t, e); v != (violations{}) {
		t.Errorf("invariants after the burst: %+v", v)
	}
	if n := e.count(`SELECT count(*) FROM booking WHERE status = 'active'`); n != 20 {
		t.Errorf("%d active bookings, want 20", n)
	}
	if n := e.count(`SELECT count(*) FROM audit_entry WHERE action = 'booking.create'`); n != 20 {
		t.Errorf("%d booking audit entries, want 20", n)
	}
	var losers []*client
	for _, c := range w.clients {
		if !winner[c] {
			losers = append(losers, c)
		}
	}

	t.Run("QuotaHoldsAcrossInstances", func(t *testing.T) {
		// 20 companies each fire at 4 slots of their own at once, through
		// both instances: each gets one, the quota refuses the rest.
		mine := w.slots(t, 80)
		var shots []*shot
		for j, c := range losers[:20] {
			for k := range 4 {
				s := w.bookShot(c, mine[j*4+k].ID)
				if k%2 == 1 { // the same session through the other instance
					other := *c
					other.base = w.clients[1-indexOf(w.clients, c)%2].base
					s.c = &other
				}
				shots = append(shots, s)
			}
		}
		burst(shots)
		per := map[string]int{}
		for _, s := range shots {
			switch {
			case s.err != nil:
				t.Fatal(s.err)
			case s.status == http.StatusSeeOther:
				per[s.c.ip]++
			case s.status == http.StatusUnprocessableEntity && strings.Contains(s.body, "as many slots as it may book"):
			default:
				t.Errorf("answer %d %s", s.status, excerpt(s.body))
			}
		}
		for _, c := range losers[:20] {
			if per[c.ip] != 1 {
				t.Errorf("company at %s booked %d slots, want exactly 1", c.ip, per[c.ip])
			}
		}
		if v := bookingViolations(t, e); v != (violations{}) {
			t.Errorf("invariants: %+v", v)
		}
	})

	t.Run("DoubleSubmitBooksOnce", func(t *testing.T) {
		// A form sent twice at once, once through each instance: both
		// answers are the booking, and there is one.
		mine := w.slots(t, 10)
		var shots []*shot
		for j, c := range losers[100:110] {
			twin := *c
			twin.base = w.clients[1-indexOf(w.clients, c)%2].base
			shots = append(shots, w.bookShot(c, mine[j].ID), w.bookShot(&twin, mine[j].ID))
		}
		burst(shots)
		for _, s := range shots {
			if s.err != nil || s.status != http.StatusSeeOther {
				t.Errorf("double submit: %d %v %s", s.status, s.err, excerpt(s.body))
			}
		}
		if n := e.count(`SELECT count(*) FROM booking WHERE status = 'active' AND slot_id = ANY($1)`, slotIDs(mine)); n != 10 {
			t.Errorf("%d bookings of 10 slots sent twice each, want 10", n)
		}
		if v := bookingViolations(t, e); v != (violations{}) {
			t.Errorf("invariants: %+v", v)
		}
	})

	t.Run("CancellationsRaceBookings", func(t *testing.T) {
		// Each of the 20 winners cancels while three companies without a
		// booking reach for that very slot: every cancellation works, each
		// slot ends with at most one booking, every loser is told.
		var shots, cancels []*shot
		bookers := losers[20:]
		for i, slot := range slots {
			holder := won[slot.ID][0]
			var id int64
			if err := e.pool.QueryRow(context.Background(), `SELECT id FROM booking WHERE slot_id = $1 AND status = 'active'`,
				slot.ID).Scan(&id); err != nil {
				t.Fatal(err)
			}
			c := &shot{c: holder.c, slot: slot.ID, path: "/exhibitor/bookings/" + itoa(id) + "/cancel"}
			cancels = append(cancels, c)
			shots = append(shots, c)
			for k := range 3 {
				shots = append(shots, w.bookShot(bookers[i*3+k], slot.ID))
			}
		}
		burst(shots)
		for _, c := range cancels {
			if c.err != nil || c.status != http.StatusSeeOther {
				t.Errorf("cancel of slot %d: %d %v %s", c.slot, c.status, c.err, excerpt(c.body))
			}
		}
		var books []*shot
		for _, s := range shots {
			if !strings.HasSuffix(s.path, "/cancel") {
				books = append(books, s)
			}
		}
		won, _, other := tally(t, books)
		if len(other) > 0 {
			t.Errorf("%d answers were neither a booking nor 'just taken', e.g. %s", len(other), other[0])
		}
		for slot, ws := range won {
			if len(ws) > 1 {
				t.Errorf("slot %d: %d winners", slot, len(ws))
			}
		}
		if v := bookingViolations(t, e); v != (violations{}) {
			t.Errorf("invariants: %+v", v)
		}
		if n := e.count(`SELECT count(*) FROM booking b JOIN slot sl ON sl.id = b.slot_id
			WHERE b.status = 'active' AND sl.id = ANY($1)`, slotIDs(slots)); n != len(won) {
			t.Errorf("%d active bookings of the raced slots, %d winners", n, len(won))
		}
	})
}

func indexOf(cs []*client, c *client) int {
	for i, x := range cs {
		if x == c {
			return i
		}
	}
	return 0
}

func slotIDs(slots []expodesk.Slot) []int64 {
	ids := make([]int64, len(slots))
	for i, s := range slots {
		ids[i] = s.ID
	}
	return ids
}

// TestBookingContentionNegativeControl takes the database's protection
// away (the partial unique index and the exclusion constraint) and shows
// that the checks of TestBookingUnderContention then catch what goes
// wrong: a burst books a slot twice, and the invariant query finds a
// deliberately broken fixture's double booking, overlap and excess quota.
func TestBookingContentionNegativeControl(t *testing.T) {
	t.Parallel()
	w := newRaceWorld(t, 40)
	e := w.e
	ctx := context.Background()
	if _, err := e.pool.Exec(ctx, `DROP INDEX booking_one_active_per_slot;
		ALTER TABLE booking DROP CONSTRAINT booking_exhibitor_no_overlap`); err != nil {
		t.Fatal(err)
	}
	t.Run("BurstDoubleBooks", func(t *testing.T) {
		// Without the index the service's own check is a race: 40 companies
		// at 2 slots. A rare run where each slot's first transaction commits
		// before the others look is tried again on fresh slots.
		for try := 0; ; try++ {
			slots := w.slots(t, 2)
			var shots []*shot
			for i, c := range w.clients {
				shots = append(shots, w.bookShot(c, slots[i%2].ID))
			}
			burst(shots)
			won, _, _ := tally(t, shots)
			doubles := 0
			for _, ws := range won {
				if len(ws) > 1 {
					doubles++
				}
			}
			v := bookingViolations(t, e)
			if doubles > 0 && v.Double > 0 {
				return // caught, by the winners' count and by the invariant query alike
			}
			if doubles > 0 || v.Double > 0 {
				t.Fatalf("the checks disagree: %d slots with several winners, invariant %+v", doubles, v)
			}
			if try == 4 {
				t.Fatal("five bursts without the index booked no slot twice; the control shows nothing")
			}
			// Free the companies again for the next try.
			if _, err := e.pool.Exec(ctx, `UPDATE booking SET status = 'cancelled', cancelled_at = now() WHERE status = 'active'`); err != nil {
				t.Fatal(err)
			}
		}
	})
	t.Run("BrokenFixture", func(t *testing.T) {
		if _, err := e.pool.Exec(ctx, `UPDATE booking SET status = 'cancelled', cancelled_at = now() WHERE status = 'active'`); err != nil {
			t.Fatal(err)
		}
		sl := w.slots(t, 2)
		var a, b int64
		if err := e.pool.QueryRow(ctx, `SELECT min(id), max(id) FROM exhibitor`).Scan(&a, &b); err != nil {
			t.Fatal(err)
		}
		// A slot booked by two companies; company a in two places at once
		// (the same slot twice) and over its quota of 1.
		if _, err := e.pool.Exec(ctx, `INSERT INTO booking (slot_id, exhibitor_id) VALUES ($1, $2), ($1, $3), ($1, $2)`,
			sl[0].ID, a, b); err != nil {
			t.Fatal(err)
		}
		v := bookingViolations(t, e)
		if v.Double == 0 || v.Overlap == 0 || v.OverQuota == 0 {
			t.Errorf("the invariant query missed a broken fixture: %+v", v)
		}
	})
}
