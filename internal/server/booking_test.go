package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/go-chi/chi/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

// openBooking opens Barcelona's booking an hour ago with the given quota.
func openBooking(t *testing.T, e *testEnv, w world, quota int) {
	t.Helper()
	opens := e.clock.Now().Add(-time.Hour)
	if _, err := e.store.BookingRulesSetExpo(context.Background(), expodesk.BookingRules{ExpoID: w.Barcelona.ID, OpensAt: &opens,
		SlotQuota: quota, CancelHoursBefore: 48}); err != nil {
		t.Fatal(err)
	}
}

// eventually retries check until it holds (a cached page hears of a change
// a few milliseconds after the commit).
func eventually(t *testing.T, what string, check func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !check() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after 5 s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestBookingPages follows a company through booking: the free slots with
// the rules, one click, "title to be announced" on the public agenda, the
// title written afterwards, a cancellation; refusals say why and change
// nothing; the cached directory is left alone by bookings.
func TestBookingPages(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	openBooking(t, e, w, 2)
	_, public := cachedInstance(t, e)
	const (
		agenda    = "/expos/iotswc-test/agenda?lang=en"
		directory = "/expos/iotswc-test/exhibitors?lang=en"
		cloudPage = "/exhibitors/nube-catalana?lang=en"
		otherPage = "/exhibitors/taihu-sensing?lang=en"
	)
	hit := func(path string) bool {
		r, _ := fetch(t, public, path)
		return r.Header.Get("X-Cache") == "hit"
	}
	for _, p := range []string{agenda, directory, cloudPage, otherPage} {
		fetch(t, public, p)
		if !hit(p) {
			t.Fatalf("%s is not cached", p)
		}
	}
	jordi := e.signedIn(t, w.ExhibitorB) // Nube Catalana
	ana := e.signedIn(t, w.ExhibitorA)   // Taihu Sensing
	slots := urls.ExhibitorSlots(w.Barcelona.Slug, nil)
	free := w.Slots[1]

	t.Run("SlotsWithRulesInBothZones", func(t *testing.T) {
		resp, body := jordi.get(urls.ExhibitorSlots(w.Barcelona.Slug, url.Values{"tz": {"Asia/Shanghai"}}))
		if resp.StatusCode != s200 {
			t.Fatalf("%d\n%s", resp.StatusCode, excerpt(body))
		}
		d := doc(t, body)
		if d.Find(`[data-testid="book-`+itoa(free.ID)+`"]`).Length() != 1 || d.Find(`[data-testid="book-`+itoa(w.Slots[0].ID)+`"]`).Length() != 0 {
			t.Error("the page does not offer the free slots only")
		}
		opensExpo, opensViewer := d.Find(`[data-testid="opens-expo"]`).Text(), d.Find(`[data-testid="opens-viewer"]`).Text()
		if !strings.Contains(opensExpo, "(UTC+0") || !strings.Contains(opensViewer, "CST") || !strings.Contains(opensViewer, "UTC+08:00") {
			t.Errorf("opening time %q / %q: want the expo's zone and the viewer's, with offsets", opensExpo, opensViewer)
		}
	})

	var bookingID string
	t.Run("BookOneClickThenTitleToBeAnnounced", func(t *testing.T) {
		resp, body := jordi.post(urls.ExhibitorSlotBook(w.Barcelona.Slug, free.ID), nil)
		if resp.StatusCode != s303 || !strings.HasPrefix(resp.Header.Get("Location"), "/exhibitor/bookings/") {
			t.Fatalf("%d %s\n%s", resp.StatusCode, resp.Header.Get("Location"), excerpt(body))
		}
		bookingID = strings.TrimPrefix(resp.Header.Get("Location"), "/exhibitor/bookings/")
		if n := e.count(`SELECT count(*) FROM audit_entry WHERE action = 'booking.create' AND object_id = $1`, bookingID); n != 1 {
			t.Errorf("%d audit entries", n)
		}
		eventually(t, "the agenda shows the booking", func() bool {
			_, body := fetch(t, public, agenda)
			return strings.Contains(body, "Title to be announced") && strings.Contains(body, "Nube Catalana")
		})
		if hit(cloudPage) {
			t.Error("the company's page was served from before its booking")
		}
		if !hit(directory) || !hit(otherPage) {
			t.Error("a booking dropped the directory or another company's page from the cache")
		}
	})
	t.Run("WriteTitleLater", func(t *testing.T) {
		resp, body := jordi.post("/exhibitor/bookings/"+bookingID, url.Values{"title_es": {"Energía en la nube"}, "abstract_es": {"Cómo."}})
		if resp.StatusCode != s303 {
			t.Fatalf("%d\n%s", resp.StatusCode, excerpt(body))
		}
		eventually(t, "the agenda shows the title", func() bool {
			_, body := fetch(t, public, agenda)
			return strings.Contains(body, "Energía en la nube")
		})
	})
	t.Run("ErrTitleTooLong", func(t *testing.T) {
		before := e.snapshot()
		resp, body := jordi.post("/exhibitor/bookings/"+bookingID, url.Values{"title_en": {strings.Repeat("x", 10000)}})
		if resp.StatusCode != s422 {
			t.Fatalf("%d", resp.StatusCode)
		}
		if doc(t, body).Find(`#title_en[aria-invalid="true"][aria-describedby="title_en-error"]`).Length() != 1 {
			t.Error("the problem is not tied to the title field")
		}
		if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
			t.Errorf("changed %v", changed)
		}
	})
	t.Run("ErrOtherCompanysBooking", func(t *testing.T) {
		before := e.snapshot()
		for _, do := range []func() (*http.Response, string){
			func() (*http.Response, string) { return ana.get("/exhibitor/bookings/" + bookingID) },
			func() (*http.Response, string) {
				return ana.post("/exhibitor/bookings/"+bookingID, url.Values{"title_en": {"Mine now"}})
			},
			func() (*http.Response, string) { return ana.post("/exhibitor/bookings/"+bookingID+"/cancel", nil) },
		} {
			if resp, _ := do(); resp.StatusCode != s404 {
				t.Errorf("another company's booking: %d, want 404", resp.StatusCode)
			}
		}
		if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
			t.Errorf("changed %v", changed)
		}
	})
	t.Run("ErrTakenOffersNearest", func(t *testing.T) {
		resp, body := ana.post(urls.ExhibitorSlotBook(w.Barcelona.Slug, free.ID), nil)
		if resp.StatusCode != http.StatusConflict || !toldTaken(body) {
			t.Fatalf("%d\n%s", resp.StatusCode, excerpt(body))
		}
		if doc(t, body).Find(`[data-testid="nearest"] [data-testid="book-`+itoa(w.Slots[2].ID)+`"]`).Length() != 1 {
			t.Error("the nearest free slot is not offered")
		}
		// Of the taken slots' waitlists, the answer offers the lost one's only.
		doc(t, body).Find(`form[action$="/waitlist"]`).Each(func(_ int, f *goquery.Selection) {
			if a, _ := f.Attr("action"); a != urls.ExhibitorSlotWaitlist(w.Barcelona.Slug, free.ID) {
				t.Errorf("the lost race's answer offers the waitlist of another slot: %s", a)
			}
		})
	})
	t.Run("ErrCancelAfterDeadline", func(t *testing.T) {
		start := e.clock.Now().Add(24 * time.Hour).Truncate(time.Hour)
		sl, err := e.store.SlotCreate(context.Background(), expodesk.Slot{StageID: w.Stage.ID, StartsAt: start, EndsAt: start.Add(30 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		b, err := e.store.BookingCreate(context.Background(), expodesk.Booking{SlotID: sl.ID, ExhibitorID: w.Cloud.ID}, nil)
		if err != nil {
			t.Fatal(err)
		}
		before := e.snapshot()
		resp, body := jordi.post(urls.ExhibitorBookingCancel(b.ID), nil)
		if resp.StatusCode != s422 || !strings.Contains(body, "up to 48 hours before") {
			t.Errorf("%d\n%s", resp.StatusCode, excerpt(body))
		}
		if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
			t.Errorf("changed %v", changed)
		}
	})
	t.Run("CancelFreesTheSlot", func(t *testing.T) {
		resp, _ := jordi.post("/exhibitor/bookings/"+bookingID+"/cancel", nil)
		if resp.StatusCode != s303 {
			t.Fatalf("%d", resp.StatusCode)
		}
		_, body := ana.get(slots)
		if doc(t, body).Find(`[data-testid="book-`+itoa(free.ID)+`"]`).Length() != 1 {
			t.Error("the cancelled slot is not free again")
		}
	})
	t.Run("ErrBeforeWindow", func(t *testing.T) {
		opens := e.clock.Now().Add(time.Hour)
		if _, err := e.store.BookingRulesSetExpo(context.Background(), expodesk.BookingRules{ExpoID: w.Barcelona.ID, OpensAt: &opens,
			SlotQuota: 2, CancelHoursBefore: 48}); err != nil {
			t.Fatal(err)
		}
		before := e.snapshot()
		resp, body := ana.post(urls.ExhibitorSlotBook(w.Barcelona.Slug, free.ID), nil)
		if resp.StatusCode != s422 || !strings.Contains(doc(t, body).Find(`[data-testid="booking-notice"]`).Text(), "Booking opens on") {
			t.Errorf("%d\n%s", resp.StatusCode, excerpt(body))
		}
		if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
			t.Errorf("changed %v", changed)
		}
	})
	t.Run("OrganizerRulesQuotaNegative", func(t *testing.T) {
		org := e.signedIn(t, w.Organizer)
		if resp, _ := org.get(urls.OrganizerBookingRules(w.Barcelona.Slug)); resp.StatusCode != s200 {
			t.Fatalf("%d", resp.StatusCode)
		}
		before := e.snapshot()
		resp, body := org.post(urls.OrganizerBookingRules(w.Barcelona.Slug), url.Values{"slot_quota": {"-1"}, "cancel_hours_before": {"48"}})
		if resp.StatusCode != s422 || doc(t, body).Find(`#slot_quota[aria-invalid="true"]`).Length() != 1 {
			t.Errorf("%d\n%s", resp.StatusCode, excerpt(body))
		}
		if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
			t.Errorf("changed %v", changed)
		}
	})
}

// TestBookingURLBuildersMatchRoutes: every booking path urls builds is served.
func TestBookingURLBuildersMatchRoutes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, c := range []struct{ method, path string }{
		{"GET", urls.ExhibitorBookings()},
		{"GET", urls.ExhibitorBooking(7)},
		{"POST", urls.ExhibitorBooking(7)},
		{"POST", urls.ExhibitorBookingCancel(7)},
		{"GET", urls.ExhibitorSlots("iotswc-2027", nil)},
		{"GET", urls.ExhibitorSlots("iotswc-2027", url.Values{"tz": {"Asia/Shanghai"}})},
		{"POST", urls.ExhibitorSlotBook("iotswc-2027", 7)},
		{"GET", urls.OrganizerBookingRules("iotswc-2027")},
		{"POST", urls.OrganizerBookingRules("iotswc-2027")},
		{"POST", urls.OrganizerPavilionBookingRules("iotswc-2027", 7)},
		{"POST", urls.OrganizerPavilionBookingRulesDelete("iotswc-2027", 7)},
	} {
		u, _ := url.Parse(c.path)
		if !e.server.router.(chi.Routes).Match(chi.NewRouteContext(), c.method, u.Path) {
			t.Errorf("%s %s: no route serves it", c.method, c.path)
		}
	}
}
