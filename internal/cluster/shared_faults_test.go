//go:build faults

package cluster_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"expodesk/internal/testdb"
	"expodesk/internal/urls"
)

// TestOneSystemAcrossInstances shows that two instances behind nginx over
// one PostgreSQL behave as one: what one instance did, the other knows.
func TestOneSystemAcrossInstances(t *testing.T) {
	dbURL := testdb.URL(t)
	w := newWorld(t, dbURL, 12, 2, 6)
	c := startCluster(t, dbURL)
	a, b := c.Instances[0].URL(), c.Instances[1].URL()

	t.Run("SessionFromAValidOnB", func(t *testing.T) {
		br := newBrowser(t, a, "en")
		if err := br.signIn(w.Companies[0].Email); err != nil {
			t.Fatal(err)
		}
		for _, base := range []string{b, c.URL(), c.URL()} {
			if got := br.at(base).get(urls.ExhibitorBookings()); got.Status != http.StatusOK {
				t.Fatalf("signed in on A, the bookings on %s: %s", base, got)
			}
		}
		// Signed out on B, the session is gone on A too.
		if got := br.at(b).post(urls.SignOut(), nil); got.Status != http.StatusSeeOther {
			t.Fatalf("sign out on B: %s", got)
		}
		got := br.get(urls.ExhibitorBookings())
		if got.Status != http.StatusSeeOther || !strings.HasPrefix(got.Header.Get("Location"), urls.SignIn("")) {
			t.Fatalf("signed out on B, the bookings on A: %s (want a 303 to the sign-in page)", got)
		}
	})

	t.Run("ThrottlingCountsAcrossInstances", func(t *testing.T) {
		email := w.Companies[1].Email
		// Each guess from a fresh browser (no device cookie), in turn on A,
		// on B and through nginx, claiming another address each time: the
		// account's limit (10 in 15 minutes) counts them all.
		for i := range 10 {
			base := []string{a, b, c.URL()}[i%3]
			br := newBrowser(t, base, "en")
			br.forwardedFor = fmt.Sprintf("198.51.100.%d", i+1)
			got := br.post(urls.SignIn(""), url.Values{"email": {email}, "password": {"wrong-password-" + strconv.Itoa(i)}})
			if got.Status != http.StatusUnauthorized {
				t.Fatalf("wrong password %d on %s: %s (want 401)", i+1, base, got)
			}
		}
		for _, base := range []string{a, b, c.URL()} {
			br := newBrowser(t, base, "en")
			br.forwardedFor = "198.51.100.7"
			got := br.post(urls.SignIn(""), url.Values{"email": {email}, "password": {worldPassword}})
			if got.Status != http.StatusTooManyRequests || got.Header.Get("Retry-After") == "" {
				t.Fatalf("after 10 wrong passwords on A and B, the right one on %s: %s, Retry-After %q (want 429 with Retry-After)",
					base, got, got.Header.Get("Retry-After"))
			}
		}
	})

	t.Run("ChangeOnAFreshOnBsCachedPage", func(t *testing.T) {
		co := w.Companies[2]
		page := urls.Exhibitor(co.Slug)
		visitorB := newBrowser(t, b, "en")
		waitFor(t, "B serves the exhibitor page from its page cache", func() bool {
			got := visitorB.get(page)
			return got.Status == http.StatusOK && got.Header.Get("X-Cache") == "hit"
		})
		team := newBrowser(t, a, "en")
		if err := team.signIn(co.Email); err != nil {
			t.Fatal(err)
		}
		form := team.get(urls.ExhibitorProfile())
		if form.Status != http.StatusOK {
			t.Fatalf("the profile form on A: %s", form)
		}
		v, err := formValues(form.Body, urls.ExhibitorProfile())
		if err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("Renamed Through A %d", time.Now().UnixNano())
		v.Set("name_en", name)
		if got := team.post(urls.ExhibitorProfile(), v); got.Status != http.StatusSeeOther {
			t.Fatalf("save the profile on A: %s", got)
		}
		waitFor(t, "B's cached exhibitor page shows the name saved on A", func() bool {
			got := visitorB.get(page)
			return got.Status == http.StatusOK && contains(got.Body, name)
		})
		// And B caches the new page, not the old one.
		waitFor(t, "B serves the new page from its cache", func() bool {
			got := visitorB.get(page)
			return got.Header.Get("X-Cache") == "hit" && contains(got.Body, name)
		})
	})

	t.Run("ConcurrentBookingsThroughNginxNeverDoubleBook", func(t *testing.T) {
		var people []*browser
		for k, co := range w.Companies[3:] {
			br := newBrowser(t, c.URL(), "en")
			if err := br.signIn(co.Email); err != nil {
				t.Fatal(err)
			}
			// A client claiming another address through nginx is recorded
			// with the one nginx saw (TRUST_PROXY takes the right-most entry).
			br.forwardedFor = fmt.Sprintf("203.0.113.%d", k+1)
			people = append(people, br)
		}
		actions := bookActions(people[0].get(urls.ExhibitorSlots(w.Expo.Slug, nil)).Body)
		if len(actions) < 4 {
			t.Fatalf("the booking page offers %d slots, want at least 4", len(actions))
		}
		won := 0
		for round, action := range actions[:4] {
			answers := make([]answer, len(people))
			gate := make(chan struct{})
			var wg sync.WaitGroup
			for k, p := range people {
				wg.Go(func() {
					<-gate
					answers[k] = p.post(action, nil)
				})
			}
			close(gate)
			wg.Wait()
			winners := 0
			for _, got := range answers {
				switch {
				case got.Status == http.StatusSeeOther:
					winners++
				case got.Status != http.StatusConflict:
					t.Errorf("round %d: %s (want 303 or 409)", round, got)
				}
			}
			if winners != 1 {
				t.Errorf("round %d: %d companies booked the same slot, want exactly 1", round, winners)
			}
			won += winners
		}
		v := checkBookings(t, dbURL, w.Expo.ID)
		if len(v.IDs) != won {
			t.Errorf("%d active bookings, %d confirmed to the companies", len(v.IDs), won)
		}
		checkAudited(t, dbURL, w.Expo.ID)
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		rows, err := conn.Query(ctx, `SELECT DISTINCT client_ip FROM audit_entry WHERE action = 'booking.create' AND expo_id = $1`, w.Expo.ID)
		if err != nil {
			t.Fatal(err)
		}
		ips, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		if len(ips) != 1 || ips[0] != "127.0.0.1" {
			t.Errorf("the bookings' audited client addresses are %q, want only 127.0.0.1 (the address nginx saw)", ips)
		}
	})
}
