package server

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

// TestBrowserItinerary: an organizer requests a meeting from the suggested
// visits in one step, the company accepts it in its portal, and the shared
// link opens the itinerary in Chinese with the meeting accepted; every page
// passes axe-core.
func TestBrowserItinerary(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	p := e.plan(t, w)
	ctx := context.Background()
	// The fixture's request to Taihu Sensing is withdrawn, so that the suggestion offers the form.
	cancelled := p.MeetingA
	cancelled.Status = expodesk.MeetingCancelled
	if _, err := e.store.MeetingSet(ctx, cancelled, expodesk.MeetingRequested); err != nil {
		t.Fatal(err)
	}
	org := e.signedIn(t, w.Organizer)
	b := startBrowser(t, e.ts.URL)

	tb := b.newTab(t, chromedp.WithNewBrowserContext())
	if _, err := chromedp.Call(tb.ctx, network.SetCookie, network.SetCookieParams{
		Name: sessionCookieName(e.cfg.SecureCookies), Value: org.session(), URL: b.base}); err != nil {
		t.Fatalf("hand the session to the browser: %v", err)
	}
	tb.load("open the itinerary", chromedp.Navigate(b.base+urls.OrganizerItinerary(p.Delegation.ID)+"?lang=en"))
	tb.wantText("h1", p.Delegation.Name.In(expodesk.EN))
	tb.axe("the itinerary")
	tb.click("the suggested visits", `main .actions a[href="`+urls.OrganizerSuggestions(p.Delegation.ID, nil)+`"]`)
	tb.axe("the suggested visits")
	row := itoa(w.Sensing.ID)
	tb.do("type the meeting's times",
		chromedp.SetValue(chromedp.ID("starts_at-"+row), "2027-05-12T11:00"),
		chromedp.SetValue(chromedp.ID("ends_at-"+row), "2027-05-12T11:30"),
		chromedp.SendKeys(chromedp.ID("topic-"+row), "Sensors for Xinwu District"))
	tb.click("request a meeting", `[data-testid="request-`+row+`"]`)
	tb.wantText(`[role="status"]`, "The meeting was requested")
	tb.axe("the suggested visits after a request")

	var id int64
	if err := e.pool.QueryRow(ctx, `SELECT id FROM meeting WHERE exhibitor_id = $1 AND status = 'requested'`, w.Sensing.ID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	xb := b.newTab(t, chromedp.WithNewBrowserContext())
	xb.do("open the sign-in page", chromedp.Navigate(b.base+"/signin?lang=en"))
	xb.do("type the email", chromedp.SendKeys(chromedp.ID("email"), w.ExhibitorA.Email))
	xb.load("sign in", chromedp.SendKeys(chromedp.ID("password"), testPassword+kb.Enter))
	xb.load("open the meetings", chromedp.Navigate(b.base+urls.ExhibitorMeetings()+"?lang=en"))
	xb.axe("the company's meetings")
	xb.click("the request", `a[href="`+urls.ExhibitorMeeting(id)+`"]`)
	xb.wantText(`[data-testid="attendees"]`, "王伟")
	xb.axe("the meeting's page")
	xb.do("type a note", chromedp.SendKeys(chromedp.ID("note"), "We look forward to it."))
	xb.click("accept", `[data-testid="accept"]`)
	xb.wantText(`[role="status"]`, "You accepted the meeting")
	xb.axe("the accepted meeting")

	sb := b.newTab(t, chromedp.WithNewBrowserContext())
	sb.load("open the shared link in Chinese", chromedp.Navigate(b.base+urls.SharedItinerary(p.Token)+"?lang=zh"))
	sb.wantText("h1", p.Delegation.Name.In(expodesk.EN))
	sb.wantText(`[data-testid="meeting-`+itoa(id)+`"]`, "已接受")
	if lang := run(sb, "read the page's language", chromedp.Evaluate[string](`document.documentElement.lang`)); lang != "zh-Hans" && lang != "zh" {
		t.Errorf("the shared page's language is %q", lang)
	}
	sb.axe("the shared itinerary in Chinese")
}
