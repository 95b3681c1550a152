package server

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"expodesk/internal/urls"
)

// TestBrowserProfile: an exhibitor edits its Chinese name and sees it on its
// public page, uploads a logo and sees it, and is refused an SVG with the
// message at the field; every page state passes axe-core.
func TestBrowserProfile(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	b := startBrowser(t, e.ts.URL)
	tb := b.newTab(t, chromedp.WithNewBrowserContext())
	tb.do("open the sign-in page", chromedp.Navigate(b.base+"/signin?lang=en"))
	tb.do("type the email", chromedp.SendKeys(chromedp.ID("email"), w.ExhibitorA.Email))
	tb.load("sign in", chromedp.SendKeys(chromedp.ID("password"), testPassword+kb.Enter))
	tb.click("profile link", `a[href="`+urls.ExhibitorProfile()+`"]`)
	tb.axe("the profile page")

	tb.do("clear the Chinese name", chromedp.Clear(chromedp.ID("name_zh")))
	tb.do("type a Chinese name", chromedp.SendKeys(chromedp.ID("name_zh"), "太湖智感"))
	tb.click("save button", `form[action="`+urls.ExhibitorProfile()+`"] button[type=submit]`)
	tb.wantText(`[role="status"]`, "The profile has been saved.")
	tb.wantText(".exhibitor-card h3", "Taihu Sensing") // the preview, in the reader's language
	tb.axe("the profile page after saving")
	tb.load("open the public page in Chinese", chromedp.Navigate(b.base+urls.Exhibitor(w.Sensing.Slug)+"?lang=zh"))
	tb.wantText("h1", "太湖智感")

	dir := t.TempDir()
	good := filepath.Join(dir, "logo.png")
	svg := filepath.Join(dir, "logo.svg")
	if err := os.WriteFile(good, encodePNG(t, 600, 300), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(svg, []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), 0o600); err != nil {
		t.Fatal(err)
	}
	tb.load("open the profile page", chromedp.Navigate(b.base+urls.ExhibitorProfile()+"?lang=en"))
	tb.do("choose an SVG", chromedp.SetUploadFiles(chromedp.ID("file"), []string{svg}))
	tb.allow("status of 422")
	tb.loadStatus("upload the SVG", 422, chromedp.Click(chromedp.CSS(`form[enctype="multipart/form-data"] button[type=submit]`), chromedp.NodeVisible))
	tb.wantText("#file-error", "This file is not a PNG, JPEG or WebP image.")
	tb.axe("the logo form with a problem")

	tb.do("choose a PNG", chromedp.SetUploadFiles(chromedp.ID("file"), []string{good}))
	tb.click("upload button", `form[enctype="multipart/form-data"] button[type=submit]`)
	tb.wantText(`[role="status"]`, "The logo has been saved.")
	width := run(tb, "read the logo's natural width", chromedp.Evaluate[int](`(async () => {
		const img = document.querySelector('img[src^="/exhibitor/logo"]');
		if (!img) return -1;
		await img.decode().catch(() => {});
		return img.naturalWidth; })()`, chromedp.EvalAwaitPromise))
	if width != 512 {
		t.Errorf("the own logo on the profile page is %d pixels wide, want 512", width)
	}
	tb.axe("the profile page with a logo")
}
