package server

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

// TestApplyPages checks the public application form through the router: the
// polite pages before and after the call (409 to a post, nothing changed),
// an application answered with 303 and its thanks, a bad one with 422 and
// what was typed, and the throttle's 429 with Retry-After.
func TestApplyPages(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	ctx := context.Background()
	open, pavilion := e.callExpo(t)
	setCall := func(opens, closes *time.Time) expodesk.Expo {
		t.Helper()
		x, _ := e.callExpo(t)
		if _, err := e.pool.Exec(ctx, `UPDATE expo SET applications_open_at = $2, applications_close_at = $3 WHERE id = $1`,
			x.ID, opens, closes); err != nil {
			t.Fatal(err)
		}
		return x
	}
	now := e.server.now()
	// 2 March, 09:30 in Wuxi.
	later := time.Date(now.Year()+1, 3, 2, 9, 30, 0, 0, expodesk.LoadLocation("Asia/Shanghai"))
	past := now.Add(-time.Hour)
	notYet := setCall(&later, nil)
	closed := setCall(nil, &past)

	t.Run("NotYetOpen", func(t *testing.T) {
		c := e.newClient(t)
		resp, body := c.get(urls.ExpoApply(notYet.Slug) + "?lang=en")
		if resp.StatusCode != s200 || !strings.Contains(body, "It opens on 2 March") || !strings.Contains(body, "09:30 CST") ||
			strings.Contains(body, `name="legal_name"`) {
			t.Errorf("not yet open: %d\n%s", resp.StatusCode, excerpt(body))
		}
		before := e.snapshot()
		resp, body = c.post(urls.ExpoApply(notYet.Slug)+"?lang=en", applicationForm("early@cloudsense.example.cn"))
		if resp.StatusCode != 409 || !strings.Contains(body, "It opens on") {
			t.Errorf("post before the call: %d\n%s", resp.StatusCode, excerpt(body))
		}
		if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
			t.Errorf("changed %v", changed)
		}
	})
	t.Run("Closed", func(t *testing.T) {
		c := e.newClient(t)
		resp, body := c.get(urls.ExpoApply(closed.Slug) + "?lang=zh")
		if resp.StatusCode != s200 || !strings.Contains(body, "展商征集已经结束") {
			t.Errorf("closed: %d\n%s", resp.StatusCode, excerpt(body))
		}
		// An archived expo's call is closed whatever its dates.
		if _, err := e.store.ExpoSetArchived(ctx, open.ID, true); err != nil {
			t.Fatal(err)
		}
		resp, body = c.get(urls.ExpoApply(open.Slug) + "?lang=en")
		if _, err := e.store.ExpoSetArchived(ctx, open.ID, false); err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != s200 || !strings.Contains(body, "is closed") {
			t.Errorf("archived: %d\n%s", resp.StatusCode, excerpt(body))
		}
	})
	t.Run("LinkedFromTheExpoPage", func(t *testing.T) {
		if _, body := e.newClient(t).get(urls.Expo(open.Slug) + "?lang=en"); !strings.Contains(body, `href="`+urls.ExpoApply(open.Slug)+`"`) {
			t.Errorf("the expo page does not link to the form\n%s", excerpt(body))
		}
	})
	t.Run("ValidationKeepsWhatWasTyped", func(t *testing.T) {
		c := e.newClient(t)
		form := applicationForm("not-an-address")
		form.Set("website", "javascript:alert(1)")
		form.Set("registration_id", "91350100M000100Y44")
		before := e.snapshot()
		resp, body := c.post(urls.ExpoApply(open.Slug)+"?lang=en", form)
		if resp.StatusCode != s422 {
			t.Fatalf("invalid application: %d\n%s", resp.StatusCode, excerpt(body))
		}
		for _, want := range []string{`id="website-error"`, `id="contact_email-error"`, `id="registration_id-error"`,
			`value="云感科技"`, `value="not-an-address"`, "near the stage", `aria-invalid="true"`} {
			if !strings.Contains(body, want) {
				t.Errorf("422 page lacks %q", want)
			}
		}
		if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
			t.Errorf("an invalid application changed %v", changed)
		}
	})
	t.Run("OK", func(t *testing.T) {
		c := e.newClient(t)
		form := applicationForm("liu.yang@cloudsense.example.cn")
		form.Set("pavilion", itoa(pavilion.ID))
		resp, body := c.post(urls.ExpoApply(open.Slug), form)
		if resp.StatusCode != s303 || resp.Header.Get("Location") != urls.ExpoApply(open.Slug) {
			t.Fatalf("apply: %d %s\n%s", resp.StatusCode, resp.Header.Get("Location"), excerpt(body))
		}
		_, body = c.get(urls.ExpoApply(open.Slug) + "?lang=en")
		if !strings.Contains(body, "your application has been received") || strings.Contains(body, `name="legal_name"`) {
			t.Errorf("thanks page\n%s", excerpt(body))
		}
		var status, email string
		if err := e.pool.QueryRow(ctx, `SELECT status, contact_email FROM participation WHERE expo_id = $1 AND pavilion_id = $2`,
			open.ID, pavilion.ID).Scan(&status, &email); err != nil || status != "applied" || email != "liu.yang@cloudsense.example.cn" {
			t.Errorf("participation %s %s %v", status, email, err)
		}
		// A second time: answered alike, nothing new recorded.
		c2 := e.newClient(t)
		if resp, _ := c2.post(urls.ExpoApply(open.Slug), form); resp.StatusCode != s303 {
			t.Errorf("repeat: %d", resp.StatusCode)
		}
		var n int
		_ = e.pool.QueryRow(ctx, `SELECT count(*) FROM participation WHERE expo_id = $1`, open.ID).Scan(&n)
		if n != 1 {
			t.Errorf("%d participations after a repeat", n)
		}
	})
	t.Run("Throttled", func(t *testing.T) {
		form := applicationForm("flood@cloudsense.example.cn")
		form.Set("country", "") // invalid: counted all the same
		var last int
		var retry string
		for i := 0; i < 4; i++ {
			resp, _ := e.newClient(t).post(urls.ExpoApply(open.Slug), form)
			last, retry = resp.StatusCode, resp.Header.Get("Retry-After")
		}
		if last != 429 || retry == "" {
			t.Errorf("fourth application from one address: %d, Retry-After %q", last, retry)
		}
		c := e.newClient(t)
		for i := 0; i < 11; i++ {
			f := applicationForm("")
			f.Set("contact_email", "ip"+itoa(int64(i))+"@cloudsense.example.cn")
			f.Set("country", "")
			resp, _ := c.post(urls.ExpoApply(open.Slug), f)
			last = resp.StatusCode
		}
		if last != 429 {
			t.Errorf("eleventh application from one client: %d", last)
		}
	})
}

// TestReviewAndBulk approves through the bulk form (a row that cannot move
// is named), reads the review page's diff, and pastes a list of contacts
// with a bad line (422, nothing sent, the text kept).
func TestReviewAndBulk(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	org := e.signedIn(t, w.Organizer)
	rows, err := e.store.Participations(ctx, expodesk.ParticipationFilter{ExpoID: w.Barcelona.ID})
	if err != nil {
		t.Fatal(err)
	}
	part := map[int64]int64{}
	for _, r := range rows {
		part[r.ExhibitorID] = r.ID
	}
	t.Run("BulkNamesRowsThatCannotMove", func(t *testing.T) {
		resp, body := org.post(urls.OrganizerParticipationsBulk(w.Barcelona.Slug)+"?lang=en", url.Values{
			"ids": {itoa(part[w.Hidden.ID]), itoa(part[w.Cloud.ID])}, "bulk_status": {"approved"}})
		if resp.StatusCode != s200 || !strings.Contains(body, `id="bulk-report"`) || !strings.Contains(body, "1 participation was decided") ||
			!strings.Contains(body, "Nube Catalana: This status cannot be chosen") {
			t.Fatalf("bulk: %d\n%s", resp.StatusCode, excerpt(body))
		}
		if p, _ := e.store.ParticipationGetByID(ctx, part[w.Hidden.ID]); p.Status != expodesk.StatusApproved {
			t.Errorf("the movable row is %s", p.Status)
		}
		before := e.snapshot()
		resp, body = org.post(urls.OrganizerParticipationsBulk(w.Barcelona.Slug)+"?lang=en", url.Values{"bulk_status": {"approved"}})
		if resp.StatusCode != s422 || !strings.Contains(body, `id="ids-error"`) {
			t.Errorf("nothing selected: %d\n%s", resp.StatusCode, excerpt(body))
		}
		if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
			t.Errorf("changed %v", changed)
		}
	})
	t.Run("ReviewShowsTheDiff", func(t *testing.T) {
		if _, err := e.pool.Exec(ctx, `UPDATE exhibitor SET city = 'Jiangyin' WHERE id = $1`, w.Hidden.ID); err != nil {
			t.Fatal(err)
		}
		resp, body := org.get(urls.OrganizerParticipation(part[w.Hidden.ID]) + "?lang=en")
		if resp.StatusCode != s200 {
			t.Fatalf("review: %d\n%s", resp.StatusCode, excerpt(body))
		}
		d := doc(t, body)
		row := d.Find(`#profile-diff tr[data-field="city"]`)
		if !row.HasClass("changed") || !strings.Contains(row.Text(), "Jiangyin") {
			t.Errorf("city row %q", row.Text())
		}
		if d.Find(`#profile-diff tr.changed`).Length() != 1 {
			t.Errorf("%d changed rows", d.Find(`#profile-diff tr.changed`).Length())
		}
		coord := e.signedIn(t, w.Coordinator)
		if resp, _ := coord.get(urls.OrganizerParticipation(part[w.Cloud.ID])); resp.StatusCode != s404 {
			t.Errorf("coordinator reviews a company in no pavilion: %d", resp.StatusCode)
		}
	})
	t.Run("InviteManyProblems", func(t *testing.T) {
		before := e.snapshot()
		lines := "new.one@taihu.example.com, taihu-sensing, 王, 芳\nbroken line\nnew.two@nube.example.es, no-such-company, Vidal"
		resp, body := org.post(urls.OrganizerUsersInviteMany()+"?lang=en", url.Values{"lines": {lines}, "many_lang": {"zh"}})
		if resp.StatusCode != s422 || !strings.Contains(body, "Line 2") || !strings.Contains(body, "Line 3") ||
			strings.Contains(body, "Line 1 ") || !strings.Contains(body, "broken line") {
			t.Errorf("invite many: %d\n%s", resp.StatusCode, doc(t, body).Find("#invite-many-h").Parent().Text())
		}
		if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
			t.Errorf("changed %v", changed)
		}
		resp, body = org.post(urls.OrganizerUsersInviteMany(), url.Values{"lines": {"new.one@taihu.example.com, taihu-sensing, 王, 芳"}, "many_lang": {"zh"}})
		if resp.StatusCode != s303 {
			t.Errorf("invite many: %d\n%s", resp.StatusCode, excerpt(body))
		}
		if u, err := e.store.UserGetByEmail(ctx, "new.one@taihu.example.com"); err != nil || u.ExhibitorID == nil || *u.ExhibitorID != w.Sensing.ID {
			t.Errorf("%+v %v", u, err)
		}
	})
}
