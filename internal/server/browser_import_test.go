package server

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"expodesk/internal/urls"
)

// TestBrowserImport: an organizer uploads a spreadsheet, sees the preview
// of its rows, imports it and finds the company in the public directory;
// a file with a problem shows it at its line. Every page state passes
// axe-core.
func TestBrowserImport(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	b := startBrowser(t, e.ts.URL)
	dir := t.TempDir()
	good := filepath.Join(dir, "exhibitors.csv")
	bad := filepath.Join(dir, "problems.csv")
	if err := os.WriteFile(good, []byte("\uFEFFslug,legal_name,name_en,name_zh,sectors,country,city,expo,pavilion,booth,status\r\n"+
		"lotus-gateway,无锡莲花网关科技有限公司,Lotus Gateway,莲花网关,sensors,CN,Wuxi,"+w.Barcelona.Slug+",wuxi-pavilion,2-D01,approved\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("slug,legal_name,name_en,country,expo,pavilion\n"+
		"lost-co,Lost Co,Lost Co,GB,"+w.Barcelona.Slug+",no-such-pavilion\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	tb := b.newTab(t, chromedp.WithNewBrowserContext())
	tb.do("open the sign-in page", chromedp.Navigate(b.base+"/signin?lang=en"))
	tb.do("type the email", chromedp.SendKeys(chromedp.ID("email"), w.Organizer.Email))
	tb.load("sign in", chromedp.SendKeys(chromedp.ID("password"), testPassword+kb.Enter))
	tb.load("type the code", chromedp.SendKeys(chromedp.ID("code"), e.totpCode(w.Organizer.ID, w.Organizer.TOTPSecret)+kb.Enter))
	tb.click("import link", `a[href="`+urls.OrganizerImport()+`"]`)
	tb.axe("the import page")

	tb.do("choose a file with a problem", chromedp.SetUploadFiles(chromedp.ID("file"), []string{bad}))
	tb.allow("status of 422")
	tb.loadStatus("preview it", 422, chromedp.Click(chromedp.CSS(`form[enctype="multipart/form-data"] button[type=submit]`), chromedp.NodeVisible))
	tb.wantText("#line-2", "pavilion: The expo "+w.Barcelona.Slug+" has no pavilion “no-such-pavilion”.")
	tb.axe("a preview with problems")

	tb.do("choose the good file", chromedp.SetUploadFiles(chromedp.ID("file"), []string{good}))
	tb.load("preview it", chromedp.Click(chromedp.CSS(`form[enctype="multipart/form-data"] button[type=submit]`), chromedp.NodeVisible))
	tb.wantText("#line-2", "create")
	tb.axe("a preview ready to import")
	tb.click("import button", `form[action="`+urls.OrganizerImportCommit()+`"] button[type=submit]`)
	tb.wantText(`[data-testid="import-result"]`, "1 company created")
	tb.axe("the import page after importing")

	tb.load("open the directory in Chinese", chromedp.Navigate(b.base+urls.ExpoDirectory(w.Barcelona.Slug)+"?lang=zh"))
	tb.wantText("main", "莲花网关")
}
