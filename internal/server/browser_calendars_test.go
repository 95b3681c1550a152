package server

import (
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestBrowserUseMyZone: on the agenda, "Use my time zone" chooses the
// browser's zone in one press, and the choice sticks for the next visit
// without ?tz= (the cookie), with no accessibility violation on the way.
func TestBrowserUseMyZone(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	b := startBrowser(t, e.ts.URL)
	tb := b.newTab(t, chromedp.WithNewBrowserContext())
	if _, err := chromedp.Call(tb.ctx, emulation.SetTimezoneOverride,
		emulation.SetTimezoneOverrideParams{TimezoneID: "Asia/Tokyo"}); err != nil {
		t.Fatalf("set the browser's zone: %v", err)
	}
	tb.load("open the agenda", chromedp.Navigate(b.base+"/expos/iotswc-test/agenda?lang=en"))
	tb.axe("agenda with the zone button")
	tb.click("use-my-zone button", `form.tz-form button[type="button"]`)
	if got := tb.location().Query().Get("tz"); got != "Asia/Tokyo" {
		t.Errorf("chosen zone %q, want the browser's Asia/Tokyo", got)
	}
	tb.wantText(".slot .alt-time", "17:30–18:00 JST")
	tb.load("come back without ?tz=", chromedp.Navigate(b.base+"/expos/iotswc-test/agenda?lang=en"))
	tb.wantText(".slot .alt-time", "17:30–18:00 JST")
}
