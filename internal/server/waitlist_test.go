package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

// waitlistWorld is the fixture with Barcelona open for booking (quota 2,
// or the offer hours given) and a third approved company, Tercera Vía,
// with a team member who reads English.
type waitlistWorld struct {
	world
	f      *waitlistFixture
	Third  expodesk.Exhibitor
	ThirdA account
}

func newWaitlistWorld(t *testing.T, e *testEnv, offerHours int) waitlistWorld {
	t.Helper()
	ctx := context.Background()
	w := waitlistWorld{world: e.world()}
	w.f = &waitlistFixture{e: e, w: w.world}
	opens := e.clock.Now().Add(-time.Hour)
	if _, err := e.store.BookingRulesSetExpo(ctx, expodesk.BookingRules{ExpoID: w.Barcelona.ID, OpensAt: &opens,
		SlotQuota: 2, CancelHoursBefore: 48, WaitlistOfferHours: offerHours}); err != nil {
		t.Fatal(err)
	}
	var err error
	if w.Third, err = e.store.ExhibitorCreate(ctx, expodesk.Exhibitor{Slug: "tercera-via", LegalName: "Tercera Vía SL",
		Name: expodesk.Text{EN: "Tercera Via"}, Country: "ES"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.ParticipationCreate(ctx, expodesk.Participation{ExpoID: w.Barcelona.ID, ExhibitorID: w.Third.ID,
		Status: expodesk.StatusApproved}); err != nil {
		t.Fatal(err)
	}
	w.ThirdA = e.createAccount(expodesk.User{Email: "eva@tercera.example.es", Role: expodesk.RoleExhibitor,
		ExhibitorID: &w.Third.ID, PersonName: expodesk.PersonName{FamilyName: "Vidal", GivenName: "Eva"}, Lang: expodesk.EN})
	return w
}

// activeHolder is the company holding slot's active booking (0: none) and the booking's id.
func activeHolder(t *testing.T, e *testEnv, slot int64) (company, booking int64) {
	t.Helper()
	if err := e.pool.QueryRow(context.Background(), `SELECT coalesce(max(exhibitor_id), 0), coalesce(max(id), 0)
		FROM booking WHERE slot_id = $1 AND status = 'active'`, slot).Scan(&company, &booking); err != nil {
		t.Fatal(err)
	}
	return company, booking
}

func mailWith(msgs []expodesk.MailMessage, kind expodesk.MailKind) []expodesk.MailMessage {
	var out []expodesk.MailMessage
	for _, m := range msgs {
		if m.Kind == kind {
			out = append(out, m)
		}
	}
	return out
}

// TestWaitlistJoinAndLeave: a company joins the line of a slot another
// company holds from the slots page, sees its place on the slots and
// bookings pages, and leaves; refusals say why and change nothing.
func TestWaitlistJoinAndLeave(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := newWaitlistWorld(t, e, 0)
	jordi := e.signedIn(t, w.ExhibitorB) // Nube Catalana, reads Spanish
	ana := e.signedIn(t, w.ExhibitorA)   // Taihu Sensing, holds Slots[0]
	eva := e.signedIn(t, w.ThirdA)
	held := w.Slots[0]
	slots := urls.ExhibitorSlots(w.Barcelona.Slug, nil)

	t.Run("SlotsPageOffersTheWaitlist", func(t *testing.T) {
		resp, body := jordi.get(slots + "?lang=en")
		if resp.StatusCode != s200 {
			t.Fatalf("%d", resp.StatusCode)
		}
		d := doc(t, body)
		if d.Find(`[data-testid="join-`+itoa(held.ID)+`"]`).Length() != 1 || d.Find(`[data-testid="join-`+itoa(w.Slots[1].ID)+`"]`).Length() != 0 {
			t.Error("the page does not offer the waitlist of the booked slot only")
		}
		if !strings.Contains(d.Find(`[data-testid="waitlist-rule"]`).Text(), "booked at once") {
			t.Errorf("the rules do not say what the waitlist does: %q", d.Find(`[data-testid="waitlist-rule"]`).Text())
		}
		if _, body := ana.get(slots); doc(t, body).Find(`[data-testid="join-`+itoa(held.ID)+`"]`).Length() != 0 {
			t.Error("the holder is offered its own slot's waitlist")
		}
	})
	var entry int64
	t.Run("JoinThenPositionShown", func(t *testing.T) {
		for range 2 { // a form sent twice joins once
			resp, body := jordi.post(urls.ExhibitorSlotWaitlist(w.Barcelona.Slug, held.ID), nil)
			if resp.StatusCode != s303 || resp.Header.Get("Location") != slots {
				t.Fatalf("%d %s\n%s", resp.StatusCode, resp.Header.Get("Location"), excerpt(body))
			}
		}
		if n := e.count(`SELECT count(*) FROM waitlist_entry WHERE slot_id = $1 AND exhibitor_id = $2`, held.ID, w.Cloud.ID); n != 1 {
			t.Fatalf("%d entries", n)
		}
		if err := e.pool.QueryRow(context.Background(), `SELECT id FROM waitlist_entry WHERE slot_id = $1`, held.ID).Scan(&entry); err != nil {
			t.Fatal(err)
		}
		if n := e.count(`SELECT count(*) FROM audit_entry WHERE action = 'waitlist.join' AND object_id = $1 AND exhibitor_id = $2`,
			itoa(entry), w.Cloud.ID); n != 1 {
			t.Errorf("%d audit entries", n)
		}
		resp, _ := eva.post(urls.ExhibitorSlotWaitlist(w.Barcelona.Slug, held.ID), nil)
		if resp.StatusCode != s303 {
			t.Fatalf("second in line: %d", resp.StatusCode)
		}
		_, body := eva.get(slots + "?lang=en")
		if got := doc(t, body).Find(`[data-testid="position-` + itoa(held.ID) + `"]`).Text(); got != "Number 2 in line" {
			t.Errorf("the slots page says %q", got)
		}
		_, body = jordi.get(urls.ExhibitorBookings() + "?lang=en")
		if got := doc(t, body).Find(`[data-testid="waitlist-position-` + itoa(entry) + `"]`).Text(); got != "Number 1 in line" {
			t.Errorf("the bookings page says %q", got)
		}
	})
	t.Run("Refused", func(t *testing.T) {
		ctx := context.Background()
		blocked, err := e.store.SlotCreate(ctx, expodesk.Slot{StageID: w.Stage.ID, Blocked: true,
			StartsAt: time.Date(2027, 5, 12, 18, 0, 0, 0, w.Barcelona.Location()), EndsAt: time.Date(2027, 5, 12, 18, 30, 0, 0, w.Barcelona.Location())})
		if err != nil {
			t.Fatal(err)
		}
		past, err := e.store.SlotCreate(ctx, expodesk.Slot{StageID: w.Stage.ID, StartsAt: e.clock.Now().Add(-2 * time.Hour),
			EndsAt: e.clock.Now().Add(-90 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.store.BookingCreate(ctx, expodesk.Booking{SlotID: past.ID, ExhibitorID: w.Sensing.ID}, nil); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name   string
			who    *client
			path   string
			status int
			says   string
		}{
			{"ErrFreeSlot", jordi, urls.ExhibitorSlotWaitlist(w.Barcelona.Slug, w.Slots[1].ID), s422, "book it instead"},
			{"ErrOwnSlot", ana, urls.ExhibitorSlotWaitlist(w.Barcelona.Slug, held.ID), s422, "already holds this slot"},
			{"ErrBlockedSlot", jordi, urls.ExhibitorSlotWaitlist(w.Barcelona.Slug, blocked.ID), s422, "held back by the organizers"},
			{"ErrPastSlot", jordi, urls.ExhibitorSlotWaitlist(w.Barcelona.Slug, past.ID), s422, "already started"},
			{"ErrAnotherExposSlot", jordi, urls.ExhibitorSlotWaitlist(w.Wuxi.Slug, held.ID), s404, ""},
			{"ErrTitleTooLong", eva, urls.ExhibitorSlotWaitlist(w.Barcelona.Slug, w.f.heldBy(w.Sensing.ID).ID), s422, "not valid"},
			{"ErrOtherCompanysEntry", ana, urls.ExhibitorWaitlistLeave(entry), s404, ""},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := e.snapshot()
				var form url.Values
				if c.name == "ErrTitleTooLong" {
					form = url.Values{"title_en": {strings.Repeat("x", 10000)}}
				}
				resp, body := c.who.post(c.path+"?lang=en", form, "Accept-Language", "en")
				if resp.StatusCode != c.status || (c.says != "" && !strings.Contains(body, c.says)) {
					t.Errorf("%d, want %d saying %q\n%s", resp.StatusCode, c.status, c.says, excerpt(body))
				}
				if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
					t.Errorf("changed %v", changed)
				}
			})
		}
	})
	t.Run("Leave", func(t *testing.T) {
		resp, _ := jordi.post(urls.ExhibitorWaitlistLeave(entry), nil)
		if resp.StatusCode != s303 {
			t.Fatalf("%d", resp.StatusCode)
		}
		if n := e.count(`SELECT count(*) FROM waitlist_entry WHERE id = $1`, entry); n != 0 {
			t.Error("the entry is still there")
		}
		if n := e.count(`SELECT count(*) FROM audit_entry WHERE action = 'waitlist.leave' AND object_id = $1`, itoa(entry)); n != 1 {
			t.Errorf("%d audit entries", n)
		}
		_, body := eva.get(slots + "?lang=en")
		if got := doc(t, body).Find(`[data-testid="position-` + itoa(held.ID) + `"]`).Text(); got != "Number 1 in line" {
			t.Errorf("after the first left, the second is told %q", got)
		}
	})
	t.Run("NothingPublic", func(t *testing.T) {
		_, body := e.get("/expos/" + w.Barcelona.Slug + "/agenda?lang=en")
		if strings.Contains(strings.ToLower(body), "waitlist") || strings.Contains(body, "Tercera") {
			t.Error("the public agenda tells of the waitlist")
		}
	})
}

// TestWaitlistPromotion: a freed slot goes at once to the first in line
// who can take it — on the holder's cancellation and on an organizer's —,
// who is told by mail in their language; the agenda follows; a first in
// line over its quota, or elsewhere at that time, is passed over and
// stays in line.
func TestWaitlistPromotion(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := newWaitlistWorld(t, e, 0)
	_, public := cachedInstance(t, e)
	agenda := "/expos/" + w.Barcelona.Slug + "/agenda?lang=en"
	fetch(t, public, agenda)
	jordi := e.signedIn(t, w.ExhibitorB)
	ana := e.signedIn(t, w.ExhibitorA)
	eva := e.signedIn(t, w.ThirdA)
	org := e.signedIn(t, w.Organizer)
	held := w.Slots[0]
	join := func(c *client, slot int64) {
		t.Helper()
		if resp, body := c.post(urls.ExhibitorSlotWaitlist(w.Barcelona.Slug, slot), nil); resp.StatusCode != s303 {
			t.Fatalf("join: %d\n%s", resp.StatusCode, excerpt(body))
		}
	}

	t.Run("OnHoldersCancel", func(t *testing.T) {
		join(jordi, held.ID)
		join(eva, held.ID)
		if resp, body := ana.post(urls.ExhibitorBookingCancel(w.Booking.ID), nil); resp.StatusCode != s303 {
			t.Fatalf("cancel: %d\n%s", resp.StatusCode, excerpt(body))
		}
		company, booking := activeHolder(t, e, held.ID)
		if company != w.Cloud.ID {
			t.Fatalf("the slot went to company %d, want the first in line (%d)", company, w.Cloud.ID)
		}
		if n := e.count(`SELECT count(*) FROM waitlist_entry WHERE slot_id = $1 AND exhibitor_id = $2`, held.ID, w.Cloud.ID); n != 0 {
			t.Error("the promoted company is still in line")
		}
		if n := e.count(`SELECT count(*) FROM waitlist_entry WHERE slot_id = $1 AND exhibitor_id = $2`, held.ID, w.Third.ID); n != 1 {
			t.Error("the second in line left the line")
		}
		if n := e.count(`SELECT count(*) FROM audit_entry WHERE action = 'waitlist.promote' AND object_id = $1 AND exhibitor_id = $2`,
			itoa(booking), w.Cloud.ID); n != 1 {
			t.Errorf("%d promotion audit entries", n)
		}
		for _, to := range []string{w.ExhibitorB.Email, w.ExhibitorB2.Email} {
			msgs := mailWith(e.mailTo(to), expodesk.MailWaitlistPromoted)
			if len(msgs) != 1 || msgs[0].Lang != expodesk.ES || !strings.Contains(msgs[0].Subject, "es ahora suya") ||
				!strings.Contains(msgs[0].BodyText, e.cfg.BaseURL+urls.ExhibitorBooking(booking)) {
				t.Errorf("mail to %s: %+v", to, msgs)
			}
		}
		eventually(t, "the agenda shows the promoted company", func() bool {
			_, body := fetch(t, public, agenda)
			return strings.Contains(body, "Nube Catalana") && !strings.Contains(body, "传感器赋能智慧城市")
		})
	})
	t.Run("OnOrganizersCancel", func(t *testing.T) {
		// Tercera Vía is first in line now.
		resp, body := org.post(urls.OrganizerSlotCancelBooking(w.Barcelona.Slug, held.ID), url.Values{"reason": {"Swapped."}})
		if resp.StatusCode != s303 {
			t.Fatalf("organizer cancel: %d\n%s", resp.StatusCode, excerpt(body))
		}
		if company, _ := activeHolder(t, e, held.ID); company != w.Third.ID {
			t.Fatalf("the slot went to company %d, want Tercera Vía (%d)", company, w.Third.ID)
		}
		if msgs := mailWith(e.mailTo(w.ThirdA.Email), expodesk.MailWaitlistPromoted); len(msgs) != 1 || !strings.Contains(msgs[0].Subject, "is now yours") {
			t.Errorf("mail to the promoted company: %+v", msgs)
		}
		if msgs := mailWith(e.mailTo(w.ExhibitorB.Email), expodesk.MailBookingCancelled); len(msgs) != 1 {
			t.Errorf("the cancelled company was told %d times", len(msgs))
		}
	})
	t.Run("FirstInLineWithoutQuotaOrElsewhereIsPassedOver", func(t *testing.T) {
		ctx := context.Background()
		// Tercera Vía (holding 1 of its 2) waits first for a and b; then it
		// books another slot (its quota full) and one at b's time on another stage.
		a, b := w.f.heldBy(w.Sensing.ID), w.f.heldBy(w.Sensing.ID)
		join(eva, a.ID)
		join(eva, b.ID)
		join(jordi, a.ID)
		join(jordi, b.ID)
		other, err := e.store.StageCreate(ctx, expodesk.Stage{ExpoID: w.Barcelona.ID, Slug: "other-stage", Name: expodesk.Text{EN: "Other"}})
		if err != nil {
			t.Fatal(err)
		}
		atB, err := e.store.SlotCreate(ctx, expodesk.Slot{StageID: other.ID, StartsAt: b.StartsAt, EndsAt: b.EndsAt})
		if err != nil {
			t.Fatal(err)
		}
		resp, body := eva.post(urls.ExhibitorSlotBook(w.Barcelona.Slug, atB.ID), nil)
		if resp.StatusCode != s303 {
			t.Fatalf("book at b's time: %d\n%s", resp.StatusCode, excerpt(body))
		}
		// Over quota now (2 of 2): a passes to Nube Catalana.
		cancelOf := func(slot int64) {
			t.Helper()
			_, id := activeHolder(t, e, slot)
			if resp, body := ana.post(urls.ExhibitorBookingCancel(id), nil); resp.StatusCode != s303 {
				t.Fatalf("cancel: %d\n%s", resp.StatusCode, excerpt(body))
			}
		}
		cancelOf(a.ID)
		if company, _ := activeHolder(t, e, a.ID); company != w.Cloud.ID {
			t.Errorf("a went to %d, want Nube Catalana past Tercera Vía over its quota", company)
		}
		// Tercera Vía cancels its first slot (under quota again) but is at b's time elsewhere.
		_, id := activeHolder(t, e, held.ID)
		if resp, _ := eva.post(urls.ExhibitorBookingCancel(id), nil); resp.StatusCode != s303 {
			t.Fatal("Tercera Vía's cancel")
		}
		// Nube Catalana books a second slot (its quota): b goes to nobody.
		if resp, body := jordi.post(urls.ExhibitorSlotBook(w.Barcelona.Slug, w.Slots[2].ID), nil); resp.StatusCode != s303 {
			t.Fatalf("book: %d\n%s", resp.StatusCode, excerpt(body))
		}
		cancelOf(b.ID)
		if company, _ := activeHolder(t, e, b.ID); company != 0 {
			t.Errorf("b went to %d; want free: the first in line is elsewhere then, the second at its quota", company)
		}
		if n := e.count(`SELECT count(*) FROM waitlist_entry WHERE slot_id = $1`, b.ID); n != 2 {
			t.Errorf("%d entries left in b's line, want both passed over and still waiting", n)
		}
		if v := bookingViolations(t, e); v != (violations{}) {
			t.Errorf("invariants: %+v", v)
		}
	})
}

// TestWaitlistOffers: with offer hours set, a freed slot is held for the
// first in line, whom nobody can book it from; accepting books it (with
// the window closed meanwhile), declining passes it on, and an offer left
// to run out lapses without a request (the sweeper) and passes it on; an
// offer accepted after it ran out says so.
func TestWaitlistOffers(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := newWaitlistWorld(t, e, 2)
	ctx := context.Background()
	jordi := e.signedIn(t, w.ExhibitorB)
	ana := e.signedIn(t, w.ExhibitorA)
	eva := e.signedIn(t, w.ThirdA)
	join := func(c *client, slot int64) {
		t.Helper()
		if resp, body := c.post(urls.ExhibitorSlotWaitlist(w.Barcelona.Slug, slot), nil); resp.StatusCode != s303 {
			t.Fatalf("join: %d\n%s", resp.StatusCode, excerpt(body))
		}
	}
	// free cancels slot's booking by Taihu Sensing and returns the offer made.
	free := func(slot int64) int64 {
		t.Helper()
		_, id := activeHolder(t, e, slot)
		if resp, body := ana.post(urls.ExhibitorBookingCancel(id), nil); resp.StatusCode != s303 {
			t.Fatalf("cancel: %d\n%s", resp.StatusCode, excerpt(body))
		}
		var offer int64
		if err := e.pool.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM booking WHERE slot_id = $1 AND status = 'offered'`, slot).Scan(&offer); err != nil {
			t.Fatal(err)
		}
		return offer
	}
	offerMail := func(a account, offer int64) bool {
		for _, m := range mailWith(e.mailTo(a.Email), expodesk.MailWaitlistOffer) {
			if strings.Contains(m.BodyText, e.cfg.BaseURL+urls.ExhibitorOffer(offer)) {
				return true
			}
		}
		return false
	}

	t.Run("OfferHeldThenAccepted", func(t *testing.T) {
		held := w.Slots[0]
		join(jordi, held.ID)
		offer := free(held.ID)
		if offer == 0 {
			t.Fatal("no offer was made")
		}
		if !offerMail(w.ExhibitorB, offer) {
			t.Error("no offer mail with the offer's link")
		}
		if n := e.count(`SELECT count(*) FROM audit_entry WHERE action = 'waitlist.offer' AND object_id = $1`, itoa(offer)); n != 1 {
			t.Errorf("%d offer audit entries", n)
		}
		// Nobody else books an offered slot, nor sees it free.
		if resp, body := eva.post(urls.ExhibitorSlotBook(w.Barcelona.Slug, held.ID), nil); resp.StatusCode != http.StatusConflict || !toldTaken(body) {
			t.Errorf("booking an offered slot: %d", resp.StatusCode)
		}
		if _, body := eva.get(urls.ExhibitorSlots(w.Barcelona.Slug, nil)); doc(t, body).Find(`[data-testid="book-`+itoa(held.ID)+`"]`).Length() != 0 {
			t.Error("an offered slot is listed as free")
		}
		if resp, _ := ana.get(urls.ExhibitorOffer(offer)); resp.StatusCode != s404 {
			t.Errorf("another company's offer: %d", resp.StatusCode)
		}
		if resp, _ := ana.post(urls.ExhibitorOfferAccept(offer), nil); resp.StatusCode != s404 {
			t.Errorf("another company accepting: %d", resp.StatusCode)
		}
		_, body := jordi.get(urls.ExhibitorBookings() + "?lang=en")
		if doc(t, body).Find(`[data-testid="offer-`+itoa(offer)+`"] a`).AttrOr("href", "") != urls.ExhibitorOffer(offer) {
			t.Error("the bookings page does not list the offer")
		}
		_, body = jordi.get(urls.ExhibitorOffer(offer) + "?lang=en")
		if d := doc(t, body); d.Find(`[data-testid="accept"]`).Length() != 1 || d.Find(`[data-testid="offer-until"]`).Length() != 1 {
			t.Fatalf("the offer page has no accept button or no time\n%s", excerpt(body))
		}
		// The window closes meanwhile: accepting still books it.
		closes := e.clock.Now().Add(-time.Minute)
		opens := closes.Add(-2 * time.Hour)
		if _, err := e.store.BookingRulesSetExpo(ctx, expodesk.BookingRules{ExpoID: w.Barcelona.ID, OpensAt: &opens, ClosesAt: &closes,
			SlotQuota: 2, CancelHoursBefore: 48, WaitlistOfferHours: 2}); err != nil {
			t.Fatal(err)
		}
		resp, body := jordi.post(urls.ExhibitorOfferAccept(offer), nil)
		if resp.StatusCode != s303 || resp.Header.Get("Location") != urls.ExhibitorBooking(offer) {
			t.Fatalf("accept: %d %s\n%s", resp.StatusCode, resp.Header.Get("Location"), excerpt(body))
		}
		if company, id := activeHolder(t, e, held.ID); company != w.Cloud.ID || id != offer {
			t.Errorf("after accepting, the slot's booking is %d of %d", id, company)
		}
		if n := e.count(`SELECT count(*) FROM audit_entry WHERE action = 'waitlist.accept' AND object_id = $1`, itoa(offer)); n != 1 {
			t.Errorf("%d accept audit entries", n)
		}
		if resp, _ := jordi.post(urls.ExhibitorOfferAccept(offer), nil); resp.StatusCode != s303 {
			t.Errorf("accepting twice: %d, want the booking's page", resp.StatusCode)
		}
		opens = e.clock.Now().Add(-time.Hour)
		if _, err := e.store.BookingRulesSetExpo(ctx, expodesk.BookingRules{ExpoID: w.Barcelona.ID, OpensAt: &opens,
			SlotQuota: 2, CancelHoursBefore: 48, WaitlistOfferHours: 2}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("DeclinedPassesOnThenExpiresBySweeper", func(t *testing.T) {
		sl := w.f.heldBy(w.Sensing.ID)
		join(eva, sl.ID)
		join(jordi, sl.ID)
		first := free(sl.ID)
		if !offerMail(w.ThirdA, first) {
			t.Fatal("the first in line got no offer")
		}
		resp, body := eva.post(urls.ExhibitorOfferDecline(first), nil)
		if resp.StatusCode != s303 {
			t.Fatalf("decline: %d\n%s", resp.StatusCode, excerpt(body))
		}
		if n := e.count(`SELECT count(*) FROM audit_entry WHERE action = 'waitlist.decline' AND object_id = $1`, itoa(first)); n != 1 {
			t.Errorf("%d decline audit entries", n)
		}
		var second int64
		if err := e.pool.QueryRow(ctx, `SELECT id FROM booking WHERE slot_id = $1 AND status = 'offered' AND exhibitor_id = $2`,
			sl.ID, w.Cloud.ID).Scan(&second); err != nil {
			t.Fatalf("no offer to the next in line: %v", err)
		}
		if !offerMail(w.ExhibitorB, second) {
			t.Error("the next in line got no offer mail")
		}
		// Two hours and a minute later, with no request, the sweeper lapses it.
		e.clock.Advance(2*time.Hour + time.Minute)
		sweep, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { e.server.RunOfferSweeper(sweep, 10*time.Millisecond); close(done) }()
		eventually(t, "the sweeper lapses the offer", func() bool {
			return e.count(`SELECT count(*) FROM booking WHERE id = $1 AND status = 'lapsed'`, second) == 1
		})
		stop()
		<-done
		if company, _ := activeHolder(t, e, sl.ID); company != 0 {
			t.Errorf("the slot went to %d; nobody is left in line", company)
		}
		if n := e.count(`SELECT count(*) FROM audit_entry WHERE action = 'waitlist.expire' AND object_id = $1 AND actor_id IS NULL`, itoa(second)); n != 1 {
			t.Errorf("%d expiry audit entries", n)
		}
		if resp, body := eva.post(urls.ExhibitorSlotBook(w.Barcelona.Slug, sl.ID), nil); resp.StatusCode != s303 {
			t.Errorf("the lapsed slot is not free to book: %d\n%s", resp.StatusCode, excerpt(body))
		}
	})
	t.Run("AcceptAfterItRanOut", func(t *testing.T) {
		sl := w.f.heldBy(w.Sensing.ID)
		join(jordi, sl.ID)
		offer := free(sl.ID)
		e.clock.Advance(3 * time.Hour)
		before := e.count(`SELECT count(*) FROM booking WHERE status = 'active'`)
		resp, body := jordi.post(urls.ExhibitorOfferAccept(offer)+"?lang=en", nil, "Accept-Language", "en")
		if resp.StatusCode != s422 || !strings.Contains(body, "ran out before it was accepted") {
			t.Errorf("%d\n%s", resp.StatusCode, excerpt(body))
		}
		if n := e.count(`SELECT count(*) FROM booking WHERE id = $1 AND status = 'lapsed'`, offer); n != 1 {
			t.Error("the offer that ran out was not lapsed")
		}
		if after := e.count(`SELECT count(*) FROM booking WHERE status = 'active'`); after != before {
			t.Errorf("%d active bookings, were %d", after, before)
		}
	})
}

// TestWaitlistRulesForm: the organizer sets the waitlist's mode in the
// booking rules form, for the expo and for a pavilion; a number of hours
// out of range is said at its field and changes nothing; exhibitors read
// the mode where they book.
func TestWaitlistRulesForm(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := newWaitlistWorld(t, e, 0)
	org := e.signedIn(t, w.Organizer)
	coord := e.signedIn(t, w.Coordinator)
	opens := e.clock.Now().Add(-time.Hour).In(w.Barcelona.Location()).Format(dateTimeLayout)
	form := url.Values{"opens_at": {opens}, "slot_quota": {"2"}, "cancel_hours_before": {"48"}, "waitlist_offer_hours": {"6"}}
	if resp, body := org.post(urls.OrganizerBookingRules(w.Barcelona.Slug), form); resp.StatusCode != s303 {
		t.Fatalf("%d\n%s", resp.StatusCode, excerpt(body))
	}
	rules, err := e.store.BookingRulesOfExpo(context.Background(), w.Barcelona.ID)
	if err != nil || rules.WaitlistOfferHours != 6 {
		t.Fatalf("offer hours %d, %v", rules.WaitlistOfferHours, err)
	}
	_, body := org.get(urls.OrganizerBookingRules(w.Barcelona.Slug))
	if doc(t, body).Find(`#waitlist_offer_hours`).AttrOr("value", "") != "6" {
		t.Error("the form does not show the offer hours")
	}
	_, body = e.signedIn(t, w.ExhibitorB).get(urls.ExhibitorSlots(w.Barcelona.Slug, nil) + "?lang=en")
	if got := doc(t, body).Find(`[data-testid="waitlist-rule"]`).First().Text(); !strings.Contains(got, "for 6 hours") {
		t.Errorf("the exhibitor reads %q", got)
	}
	t.Run("ErrOutOfRange", func(t *testing.T) {
		before := e.snapshot()
		form.Set("waitlist_offer_hours", "-1")
		resp, body := org.post(urls.OrganizerBookingRules(w.Barcelona.Slug), form)
		if resp.StatusCode != s422 || doc(t, body).Find(`#waitlist_offer_hours[aria-invalid="true"]`).Length() != 1 {
			t.Errorf("%d, or the problem is not at the field", resp.StatusCode)
		}
		if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
			t.Errorf("changed %v", changed)
		}
	})
	t.Run("Pavilion", func(t *testing.T) {
		prefix := pavilionPrefix(w.WuxiPavilion.ID)
		pf := url.Values{}
		for k, v := range form {
			pf[prefix+k] = v
		}
		pf.Set(prefix+"waitlist_offer_hours", "0")
		if resp, body := coord.post(urls.OrganizerPavilionBookingRules(w.Barcelona.Slug, w.WuxiPavilion.ID), pf); resp.StatusCode != s303 {
			t.Fatalf("%d\n%s", resp.StatusCode, excerpt(body))
		}
		r, err := e.store.BookingRulesFor(context.Background(), w.Barcelona.ID, &w.WuxiPavilion.ID)
		if err != nil || r.PavilionID == nil || r.WaitlistOfferHours != 0 {
			t.Errorf("pavilion rules %+v, %v", r, err)
		}
		if n := e.count(`SELECT count(*) FROM audit_entry WHERE action = 'booking_rules.set' AND object_type = 'pavilion'`); n != 1 {
			t.Errorf("%d audit entries", n)
		}
	})
}
