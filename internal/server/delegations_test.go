package server

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

// auditOf returns the audit entries about an object as "action before after", oldest first.
func (e *testEnv) auditOf(t *testing.T, objectType string, id int64) []string {
	t.Helper()
	rows, _ := e.pool.Query(context.Background(),
		`SELECT action || ' ' || coalesce(before::text, '') || ' ' || coalesce(after::text, '') FROM audit_entry
		WHERE object_type = $1 AND object_id = $2 ORDER BY id`, objectType, itoa(id))
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDelegationCreate creates a delegation through the form as the Wuxi
// Pavilion's coordinator: it is planned, hosted by the pavilion, audited,
// and listed with its times in both zones; bad input changes nothing.
func TestDelegationCreate(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	c := e.signedIn(t, w.Coordinator)
	bcn := w.Barcelona.Slug
	catalan, err := e.store.PavilionCreate(context.Background(), expodesk.Pavilion{ExpoID: w.Barcelona.ID, Slug: "catalan-pavilion",
		Name: expodesk.Text{EN: "Catalan Pavilion"}})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("OK", func(t *testing.T) {
		resp, body := c.post(urls.OrganizerDelegations(bcn, nil), delegationForm("Xinwu District delegation", itoa(w.WuxiPavilion.ID)))
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d\n%s", resp.StatusCode, excerpt(body))
		}
		list, err := e.store.DelegationList(context.Background(), expodesk.DelegationFilter{ExpoID: w.Barcelona.ID, Q: "Xinwu"})
		if err != nil || len(list) != 1 {
			t.Fatalf("list: %v %v", list, err)
		}
		d := list[0]
		if d.Status != expodesk.DelegationPlanned || d.HostPavilionID == nil || *d.HostPavilionID != w.WuxiPavilion.ID ||
			d.Name.ZH != "无锡代表团" || strings.Join(d.Sectors, ",") != "sensors,smart-city" {
			t.Errorf("got %+v", d)
		}
		if resp.Header.Get("Location") != urls.OrganizerDelegation(d.ID) {
			t.Errorf("Location %q", resp.Header.Get("Location"))
		}
		if a := e.auditOf(t, "delegation", d.ID); len(a) != 1 || !strings.HasPrefix(a[0], "delegation.create") {
			t.Errorf("audit %v", a)
		}
		_, page := c.get(urls.OrganizerDelegations(bcn, url.Values{"q": {"xinwu"}}))
		// Arrival 16:20 in Barcelona (CEST) is 22:20 in Wuxi (CST).
		if !strings.Contains(page, "16:20 CEST · 22:20 CST") || !strings.Contains(page, "Xinwu District delegation") {
			t.Errorf("the list does not show the delegation with both zones:\n%s", excerpt(page))
		}
		_, page = c.get(urls.OrganizerDelegations(bcn, url.Values{"status": {"confirmed"}}))
		if strings.Contains(page, "Xinwu District delegation") {
			t.Error("the status filter kept a planned delegation")
		}
	})

	bad := []struct {
		name, field, want string
		form              url.Values
	}{
		{"DepartureBeforeArrival", "departs_at", "The departure must not be before the arrival.",
			with(delegationForm("Backwards", itoa(w.WuxiPavilion.ID)), "departs_at", "2027-05-09T10:00")},
		{"UnknownTimeZone", "home_time_zone", "",
			with(delegationForm("Lost", itoa(w.WuxiPavilion.ID)), "home_time_zone", "Asia/Wuxi")},
		{"NameTooLong", "name_en", "",
			with(delegationForm(strings.Repeat("名", 5000), itoa(w.WuxiPavilion.ID)))},
		{"OtherPavilion", "host_pavilion", "You can only host visits in your own pavilion.",
			delegationForm("Elsewhere", itoa(catalan.ID))},
		{"PavilionOfAnotherExpo", "host_pavilion", "", delegationForm("Elsewhere", itoa(w.EuroPavilion.ID))},
		{"UnknownSector", "sectors", "", with(delegationForm("Sectors", itoa(w.WuxiPavilion.ID)), "sectors", "tourism")},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			before := e.snapshot()
			resp, body := c.post(urls.OrganizerDelegations(bcn, nil), tc.form)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("%d, want 422\n%s", resp.StatusCode, excerpt(body))
			}
			if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
				t.Errorf("changed %v", changed)
			}
			d := doc(t, body)
			if d.Find("#"+tc.field+"-error").Length() == 0 && d.Find(`#`+tc.field+` ~ p.error, fieldset#`+tc.field+` p.error`).Length() == 0 {
				t.Errorf("no message at field %s:\n%s", tc.field, excerpt(body))
			}
			if tc.want != "" && !strings.Contains(body, tc.want) {
				t.Errorf("message %q missing", tc.want)
			}
		})
	}

	t.Run("ForbiddenExhibitor", func(t *testing.T) {
		resp, _ := e.signedIn(t, w.ExhibitorA).post(urls.OrganizerDelegations(bcn, nil), delegationForm("Exhibitor", ""))
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("exhibitor: %d, want 403", resp.StatusCode)
		}
	})
}

// TestDelegationStatus moves a delegation planned → confirmed → arrived and
// refuses any other move with a message, changing nothing.
func TestDelegationStatus(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	f := &delegationFixture{e: e, w: w}
	d := f.delegation(w.Barcelona, &w.WuxiPavilion.ID)
	c := e.signedIn(t, w.Coordinator)
	move := func(to string) (*http.Response, string) {
		return c.post(urls.OrganizerDelegationStatus(d.ID), url.Values{"status": {to}})
	}
	if resp, body := move("arrived"); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "from planned to confirmed") {
		t.Fatalf("planned → arrived: %d\n%s", resp.StatusCode, excerpt(body))
	}
	for _, to := range []string{"confirmed", "arrived"} {
		if resp, body := move(to); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("→ %s: %d\n%s", to, resp.StatusCode, excerpt(body))
		}
	}
	before := e.snapshot()
	if resp, _ := move("cancelled"); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("arrived → cancelled: %d, want 422", resp.StatusCode)
	}
	if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
		t.Errorf("a refused move changed %v", changed)
	}
	got, _ := e.store.DelegationGet(context.Background(), d.ID)
	if got.Status != expodesk.DelegationArrived {
		t.Errorf("status %q", got.Status)
	}
	if a := e.auditOf(t, "delegation", d.ID); len(a) != 2 || !strings.Contains(a[1], `"arrived"`) {
		t.Errorf("audit %v", a)
	}
}

// TestDelegationMembers adds members through the form: each name shows in
// its culture's order with the romanised form beside it; bad input is
// refused at its field; members move in protocol order.
func TestDelegationMembers(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	f := &delegationFixture{e: e, w: w}
	d := f.delegation(w.Barcelona, &w.WuxiPavilion.ID)
	c := e.signedIn(t, w.Organizer)
	add := func(form url.Values) (*http.Response, string) {
		return c.post(urls.OrganizerDelegationMembers(d.ID), form)
	}
	for _, form := range []url.Values{
		memberForm(),
		{"family_name": {"Tarragó"}, "given_name": {"Marc"}, "protocol_role": {"head"}, "letter_status": {"not_needed"},
			"phone": {"+34 600 000 000"}},
		{"family_name": {"王"}, "given_name": {"伟"}, "protocol_role": {"deputy"}, "letter_status": {"issued"},
			"letter_requested_on": {"2027-03-01"}, "letter_issued_on": {"2027-03-20"}, "passport_name": {"WANG WEI"}},
	} {
		if resp, body := add(form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("add %v: %d\n%s", form, resp.StatusCode, excerpt(body))
		}
	}
	members, err := e.store.DelegationMembers(context.Background(), d.ID)
	if err != nil || len(members) != 3 {
		t.Fatalf("members %v %v", members, err)
	}
	if m := members[0]; m.RomanizedFamilyName != "Ouyang" || m.RomanizedGivenName != "Xiaoming" || m.NameOrder != expodesk.NameEastern || m.Position != 1 {
		t.Errorf("romanised %q %q order %q position %d, want Ouyang Xiaoming eastern 1", m.RomanizedFamilyName, m.RomanizedGivenName, m.NameOrder, m.Position)
	}

	t.Run("NameOrder", func(t *testing.T) {
		_, body := c.get(urls.OrganizerDelegation(d.ID))
		page := doc(t, body)
		var names []string
		page.Find("tbody tr th[scope=row]").Each(func(_ int, s *goquery.Selection) { names = append(names, strings.Join(strings.Fields(s.Text()), " ")) })
		want := []string{"欧阳晓明 (Ouyang Xiaoming)", "Marc Tarragó", "王伟 (Wang Wei)"}
		if strings.Join(names, "|") != strings.Join(want, "|") {
			t.Errorf("names %q, want %q", names, want)
		}
		if lang, _ := page.Find(".member-name").First().Attr("lang"); lang != "zh-Hans" {
			t.Errorf("a Chinese name has lang %q", lang)
		}
		if !strings.Contains(body, "ouyang@example.cn") || !strings.Contains(body, "+34 600 000 000") {
			t.Error("the organizer does not see the members' contacts")
		}
	})

	t.Run("Move", func(t *testing.T) {
		resp, _ := c.post(urls.OrganizerDelegationMemberMove(d.ID, members[1].ID), url.Values{"direction": {"up"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("move: %d", resp.StatusCode)
		}
		got, _ := e.store.DelegationMembers(context.Background(), d.ID)
		if got[0].ID != members[1].ID || got[0].Position != 1 || got[1].ID != members[0].ID || got[1].Position != 2 {
			t.Errorf("order after moving Tarragó up: %v", got)
		}
		if a := e.auditOf(t, "delegation_member", members[1].ID); len(a) != 2 || !strings.HasPrefix(a[1], "delegation_member.move") {
			t.Errorf("audit %v", a)
		}
	})

	t.Run("RomanizedFollowsUncorrectedName", func(t *testing.T) {
		form := with(memberValues(members[0]), "family_name", "曾", "given_name", "敏")
		if resp, body := c.post(urls.OrganizerDelegationMember(d.ID, members[0].ID), form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%d\n%s", resp.StatusCode, excerpt(body))
		}
		m, _ := e.store.DelegationMemberGet(context.Background(), d.ID, members[0].ID)
		if m.RomanizedFamilyName != "Zeng" || m.RomanizedGivenName != "Min" {
			t.Errorf("romanised %q %q, want Zeng Min (曾 read as a surname)", m.RomanizedFamilyName, m.RomanizedGivenName)
		}
		corrected := with(memberValues(m), "romanized_family_name", "Tsang")
		c.post(urls.OrganizerDelegationMember(d.ID, m.ID), corrected)
		c.post(urls.OrganizerDelegationMember(d.ID, m.ID), with(corrected, "given_name", "民"))
		m, _ = e.store.DelegationMemberGet(context.Background(), d.ID, m.ID)
		if m.RomanizedFamilyName != "Tsang" {
			t.Errorf("a corrected romanisation was replaced: %q", m.RomanizedFamilyName)
		}
	})

	bad := []struct{ name, field, value string }{
		{"NameTooLong", "family_name", strings.Repeat("王", 5000)},
		{"EmailNotAnAddress", "email", "wang.wei at example"},
		{"PhoneLetters", "phone", "call me"},
		{"IssuedBeforeRequested", "letter_issued_on", "2027-01-01"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			form := with(memberForm(), tc.field, tc.value)
			if tc.field == "letter_issued_on" {
				form.Set("letter_status", "issued")
			}
			for _, target := range []string{urls.OrganizerDelegationMembers(d.ID), urls.OrganizerDelegationMember(d.ID, members[2].ID)} {
				before := e.snapshot()
				resp, body := c.post(target, form)
				if resp.StatusCode != http.StatusUnprocessableEntity {
					t.Fatalf("POST %s: %d, want 422\n%s", target, resp.StatusCode, excerpt(body))
				}
				if doc(t, body).Find("#"+tc.field+"-error").Length() != 1 {
					t.Errorf("POST %s: no message at %s", target, tc.field)
				}
				if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
					t.Errorf("POST %s changed %v", target, changed)
				}
			}
		})
	}
}

// TestDelegationErase erases a member's personal data: the page shows an
// erased member, the row and its place stay, the erasure's audit entry and
// every earlier one about the member hold no personal data, and the member
// can be neither edited nor erased again.
func TestDelegationErase(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	f := &delegationFixture{e: e, w: w}
	d := f.delegation(w.Barcelona, &w.WuxiPavilion.ID)
	c := e.signedIn(t, w.Coordinator)
	if resp, _ := c.post(urls.OrganizerDelegationMembers(d.ID), with(memberForm(), "phone", "+86 510 0000 0000",
		"passport_name", "OUYANG XIAOMING")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d", resp.StatusCode)
	}
	members, _ := e.store.DelegationMembers(context.Background(), d.ID)
	m := members[0]
	if resp, _ := c.post(urls.OrganizerDelegationMember(d.ID, m.ID), with(memberValues(m), "title", "副处长")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d", resp.StatusCode)
	}
	personal := []string{"欧阳", "晓明", "Ouyang", "Xiaoming", "处长", "ouyang@example.cn", "+86 510", "OUYANG XIAOMING"}
	if a := strings.Join(e.auditOf(t, "delegation_member", m.ID), "\n"); !strings.Contains(a, "ouyang@example.cn") {
		t.Fatalf("the entries before erasure should hold the data they recorded: %s", a)
	}

	resp, body := c.post(urls.OrganizerDelegationMemberErase(d.ID, m.ID), nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("erase: %d\n%s", resp.StatusCode, excerpt(body))
	}
	got, err := e.store.DelegationMemberGet(context.Background(), d.ID, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Erased() || got.FamilyName != "" || got.Email != "" || got.Phone != "" || got.PassportName != "" || got.Title != "" ||
		got.Position != m.Position || got.ProtocolRole != m.ProtocolRole {
		t.Errorf("after erasure: %+v", got)
	}
	entries := e.auditOf(t, "delegation_member", m.ID)
	if len(entries) != 3 || !strings.HasPrefix(entries[2], "delegation_member.erase") {
		t.Fatalf("audit entries %v", entries)
	}
	for _, entry := range entries {
		for _, p := range personal {
			if strings.Contains(entry, p) {
				t.Errorf("an audit entry still holds %q: %s", p, entry)
			}
		}
	}
	if !strings.Contains(entries[0], `"personal_data_erased": true`) {
		t.Errorf("a scrubbed entry does not say so: %s", entries[0])
	}
	_, page := c.get(urls.OrganizerDelegation(d.ID))
	if !strings.Contains(page, "Erased member") || strings.Contains(page, "欧阳") {
		t.Errorf("the page does not show an erased member:\n%s", excerpt(page))
	}
	_, letters := c.get(urls.OrganizerDelegationLetters(w.Barcelona.Slug))
	if strings.Contains(letters, "Erased member") {
		t.Error("an erased member is still on the letter list")
	}
	for _, p := range []string{urls.OrganizerDelegationMemberErase(d.ID, m.ID), urls.OrganizerDelegationMember(d.ID, m.ID)} {
		before := e.snapshot()
		if resp, _ := c.post(p, memberForm()); resp.StatusCode != http.StatusConflict {
			t.Errorf("POST %s on an erased member: %d, want 409", p, resp.StatusCode)
		}
		if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
			t.Errorf("POST %s changed %v", p, changed)
		}
	}

	t.Run("ForbiddenOtherPavilion", func(t *testing.T) {
		other := f.delegation(w.Barcelona, nil)
		om := f.member(other)
		before := e.snapshot()
		if resp, _ := c.post(urls.OrganizerDelegationMemberErase(other.ID, om.ID), nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("coordinator erasing another pavilion's member: %d, want 404", resp.StatusCode)
		}
		if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
			t.Errorf("changed %v", changed)
		}
	})
}

// TestDelegationLettersAndCSV checks the invitation-letter list and the
// export: a spreadsheet with a byte-order mark, CRLF and guarded cells that
// encoding/csv reads back, one row per member.
func TestDelegationLettersAndCSV(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	f := &delegationFixture{e: e, w: w}
	d := f.delegation(w.Barcelona, &w.WuxiPavilion.ID)
	f.member(d)
	ctx := context.Background()
	if _, err := e.store.DelegationMemberCreate(ctx, expodesk.DelegationMember{DelegationID: d.ID,
		PersonName: expodesk.PersonName{FamilyName: "Tarragó", GivenName: "Marc"}, Organisation: "=HYPERLINK(\"http://x\")",
		LetterStatus: expodesk.LetterNotNeeded}); err != nil {
		t.Fatal(err)
	}
	hidden := f.delegation(w.Barcelona, nil)
	f.member(hidden)
	c := e.signedIn(t, w.Coordinator)

	_, body := c.get(urls.OrganizerDelegationLetters(w.Barcelona.Slug))
	if n := strings.Count(body, "王伟"); n != 1 || strings.Contains(body, "Tarragó") || strings.Contains(body, hidden.Name.EN) {
		t.Errorf("letters: 王伟 %d times, want once, without Tarragó (no letter) or another pavilion's visit:\n%s", n, excerpt(body))
	}
	if !strings.Contains(body, "Passport name missing") {
		t.Error("a missing passport name is not flagged")
	}

	resp, raw := c.get(urls.OrganizerDelegationsCSV(w.Barcelona.Slug))
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if !strings.HasPrefix(raw, "\uFEFF") || !strings.Contains(raw, "\r\n") {
		t.Error("no byte-order mark or CRLF")
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(raw, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || strings.Join(recs[0], ",") != strings.Join(delegationColumns, ",") {
		t.Fatalf("rows %d (want a header and two members, the other pavilion's left out): %v", len(recs), recs)
	}
	col := map[string]int{}
	for i, name := range recs[0] {
		col[name] = i
	}
	if r := recs[1]; r[col["full_name"]] != "王伟" || r[col["romanized_name"]] != "Wang Wei" || r[col["email"]] != "wang.wei@example.cn" ||
		r[col["arrives_at"]] != "2027-05-10 16:20" || r[col["time_zone"]] != "Europe/Madrid" {
		t.Errorf("first member row %v", r)
	}
	if got := recs[2][col["organisation"]]; got != `'=HYPERLINK("http://x")` {
		t.Errorf("a formula is not guarded: %q", got)
	}
}

// TestDashboardDelegations shows delegations by status, letters pending and
// meetings by status, a coordinator's of their pavilion only.
func TestDashboardDelegations(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	f := &delegationFixture{e: e, w: w}
	ctx := context.Background()
	d := f.delegation(w.Barcelona, &w.WuxiPavilion.ID)
	f.member(d)
	f.member(d)
	f.member(f.delegation(w.Barcelona, nil))
	if _, err := e.store.MeetingCreate(ctx, expodesk.Meeting{DelegationID: d.ID, ExhibitorID: w.Sensing.ID,
		StartsAt: d.ArrivesAt.Add(20 * time.Hour), EndsAt: d.ArrivesAt.Add(21 * time.Hour), Status: expodesk.MeetingAccepted}, nil); err != nil {
		t.Fatal(err)
	}
	figure := func(c *client, label string) string {
		_, body := c.get(urls.OrganizerDashboard(w.Barcelona.Slug, nil))
		var got string
		doc(t, body).Find("#delegations-h").Parent().Find("tr").Each(func(_ int, s *goquery.Selection) {
			if strings.TrimSpace(s.Find("th").Text()) == label {
				got = strings.TrimSpace(s.Find("td").Text())
			}
		})
		return got
	}
	org, coord := e.signedIn(t, w.Organizer), e.signedIn(t, w.Coordinator)
	for _, tc := range []struct {
		c                *client
		planned, letters string
		accepted         string
	}{{org, "2", "3", "1"}, {coord, "1", "2", "1"}} {
		if got := figure(tc.c, "Planned"); got != tc.planned {
			t.Errorf("planned %q, want %s", got, tc.planned)
		}
		if got := figure(tc.c, "Letters pending"); got != tc.letters {
			t.Errorf("letters pending %q, want %s", got, tc.letters)
		}
		if got := figure(tc.c, "Accepted"); got != tc.accepted {
			t.Errorf("meetings accepted %q, want %s", got, tc.accepted)
		}
	}
}
