//go:build faults

package cluster_test

import (
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"time"
)

// load is people using the site through nginx while a test breaks
// something: companies booking slots (open the booking page, press a free
// slot's button, again) and visitors reading public pages. Every answer is
// kept, for the test to judge.
type load struct {
	stop chan struct{}
	wg   sync.WaitGroup

	mu        sync.Mutex
	answers   []answer
	confirmed map[int64]time.Time // booking id → when its 303 came
}

// startLoad starts one loop per booker and visitors loops over paths.
func startLoad(t *testing.T, expo string, bookers, visitors []*browser, paths []string) *load {
	t.Helper()
	l := &load{stop: make(chan struct{}), confirmed: map[int64]time.Time{}}
	for k, b := range bookers {
		rng := rand.New(rand.NewPCG(uint64(k), 7))
		l.wg.Go(func() {
			for !l.stopped() {
				page, press := b.bookRandom(expo, rng)
				l.record(page)
				if press != nil {
					l.record(*press)
				}
				if page.Status != http.StatusOK || press == nil {
					// The site is down, or nothing is left to book: a
					// person waits a moment before trying again.
					l.pause(50 * time.Millisecond)
				}
			}
		})
	}
	for k, v := range visitors {
		l.wg.Go(func() {
			for i := k; !l.stopped(); i++ {
				a := v.get(paths[i%len(paths)])
				l.record(a)
				if a.Status != http.StatusOK {
					l.pause(20 * time.Millisecond)
				}
			}
		})
	}
	t.Cleanup(l.end)
	return l
}

func (l *load) stopped() bool {
	select {
	case <-l.stop:
		return true
	default:
		return false
	}
}

func (l *load) pause(d time.Duration) {
	select {
	case <-l.stop:
	case <-time.After(d):
	}
}

func (l *load) record(a answer) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.answers = append(l.answers, a)
	if id, ok := bookingID(a); ok {
		l.confirmed[id] = a.At
	}
}

// end stops every loop and waits for the answers in flight.
func (l *load) end() {
	select {
	case <-l.stop:
	default:
		close(l.stop)
	}
	l.wg.Wait()
}

// confirmedSince counts the bookings confirmed (303) after t.
func (l *load) confirmedSince(t time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, at := range l.confirmed {
		if at.After(t) {
			n++
		}
	}
	return n
}

// answered counts the answers after t for which match holds.
func (l *load) answered(t time.Time, match func(answer) bool) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, a := range l.answers {
		if a.At.After(t) && match(a) {
			n++
		}
	}
	return n
}

// all returns every answer so far and the confirmed bookings.
func (l *load) all() ([]answer, map[int64]time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	confirmed := make(map[int64]time.Time, len(l.confirmed))
	for id, at := range l.confirmed {
		confirmed[id] = at
	}
	return append([]answer(nil), l.answers...), confirmed
}

// signedIn signs each of the world's first n companies in through base, in
// the languages given in turn.
func signedIn(t *testing.T, base string, w world, n int, langs ...string) []*browser {
	t.Helper()
	var out []*browser
	for k, co := range w.Companies[:n] {
		b := newBrowser(t, base, langs[k%len(langs)])
		if err := b.signIn(co.Email); err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// confirmedKept checks that every booking a company was told of (303) is
// in the database, active.
func confirmedKept(t *testing.T, confirmed map[int64]time.Time, active []int64) {
	t.Helper()
	in := map[int64]bool{}
	for _, id := range active {
		in[id] = true
	}
	lost := 0
	for id := range confirmed {
		if !in[id] {
			lost++
			if lost <= 5 {
				t.Errorf("booking %d was confirmed to its company and is not in the database", id)
			}
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d confirmed bookings lost", lost, len(confirmed))
	}
}
