package server

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

// TestBrowserBookingRules: an organizer sets the expo's booking window,
// quota, cancellation deadline and title language, and a pavilion's own
// rules, sending each form with Enter; a quota of -1 comes back with the
// problem at the field and what was typed kept; a company of the pavilion
// reads the rules where it books; every page state passes axe-core.
func TestBrowserBookingRules(t *testing.T) {
	t.Parallel()
	e, w, b, tb := newOrganizerBrowser(t)
	rules := urls.OrganizerBookingRules(w.Barcelona.Slug)
	wuxi := pavilionPrefix(w.WuxiPavilion.ID)
	retype := func(id, value string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(chromedp.Clear(chromedp.ID(id)), chromedp.SendKeys(chromedp.ID(id), value))
	}
	value := func(id string) string { return run(tb, "read #"+id, chromedp.Value(chromedp.ID(id))) }

	tb.load("open the expo list", chromedp.Navigate(b.base+urls.OrganizerExpos()+"?lang=en"))
	tb.click("booking rules link", `main a[href="`+rules+`"]`)
	tb.wantText("h1", "Booking rules")
	tb.axe("the booking rules page")

	tb.do("fill in the expo's rules",
		chromedp.SetValue(chromedp.ID("opens_at"), "2027-04-01T09:00"),
		chromedp.SetValue(chromedp.ID("closes_at"), "2027-05-10T18:00"),
		retype("slot_quota", "3"),
		retype("cancel_hours_before", "24"),
		chromedp.Focus(chromedp.ID("title_lang")), chromedp.KeyEvent("English"))
	tb.load("save with Enter in the deadline field", chromedp.Focus(chromedp.ID("cancel_hours_before")), chromedp.KeyEvent(kb.Enter))
	tb.wantText(`[role="status"]`, "The booking rules were saved.")
	for id, want := range map[string]string{"opens_at": "2027-04-01T09:00", "closes_at": "2027-05-10T18:00",
		"slot_quota": "3", "cancel_hours_before": "24", "title_lang": "en"} {
		if got := value(id); got != want {
			t.Errorf("#%s after saving = %q, want %q", id, got, want)
		}
	}
	tb.axe("the rules page after saving")

	// The Wuxi Pavilion's own rules: one slot each, titles in Spanish too.
	tb.do("fill in the pavilion's rules", retype(wuxi+"slot_quota", "1"),
		chromedp.Focus(chromedp.ID(wuxi+"title_lang")), chromedp.KeyEvent("Esp"))
	tb.load("save the pavilion's rules with Enter", chromedp.Focus(chromedp.ID(wuxi+"slot_quota")), chromedp.KeyEvent(kb.Enter))
	tb.wantText(`[role="status"]`, "The booking rules were saved.")
	tb.wantText(`section[aria-labelledby="pavilion-rules-`+itoa(w.WuxiPavilion.ID)+`"]`, "This pavilion's stages are booked by its own rules.")
	if q, l := value(wuxi+"slot_quota"), value(wuxi+"title_lang"); q != "1" || l != "es" {
		t.Errorf("the pavilion's quota and title language after saving = %q, %q, want 1, es", q, l)
	}
	tb.axe("the rules page with a pavilion's own rules")

	// A quota of -1, in the expo's form and in the pavilion's.
	tb.do("type a quota of -1", retype("slot_quota", "-1"), retype("cancel_hours_before", "12"))
	tb.loadStatus("save the expo's rules with Enter", 422, chromedp.Focus(chromedp.ID("slot_quota")), chromedp.KeyEvent(kb.Enter))
	tb.wantFieldProblem("slot_quota", "Enter a number from 0 to 1000.")
	if q, h := value("slot_quota"), value("cancel_hours_before"); q != "-1" || h != "12" {
		t.Errorf("the expo's form after the refusal shows quota %q and deadline %q, want what was typed (-1, 12)", q, h)
	}
	tb.axe("the expo's rules with a bad quota")
	tb.load("open the rules again", chromedp.Navigate(b.base+rules+"?lang=en"))
	if q := value("slot_quota"); q != "3" {
		t.Errorf("the expo's quota after the refusal = %q, want 3 (nothing changed)", q)
	}
	tb.do("type a pavilion quota of -1", retype(wuxi+"slot_quota", "-1"))
	tb.loadStatus("save the pavilion's rules with Enter", 422, chromedp.Focus(chromedp.ID(wuxi+"slot_quota")), chromedp.KeyEvent(kb.Enter))
	tb.wantFieldProblem(wuxi+"slot_quota", "Enter a number from 0 to 1000.")
	tb.axe("the pavilion's rules with a bad quota")

	// Taihu Sensing, in the Wuxi Pavilion, reads the pavilion's rules where it books.
	ex := b.signedInTab(t, e, w.ExhibitorA)
	ex.load("open the free slots", chromedp.Navigate(b.base+urls.ExhibitorSlots(w.Barcelona.Slug, nil)+"?lang=en"))
	own := `section.rules[aria-labelledby="rules-pavilion-` + itoa(w.WuxiPavilion.ID) + `"]`
	ex.wantText(own, "Booking rules of the Wuxi Pavilion")
	ex.wantText(own, "1 slot")
	ex.wantText(own, "Español")
	ex.axe("the free slots under a pavilion's rules")
}

// TestBrowserBookingsPhone: a company's bookings pages at a phone's width
// (375×740) in each language: nothing reaches past the page's margin, the
// free slots' book buttons are all reached by Tab with a visible focus
// ring, and Enter on one books it; without JavaScript too, where a slot
// taken meanwhile is said with focus on the news and the nearest free
// slots one Tab away.
func TestBrowserBookingsPhone(t *testing.T) {
	t.Parallel()
	e, w, b := newBrowserWorld(t)
	openBooking(t, e, w, 2)
	tb := b.signedInTab(t, e, w.ExhibitorA)
	tb.do("emulate a phone", chromedp.EmulateViewport(375, 740, chromedp.EmulateMobile))
	slots := urls.ExhibitorSlots(w.Barcelona.Slug, nil)
	for _, lang := range []string{"en", "zh", "es"} {
		for _, path := range []string{urls.ExhibitorBookings(), slots, urls.ExhibitorBooking(w.Booking.ID),
			urls.ExhibitorSlots(w.Barcelona.Slug, url.Values{"tz": {"America/Argentina/Buenos_Aires"}})} {
			u := path + sep(path) + "lang=" + lang
			tb.load("open "+u, chromedp.Navigate(b.base+u))
			tb.wantPhoneFit(u, 375)
			if lang == "zh" {
				tb.axe(u + " on a phone")
			}
		}
	}

	// Tab from the top of the free slots reaches every book button.
	tb.load("open the free slots", chromedp.Navigate(b.base+slots+"?lang=en"))
	want := run(tb, "list the book buttons", chromedp.Evaluate[[]string](`[...document.querySelectorAll('[data-testid^="book-"]')].map(b => b.dataset.testid)`))
	if len(want) != 3 {
		t.Fatalf("the free slots page offers %d book buttons, want 3: %q", len(want), want)
	}
	reached := map[string]bool{}
	for i := 0; i < 40 && len(reached) < len(want); i++ {
		tb.do("press Tab", chromedp.KeyEvent(kb.Tab))
		f := run(tb, "read the focused element", chromedp.Evaluate[focusInfo](focusInfoJS))
		id := run(tb, "read its test id", chromedp.Evaluate[string](`document.activeElement.dataset.testid || ''`))
		if strings.HasPrefix(id, "book-") {
			reached[id] = true
			if !f.Visible || !f.Ring {
				t.Errorf("book button %s when focused by Tab: %s; want it on screen with a focus ring", id, f)
			}
		}
	}
	for _, id := range want {
		if !reached[id] {
			t.Errorf("Tab never reached %s (reached %v)", id, reached)
		}
	}
	tb.do("focus the first book button", chromedp.Focus(chromedp.CSS(`[data-testid="`+want[0]+`"]`)))
	tb.load("book it with Enter", chromedp.KeyEvent(kb.Enter))
	tb.wantText(`[role="status"]`, "The slot is yours.")
	tb.wantPhoneFit(tb.location().Path, 375)

	// Without JavaScript, the same page books with the keyboard too.
	nojs := b.signedInTab(t, e, w.ExhibitorB)
	if _, err := chromedp.Call(nojs.ctx, emulation.SetScriptExecutionDisabled,
		emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("disable JavaScript: %v", err)
	}
	nojs.do("emulate a phone", chromedp.EmulateViewport(375, 740, chromedp.EmulateMobile))
	nojs.allow("status of 409")
	nojs.load("open the free slots", chromedp.Navigate(b.base+slots+"?lang=es"))
	first := run(nojs, "read the first book button", chromedp.Evaluate[string](`document.querySelector('[data-testid^="book-"]').dataset.testid`))
	nojs.do("focus it", chromedp.Focus(chromedp.CSS(`[data-testid="`+first+`"]`)))
	// Another company takes it while Nube Catalana looks at the page.
	taken, _ := strconv.ParseInt(strings.TrimPrefix(first, "book-"), 10, 64)
	if _, err := e.store.BookingCreate(context.Background(), expodesk.Booking{SlotID: taken, ExhibitorID: w.Hidden.ID}, nil); err != nil {
		t.Fatal(err)
	}
	nojs.loadStatus("book it with Enter", 409, chromedp.KeyEvent(kb.Enter))
	nojs.wantText(`#booking-notice`, "Otra empresa acaba de reservar esta franja.")
	if f := run(nojs, "read the focused element", chromedp.Evaluate[focusInfo](focusInfoJS)); f.ID != "booking-notice" {
		t.Errorf("the page that says the slot was just taken has focus on %s, want the notice", f)
	}
	// axe-core needs scripts; the page is loaded, so they may run now.
	if _, err := chromedp.Call(nojs.ctx, emulation.SetScriptExecutionDisabled,
		emulation.SetScriptExecutionDisabledParams{Value: false}); err != nil {
		t.Fatalf("enable JavaScript: %v", err)
	}
	nojs.axe("the slot just taken, on a phone")
	nojs.do("Tab to the nearest free slot", chromedp.KeyEvent(kb.Tab))
	if id := run(nojs, "read the focused button", chromedp.Evaluate[string](`document.activeElement.closest('[data-testid="nearest"]') ? document.activeElement.dataset.testid || '' : ''`)); !strings.HasPrefix(id, "book-") {
		t.Fatalf("the first Tab after the notice focused %q, want a book button of the nearest free slots", id)
	}
	nojs.load("book the nearest with Enter", chromedp.KeyEvent(kb.Enter))
	nojs.wantText(`[role="status"]`, "La franja es suya.")
}
