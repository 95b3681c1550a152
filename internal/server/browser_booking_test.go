package server

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"expodesk/internal/urls"
)

// TestBrowserBooking: a company books a slot in one click, sees "title to
// be announced" on the public agenda, writes its title and sees it there;
// every page state passes axe-core.
func TestBrowserBooking(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	openBooking(t, e, w, 2)
	b := startBrowser(t, e.ts.URL)
	tb := b.newTab(t, chromedp.WithNewBrowserContext())
	tb.do("open the sign-in page", chromedp.Navigate(b.base+"/signin?lang=en"))
	tb.do("type the email", chromedp.SendKeys(chromedp.ID("email"), w.ExhibitorB.Email))
	tb.load("sign in", chromedp.SendKeys(chromedp.ID("password"), testPassword+kb.Enter))
	tb.load("open the bookings page", chromedp.Navigate(b.base+urls.ExhibitorBookings()+"?lang=en"))
	tb.axe("the bookings page")
	tb.click("the expo's booking link", `a[href="`+urls.ExhibitorSlots(w.Barcelona.Slug, nil)+`"]`)
	tb.axe("the free slots")
	tb.click("book a slot", `[data-testid="book-`+itoa(w.Slots[1].ID)+`"]`)
	tb.wantText(`[role="status"]`, "The slot is yours.")
	tb.axe("the booking's page")
	page := tb.location().Path
	tb.load("open the agenda", chromedp.Navigate(b.base+urls.ExpoAgenda(w.Barcelona.Slug)+"?lang=en"))
	tb.wantText(`[data-testid="title-tba"]`, "Title to be announced")
	tb.load("back to the booking", chromedp.Navigate(b.base+page+"?lang=en"))
	tb.do("type a title", chromedp.SendKeys(chromedp.ID("title_en"), "Cloud energy for trade fairs"))
	tb.click("save", `main form button[type=submit]`)
	tb.wantText(`[role="status"]`, "The presentation was saved.")
	tb.load("open the agenda again", chromedp.Navigate(b.base+urls.ExpoAgenda(w.Barcelona.Slug)+"?lang=en"))
	tb.wantText("main", "Cloud energy for trade fairs")
	tb.axe("the agenda with the booking")
}
