package server

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"expodesk/internal/urls"
)

// memberNamesJS lists the names of a delegation page's members table, as
// shown (the romanised form beside), with the lang of the name itself.
const memberNamesJS = `[...document.querySelectorAll('section[aria-labelledby="members-h"] tbody th[scope="row"]')].map(th => {
	const n = th.querySelector('.member-name');
	return {Text: th.textContent.split(/\s+/).filter(Boolean).join(' '),
		Lang: !n ? 'no name' : n.hasAttribute('lang') ? 'lang=' + n.getAttribute('lang') : "the page's"};
})`

type memberName struct{ Text, Lang string }

// TestBrowserDelegation is issue 11's whole flow through the pages, as an
// organizer and a company's team member do it: a delegation created for the
// Barcelona expo (names in three languages, kind, home zone, stay, sectors;
// a departure before the arrival sent back at the field once), two members
// each shown in their culture's order, the printable letter list, a meeting
// requested from the suggested visits, accepted in the company's portal,
// and the shared link made with the page's button and opened in Chinese.
// Every page state passes axe-core.
func TestBrowserDelegation(t *testing.T) {
	t.Parallel()
	e, w, b, tb := newOrganizerBrowser(t)
	bcn := w.Barcelona.Slug

	// The console's home → the expo's delegations → a new delegation.
	tb.load("open the console", chromedp.Navigate(b.base+urls.Organizer()+"?lang=en"))
	tb.click("the expo's delegations", `main a[href="`+urls.OrganizerDelegations(bcn, nil)+`"]`)
	tb.wantText("h1", "Delegations")
	tb.axe("the delegations, none yet")
	tb.click("new delegation", `main .actions a[href="`+urls.OrganizerDelegationNew(bcn)+`"]`)
	tb.wantText("h1", "New delegation")
	tb.axe("the new-delegation form")

	tb.do("type the names and origin",
		chromedp.SendKeys(chromedp.ID("name_en"), "Xinwu District Business Delegation"),
		chromedp.SendKeys(chromedp.ID("name_zh"), "新吴区经贸代表团"),
		chromedp.SendKeys(chromedp.ID("name_es"), "Delegación empresarial de Xinwu"),
		chromedp.SendKeys(chromedp.ID("origin"), "新吴区人民政府"))
	tb.chooseByArrow("kind", "business")
	tb.do("type the home zone", chromedp.SendKeys(chromedp.ID("home_time_zone"), "Asia/Shanghai"))
	tb.chooseByArrow("lang", "zh")
	// datetime-local has no typing that is the same in every locale: set it.
	tb.do("set the stay, the departure before the arrival",
		chromedp.SetValue(chromedp.ID("arrives_at"), "2027-05-10T16:00"),
		chromedp.SetValue(chromedp.ID("departs_at"), "2027-05-09T12:00"))
	tb.do("tick two sectors with the space bar",
		chromedp.Focus(chromedp.ID("sector-sensors")), chromedp.KeyEvent(" "),
		chromedp.Focus(chromedp.ID("sector-smart-city")), chromedp.KeyEvent(" "))
	tb.loadStatus("send the form with Enter", 422, chromedp.Focus(chromedp.ID("origin")), chromedp.KeyEvent(kb.Enter))
	tb.wantFieldProblem("departs_at", "The departure must not be before the arrival.")
	kept := run(tb, "read what the form kept", chromedp.Evaluate[[]string](`[
		document.getElementById('name_zh').value, document.getElementById('home_time_zone').value,
		document.getElementById('kind').value, document.getElementById('lang').value,
		String(document.getElementById('sector-sensors').checked), String(document.getElementById('sector-smart-city').checked)]`))
	if strings.Join(kept, "|") != "新吴区经贸代表团|Asia/Shanghai|business|zh|true|true" {
		t.Errorf("the form sent back kept %q, want what was typed and chosen", kept)
	}
	tb.axe("the new-delegation form with a problem")
	tb.do("set the departure", chromedp.SetValue(chromedp.ID("departs_at"), "2027-05-14T12:00"))
	tb.load("send the form from the keyboard", chromedp.Focus(chromedp.ID("origin")), chromedp.KeyEvent(kb.Enter))
	tb.wantText(`[role="status"]`, "Delegation saved.")
	tb.wantText("h1", "Xinwu District Business Delegation")
	tb.wantText("main dl.details", "Asia/Shanghai")
	tb.wantText("main dl.details", "16:00 CEST · 22:00 CST") // the arrival in both zones
	tb.wantText("main dl.details", "Smart city")
	tb.axe("the new delegation's page")
	dpath := tb.location().Path
	delegation, err := strconv.ParseInt(strings.TrimPrefix(dpath, "/organizer/delegations/"), 10, 64)
	if err != nil || urls.OrganizerDelegation(delegation) != dpath {
		t.Fatalf("the form sent to %s, want a delegation's page", dpath)
	}

	// Two members: 王伟 in eastern order with his romanised name, Marc
	// Tarragó in the order the form guesses from his name.
	tb.do("type the first member",
		chromedp.SendKeys(chromedp.ID("family_name"), "王"),
		chromedp.SendKeys(chromedp.ID("given_name"), "伟"))
	tb.chooseByArrow("name_order", "eastern")
	tb.do("type the rest of the first member",
		chromedp.SendKeys(chromedp.ID("romanized_family_name"), "Wang"),
		chromedp.SendKeys(chromedp.ID("romanized_given_name"), "Wei"),
		chromedp.SendKeys(chromedp.ID("title"), "副区长"),
		chromedp.SendKeys(chromedp.ID("passport_name"), "WANG WEI"))
	tb.do("choose the first role, head", chromedp.Focus(chromedp.ID("protocol_role")), chromedp.KeyEvent(kb.Home))
	tb.chooseByArrow("letter_status", "requested")
	tb.load("add the member with Enter", chromedp.Focus(chromedp.ID("title")), chromedp.KeyEvent(kb.Enter))
	tb.wantText(`[role="status"]`, "Member added.")
	tb.do("type the second member",
		chromedp.SendKeys(chromedp.ID("family_name"), "Tarragó"),
		chromedp.SendKeys(chromedp.ID("given_name"), "Marc"),
		chromedp.SendKeys(chromedp.ID("title"), "Trade adviser"))
	tb.chooseByArrow("protocol_role", "member")
	tb.load("add the member with Enter", chromedp.Focus(chromedp.ID("title")), chromedp.KeyEvent(kb.Enter))
	tb.wantText(`[role="status"]`, "Member added.")
	names := run(tb, "read the members", chromedp.Evaluate[[]memberName](memberNamesJS))
	want := []memberName{{"王伟 (Wang Wei)", "lang=zh-Hans"}, {"Marc Tarragó", "the page's"}}
	if len(names) != 2 || names[0] != want[0] || names[1] != want[1] {
		t.Errorf("the members table shows %+v, want %+v", names, want)
	}
	tb.axe("the delegation with two members")

	// The invitation-letter list, on screen and as printed.
	tb.click("the delegations link", `nav a[href="`+urls.OrganizerDelegations(bcn, nil)+`"]`)
	tb.wantText("main table", "Xinwu District Business Delegation")
	tb.axe("the delegations list")
	tb.click("the letters", `main .actions a[href="`+urls.OrganizerDelegationLetters(bcn)+`"]`)
	tb.wantText("main .letter-group", "WANG WEI")
	tb.axe("the invitation letters")
	tb.media("print")
	tb.axe("the invitation letters as printed")
	tb.media("")

	// The itinerary → the suggested visits → a meeting requested in one step.
	tb.do("back to the delegation", chromedp.NavigateBack())
	tb.click("the delegation", `main table a[href="`+dpath+`"]`)
	tb.click("the itinerary", `main .actions a[href="`+urls.OrganizerItinerary(delegation)+`"]`)
	tb.wantText("main", "Times in the expo's zone (Europe/Madrid) · the delegation's home zone (Asia/Shanghai).")
	tb.axe("the empty itinerary")
	tb.click("the suggested visits", `main .actions a[href="`+urls.OrganizerSuggestions(delegation, nil)+`"]`)
	row := itoa(w.Sensing.ID)
	first := run(tb, "read the first suggestion", chromedp.Evaluate[string](`document.querySelector('ol.suggestions > li').dataset.testid`))
	if first != "suggestion-"+row {
		t.Errorf("the first suggested visit is %s, want Taihu Sensing (both sectors shared)", first)
	}
	tb.axe("the suggested visits")
	tb.do("set the meeting's times",
		chromedp.SetValue(chromedp.ID("starts_at-"+row), "2027-05-12T11:00"),
		chromedp.SetValue(chromedp.ID("ends_at-"+row), "2027-05-12T11:30"))
	tb.do("type the place", chromedp.SendKeys(chromedp.ID("location-"+row), "Booth 2-A01"))
	tb.load("type the topic and press Enter", chromedp.SendKeys(chromedp.ID("topic-"+row), "Sensors for Xinwu"+kb.Enter))
	tb.wantText(`[role="status"]`, "The meeting was requested")
	tb.wantText(`[data-testid="suggestion-`+row+`"]`, "Requested")
	tb.axe("the suggested visits after a request")
	var meeting int64
	if err := e.pool.QueryRow(t.Context(), `SELECT id FROM meeting WHERE delegation_id = $1 AND exhibitor_id = $2`,
		delegation, w.Sensing.ID).Scan(&meeting); err != nil {
		t.Fatalf("the requested meeting: %v", err)
	}

	// Taihu Sensing's team member signs in and accepts it in the portal.
	xb := b.newTab(t, chromedp.WithNewBrowserContext())
	xb.load("open the sign-in page", chromedp.Navigate(b.base+"/signin?lang=en"))
	xb.do("type the email", chromedp.SendKeys(chromedp.ID("email"), w.ExhibitorA.Email))
	xb.load("sign in", chromedp.SendKeys(chromedp.ID("password"), testPassword+kb.Enter))
	xb.click("the meetings link", `main a[href="`+urls.ExhibitorMeetings()+`"]`)
	if got := run(xb, "read the delegation's name", chromedp.Evaluate[string](
		`document.querySelector('[data-testid="meeting-`+itoa(meeting)+`"] th').textContent.trim()`)); got != "Xinwu District Business Delegation" {
		t.Errorf("the company's meetings name the delegation %q, want its English name on an English page", got)
	}
	xb.axe("the company's meetings")
	xb.click("the request", `a[href="`+urls.ExhibitorMeeting(meeting)+`"]`)
	xb.wantText("h1", "Xinwu District Business Delegation")
	xb.wantText(`[data-testid="meeting-when"]`, "11:00")
	xb.wantText(`[data-testid="attendees"]`, "王伟, 副区长") // the head of the delegation, by name and title only
	xb.axe("the meeting's page")
	xb.do("type a note", chromedp.SendKeys(chromedp.ID("note"), "欢迎莅临展位。"))
	xb.load("accept from the keyboard", chromedp.Focus(chromedp.CSS(`[data-testid="accept"]`)), chromedp.KeyEvent(kb.Enter))
	xb.wantText(`[role="status"]`, "You accepted the meeting")
	xb.wantText(`[data-testid="meeting-status"]`, "Accepted")
	xb.axe("the accepted meeting")

	// The organizer sees it accepted and makes the shared link with the button.
	tb.click("the itinerary link", `nav a[href="`+urls.OrganizerItinerary(delegation)+`"]`)
	tb.wantText(`[data-testid="meeting-`+itoa(meeting)+`"]`, "Accepted")
	if h := run(tb, "read the meeting's heading", chromedp.Evaluate[string](
		`document.querySelector('[data-testid="meeting-`+itoa(meeting)+`"] h3').textContent.split(/\s+/).filter(Boolean).join(' ')`)); h != "Meeting with Taihu Sensing" {
		t.Errorf("the itinerary's meeting is headed %q, want %q (its kind said once)", h, "Meeting with Taihu Sensing")
	}
	tb.wantText(`[data-testid="meeting-`+itoa(meeting)+`"]`, "11:00–11:30 CEST · 17:00–17:30 CST")
	tb.wantText(`[data-testid="share-state"]`, "No link is shared.")
	tb.axe("the itinerary with the accepted meeting")
	tb.load("make the shared link", chromedp.Focus(chromedp.CSS(`[data-testid="share"]`)), chromedp.KeyEvent(kb.Enter))
	tb.wantText("h1", "The itinerary's secret link")
	link := run(tb, "read the link", chromedp.Value(chromedp.ID("share-link")))
	tb.axe("the shared link, shown once")
	lu, err := url.Parse(link)
	if err != nil || !strings.HasPrefix(link, b.base+"/d/") || lu.Query().Get("lang") != "zh" {
		t.Fatalf("the shared link is %q, want %s/d/… in the delegation's language (?lang=zh)", link, b.base)
	}
	token := strings.TrimPrefix(lu.Path, "/d/")
	tb.click("back to the itinerary", `main a[href="`+urls.OrganizerItinerary(delegation)+`"]`)
	if html := run(tb, "read the itinerary", chromedp.Evaluate[string](`document.documentElement.outerHTML`)); strings.Contains(html, token) {
		t.Error("the itinerary shows the shared link's token again; want it shown once")
	}
	tb.wantText(`[data-testid="share-state"]`, "A secret link is shared since")

	// Anyone with the link: the itinerary in Chinese, read-only.
	sb := b.newTab(t, chromedp.WithNewBrowserContext())
	sb.load("open the shared link", chromedp.Navigate(link))
	if lang := run(sb, "read the page's language", chromedp.Evaluate[string](`document.documentElement.lang`)); lang != "zh-Hans" {
		t.Errorf(`the shared page's <html lang> = %q, want "zh-Hans"`, lang)
	}
	sb.wantText("h1", "新吴区经贸代表团")
	sb.wantText(".shared-expo", "物联网解决方案世界大会")
	sb.wantText(`[data-testid="meeting-`+itoa(meeting)+`"]`, "已接受")
	sb.wantText(`[data-testid="meeting-`+itoa(meeting)+`"] .plan-time`, "11:00–11:30 CEST · 17:00–17:30 CST")
	if n := run(sb, "count the forms", chromedp.Evaluate[int](`document.querySelectorAll('main form').length`)); n != 0 {
		t.Errorf("the shared itinerary has %d forms, want it read-only", n)
	}
	sb.axe("the shared itinerary in Chinese")
}

// media emulates a CSS media type ("print"; "" for the screen again).
func (tb *tab) media(m string) {
	tb.t.Helper()
	if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m}); err != nil {
		tb.t.Fatalf("emulate the media %q: %v", m, err)
	}
}
