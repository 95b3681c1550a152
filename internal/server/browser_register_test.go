package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"expodesk/internal/urls"
)

// TestBrowserRegister: an organizer registers an exhibitor from the
// participations list, is warned that it looks like a company that exists,
// creates it anyway, and finds it approved in the public directory; every
// page state passes axe-core.
func TestBrowserRegister(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	b := startBrowser(t, e.ts.URL)
	tb := b.newTab(t, chromedp.WithNewBrowserContext())
	tb.do("open the sign-in page", chromedp.Navigate(b.base+"/signin?lang=en"))
	tb.do("type the email", chromedp.SendKeys(chromedp.ID("email"), w.Organizer.Email))
	tb.load("sign in", chromedp.SendKeys(chromedp.ID("password"), testPassword+kb.Enter))
	code := e.totpCode(w.Organizer.ID, w.Organizer.TOTPSecret)
	tb.load("type the second factor", chromedp.SendKeys(chromedp.ID("code"), code+kb.Enter))

	tb.load("open the participations", chromedp.Navigate(b.base+urls.OrganizerParticipations(w.Barcelona.Slug, nil)))
	tb.click("register link", `a[href="`+urls.OrganizerExhibitorNew(w.Barcelona.Slug)+`"]`)
	tb.wantText("h1", "Register an exhibitor")
	tb.axe("the registration form")

	tb.do("fill in the company",
		chromedp.SendKeys(chromedp.ID("legal_name"), "无锡太湖传感集团有限公司"),
		chromedp.SendKeys(chromedp.ID("name_en"), "Taihu Sensing Group"),
		chromedp.SendKeys(chromedp.ID("name_zh"), "太湖传感集团"),
		chromedp.Click(chromedp.ID("sector-sensors")),
		chromedp.SendKeys(chromedp.ID("country"), "CN"),
		chromedp.SendKeys(chromedp.ID("website"), "https://group.taihu.example.cn"),
		chromedp.SendKeys(chromedp.ID("registration_id"), "91350100M000100Y43"),
		chromedp.Focus(chromedp.ID("status")), chromedp.KeyEvent("Approved"),
		chromedp.Focus(chromedp.ID("pavilion")), chromedp.KeyEvent("Wuxi"),
		chromedp.SendKeys(chromedp.ID("booth"), "2-B07"))
	tb.load("submit the form", chromedp.Click(chromedp.CSS(`main form button[type=submit]:not([name])`), chromedp.NodeVisible))
	tb.wantText(`[role="alert"]`, "1 company already registered looks like this one")
	tb.wantText("#duplicates", "Taihu Sensing")
	tb.wantText("#duplicates", "similar name")
	tb.wantText("#duplicates", "It already takes part in this expo (Approved)")
	if v := run(tb, "read the typed booth", chromedp.Evaluate[string](`document.getElementById('booth').value`)); v != "2-B07" {
		t.Errorf("the booth after the warning = %q, want what was typed", v)
	}
	tb.axe("the registration form with likely duplicates")

	tb.click("create anyway button", `#duplicates button[name=confirm][value=new]`)
	tb.wantText(`[role="status"]`, "The company has been registered")
	tb.wantText("table", "Taihu Sensing Group")
	tb.axe("the participations after registering")

	x, err := e.store.ExhibitorGet(context.Background(), "taihu-sensing-group")
	if err != nil {
		t.Fatal(err)
	}
	tb.click("the new company's edit link", `a[href="`+urls.OrganizerExhibitor(x.ID)+`"]`)
	tb.wantText("h1", "Taihu Sensing Group")
	tb.axe("the organizer's company page")

	// Approved: the public directory lists it (the page cache hears of it from the database).
	deadline := time.Now().Add(5 * time.Second)
	for {
		tb.load("open the directory", chromedp.Navigate(b.base+urls.ExpoDirectory(w.Barcelona.Slug)+"?lang=en"))
		text := run(tb, "read the results", chromedp.TextContent(chromedp.ID("results")))
		if strings.Contains(text, "Taihu Sensing Group") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the directory does not list the approved registration:\n%s", text)
		}
		time.Sleep(100 * time.Millisecond)
	}
	tb.wantText("#results", "2-B07")
}
