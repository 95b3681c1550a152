package server

import (
	"net/url"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"expodesk/internal/urls"
)

// TestBrowserDashboard: the dashboard of the whole expo and of one pavilion,
// charts included, passes axe-core, and its numbers lead to the lists they
// count. The organizer's session is signed in over HTTP and handed to the
// browser (the second factor's pages have their own browser test).
func TestBrowserDashboard(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	org := e.signedIn(t, w.Organizer)
	b := startBrowser(t, e.ts.URL)
	tb := b.newTab(t, chromedp.WithNewBrowserContext())
	if _, err := chromedp.Call(tb.ctx, network.SetCookie, network.SetCookieParams{
		Name: sessionCookieName(e.cfg.SecureCookies), Value: org.session(), URL: b.base}); err != nil {
		t.Fatalf("hand the session to the browser: %v", err)
	}
	tb.load("open the organizer home", chromedp.Navigate(b.base+urls.Organizer()+"?lang=en"))
	tb.click("dashboard link", `a[href="`+urls.OrganizerDashboard(w.Barcelona.Slug, nil)+`"]`)
	tb.wantText("h1", "Dashboard")
	tb.axe("the dashboard")
	if n := run(tb, "count the charts", chromedp.Evaluate[int](`document.querySelectorAll('svg[role="img"]').length`)); n != 2 {
		t.Errorf("%d charts, want the statuses and the slots", n)
	}
	if wd := run(tb, "measure the status chart", chromedp.Evaluate[int](`Math.round(document.querySelector('#status-chart-title').closest('svg').getBoundingClientRect().width)`)); wd < 200 {
		t.Errorf("the status chart is %d pixels wide; it should fill its column", wd)
	}

	wuxi := url.Values{"pavilion": {itoa(w.WuxiPavilion.ID)}}
	tb.click("the Wuxi Pavilion's scope", `.scope-links a[href="`+urls.OrganizerDashboard(w.Barcelona.Slug, wuxi)+`"]`)
	tb.axe("a pavilion's dashboard")
	applied := url.Values{"pavilion": wuxi["pavilion"], "status": {"applied"}}
	tb.click("the count of applications waiting", `dd a[href="`+urls.OrganizerParticipations(w.Barcelona.Slug, applied)+`"]`)
	tb.wantText("tbody", "Applied Only")
	tb.axe("the list a dashboard number leads to")
}
