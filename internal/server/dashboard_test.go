package server

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

// TestDashboard: an organizer sees the whole expo's numbers, each linking
// to the list it counts; a coordinator sees their pavilion's only and is
// refused another pavilion's numbers and lists; an exhibitor is forbidden
// and a visitor sent to sign in. The charts carry a text alternative.
func TestDashboard(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	org := e.signedIn(t, w.Organizer)
	coord := e.signedIn(t, w.Coordinator)
	// A second pavilion of the same expo, not the coordinator's.
	catalan, err := e.store.PavilionCreate(ctx, expodesk.Pavilion{ExpoID: w.Barcelona.ID, Slug: "catalan-pavilion",
		Name: expodesk.Text{EN: "Catalan Pavilion", ES: "Pabellón Catalán"}})
	if err != nil {
		t.Fatal(err)
	}
	dashboard := func(c *client, q url.Values) *goquery.Document {
		t.Helper()
		q.Set("lang", "en")
		resp, body := c.get(urls.OrganizerDashboard(w.Barcelona.Slug, q))
		if resp.StatusCode != s200 {
			t.Fatalf("dashboard %v: %d\n%s", q, resp.StatusCode, excerpt(body))
		}
		return doc(t, body)
	}
	// linkText is the text of the link to the participation list with q, "" when none.
	linkText := func(d *goquery.Document, q url.Values) string {
		t.Helper()
		return strings.TrimSpace(d.Find(`a[href="` + urls.OrganizerParticipations(w.Barcelona.Slug, q) + `"]`).First().Text())
	}
	wuxi := itoa(w.WuxiPavilion.ID)

	t.Run("OrganizerSeesAll", func(t *testing.T) {
		d := dashboard(org, url.Values{})
		rows := d.Find("#status-h ~ .table-wrap tbody tr")
		var names []string
		rows.Each(func(_ int, tr *goquery.Selection) { names = append(names, strings.TrimSpace(tr.Find("th").Text())) })
		if strings.Join(names, "|") != "Wuxi Pavilion|Catalan Pavilion|No pavilion" {
			t.Errorf("status rows = %q", names)
		}
		for _, tc := range []struct {
			q    url.Values
			want string
		}{
			{url.Values{"pavilion": {wuxi}, "status": {"applied"}}, "1"},
			{url.Values{"pavilion": {wuxi}, "status": {"approved"}}, "1"},
			{url.Values{"pavilion": {wuxi}}, "2"},
			{url.Values{"pavilion": {"none"}, "status": {"approved"}}, "1"},
			{url.Values{"status": {"approved"}}, "2"}, // the total
			{url.Values{"status": {"applied"}}, "1"},  // the key figure and the total
			{url.Values{"incomplete": {"any"}}, "3"},
			{url.Values{"incomplete": {"logo"}}, "3"},
			{url.Values{"incomplete": {"name_zh"}}, "2"},
			{url.Values{"incomplete": {"description"}}, "1"},
		} {
			if got := linkText(d, tc.q); got != tc.want {
				t.Errorf("link to the list %v reads %q, want %q", tc.q, got, tc.want)
			}
		}
		// A zero links nowhere.
		if got := linkText(d, url.Values{"pavilion": {itoa(catalan.ID)}, "status": {"approved"}}); got != "" {
			t.Errorf("a zero count links to a list: %q", got)
		}
		// The charts: an SVG image named by its title and described in words.
		svg := d.Find(`svg[role="img"]`).First()
		if svg.Length() == 0 {
			t.Fatal("no chart")
		}
		if lb, _ := svg.Attr("aria-labelledby"); lb != "status-chart-title status-chart-desc" {
			t.Errorf("chart aria-labelledby = %q", lb)
		}
		if desc := svg.Find("desc").Text(); !strings.Contains(desc, "Wuxi Pavilion: Applied: 1, Approved: 1") ||
			!strings.Contains(desc, "Catalan Pavilion: none") {
			t.Errorf("chart description = %q", desc)
		}
		if n := svg.Find("rect[fill]").Length(); n < 3 {
			t.Errorf("chart has %d coloured rectangles, want the segments and the legend", n)
		}
		if d.Find("[style]").Length() != 0 {
			t.Error("an inline style attribute, which the Content-Security-Policy refuses")
		}
		// Slots: the Wuxi Stage has 4 slots, one booked.
		stage := d.Find(`#slots-h ~ .table-wrap tbody tr`).First()
		var cells []string
		stage.Find("th, td").Each(func(_ int, c *goquery.Selection) { cells = append(cells, strings.TrimSpace(c.Text())) })
		if got := strings.Join(cells, "|"); got != "Wuxi Stage|1|3|0|4" {
			t.Errorf("stage row = %q", got)
		}
		if href, _ := stage.Find("a").Attr("href"); href != urls.PavilionAgenda(w.Barcelona.Slug, w.WuxiPavilion.Slug) {
			t.Errorf("stage links to %q", href)
		}
		// The scope choice lists every pavilion.
		if n := d.Find(`.scope-links a`).Length(); n != 4 {
			t.Errorf("%d scope links, want whole expo, two pavilions and none", n)
		}
	})

	t.Run("LinksListWhatTheyCount", func(t *testing.T) {
		for _, tc := range []struct {
			q         url.Values
			want, not []string
		}{
			{url.Values{"incomplete": {"name_zh"}}, []string{"Nube Catalana", "Applied Only"}, []string{"Taihu Sensing"}},
			{url.Values{"incomplete": {"description"}}, []string{"Applied Only"}, []string{"Taihu Sensing", "Nube Catalana"}},
			{url.Values{"pavilion": {"none"}}, []string{"Nube Catalana"}, []string{"Taihu Sensing", "Applied Only"}},
			{url.Values{"pavilion": {wuxi}, "status": {"approved"}}, []string{"Taihu Sensing"}, []string{"Nube Catalana", "Applied Only"}},
		} {
			q := url.Values{"lang": {"en"}}
			for k, v := range tc.q {
				q[k] = v
			}
			resp, body := org.get(urls.OrganizerParticipations(w.Barcelona.Slug, q))
			if resp.StatusCode != s200 {
				t.Fatalf("list %v: %d", tc.q, resp.StatusCode)
			}
			rows := doc(t, body).Find("tbody th").Text()
			for _, s := range tc.want {
				if !strings.Contains(rows, s) {
					t.Errorf("%v: %q missing from %q", tc.q, s, rows)
				}
			}
			for _, s := range tc.not {
				if strings.Contains(rows, s) {
					t.Errorf("%v: %q listed", tc.q, s)
				}
			}
			// The filter is kept in the form and in every row's forms.
			d := doc(t, body)
			for k, v := range tc.q {
				if k == "q" {
					continue
				}
				if got, _ := d.Find(`input[name="filter_` + k + `"]`).First().Attr("value"); got != v[0] {
					t.Errorf("%v: filter_%s = %q in the row forms", tc.q, k, got)
				}
			}
		}
		// A decision from a filtered list returns to it.
		rows, err := e.store.Participations(ctx, expodesk.ParticipationFilter{ExpoID: w.Barcelona.ID, Status: expodesk.StatusApplied})
		if err != nil || len(rows) != 1 {
			t.Fatalf("applied: %v %v", rows, err)
		}
		resp, _ := org.post(urls.OrganizerParticipationStatus(rows[0].ID), url.Values{"status": {"rejected"},
			"filter_incomplete": {"logo"}, "filter_pavilion": {wuxi}})
		want := urls.OrganizerParticipations(w.Barcelona.Slug, url.Values{"incomplete": {"logo"}, "pavilion": {wuxi}})
		if resp.StatusCode != s303 || resp.Header.Get("Location") != want {
			t.Errorf("reject from a filtered list: %d to %q, want 303 to %q", resp.StatusCode, resp.Header.Get("Location"), want)
		}
		// Rejected, it leaves the dashboard's incomplete profiles.
		d := dashboard(org, url.Values{})
		if got := linkText(d, url.Values{"incomplete": {"description"}}); got != "" {
			t.Errorf("a rejected company still counts as incomplete: %q", got)
		}
	})

	t.Run("CoordinatorSeesOwnPavilion", func(t *testing.T) {
		d := dashboard(coord, url.Values{})
		var names []string
		d.Find("#status-h ~ .table-wrap tbody tr th").Each(func(_ int, th *goquery.Selection) {
			names = append(names, strings.TrimSpace(th.Text()))
		})
		if strings.Join(names, "|") != "Wuxi Pavilion" {
			t.Errorf("coordinator's status rows = %q", names)
		}
		if d.Find(".scope-links").Length() != 0 {
			t.Error("a coordinator is offered other scopes")
		}
		if strings.Contains(d.Text(), "Nube Catalana") || linkText(d, url.Values{"pavilion": {"none"}, "status": {"approved"}}) != "" {
			t.Error("a coordinator sees companies outside their pavilion")
		}
		// Taihu Sensing lacks a logo; Applied Only (rejected above) no longer counts.
		if got := linkText(d, url.Values{"pavilion": {wuxi}, "incomplete": {"logo"}}); got != "1" {
			t.Errorf("coordinator's no-logo count = %q, want 1", got)
		}
		same := dashboard(coord, url.Values{"pavilion": {wuxi}})
		if same.Find("h1").Text() != d.Find("h1").Text() {
			t.Error("the coordinator's own pavilion named explicitly differs")
		}
		for _, path := range []string{
			urls.OrganizerDashboard(w.Barcelona.Slug, url.Values{"pavilion": {itoa(catalan.ID)}}),
			urls.OrganizerDashboard(w.Barcelona.Slug, url.Values{"pavilion": {"none"}}),
			urls.OrganizerDashboard(w.Barcelona.Slug, url.Values{"pavilion": {"abc"}}),
			urls.OrganizerDashboard(w.Wuxi.Slug, nil),
			urls.OrganizerParticipations(w.Barcelona.Slug, url.Values{"pavilion": {itoa(catalan.ID)}}),
			urls.OrganizerParticipations(w.Barcelona.Slug, url.Values{"pavilion": {"none"}, "incomplete": {"logo"}}),
		} {
			if resp, _ := coord.get(path); resp.StatusCode != s404 {
				t.Errorf("coordinator GET %s: %d, want 404", path, resp.StatusCode)
			}
		}
	})

	t.Run("ExhibitorForbiddenVisitorSignsIn", func(t *testing.T) {
		path := urls.OrganizerDashboard(w.Barcelona.Slug, nil)
		if resp, _ := e.signedIn(t, w.ExhibitorA).get(path); resp.StatusCode != s403 {
			t.Errorf("exhibitor: %d, want 403", resp.StatusCode)
		}
		resp, _ := e.newClient(t).get(path)
		if resp.StatusCode != s303 || resp.Header.Get("Location") != urls.SignIn(path) {
			t.Errorf("visitor: %d to %q, want 303 to sign in", resp.StatusCode, resp.Header.Get("Location"))
		}
	})

	t.Run("LinkedFromConsole", func(t *testing.T) {
		href := `a[href="` + urls.OrganizerDashboard(w.Barcelona.Slug, nil) + `"]`
		for _, c := range []*client{org, coord} {
			for _, page := range []string{urls.Organizer(), urls.OrganizerExpos()} {
				_, body := c.get(page)
				if doc(t, body).Find(href).Length() == 0 {
					t.Errorf("%s has no link to the dashboard", page)
				}
			}
		}
	})
}

// TestArchivedSisterHidden: an archived sister expo leaves the public home
// page and the sister links of the expo page, and the console keeps it.
func TestArchivedSisterHidden(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	org := e.signedIn(t, w.Organizer)
	sister := `a[href="` + urls.Expo(w.Wuxi.Slug) + `"]`
	count := func(path string) int {
		t.Helper()
		resp, body := fetch(t, e.ts, path)
		if resp.StatusCode != s200 {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		return doc(t, body).Find("#main " + sister).Length()
	}
	if count("/?lang=en") == 0 || count(urls.Expo(w.Barcelona.Slug)+"?lang=en") == 0 {
		t.Fatal("the sister expo is not linked before archiving; the test's selector is broken")
	}
	if resp, _ := org.post(urls.OrganizerExpoArchive(w.Wuxi.Slug), nil); resp.StatusCode != s303 {
		t.Fatalf("archive: %d", resp.StatusCode)
	}
	for _, path := range []string{"/?lang=en", urls.Expo(w.Barcelona.Slug) + "?lang=en"} {
		deadline := time.Now().Add(5 * time.Second)
		for count(path) != 0 {
			if time.Now().After(deadline) {
				t.Fatalf("%s still links the archived sister", path)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	// The console still shows the link, so that it can be undone.
	_, body := org.get(urls.OrganizerExpo(w.Barcelona.Slug))
	if !strings.Contains(body, urls.OrganizerExpoSisterUnlink(w.Barcelona.Slug, w.Wuxi.ID)) {
		t.Error("the console lost the archived sister's link")
	}
}
