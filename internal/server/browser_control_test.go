package server

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"expodesk/internal/urls"
)

// newBrowserWorld is the environment of a browser test of signed-in
// pages: the fixture with an account per role, and one Chromium.
func newBrowserWorld(t *testing.T) (*testEnv, world, *browser) {
	t.Helper()
	e := newAuthEnv(t, Config{})
	w := e.world()
	return e, w, startBrowser(t, e.ts.URL)
}

// newOrganizerBrowser is newBrowserWorld with a tab signed in as the
// expo-wide organizer, where forms sent back with problems (422) are expected.
func newOrganizerBrowser(t *testing.T) (*testEnv, world, *browser, *tab) {
	t.Helper()
	e, w, b := newBrowserWorld(t)
	tb := b.signedInTab(t, e, w.Organizer)
	tb.allow("status of 422")
	return e, w, b, tb
}

// slotPage is the organizer's page of the fixture's slot i.
func (w world) slotPage(i int) string { return urls.OrganizerSlot(w.Barcelona.Slug, w.Slots[i].ID) }

// gridRow selects the grid's row of the fixture's slot i.
func (w world) gridRow(i int) string {
	return `tr[data-testid="grid-slot"]:has(a[href="` + w.slotPage(i) + `"])`
}

// signedInTab opens a tab of its own browser context signed in as a: the
// session is signed in over HTTP and handed to the browser (the sign-in
// and second-factor pages have their own browser tests).
func (b *browser) signedInTab(t *testing.T, e *testEnv, a account) *tab {
	t.Helper()
	c := e.signedIn(t, a)
	tb := b.newTab(t, chromedp.WithNewBrowserContext())
	if _, err := chromedp.Call(tb.ctx, network.SetCookie, network.SetCookieParams{
		Name: sessionCookieName(e.cfg.SecureCookies), Value: c.session(), URL: b.base}); err != nil {
		t.Fatalf("hand the session to the browser: %v", err)
	}
	return tb
}

// keys presses keys one after the other on the focused element.
func keys(ks ...string) []chromedp.Action[chromedp.Void] {
	out := make([]chromedp.Action[chromedp.Void], len(ks))
	for i, k := range ks {
		out[i] = chromedp.KeyEvent(k)
	}
	return out
}

// chooseByArrow focuses the select id and presses ArrowDown until value is
// chosen, as a keyboard user does when the labels share their first words.
func (tb *tab) chooseByArrow(id, value string) {
	tb.t.Helper()
	tb.do("focus #"+id, chromedp.Focus(chromedp.ID(id)))
	for range 20 {
		if v := run(tb, "read #"+id, chromedp.Value(chromedp.ID(id))); v == value {
			return
		}
		tb.do("press ArrowDown on #"+id, chromedp.KeyEvent(kb.ArrowDown))
	}
	tb.t.Fatalf("ArrowDown on #%s never chose %q", id, value)
}

// wantFieldProblem fails unless the field id shows a problem containing
// want, tied to it with aria-describedby and marked aria-invalid, and the
// page came back with focus on its list of problems: read first by a
// screen reader, one Tab from the link to the field.
func (tb *tab) wantFieldProblem(id, want string) {
	tb.t.Helper()
	// autofocus is applied at the page's next rendering, a moment after load.
	pollCtx, cancel := context.WithTimeout(tb.ctx, 2*time.Second)
	_, _ = chromedp.Run(pollCtx, chromedp.Poll[bool](`document.activeElement.id === 'form-errors'`, chromedp.WithPollingInterval(20*time.Millisecond)))
	cancel()
	if f := run(tb, "read the focused element", chromedp.Evaluate[focusInfo](focusInfoJS)); f.ID != "form-errors" {
		tb.t.Errorf("a form sent back with a problem at #%s has focus on %s, want the list of problems #form-errors", id, f)
	}
	tb.do("Tab into the problems", chromedp.KeyEvent(kb.Tab))
	if href := run(tb, "read the focused link", chromedp.Evaluate[string](`document.activeElement.getAttribute('href') || ''`)); href != "#"+id {
		tb.t.Errorf("the first Tab in the list of problems focused %q, want the link to #%s", href, id)
	}
	tb.wantText("#"+id+"-error", want)
	js := fmt.Sprintf(`(() => { const el = document.getElementById(%q);
		return !!el && el.getAttribute('aria-invalid') === 'true' &&
			(el.getAttribute('aria-describedby') || '').split(/\s+/).includes(%q); })()`, id, id+"-error")
	if !run(tb, "read #"+id+"'s problem wiring", chromedp.Evaluate[bool](js)) {
		tb.t.Errorf("#%s is not marked aria-invalid with aria-describedby naming #%s-error", id, id)
	}
}

// agendaSlotsJS maps each slot of the public agenda's first day, by its
// time range, to what it shows (company and title, free, unavailable).
const agendaSlotsJS = `Object.fromEntries([...document.querySelectorAll('.agenda-day li.slot')].map(li =>
	[li.querySelector('time').textContent.trim(), li.querySelector('.what').textContent.split(/\s+/).filter(Boolean).join(' ')]))`

// TestBrowserControl: an organizer on the booked/free grid books a free
// slot for a company, moves a booking to another slot and cancels one
// with a reason, each form sent from the keyboard; a form sent without
// what it needs comes back with the problem at the field; the public
// agenda shows the result; every page state passes axe-core.
func TestBrowserControl(t *testing.T) {
	t.Parallel()
	e, w, b, tb := newOrganizerBrowser(t)
	bcn := w.Barcelona.Slug
	slot, row := w.slotPage, w.gridRow

	tb.load("open the expo list", chromedp.Navigate(b.base+urls.OrganizerExpos()+"?lang=en"))
	tb.click("the expo's stages link", `main a[href="`+urls.OrganizerStages(bcn)+`"]`)
	tb.click("the grid button", `main .actions a[href="`+urls.OrganizerSlotGrid(bcn, nil)+`"]`)
	tb.wantText(row(0), "Taihu Sensing")
	tb.axe("the grid")
	tb.loadStatus("open a day outside the expo", 422, chromedp.Navigate(b.base+urls.OrganizerSlotGrid(bcn, url.Values{"day": {"2027-06-01"}})+"&lang=en"))
	tb.wantFieldProblem("day", "Choose a day of the expo, from 2027-05-11 to 2027-05-13.")
	tb.axe("the grid with a day outside the expo")
	tb.load("choose the first day with the keyboard", chromedp.Focus(chromedp.ID("day")), chromedp.KeyEvent(kb.Home),
		chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Enter))
	tb.wantText(row(0), "Taihu Sensing")

	// Book the free 11:00 slot for Nube Catalana.
	tb.click("edit link of the free 11:00 slot", row(1)+` a[href="`+slot(1)+`"]`)
	tb.wantText("#book-for-h", "Book for a company")
	tb.axe("a free slot's page")
	tb.do("focus the company list", chromedp.Focus(chromedp.ID("exhibitor")))
	tb.loadStatus("send the form with no company chosen", 422, keys(kb.Tab, kb.Enter)...)
	tb.wantFieldProblem("exhibitor", "Choose one of the options offered.")
	tb.axe("the book-for form with a problem")
	tb.do("choose Nube Catalana by typing", chromedp.Focus(chromedp.ID("exhibitor")), chromedp.KeyEvent("Nube"))
	tb.load("send the book-for form from the keyboard", keys(kb.Tab, kb.Enter)...)
	tb.wantText(`[role="status"]`, "Slot booked for the company.")
	tb.wantText(row(1), "Nube Catalana")
	tb.axe("the grid after booking for a company")

	// Move Taihu Sensing's 10:30 booking to 12:00.
	tb.click("edit link of the booked 10:30 slot", row(0)+` a[href="`+slot(0)+`"]`)
	tb.wantText(`[data-testid="slot-booked"]`, "Taihu Sensing")
	tb.axe("a booked slot's page")
	tb.do("focus the new slot list", chromedp.Focus(chromedp.ID("to")))
	tb.loadStatus("send the move form with no slot chosen", 422, keys(kb.Tab, kb.Enter)...)
	tb.wantFieldProblem("to", "Choose one of the options offered.")
	tb.axe("the move form with a problem")
	tb.chooseByArrow("to", itoa(w.Slots[3].ID))
	tb.load("send the move form from the keyboard", keys(kb.Tab, kb.Enter)...)
	tb.wantText(`[role="status"]`, "Booking moved. The company has been told by email.")
	tb.wantText(row(3), "Taihu Sensing")
	tb.wantText(row(0), "Free")
	tb.axe("the grid after a move")

	// Cancel from the slot's page with no reason: the problem at the field.
	tb.load("open the 12:00 slot", chromedp.Navigate(b.base+slot(3)+"?lang=en"))
	tb.loadStatus("cancel with no reason", 422, chromedp.Focus(chromedp.ID("reason")), chromedp.KeyEvent(kb.Enter))
	tb.wantFieldProblem("reason", "This field is required.")
	tb.axe("the cancel form with a problem")

	// Cancel Nube Catalana's booking on the grid itself, Enter in the reason field.
	tb.load("back to the grid", chromedp.Navigate(b.base+urls.OrganizerSlotGrid(bcn, url.Values{"day": {"2027-05-11"}})+"&lang=en"))
	reason := "reason-" + itoa(w.Slots[1].ID)
	tb.load("type a reason and press Enter", chromedp.SendKeys(chromedp.ID(reason), "The stage is closed for repairs."+kb.Enter))
	tb.wantText(`[role="status"]`, "Booking cancelled. The company has been told by email.")
	tb.wantText(row(1), "Free")
	tb.axe("the grid after a cancellation")
	if m := e.mailTo(w.ExhibitorB.Email); len(m) == 0 || !strings.Contains(m[len(m)-1].BodyText, "The stage is closed for repairs.") {
		t.Errorf("Nube Catalana's team was not mailed the reason typed on the grid (%d mails)", len(m))
	}

	// On a phone the grid's table scrolls in its box; the page does not.
	tb.do("emulate a phone", chromedp.EmulateViewport(375, 740, chromedp.EmulateMobile))
	tb.load("open the grid on a phone", chromedp.Navigate(b.base+urls.OrganizerSlotGrid(bcn, url.Values{"day": {"2027-05-11"}})+"&lang=es"))
	if wd := run(tb, "measure the grid", chromedp.Evaluate[pageWidth](pageWidthJS)); wd.Inner != 375 || wd.Scroll > wd.Inner {
		t.Errorf("the grid on a 375-pixel phone: innerWidth %d, scrollWidth %d; want the page 375 wide, the table scrolling in its box", wd.Inner, wd.Scroll)
	}
	tb.do("back to a desktop", chromedp.EmulateViewport(1280, 900))

	tb.load("open the public agenda", chromedp.Navigate(b.base+urls.ExpoAgenda(bcn)+"?lang=en"))
	got := run(tb, "read the agenda", chromedp.Evaluate[map[string]string](agendaSlotsJS))
	for at, want := range map[string]string{"10:30–11:00 CEST": "Free slot", "11:00–11:30 CEST": "Free slot",
		"12:00–12:30 CEST": "传感器赋能智慧城市 Taihu Sensing"} {
		if !strings.Contains(got[at], want) {
			t.Errorf("the agenda's %s shows %q, want %q", at, got[at], want)
		}
	}
	if strings.Contains(fmt.Sprint(got), "Nube Catalana") {
		t.Errorf("the agenda still shows the cancelled booking: %v", got)
	}
	tb.axe("the agenda after the changes")
}

// TestBrowserSlotEdit: an organizer moves one slot's time, is told in
// words at the field when the new times overlap another slot, holds a
// slot back with a label and deletes one; the grid and the public agenda
// follow; every page state passes axe-core.
func TestBrowserSlotEdit(t *testing.T) {
	t.Parallel()
	_, w, b, tb := newOrganizerBrowser(t)
	bcn := w.Barcelona.Slug
	slot, row := w.slotPage, w.gridRow
	grid := urls.OrganizerSlotGrid(bcn, url.Values{"day": {"2027-05-11"}, "stage": {itoa(w.Stage.ID)}})

	tb.load("open the grid", chromedp.Navigate(b.base+grid+"&lang=en"))
	tb.click("edit link of the free 11:00 slot", row(1)+` a[href="`+slot(1)+`"]`)
	tb.axe("a free slot's page")

	// 11:15–11:45 runs into the 11:30 slot: refused, said at the start field.
	tb.do("type overlapping times",
		chromedp.SetValue(chromedp.ID("starts_at"), "2027-05-11T11:15"),
		chromedp.SetValue(chromedp.ID("ends_at"), "2027-05-11T11:45"))
	tb.loadStatus("save with Enter in a label field", 422, chromedp.Focus(chromedp.ID("label_en")), chromedp.KeyEvent(kb.Enter))
	tb.wantFieldProblem("starts_at", "These times overlap another slot on this stage")
	if v := run(tb, "read the start", chromedp.Value(chromedp.ID("starts_at"))); v != "2027-05-11T11:15" {
		t.Errorf("the start field after the refusal = %q, want what was typed", v)
	}
	tb.axe("the overlap refusal")

	// 11:00–11:25 fits.
	tb.do("shorten the slot", chromedp.SetValue(chromedp.ID("starts_at"), "2027-05-11T11:00"),
		chromedp.SetValue(chromedp.ID("ends_at"), "2027-05-11T11:25"))
	tb.load("save with Enter", chromedp.Focus(chromedp.ID("label_en")), chromedp.KeyEvent(kb.Enter))
	tb.wantText(`[role="status"]`, "Slot saved.")
	tb.wantText("h1", "11:00–11:25")
	tb.axe("the slot after saving")

	// Hold it back for a keynote: Space ticks the box, Enter saves.
	tb.do("tick held back with Space", chromedp.Focus(chromedp.ID("blocked")), chromedp.KeyEvent(" "))
	if !run(tb, "read the box", chromedp.Evaluate[bool](`document.getElementById('blocked').checked`)) {
		t.Fatal("Space did not tick the held-back box")
	}
	tb.load("type a label and press Enter", chromedp.SendKeys(chromedp.ID("label_en"), "Opening keynote"+kb.Enter))
	tb.wantText(`[role="status"]`, "Slot saved.")
	tb.load("open the grid", chromedp.Navigate(b.base+grid+"&lang=en"))
	tb.wantText(row(1), "Held back")
	tb.wantText(row(1), "Opening keynote")
	tb.axe("the grid with a held-back slot")

	// Delete the 11:30 slot from its page, the button reached by Tab.
	tb.click("edit link of the 11:30 slot", row(2)+` a[href="`+slot(2)+`"]`)
	tb.do("Tab from the company list past its button", chromedp.Focus(chromedp.ID("exhibitor")), chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Tab))
	if f := run(tb, "read the focused element", chromedp.Evaluate[focusInfo](focusInfoJS)); f.Text != "Delete slot" || !f.Ring {
		t.Fatalf("two Tabs after the company list focused %s, want the delete button with a focus ring", f)
	}
	tb.load("press Enter on delete", chromedp.KeyEvent(kb.Enter))
	tb.wantText(`[role="status"]`, "Slot deleted.")
	if n := run(tb, "count the grid's slots", chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="grid-slot"]').length`)); n != 3 {
		t.Errorf("the grid shows %d slots after a delete, want 3", n)
	}
	tb.axe("the grid after a delete")

	tb.load("open the public agenda", chromedp.Navigate(b.base+urls.ExpoAgenda(bcn)+"?lang=en"))
	got := run(tb, "read the agenda", chromedp.Evaluate[map[string]string](agendaSlotsJS))
	if len(got) != 3 || got["11:00–11:25 CEST"] != "Opening keynote" || got["11:30–12:00 CEST"] != "" {
		t.Errorf("the agenda after the edits = %q, want 10:30, 11:00–11:25 under its label and 12:00, the 11:30 slot gone", got)
	}
}
