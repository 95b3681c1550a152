package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"expodesk/internal/expodesk"
	"expodesk/internal/ical/icaltest"
	"expodesk/internal/urls"
)

// feed fetches a calendar feed and reads it strictly (icaltest.Check).
func feed(t *testing.T, get func(string, ...string) (*http.Response, string), path string) *goical.Calendar {
	t.Helper()
	resp, body := get(path)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/calendar; charset=utf-8" {
		t.Fatalf("GET %s = %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	return icaltest.Check(t, []byte(body))
}

func uidOf(b int64) string { return "booking-" + itoa(b) + "@expodesk" }

// wantEvent checks what a calendar compares of one event: it is there once,
// with this SEQUENCE and STATUS, starting at this instant (read through the
// feed's own VTIMEZONE).
func wantEvent(t *testing.T, cal *goical.Calendar, uid, seq, status string, start time.Time) *goical.Event {
	t.Helper()
	ev := icaltest.Event(cal, uid)
	if ev == nil {
		t.Fatalf("no event %s", uid)
	}
	if got := icaltest.Value(ev, goical.PropSequence); got != seq {
		t.Errorf("%s: SEQUENCE %s, want %s", uid, got, seq)
	}
	if got := icaltest.Value(ev, goical.PropStatus); got != status {
		t.Errorf("%s: STATUS %s, want %s", uid, got, status)
	}
	if got := icaltest.Resolve(t, cal, *ev, goical.PropDateTimeStart); !got.Equal(start) {
		t.Errorf("%s: starts %v, want %v", uid, got, start)
	}
	return ev
}

// wantWallTime checks that an event starts at the expo's wall time, with its zone.
func wantWallTime(t *testing.T, ev *goical.Event, tzid, value string) {
	t.Helper()
	if p := ev.Props.Get(goical.PropDateTimeStart); p.Params.Get(goical.ParamTimezoneID) != tzid || p.Value != value {
		t.Errorf("DTSTART;%v:%s, want %s in %s", p.Params, p.Value, value, tzid)
	}
}

// TestCalendarFeedsFollowBookings: a booking keeps its UID while the
// organizer moves it and cancels it, each time with a higher SEQUENCE, so
// calendars update their copy; cancelled, it stays in the feeds marked so
// until its slot has ended; the slot booked again by another company is a
// new event beside it.
func TestCalendarFeedsFollowBookings(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	openBooking(t, e, w, 2)
	bcn := w.Barcelona.Slug
	coord := e.signedIn(t, w.Coordinator)
	jordi := e.signedIn(t, w.ExhibitorB)
	madrid := w.Barcelona.Location()
	at := func(hh, mm int) time.Time { return time.Date(2027, 5, 11, hh, mm, 0, 0, madrid) }
	const (
		expoFeed     = "/expos/iotswc-test/agenda.ics"
		pavilionFeed = "/expos/iotswc-test/pavilions/wuxi-pavilion/agenda.ics"
		taihuFeed    = "/exhibitors/taihu-sensing/agenda.ics"
		nubeFeed     = "/exhibitors/nube-catalana/agenda.ics"
	)
	uid := uidOf(w.Booking.ID)

	t.Run("Booked", func(t *testing.T) {
		for _, path := range []string{expoFeed, pavilionFeed, taihuFeed} {
			wantEvent(t, feed(t, e.get, path), uid, "0", "CONFIRMED", at(10, 30))
		}
	})
	t.Run("MovedByTheOrganizer", func(t *testing.T) {
		resp, body := coord.post(urls.OrganizerSlotMoveBooking(bcn, w.Slots[0].ID), url.Values{"to": {itoa(w.Slots[2].ID)}})
		if resp.StatusCode != s303 {
			t.Fatalf("move: %d\n%s", resp.StatusCode, excerpt(body))
		}
		for _, path := range []string{expoFeed, pavilionFeed, taihuFeed} {
			cal := feed(t, e.get, path)
			wantEvent(t, cal, uid, "1", "CONFIRMED", at(11, 30))
			if n := len(cal.Events()); n != 1 {
				t.Errorf("%s: %d events after a move, want the one moved", path, n)
			}
		}
	})
	t.Run("CancelledStaysMarked", func(t *testing.T) {
		resp, body := coord.post(urls.OrganizerSlotCancelBooking(bcn, w.Slots[2].ID), url.Values{"reason": {"The stage is needed."}})
		if resp.StatusCode != s303 {
			t.Fatalf("cancel: %d\n%s", resp.StatusCode, excerpt(body))
		}
		for _, path := range []string{expoFeed, pavilionFeed, taihuFeed} {
			ev := wantEvent(t, feed(t, e.get, path), uid, "2", "CANCELLED", at(11, 30))
			if s, _ := ev.Props.Text(goical.PropSummary); !strings.HasPrefix(s, "Cancelled: ") {
				t.Errorf("%s: SUMMARY %q does not say it was cancelled", path, s)
			}
		}
		// The public agenda shows the slot free again.
		_, page := e.get("/expos/iotswc-test/agenda?lang=en")
		if n := doc(t, page).Find(".badge.free").Length(); n != len(w.Slots) {
			t.Errorf("%d free slots on the agenda, want all %d", n, len(w.Slots))
		}
	})
	var rebooked string
	t.Run("RebookedByAnotherCompanyIsAnotherEvent", func(t *testing.T) {
		resp, body := jordi.post(urls.ExhibitorSlotBook(bcn, w.Slots[2].ID), nil)
		if resp.StatusCode != s303 {
			t.Fatalf("book: %d\n%s", resp.StatusCode, excerpt(body))
		}
		rebooked = "booking-" + strings.TrimPrefix(resp.Header.Get("Location"), "/exhibitor/bookings/") + "@expodesk"
		for _, path := range []string{expoFeed, pavilionFeed} {
			cal := feed(t, e.get, path)
			wantEvent(t, cal, uid, "2", "CANCELLED", at(11, 30))
			wantEvent(t, cal, rebooked, "0", "CONFIRMED", at(11, 30))
		}
		if cal := feed(t, e.get, nubeFeed); icaltest.Event(cal, uid) != nil || icaltest.Event(cal, rebooked) == nil {
			t.Error("the new company's feed holds another company's event, or not its own")
		}
	})
	t.Run("TitleWrittenRaisesSequence", func(t *testing.T) {
		id := strings.TrimSuffix(strings.TrimPrefix(rebooked, "booking-"), "@expodesk")
		if resp, body := jordi.post("/exhibitor/bookings/"+id, url.Values{"title_es": {"Energía en la nube"}}); resp.StatusCode != s303 {
			t.Fatalf("title: %d\n%s", resp.StatusCode, excerpt(body))
		}
		ev := wantEvent(t, feed(t, e.get, expoFeed+"?lang=es"), rebooked, "1", "CONFIRMED", at(11, 30))
		if s, _ := ev.Props.Text(goical.PropSummary); !strings.HasPrefix(s, "Energía en la nube") {
			t.Errorf("SUMMARY %q", s)
		}
	})
	t.Run("CancelledLeavesOnceItsSlotHasEnded", func(t *testing.T) {
		e.clock.Advance(at(12, 0).Sub(e.clock.Now()) + time.Minute)
		for _, path := range []string{expoFeed, pavilionFeed, taihuFeed} {
			if cal := feed(t, e.get, path); icaltest.Event(cal, uid) != nil {
				t.Errorf("%s still holds the cancelled session after its slot ended", path)
			}
		}
		if cal := feed(t, e.get, expoFeed); icaltest.Event(cal, rebooked) == nil {
			t.Error("the session that took place left the feed")
		}
	})
}

// TestCalendarFeedsAcrossDST: moved and cancelled sessions on either side
// of Madrid's spring clock change, and in Wuxi (Asia/Shanghai, no clock
// change) on either side of Europe's autumn one; every feed resolves each
// instant through its own VTIMEZONE, the exhibitor's feed (one zone for
// sessions of both expos) included.
func TestCalendarFeedsAcrossDST(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	s := e.store
	madrid, shanghai := w.Barcelona.Location(), w.Wuxi.Location()
	slot := func(stage int64, start time.Time) expodesk.Slot {
		t.Helper()
		sl, err := s.SlotCreate(ctx, expodesk.Slot{StageID: stage, StartsAt: start, EndsAt: start.Add(30 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		return sl
	}
	book := func(sl expodesk.Slot, x expodesk.Exhibitor, title string) expodesk.Booking {
		t.Helper()
		b, err := s.BookingCreate(ctx, expodesk.Booking{SlotID: sl.ID, ExhibitorID: x.ID, Title: title}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// Madrid: 28 March 2027, 02:00 CET → 03:00 CEST.
	beforeSpring := slot(w.Stage.ID, time.Date(2027, 3, 27, 10, 30, 0, 0, madrid))
	afterSpring := slot(w.Stage.ID, time.Date(2027, 3, 29, 10, 30, 0, 0, madrid))
	cancelMadrid := slot(w.Stage.ID, time.Date(2027, 3, 29, 11, 30, 0, 0, madrid))
	movedMadrid := book(beforeSpring, w.Sensing, "Spring forward")
	cancelledMadrid := book(cancelMadrid, w.Cloud, "Called off")
	// Wuxi: an expo-wide stage; Europe leaves summer time on 31 October 2027.
	wuxiStage, err := s.StageCreate(ctx, expodesk.Stage{ExpoID: w.Wuxi.ID, Slug: "main", Name: expodesk.Text{EN: "Main Stage", ZH: "主舞台"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ParticipationCreate(ctx, expodesk.Participation{ExpoID: w.Wuxi.ID, ExhibitorID: w.Sensing.ID,
		Status: expodesk.StatusApproved}); err != nil {
		t.Fatal(err)
	}
	beforeAutumn := slot(wuxiStage.ID, time.Date(2027, 10, 30, 10, 0, 0, 0, shanghai))
	afterAutumn := slot(wuxiStage.ID, time.Date(2027, 11, 1, 10, 0, 0, 0, shanghai))
	cancelWuxi := slot(wuxiStage.ID, time.Date(2027, 11, 1, 11, 0, 0, 0, shanghai))
	movedWuxi := book(beforeAutumn, w.Sensing, "物联网路演")
	cancelledWuxi := book(cancelWuxi, w.Sensing, "已取消的路演")

	org := e.signedIn(t, w.Organizer)
	for _, step := range []struct {
		path string
		form url.Values
	}{
		{urls.OrganizerSlotMoveBooking(w.Barcelona.Slug, beforeSpring.ID), url.Values{"to": {itoa(afterSpring.ID)}}},
		{urls.OrganizerSlotCancelBooking(w.Barcelona.Slug, cancelMadrid.ID), url.Values{"reason": {"Stage closed."}}},
		{urls.OrganizerSlotMoveBooking(w.Wuxi.Slug, beforeAutumn.ID), url.Values{"to": {itoa(afterAutumn.ID)}}},
		{urls.OrganizerSlotCancelBooking(w.Wuxi.Slug, cancelWuxi.ID), url.Values{"reason": {"舞台关闭。"}}},
	} {
		if resp, body := org.post(step.path, step.form); resp.StatusCode != s303 {
			t.Fatalf("POST %s: %d\n%s", step.path, resp.StatusCode, excerpt(body))
		}
	}
	springMoved := time.Date(2027, 3, 29, 8, 30, 0, 0, time.UTC) // 10:30 CEST
	springCancelled := time.Date(2027, 3, 29, 9, 30, 0, 0, time.UTC)
	autumnMoved := time.Date(2027, 11, 1, 2, 0, 0, 0, time.UTC) // 10:00 CST
	autumnCancelled := time.Date(2027, 11, 1, 3, 0, 0, 0, time.UTC)

	t.Run("Madrid", func(t *testing.T) {
		cal := feed(t, e.get, "/expos/iotswc-test/agenda.ics")
		wantWallTime(t, wantEvent(t, cal, uidOf(movedMadrid.ID), "1", "CONFIRMED", springMoved), "Europe/Madrid", "20270329T103000")
		wantEvent(t, cal, uidOf(cancelledMadrid.ID), "1", "CANCELLED", springCancelled)
		obs := icaltest.VTimezone(t, cal, "Europe/Madrid")
		for _, tc := range []struct {
			at  time.Time
			off int
		}{{time.Date(2027, 3, 28, 0, 59, 0, 0, time.UTC), 3600}, {time.Date(2027, 3, 28, 1, 0, 0, 0, time.UTC), 7200}} {
			if o := icaltest.OffsetAt(t, obs, tc.at); o.To != tc.off {
				t.Errorf("VTIMEZONE at %v: %+d, want %+d", tc.at, o.To, tc.off)
			}
		}
	})
	t.Run("Shanghai", func(t *testing.T) {
		cal := feed(t, e.get, "/expos/wiot-test/agenda.ics?lang=zh")
		wantWallTime(t, wantEvent(t, cal, uidOf(movedWuxi.ID), "1", "CONFIRMED", autumnMoved), "Asia/Shanghai", "20271101T100000")
		wantEvent(t, cal, uidOf(cancelledWuxi.ID), "1", "CANCELLED", autumnCancelled)
		for _, o := range icaltest.VTimezone(t, cal, "Asia/Shanghai") {
			if o.Kind != goical.CompTimezoneStandard || o.From != 8*3600 || o.To != 8*3600 {
				t.Errorf("observance %+v, want STANDARD +0800 only", o)
			}
		}
	})
	t.Run("ExhibitorAcrossBoth", func(t *testing.T) {
		cal := feed(t, e.get, "/exhibitors/taihu-sensing/agenda.ics")
		wantEvent(t, cal, uidOf(movedMadrid.ID), "1", "CONFIRMED", springMoved)
		wantEvent(t, cal, uidOf(movedWuxi.ID), "1", "CONFIRMED", autumnMoved)
		wantEvent(t, cal, uidOf(cancelledWuxi.ID), "1", "CANCELLED", autumnCancelled)
		wantEvent(t, cal, uidOf(w.Booking.ID), "0", "CONFIRMED", time.Date(2027, 5, 11, 10, 30, 0, 0, madrid))
		if icaltest.Event(cal, uidOf(cancelledMadrid.ID)) != nil {
			t.Error("another company's session in the exhibitor's feed")
		}
		// The feed is in Madrid's zone (its first session's); Wuxi's
		// sessions on 1 November are read through Madrid's winter offset.
		obs := icaltest.VTimezone(t, cal, "Europe/Madrid")
		if o := icaltest.OffsetAt(t, obs, autumnMoved); o.To != 3600 {
			t.Errorf("Madrid offset on 1 November 2027 = %+d, want +3600", o.To)
		}
	})
}

// TestAgendaBlockedSlots: a blocked slot with a label shows the label on
// the agenda and is an event of the expo's and the pavilion's feeds (free
// time: TRANSP:TRANSPARENT), in the reader's language; one without a label
// says "not available"; a free slot says "free"; none is in a company's feed.
func TestAgendaBlockedSlots(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	coord := e.signedIn(t, w.Coordinator)
	keynote, closed := w.Slots[1], w.Slots[3]
	for _, sl := range []struct {
		slot  expodesk.Slot
		label url.Values
	}{
		{keynote, url.Values{"label_en": {"Keynote"}, "label_zh": {"主旨演讲"}, "label_es": {"Conferencia inaugural"}}},
		{closed, url.Values{}},
	} {
		form := url.Values{"starts_at": {sl.slot.StartsAt.In(w.Barcelona.Location()).Format(dateTimeLayout)},
			"ends_at": {sl.slot.EndsAt.In(w.Barcelona.Location()).Format(dateTimeLayout)}, "blocked": {"on"}}
		for k, v := range sl.label {
			form[k] = v
		}
		if resp, body := coord.post(urls.OrganizerSlot(w.Barcelona.Slug, sl.slot.ID), form); resp.StatusCode != s303 {
			t.Fatalf("block slot: %d\n%s", resp.StatusCode, excerpt(body))
		}
	}
	for _, tc := range []struct{ lang, label string }{{"en", "Keynote"}, {"zh", "主旨演讲"}, {"es", "Conferencia inaugural"}} {
		t.Run("Page_"+tc.lang, func(t *testing.T) {
			_, body := e.get("/expos/iotswc-test/agenda?lang=" + tc.lang)
			d := doc(t, body)
			if got := strings.TrimSpace(d.Find(`[data-testid="slot-label"]`).Text()); got != tc.label {
				t.Errorf("label %q, want %q", got, tc.label)
			}
			if n := d.Find(".badge.blocked").Length(); n != 1 {
				t.Errorf("%d slots not available, want the unlabelled blocked one", n)
			}
			if n := d.Find(".badge.free").Length(); n != 1 {
				t.Errorf("%d free slots, want 1", n)
			}
		})
		t.Run("Feed_"+tc.lang, func(t *testing.T) {
			for _, path := range []string{"/expos/iotswc-test/agenda.ics", "/expos/iotswc-test/pavilions/wuxi-pavilion/agenda.ics"} {
				cal := feed(t, e.get, path+"?lang="+tc.lang)
				ev := wantEvent(t, cal, "slot-"+itoa(keynote.ID)+"@expodesk", "1", "CONFIRMED", keynote.StartsAt)
				if s, _ := ev.Props.Text(goical.PropSummary); s != tc.label {
					t.Errorf("%s: SUMMARY %q, want %q", path, s, tc.label)
				}
				if icaltest.Value(ev, goical.PropTransparency) != "TRANSPARENT" {
					t.Errorf("%s: a keynote makes the subscriber busy", path)
				}
				if n := len(cal.Events()); n != 2 {
					t.Errorf("%s: %d events, want the booking and the keynote", path, n)
				}
			}
		})
	}
	if cal := feed(t, e.get, "/exhibitors/taihu-sensing/agenda.ics"); len(cal.Events()) != 1 {
		t.Errorf("the exhibitor's feed has %d events, want its booking only", len(cal.Events()))
	}
}

// TestViewerZoneRemembered: the zone chosen in the agenda's form sticks (a
// cookie) for later agendas and for the booking page; "the expo's zone
// only" forgets it; a made-up zone changes nothing. From the page cache,
// a remembered zone's page is never served to a visitor without it, nor
// the other way round.
func TestViewerZoneRemembered(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	openBooking(t, e, w, 2)
	_, cached := cachedInstance(t, e)
	const agenda = "/expos/iotswc-test/agenda?lang=en"
	viewerTime := func(body string) string {
		return strings.TrimSpace(doc(t, body).Find(".slot .alt-time").First().Text())
	}
	zoneCookieOf := func(resp *http.Response) *http.Cookie {
		for _, c := range resp.Cookies() {
			if c.Name == zoneCookie {
				return c
			}
		}
		return nil
	}
	abroad := e.newClientOf(t, cached.URL) // a visitor in Shanghai
	local := e.newClientOf(t, cached.URL)  // a visitor in Barcelona

	t.Run("ChosenInTheForm", func(t *testing.T) {
		resp, body := abroad.get("/expos/iotswc-test/agenda?tz=Asia%2FShanghai&lang=en")
		c := zoneCookieOf(resp)
		if c == nil || c.Value != "Asia/Shanghai" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.MaxAge < 86400 {
			t.Fatalf("zone cookie %+v", c)
		}
		if got := viewerTime(body); got != "Your time: 16:30–17:00 CST" {
			t.Errorf("viewer time %q", got)
		}
		if doc(t, body).Find(`form.tz-form[data-use-zone="Use my time zone"] input[name="lang"][value="en"]`).Length() != 1 {
			t.Error("the zone form lacks its 'use my zone' label or the language")
		}
	})
	t.Run("HonouredLaterFromTheCacheToo", func(t *testing.T) {
		for i := 0; i < 2; i++ {
			resp, body := abroad.get(agenda)
			if got := viewerTime(body); got != "Your time: 16:30–17:00 CST" {
				t.Errorf("visit %d: viewer time %q, want Shanghai's remembered", i+1, got)
			}
			if i == 1 && resp.Header.Get("X-Cache") != "hit" {
				t.Error("the remembered zone's page is not cached")
			}
			if sel := doc(t, body).Find(`#tz option[selected]`).AttrOr("value", ""); sel != "Asia/Shanghai" {
				t.Errorf("selected zone %q", sel)
			}
		}
	})
	t.Run("NotServedToAVisitorWithoutIt", func(t *testing.T) {
		for i := 0; i < 2; i++ {
			resp, body := local.get(agenda)
			if doc(t, body).Find(".slot .alt-time").Length() != 0 {
				t.Fatalf("visit %d: a visitor who chose no zone got another's (X-Cache %q)", i+1, resp.Header.Get("X-Cache"))
			}
		}
		// Nor the cached page without a zone to the visitor who chose one.
		if _, body := abroad.get(agenda); viewerTime(body) == "" {
			t.Error("the page without a zone was served to a visitor who chose one")
		}
	})
	t.Run("UnknownZoneChangesNothing", func(t *testing.T) {
		resp, body := abroad.get("/expos/iotswc-test/agenda?tz=Mars%2FOlympus&lang=en")
		if zoneCookieOf(resp) != nil {
			t.Error("a made-up zone was remembered")
		}
		if doc(t, body).Find(`[data-testid="unknown-tz"]`).Length() != 1 {
			t.Error("the page does not say the zone is unknown")
		}
		if _, body := abroad.get(agenda); viewerTime(body) == "" {
			t.Error("a made-up zone made the remembered one forgotten")
		}
	})
	t.Run("BookingPageOpeningInBothZones", func(t *testing.T) {
		jordi := e.signedIn(t, w.ExhibitorB)
		_, body := jordi.get(urls.ExhibitorSlots(w.Barcelona.Slug, nil))
		d := doc(t, body)
		if d.Find(`[data-testid="opens-viewer"]`).Length() != 0 || d.Find(`[data-testid="opens-local"][data-local-time][data-expo-zone="Europe/Madrid"]`).Length() != 1 {
			t.Error("without a chosen zone the page must leave the opening's local time to the browser")
		}
		// Chosen on the public agenda, the zone is the booking page's too.
		jordi.get("/expos/iotswc-test/agenda?tz=America%2FNew_York&lang=en")
		_, body = jordi.get(urls.ExhibitorSlots(w.Barcelona.Slug, nil))
		d = doc(t, body)
		expo, viewer := d.Find(`[data-testid="opens-expo"]`).Text(), d.Find(`[data-testid="opens-viewer"]`).Text()
		if !strings.Contains(expo, "UTC+02:00") && !strings.Contains(expo, "UTC+01:00") || !strings.Contains(viewer, "UTC-0") {
			t.Errorf("opening %q / %q: want the expo's zone and New York's", expo, viewer)
		}
	})
	t.Run("ExpoZoneOnlyForgets", func(t *testing.T) {
		resp, body := abroad.get("/expos/iotswc-test/agenda?tz=&lang=en")
		if c := zoneCookieOf(resp); c == nil || c.MaxAge >= 0 {
			t.Errorf("cookie %+v, want it deleted", c)
		}
		if viewerTime(body) != "" {
			t.Error("the expo's zone only still shows a second zone")
		}
		if _, body := abroad.get(agenda); viewerTime(body) != "" {
			t.Error("the forgotten zone is still shown")
		}
	})
}

// TestBookingInvalidatesFeeds: a booking drops the cached agendas and feeds
// of its expo and pavilion and the feed of its company, and leaves the
// directory and another company's feed in the cache.
func TestBookingInvalidatesFeeds(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	openBooking(t, e, w, 2)
	_, public := cachedInstance(t, e)
	get := func(path string, headers ...string) (*http.Response, string) {
		return fetch(t, public, path, headers...)
	}
	hit := func(path string) bool {
		r, _ := get(path)
		return r.Header.Get("X-Cache") == "hit"
	}
	dropped := []string{
		"/expos/iotswc-test/agenda?lang=en",
		"/expos/iotswc-test/pavilions/wuxi-pavilion/agenda?lang=en",
		"/expos/iotswc-test/agenda.ics?lang=en",
		"/expos/iotswc-test/pavilions/wuxi-pavilion/agenda.ics?lang=en",
		"/exhibitors/nube-catalana/agenda.ics?lang=en",
	}
	kept := []string{"/expos/iotswc-test/exhibitors?lang=en", "/exhibitors/taihu-sensing/agenda.ics?lang=en"}
	for _, p := range append(dropped, kept...) {
		get(p)
		if !hit(p) {
			t.Fatalf("%s is not cached", p)
		}
	}
	t.Run("FeedHitKeepsItsHeaders", func(t *testing.T) {
		resp, _ := get("/expos/iotswc-test/agenda.ics?lang=en")
		if resp.Header.Get("X-Cache") != "hit" || resp.Header.Get("Content-Disposition") != `inline; filename="iotswc-test.ics"` ||
			resp.Header.Get("Content-Type") != "text/calendar; charset=utf-8" {
			t.Errorf("a cached feed's headers: %v", resp.Header)
		}
	})
	jordi := e.signedIn(t, w.ExhibitorB)
	resp, body := jordi.post(urls.ExhibitorSlotBook(w.Barcelona.Slug, w.Slots[1].ID), nil)
	if resp.StatusCode != s303 {
		t.Fatalf("book: %d\n%s", resp.StatusCode, excerpt(body))
	}
	uid := "booking-" + strings.TrimPrefix(resp.Header.Get("Location"), "/exhibitor/bookings/") + "@expodesk"
	for _, p := range dropped {
		eventually(t, p+" shows the booking", func() bool {
			_, body := get(p)
			return strings.Contains(body, "Nube Catalana") && (!strings.Contains(p, ".ics") || strings.Contains(body, "UID:"+uid))
		})
	}
	for _, p := range kept {
		if !hit(p) {
			t.Errorf("a booking dropped %s from the cache", p)
		}
	}
}
