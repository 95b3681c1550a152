package server

import (
	"testing"

	"github.com/chromedp/chromedp"

	"expodesk/internal/urls"
)

// TestBrowserApply: a company applies through the public form from the
// expo's page, is shown its problems at the fields (422) and then its
// thanks; every page state passes axe-core.
func TestBrowserApply(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	x, _ := e.callExpo(t)
	b := startBrowser(t, e.ts.URL)
	tb := b.newTab(t, chromedp.WithNewBrowserContext())
	tb.load("open the expo page", chromedp.Navigate(b.base+urls.Expo(x.Slug)+"?lang=en"))
	tb.click("apply link", `a[href="`+urls.ExpoApply(x.Slug)+`"]`)
	tb.axe("the application form")

	tb.do("type the legal name", chromedp.SendKeys(chromedp.ID("legal_name"), "无锡云感科技有限公司"))
	tb.do("type the Chinese name", chromedp.SendKeys(chromedp.ID("name_zh"), "云感科技"))
	tb.do("tick a sector", chromedp.Click(chromedp.ID("sector-sensors"), chromedp.NodeVisible))
	tb.do("type the country", chromedp.SendKeys(chromedp.ID("country"), "CN"))
	tb.do("type a bad website", chromedp.SendKeys(chromedp.ID("website"), "javascript:alert(1)"))
	tb.do("type the family name", chromedp.SendKeys(chromedp.ID("family_name"), "刘"))
	tb.do("type the email", chromedp.SendKeys(chromedp.ID("contact_email"), "liu.yang@cloudsense.example.cn"))
	tb.allow("status of 422")
	tb.loadStatus("send with a bad website", 422, chromedp.Click(chromedp.CSS(`form[action="`+urls.ExpoApply(x.Slug)+`"] button[type=submit]`), chromedp.NodeVisible))
	tb.wantText("#website-error", "http")
	tb.axe("the application form with a problem")

	tb.do("clear the website", chromedp.Clear(chromedp.ID("website")))
	tb.do("type a good website", chromedp.SendKeys(chromedp.ID("website"), "https://cloudsense.example.cn"))
	tb.click("send button", `form[action="`+urls.ExpoApply(x.Slug)+`"] button[type=submit]`)
	tb.wantText("#apply-sent", "your application has been received")
	tb.axe("the thanks page")
}
