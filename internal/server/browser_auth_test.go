package server

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

// TestBrowserAuth signs in, fails to sign in and accepts an invitation in
// headless Chromium the way people do (typing, Enter, Tab), and checks the
// account pages with axe-core. It reuses browser_test.go's browser and tabs,
// which also fail on requests to other hosts and on page errors.
func TestBrowserAuth(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	b := startBrowser(t, e.ts.URL)

	t.Run("SignInWithEnter", func(t *testing.T) {
		tb := b.newTab(t, chromedp.WithNewBrowserContext())
		tb.do("open the sign-in page", chromedp.Navigate(b.base+"/signin?lang=en"))
		tb.do("type the email", chromedp.SendKeys(chromedp.ID("email"), w.ExhibitorA.Email))
		tb.load("type the password and press Enter", chromedp.SendKeys(chromedp.ID("password"), testPassword+kb.Enter))
		if p := tb.location().Path; p != "/exhibitor" {
			t.Fatalf("after signing in the browser is on %s, want /exhibitor", p)
		}
		tb.wantText("h1", "Taihu Sensing")
		tb.axe("the company area")
	})

	t.Run("WrongPassword", func(t *testing.T) {
		tb := b.newTab(t, chromedp.WithNewBrowserContext())
		tb.allow("status of 401 (Unauthorized) (" + b.base + "/signin)") // the failed sign-in, on purpose
		tb.do("open the sign-in page", chromedp.Navigate(b.base+"/signin?lang=en"))
		tb.do("type the email", chromedp.SendKeys(chromedp.ID("email"), w.ExhibitorB.Email))
		tb.loadStatus("type a wrong password and press Enter", 401,
			chromedp.SendKeys(chromedp.ID("password"), "not my password at all"+kb.Enter))
		tb.wantText(`#form-errors[role="alert"]`, "The email or password is not right.")
		if v := run(tb, "read the email field", chromedp.Value(chromedp.ID("email"))); v != w.ExhibitorB.Email {
			t.Errorf("email field after a failed sign-in = %q, want what was typed", v)
		}
		if v := run(tb, "read the password field", chromedp.Value(chromedp.ID("password"))); v != "" {
			t.Errorf("password field after a failed sign-in = %q, want it empty", v)
		}
		tb.axe("a failed sign-in")

		// With the keyboard alone: Tab reaches the password field after the
		// email field, and Enter there signs in.
		var order []string
		for range 40 {
			tb.do("press Tab", chromedp.KeyEvent(kb.Tab))
			id := run(tb, "read the focused element", chromedp.Evaluate[string](`document.activeElement.id || document.activeElement.tagName`))
			order = append(order, id)
			if id == "password" {
				break
			}
		}
		if len(order) == 0 || order[len(order)-1] != "password" {
			t.Fatalf("Tab never reached the password field; focus went %v", order)
		}
		if len(order) < 2 || order[len(order)-2] != "email" {
			t.Errorf("Tab reached the password field from %v, want straight after the email field", order)
		}
		tb.load("type the right password and press Enter", chromedp.KeyEvent(testPassword+kb.Enter))
		if p := tb.location().Path; p != "/exhibitor" {
			t.Errorf("after signing in with the keyboard the browser is on %s, want /exhibitor", p)
		}
	})

	t.Run("AcceptInvitation", func(t *testing.T) {
		u, err := e.store.UserCreate(context.Background(), expodesk.User{Email: "new.member@taihu.example.com",
			Role: expodesk.RoleExhibitor, ExhibitorID: &w.Sensing.ID, Lang: expodesk.ZH})
		if err != nil {
			t.Fatal(err)
		}
		link := b.base + "/invitations/" + e.createToken(expodesk.TokenInvitation, u.ID, expodesk.InvitationTTL) + "?lang=en"
		tb := b.newTab(t, chromedp.WithNewBrowserContext())
		tb.allow("status of 422 (Unprocessable Content)") // passwords that differ, on purpose
		tb.allow("status of 422 (Unprocessable Entity)")
		tb.load("open the invitation link", chromedp.Navigate(link))
		tb.wantText("main", "new.member@taihu.example.com")
		tb.wantText("main", "Taihu Sensing")
		tb.axe("the invitation page")

		tb.do("fill in the form",
			chromedp.SendKeys(chromedp.ID("family_name"), "周"),
			chromedp.SendKeys(chromedp.ID("given_name"), "杰"),
			chromedp.SendKeys(chromedp.ID("password"), newPW),
			chromedp.SendKeys(chromedp.ID("password_confirm"), newPW+" typo"))
		tb.loadStatus("submit passwords that differ", 422, chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
		tb.wantText("#password_confirm-error", "The two passwords are not the same.")
		if v := run(tb, "read the family name", chromedp.Value(chromedp.ID("family_name"))); v != "周" {
			t.Errorf("family name after a refused form = %q, want what was typed", v)
		}
		tb.axe("the invitation page with a problem")

		tb.do("type the passwords again",
			chromedp.SendKeys(chromedp.ID("password"), newPW),
			chromedp.SendKeys(chromedp.ID("password_confirm"), newPW))
		tb.load("submit the form", chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
		if p := tb.location().Path; p != "/exhibitor" {
			t.Fatalf("after accepting the browser is on %s, want /exhibitor", p)
		}
		tb.wantText("h1", "Taihu Sensing")
		// The language choice came preset with the invitation's (Chinese) and was left alone.
		got := e.user(u.ID)
		if got.PasswordHash == "" || got.FamilyName != "周" || got.Lang != expodesk.ZH {
			t.Errorf("after accepting: family name %q, language %s, password set %v; want 周, zh, true",
				got.FamilyName, got.Lang, got.PasswordHash != "")
		}
	})

	t.Run("SecondFactorPages", func(t *testing.T) {
		o := e.createAccount(expodesk.User{Email: "browser.organizer@iotswc.example.org", Role: expodesk.RoleOrganizer,
			PersonName: expodesk.PersonName{FamilyName: "Ferrer", GivenName: "Laia"}})
		tb := b.newTab(t, chromedp.WithNewBrowserContext())
		tb.do("open the sign-in page", chromedp.Navigate(b.base+"/signin?lang=es"))
		tb.do("type the email", chromedp.SendKeys(chromedp.ID("email"), o.Email))
		tb.load("type the password and press Enter", chromedp.SendKeys(chromedp.ID("password"), testPassword+kb.Enter))
		if p := tb.location().Path; p != "/signin/totp/setup" {
			t.Fatalf("an organizer's first sign-in went to %s, want /signin/totp/setup", p)
		}
		tb.axe("the second-factor enrolment page")
		secret := strings.ReplaceAll(run(tb, "read the secret", chromedp.TextContent(chromedp.CSS("code.secret"))), " ", "")
		code := codeAt(t, secret, e.clock.Now().Unix()/30)
		tb.load("type the code and press Enter", chromedp.SendKeys(chromedp.ID("code"), code+kb.Enter))
		if n := run(tb, "count the recovery codes", chromedp.Evaluate[int](`document.querySelectorAll('ul.codes code').length`)); n != 10 {
			t.Errorf("the recovery codes page shows %d codes, want 10", n)
		}
		tb.axe("the recovery codes page")
		tb.click("continue button", `main a.button`)
		if p := tb.location().Path; p != "/organizer" {
			t.Errorf("continue went to %s, want /organizer", p)
		}

		// The expo console (O1): the list, the new-expo form with its
		// problems, an expo's edit page and a pavilion's form.
		tb.load("open the expo list", chromedp.Navigate(b.base+urls.OrganizerExpos()))
		tb.axe("the expo list")
		tb.load("open the new-expo form", chromedp.Navigate(b.base+urls.OrganizerExpoNew()))
		tb.axe("the new-expo form")
		tb.allow("status of 422 (Unprocessable Content) (" + b.base + urls.OrganizerExpos() + ")") // the empty form, on purpose
		tb.allow("status of 422 (Unprocessable Entity) (" + b.base + urls.OrganizerExpos() + ")")
		tb.loadStatus("send it empty", 422, chromedp.Click(`main form button[type=submit]`))
		tb.axe("the new-expo form with problems")
		tb.load("open an expo's edit page", chromedp.Navigate(b.base+urls.OrganizerExpo(w.Barcelona.Slug)))
		tb.axe("an expo's edit page")
		tb.load("open a pavilion's form", chromedp.Navigate(b.base+urls.OrganizerPavilion(w.Barcelona.Slug, w.WuxiPavilion.ID)))
		tb.axe("a pavilion's form")

		// The second step of a later sign-in.
		tb2 := b.newTab(t, chromedp.WithNewBrowserContext())
		tb2.do("open the sign-in page", chromedp.Navigate(b.base+"/signin?lang=zh"))
		tb2.do("type the email", chromedp.SendKeys(chromedp.ID("email"), o.Email))
		tb2.load("type the password and press Enter", chromedp.SendKeys(chromedp.ID("password"), testPassword+kb.Enter))
		if p := tb2.location().Path; p != "/signin/totp" {
			t.Fatalf("a later sign-in went to %s, want /signin/totp", p)
		}
		tb2.axe("the second-factor step")
	})
}
