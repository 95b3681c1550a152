package server

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"expodesk/internal/urls"
)

// TestBrowserBookingRules: an organizer sets the expo's booking window,
// quota, cancellation deadline and title language, and a pavilion's own
// rules, sending each form with Enter; a quota of -1 comes back with the
// problem at the field and what was typed kept; a company of the pavilion
// reads the rules where it books; every page state passes axe-core.
func TestBrowserBookingRules(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	b := startBrowser(t, e.ts.URL)
	tb := b.signedInTab(t, e, w.Organizer)
	tb.allow("status of 422")
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
