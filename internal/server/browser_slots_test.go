package server

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"expodesk/internal/urls"
)

// TestBrowserSlotGeneration: a pavilion coordinator opens their stages,
// fills in a day's slots, reads the preview and creates them from it, and
// lands on the booked/free grid; every page state passes axe-core.
func TestBrowserSlotGeneration(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	b := startBrowser(t, e.ts.URL)
	tb := b.newTab(t, chromedp.WithNewBrowserContext())
	tb.do("open the sign-in page", chromedp.Navigate(b.base+"/signin?lang=en"))
	tb.do("type the email", chromedp.SendKeys(chromedp.ID("email"), w.Coordinator.Email))
	tb.load("sign in", chromedp.SendKeys(chromedp.ID("password"), testPassword+kb.Enter))
	tb.load("type the second factor", chromedp.SendKeys(chromedp.ID("code"), e.totpCode(w.Coordinator.ID, w.Coordinator.TOTPSecret)+kb.Enter))

	bcn := w.Barcelona.Slug
	tb.load("open the expo list", chromedp.Navigate(b.base+urls.OrganizerExpos()))
	tb.click("stages link", `main a[href="`+urls.OrganizerStages(bcn)+`"]`)
	tb.axe("the stage list")
	tb.click("generate link", `main a[href="`+urls.OrganizerStageGenerate(bcn, w.Stage.ID, nil)+`"]`)
	tb.axe("the generation form")

	tb.do("fill in the plan",
		chromedp.SetValue(chromedp.ID("day"), "2027-05-12"),
		chromedp.SetValue(chromedp.ID("first_start"), "14:00"),
		chromedp.SetValue(chromedp.ID("last_end"), "15:40"),
		chromedp.SetValue(chromedp.ID("length"), "30"),
		chromedp.SetValue(chromedp.ID("break"), "0"))
	tb.click("preview button", `button[name="preview"]`)
	tb.wantText(`[data-testid="preview"] p`, "Slots to create on")
	if n := run(tb, "count the previewed slots", chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="preview-slot"]').length`)); n != 3 {
		t.Fatalf("the preview lists %d slots, want 3", n)
	}
	tb.wantText(`[data-testid="preview-slot"]`, "14:00 CEST (UTC+2)")
	tb.wantText(`#preview .hint`, "The last 10 minutes")
	tb.axe("the preview")

	tb.click("create button", `#preview form button[type=submit]`)
	if p := tb.location().Path; p != urls.OrganizerSlotGrid(bcn, nil) {
		t.Fatalf("after creating the browser is on %s", p)
	}
	tb.wantText(`[role="status"]`, "The slots were created.")
	if n := run(tb, "count the free slots", chromedp.Evaluate[int](`document.querySelectorAll('[data-status="free"]').length`)); n != 3 {
		t.Errorf("the grid shows %d free slots, want 3", n)
	}
	tb.axe("the grid")

	tb.load("open the booked day", chromedp.Navigate(b.base+urls.OrganizerSlotGrid(bcn, nil)+"?day=2027-05-11"))
	tb.wantText(`[data-status="booked"]`, "Taihu Sensing")
	tb.axe("the grid with a booking")
	tb.click("edit link of the booked slot", `[data-status="booked"] a`)
	tb.wantText(`[data-testid="slot-booked"]`, "Taihu Sensing")
	tb.axe("a booked slot's page")
}
