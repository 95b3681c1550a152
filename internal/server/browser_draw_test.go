package server

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"expodesk/internal/urls"
)

// TestBrowserDraw: a company ranks slots of a fair draw with the keyboard,
// the organizer runs the draw after the request period, and the company
// reads why it got what it got; the public page shows the seed. Every
// page state passes axe-core.
func TestBrowserDraw(t *testing.T) {
	t.Parallel()
	e, w, b := newBrowserWorld(t)
	f := &drawFixture{e: e, w: w}
	x := f.expo()
	d := f.draw(x, nil, -time.Hour, time.Hour)
	// The other company wants the same first slot, and ranks it too.
	f.ranking(d, w.Cloud.ID, x.Slots[0].ID)

	xb := b.signedInTab(t, e, w.ExhibitorA)
	xb.load("open the draw", chromedp.Navigate(b.base+urls.ExhibitorDraw(x.Slug)+"?lang=en"))
	xb.axe("the ranking form")
	first, second := choiceField(d, 1), choiceField(d, 2)
	xb.chooseByArrow(first, itoa(x.Slots[0].ID))
	xb.chooseByArrow(second, itoa(x.Slots[1].ID))
	xb.click("save the ranking", `form[action="`+urls.ExhibitorDrawRanking(x.Slug, d.ID)+`"] button[type=submit]`)
	xb.wantText(`[data-testid="ranking-saved"]`, "")
	xb.axe("the saved ranking")

	e.clock.Advance(2 * time.Hour)
	org := b.signedInTab(t, e, w.Organizer)
	org.load("open the organizer's draw", chromedp.Navigate(b.base+urls.OrganizerDraw(x.Slug)+"?lang=en"))
	org.axe("the draw, requests closed")
	org.click("run the draw", `[data-testid="run-draw"]`)
	seed := run(org, "read the seed", chromedp.Evaluate[string](`document.querySelector('[data-testid="seed"]').textContent.trim()`))
	if len(seed) != 64 {
		t.Errorf("the published seed is %q, want 32 bytes in hex", seed)
	}
	org.axe("the drawn result")

	xb.load("open the draw again", chromedp.Navigate(b.base+urls.ExhibitorDraw(x.Slug)+"?lang=en"))
	xb.wantText(`[data-testid="my-position"]`, "of 2")
	// Whatever the order, the first choice is the company's or an earlier
	// position's, and each choice says which.
	outcome := run(xb, "read the first choice's outcome", chromedp.Evaluate[string](
		`document.querySelector('[data-testid="choice-1"]').dataset.outcome`))
	if outcome == "" {
		t.Error("the first choice says nothing of what happened to it")
	}
	xb.axe("the company's explanation")

	pub := b.newTab(t, chromedp.WithNewBrowserContext())
	pub.load("open the public draw page", chromedp.Navigate(b.base+urls.ExpoDraw(x.Slug)+"?lang=zh"))
	pub.wantText(`[data-testid="seed"]`, seed)
	pub.axe("the public draw page in Chinese")
}
