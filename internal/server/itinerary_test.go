package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	ics "github.com/arran4/golang-ical"
	goical "github.com/emersion/go-ical"

	"expodesk/internal/expodesk"
	"expodesk/internal/service"
	"expodesk/internal/urls"
)

func (e *testEnv) audits(t *testing.T, action expodesk.AuditAction) int {
	t.Helper()
	return e.count(`SELECT count(*) FROM audit_entry WHERE action = $1`, string(action))
}

// TestItineraryTimesAcrossDST: an itinerary in Madrid on the nights the
// clocks change (2027-03-28 forward, 2027-10-31 back) shows each item in
// the expo's time and Shanghai's side by side, Shanghai's offset moving
// from 7 hours to 6 and back; a delegation from Madrid in Wuxi the other
// way round. The shared page and its .ics say the same, and the .ics
// parses with a VTIMEZONE of the expo's zone.
func TestItineraryTimesAcrossDST(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	org := e.signedIn(t, w.Organizer)
	cases := []struct {
		name, expoZone, homeZone string
		first, last              time.Time
		items                    []string // wall times in the expo's zone
		want                     []string
	}{
		{"MadridSpring", "Europe/Madrid", "Asia/Shanghai", date(2027, 3, 27), date(2027, 3, 28),
			[]string{"2027-03-27T10:30", "2027-03-28T10:30"},
			[]string{"10:30–11:00 CET · 17:30–18:00 CST", "10:30–11:00 CEST · 16:30–17:00 CST"}},
		{"MadridAutumn", "Europe/Madrid", "Asia/Shanghai", date(2027, 10, 30), date(2027, 10, 31),
			[]string{"2027-10-30T10:30", "2027-10-31T10:30"},
			[]string{"10:30–11:00 CEST · 16:30–17:00 CST", "10:30–11:00 CET · 17:30–18:00 CST"}},
		{"WuxiSpring", "Asia/Shanghai", "Europe/Madrid", date(2027, 3, 27), date(2027, 3, 28),
			[]string{"2027-03-27T16:30", "2027-03-28T16:30"},
			[]string{"16:30–17:00 CST · 09:30–10:00 CET", "16:30–17:00 CST · 10:30–11:00 CEST"}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x, err := e.store.ExpoCreate(ctx, expodesk.Expo{Slug: "dst-" + itoa(int64(i)), Name: expodesk.Text{EN: "DST Expo", ZH: "夏令时展"},
				City: expodesk.Text{EN: "Somewhere"}, Country: "ES", TimeZone: tc.expoZone, FirstDay: tc.first, LastDay: tc.last,
				SlotQuota: 2, CancelHoursBefore: 48})
			if err != nil {
				t.Fatal(err)
			}
			zone := x.Location()
			d, err := e.store.DelegationCreate(ctx, expodesk.Delegation{ExpoID: x.ID, Name: expodesk.Text{EN: "DST delegation " + tc.name},
				Kind: expodesk.KindBusiness, HomeTimeZone: tc.homeZone, Lang: expodesk.ZH,
				ArrivesAt: time.Date(tc.first.Year(), tc.first.Month(), tc.first.Day()-1, 12, 0, 0, 0, zone),
				DepartsAt: time.Date(tc.last.Year(), tc.last.Month(), tc.last.Day()+1, 12, 0, 0, 0, zone)})
			if err != nil {
				t.Fatal(err)
			}
			for _, start := range tc.items {
				st, _ := time.Parse(dateTimeLayout, start)
				resp, body := org.post(urls.OrganizerItinerary(d.ID), url.Values{"kind": {"ceremony"}, "title": {"Item " + start},
					"starts_at": {start}, "ends_at": {st.Add(30 * time.Minute).Format(dateTimeLayout)}})
				if resp.StatusCode != s303 {
					t.Fatalf("add %s: %d\n%s", start, resp.StatusCode, excerpt(body))
				}
			}
			_, body := org.get(urls.OrganizerItinerary(d.ID) + "?lang=en")
			times := doc(t, body).Find(".plan-time").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
			if strings.Join(times, " | ") != strings.Join(tc.want, " | ") {
				t.Errorf("organizer page times %q, want %q", times, tc.want)
			}
			tok, hash, err := service.NewToken()
			if err != nil {
				t.Fatal(err)
			}
			if err := e.store.DelegationSetShare(ctx, d.ID, hash); err != nil {
				t.Fatal(err)
			}
			_, body = e.get(urls.SharedItinerary(tok) + "?lang=zh")
			shared := doc(t, body).Find(".plan-time").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
			if strings.Join(shared, " | ") != strings.Join(tc.want, " | ") {
				t.Errorf("shared page times %q, want %q", shared, tc.want)
			}
			resp, feed := e.get(urls.SharedItineraryICS(tok) + "?lang=zh")
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
				t.Fatalf("ics content type %q", ct)
			}
			// Both iCalendar libraries of the project read it.
			if _, err := goical.NewDecoder(strings.NewReader(feed)).Decode(); err != nil {
				t.Fatalf("go-ical refuses the .ics: %v", err)
			}
			cal, err := ics.ParseCalendar(strings.NewReader(feed))
			if err != nil {
				t.Fatalf("the .ics does not parse: %v\n%s", err, feed)
			}
			if tz := cal.Timezones(); len(tz) != 1 || tz[0].GetProperty(ics.ComponentPropertyTzid) == nil ||
				tz[0].GetProperty(ics.ComponentPropertyTzid).Value != tc.expoZone {
				t.Errorf("not one VTIMEZONE of %s:\n%s", tc.expoZone, feed)
			}
			events := cal.Events()
			if len(events) != len(tc.items) {
				t.Fatalf("%d events, want %d", len(events), len(tc.items))
			}
			for j, ev := range events {
				start, err := ev.GetStartAt()
				if err != nil {
					t.Fatal(err)
				}
				want, _ := time.ParseInLocation(dateTimeLayout, tc.items[j], zone)
				if !start.Equal(want) {
					t.Errorf("event %d starts %v, want %v", j, start, want)
				}
			}
		})
	}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// TestItineraryConflicts: clashes are flagged as warnings while planning,
// never refused: two items at once, a meeting while the company presents
// on stage (Taihu Sensing's booked slot at 10:30), and two halls without
// ten minutes between. An item outside the stay is refused with a clear
// message and nothing changes.
func TestItineraryConflicts(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	p := e.plan(t, w)
	hall3, err := e.store.PavilionCreate(ctx, expodesk.Pavilion{ExpoID: w.Barcelona.ID, Slug: "catalan-pavilion",
		Name: expodesk.Text{EN: "Catalan Pavilion"}, Hall: "3"})
	if err != nil {
		t.Fatal(err)
	}
	org := e.signedIn(t, w.Organizer)
	post := func(path string, form url.Values, want int) string {
		t.Helper()
		resp, body := org.post(path, form)
		if resp.StatusCode != want {
			t.Fatalf("POST %s: %d, want %d\n%s", path, resp.StatusCode, want, excerpt(body))
		}
		return body
	}
	it := urls.OrganizerItinerary(p.Delegation.ID)
	// The Wuxi Pavilion (hall 2) until 12:00, the Catalan Pavilion (hall 3) at 12:05.
	post(it, url.Values{"kind": {"visit"}, "pavilion": {itoa(w.WuxiPavilion.ID)}, "starts_at": {"2027-05-11T11:00"}, "ends_at": {"2027-05-11T12:00"}}, s303)
	post(it, url.Values{"kind": {"visit"}, "pavilion": {itoa(hall3.ID)}, "starts_at": {"2027-05-11T12:05"}, "ends_at": {"2027-05-11T12:45"}}, s303)
	// A dinner over the lunch of the fixture (13:00–14:30 on the 12th).
	post(it, url.Values{"kind": {"meal"}, "title": {"Early dinner"}, "starts_at": {"2027-05-12T14:00"}, "ends_at": {"2027-05-12T15:00"}}, s303)
	// A meeting with Taihu Sensing while it presents (10:30–11:00 on the 11th).
	post(urls.OrganizerMeetings(p.Delegation.ID), url.Values{"exhibitor": {itoa(w.Sensing.ID)},
		"starts_at": {"2027-05-11T10:40"}, "ends_at": {"2027-05-11T10:55"}}, s303)

	_, body := org.get(it + "?lang=en")
	page := doc(t, body)
	for _, kind := range []string{"overlap", "on_stage", "travel_gap"} {
		if page.Find(`[data-testid="warn-`+kind+`"]`).Length() == 0 {
			t.Errorf("no %s warning on the itinerary:\n%s", kind, excerpt(body))
		}
	}
	if !strings.Contains(body, "The company presents on stage at 10:30 CEST.") ||
		!strings.Contains(body, "From hall 2 to hall 3 with 5 minutes between (allow 10).") ||
		!strings.Contains(body, "At the same time as “工作午餐”.") {
		t.Errorf("the warnings do not say what clashes:\n%s", page.Find(".warnings").Text())
	}

	// Bad input: outside the stay (the delegation leaves on the 14th at noon), an end before the start.
	before := e.snapshot()
	body = post(it+"?lang=en", url.Values{"kind": {"transfer"}, "title": {"To the airport"},
		"starts_at": {"2027-05-14T13:00"}, "ends_at": {"2027-05-14T14:00"}}, s422)
	if !strings.Contains(body, "Outside the delegation&#39;s stay: it arrives 2027-05-10 16:00 CEST and departs 2027-05-14 12:00 CEST.") {
		t.Errorf("no clear message for an item outside the stay:\n%s", excerpt(body))
	}
	if v, _ := doc(t, body).Find("#title").Attr("value"); v != "To the airport" {
		t.Errorf("the form lost what was typed: %q", v)
	}
	body = post(it, url.Values{"kind": {"transfer"}, "title": {"Back"}, "starts_at": {"2027-05-12T10:00"}, "ends_at": {"2027-05-12T09:00"}}, s422)
	if !strings.Contains(body, "结束时间必须晚于开始时间") && !strings.Contains(body, "The end must come after the start.") {
		t.Errorf("no message for an end before the start:\n%s", excerpt(body))
	}
	// A forged slot, a pavilion of another expo.
	post(it, url.Values{"kind": {"roadshow"}, "slot": {"987654321"}}, s422)
	post(it, url.Values{"kind": {"visit"}, "pavilion": {itoa(w.EuroPavilion.ID)}, "starts_at": {"2027-05-12T10:00"}, "ends_at": {"2027-05-12T11:00"}}, s422)
	if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
		t.Errorf("refused items changed %v", changed)
	}
	if n := e.audits(t, expodesk.ActionItineraryAdd); n != 3 {
		t.Errorf("%d itinerary.add audit entries, want 3", n)
	}

	// A roadshow slot attended takes the slot's times, company and hall.
	post(it, url.Values{"kind": {"roadshow"}, "slot": {itoa(w.Slots[0].ID)}}, s303)
	rows, err := e.store.ItineraryRows(ctx, p.Delegation.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		if r.Kind == expodesk.ItineraryRoadshow {
			found = r.StartsAt.Equal(w.Slots[0].StartsAt) && r.ExhibitorID != nil && *r.ExhibitorID == w.Sensing.ID && r.Hall == "2"
		}
	}
	if !found {
		t.Errorf("the roadshow item does not carry its slot's time, company and hall: %+v", rows)
	}
}

// TestMeetingFlow: an organizer requests a meeting; the company's team is
// mailed in its language and sees the request (names and titles of the
// attendees only) while another company gets 404; the company proposes
// another time, the organizer takes it; another request is declined with
// a note. Each step is audited and mailed; bad input changes nothing.
func TestMeetingFlow(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	p := e.plan(t, w)
	org := e.signedIn(t, w.Organizer)
	a, b := e.signedIn(t, w.ExhibitorA), e.signedIn(t, w.ExhibitorB)

	// Bad input first: a company not approved at the expo, a time outside the stay.
	before := e.snapshot()
	resp, body := org.post(urls.OrganizerMeetings(p.Delegation.ID)+"?lang=en", url.Values{"exhibitor": {itoa(w.Hidden.ID)},
		"starts_at": {"2027-05-12T10:00"}, "ends_at": {"2027-05-12T10:30"}})
	if resp.StatusCode != s422 || !strings.Contains(body, "This company does not exhibit at the delegation&#39;s expo") {
		t.Errorf("a company not approved: %d\n%s", resp.StatusCode, excerpt(body))
	}
	resp, _ = org.post(urls.OrganizerMeetings(p.Delegation.ID), url.Values{"exhibitor": {itoa(w.Sensing.ID)},
		"starts_at": {"2027-05-20T10:00"}, "ends_at": {"2027-05-20T10:30"}})
	if resp.StatusCode != s422 {
		t.Errorf("a meeting outside the stay: %d, want 422", resp.StatusCode)
	}
	resp, _ = org.post(urls.OrganizerMeetings(p.Delegation.ID), url.Values{"exhibitor": {itoa(w.Sensing.ID)},
		"starts_at": {"2027-05-12T10:00"}, "ends_at": {"2027-05-12T10:30"}, "attendee": {itoa(p.OtherItem.ID + 1000)}})
	if resp.StatusCode != s422 {
		t.Errorf("an attendee of no such member: %d, want 422", resp.StatusCode)
	}
	if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
		t.Errorf("refused requests changed %v", changed)
	}

	resp, body = org.post(urls.OrganizerMeetings(p.Delegation.ID), url.Values{"exhibitor": {itoa(w.Sensing.ID)},
		"starts_at": {"2027-05-12T11:00"}, "ends_at": {"2027-05-12T11:30"}, "location": {"Booth 2-A01"},
		"topic": {"智慧城市传感器合作"}, "attendee": {itoa(p.Head.ID)}})
	if resp.StatusCode != s303 {
		t.Fatalf("request: %d\n%s", resp.StatusCode, excerpt(body))
	}
	var id int64
	if err := e.pool.QueryRow(ctx, `SELECT id FROM meeting WHERE delegation_id = $1 AND location = 'Booth 2-A01'`, p.Delegation.ID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT count(*) FROM mail_message WHERE kind = 'meeting_requested' AND lang = 'zh'
		AND to_addr IN ($1, $2) AND subject LIKE '%希望%' AND body_text LIKE '%'||$3||'%'`,
		w.ExhibitorA.Email, w.ExhibitorA2.Email, urls.ExhibitorMeeting(id)); n != 2 {
		t.Errorf("%d Chinese request mails to Taihu Sensing's team, want 2", n)
	}
	if n := e.count(`SELECT count(*) FROM mail_message WHERE kind = 'meeting_requested' AND to_addr IN ($1, $2)`,
		w.ExhibitorB.Email, w.ExhibitorB2.Email); n != 0 {
		t.Errorf("another company's team got %d request mails", n)
	}
	if e.audits(t, expodesk.ActionMeetingRequest) != 1 {
		t.Error("no meeting.request audit entry")
	}

	_, body = a.get(urls.ExhibitorMeetings())
	if doc(t, body).Find(`[data-testid="meeting-`+itoa(id)+`"]`).Length() != 1 {
		t.Errorf("the company's list lacks the request:\n%s", excerpt(body))
	}
	_, body = a.get(urls.ExhibitorMeeting(id) + "?lang=zh")
	attendees := doc(t, body).Find(`[data-testid="attendees"]`).Text()
	if !strings.Contains(attendees, "王伟") || !strings.Contains(attendees, "副秘书长") || strings.Contains(body, "李娜") ||
		strings.Contains(body, "wang.wei@wuxi.example") {
		t.Errorf("the company sees %q (and must see the head's name and title only)", attendees)
	}
	// Another company: not found, not listed, and no answer.
	if resp, _ := b.get(urls.ExhibitorMeeting(id)); resp.StatusCode != s404 {
		t.Errorf("another company reads the meeting: %d", resp.StatusCode)
	}
	if _, body := b.get(urls.ExhibitorMeetings()); doc(t, body).Find(`[data-testid="meeting-`+itoa(id)+`"]`).Length() != 0 {
		t.Error("another company's list shows the meeting")
	}
	if resp, _ := b.post(urls.ExhibitorMeetingAnswer(id), url.Values{"answer": {"decline"}}); resp.StatusCode != s404 {
		t.Errorf("another company answers the meeting: %d", resp.StatusCode)
	}

	// Bad input from the company: a proposal outside the stay, the same time, a note too long.
	before = e.snapshot()
	for _, f := range []url.Values{
		{"proposed_starts_at": {"2027-05-15T10:00"}, "proposed_ends_at": {"2027-05-15T10:30"}},
		{"proposed_starts_at": {"2027-05-12T11:00"}, "proposed_ends_at": {"2027-05-12T11:30"}},
		{"proposed_starts_at": {"2027-05-13T10:00"}, "proposed_ends_at": {"2027-05-13T10:30"}, "proposal_note": {strings.Repeat("长", 2001)}},
	} {
		if resp, body := a.post(urls.ExhibitorMeetingPropose(id), f); resp.StatusCode != s422 {
			t.Errorf("proposal %v: %d, want 422\n%s", f, resp.StatusCode, excerpt(body))
		}
	}
	if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
		t.Errorf("refused proposals changed %v", changed)
	}

	resp, body = a.post(urls.ExhibitorMeetingPropose(id), url.Values{"proposed_starts_at": {"2027-05-13T09:30"},
		"proposed_ends_at": {"2027-05-13T10:00"}, "proposal_note": {"上午展位更方便"}})
	if resp.StatusCode != s303 {
		t.Fatalf("propose: %d\n%s", resp.StatusCode, excerpt(body))
	}
	if n := e.count(`SELECT count(*) FROM mail_message WHERE kind = 'meeting_answered' AND to_addr = $1 AND lang = 'en'
		AND subject LIKE '%proposes another time%'`, w.Organizer.Email); n != 1 {
		t.Errorf("%d proposal mails to the requesting organizer, want 1", n)
	}
	_, body = org.get(urls.OrganizerItinerary(p.Delegation.ID) + "?lang=en")
	if !strings.Contains(doc(t, body).Find(`[data-testid="proposal"]`).Text(), "09:30–10:00 CEST · 15:30–16:00 CST") {
		t.Errorf("the itinerary does not show the proposal in both zones:\n%s", excerpt(body))
	}
	if resp, _ := org.post(urls.OrganizerMeetingProposal(p.Delegation.ID, id), url.Values{"decision": {"take"}}); resp.StatusCode != s303 {
		t.Fatalf("take the proposal: %d", resp.StatusCode)
	}
	m, err := e.store.MeetingRowGet(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != expodesk.MeetingAccepted || !m.StartsAt.Equal(madrid(w, 13, 9, 30)) || m.ProposedStartsAt != nil {
		t.Errorf("after taking the proposal: %s at %v (proposal %v)", m.Status, m.StartsAt, m.ProposedStartsAt)
	}
	// Proposed, then moved and accepted: a calendar that has the meeting
	// must see a newer version of it (the .ics SEQUENCE).
	if m.Sequence < 2 {
		t.Errorf("the meeting's sequence is %d after a proposal and a new time, want 2 or more", m.Sequence)
	}
	tok, hash, err := service.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.DelegationSetShare(ctx, p.Delegation.ID, hash); err != nil {
		t.Fatal(err)
	}
	if _, feed := e.get(urls.SharedItineraryICS(tok)); !strings.Contains(strings.ReplaceAll(feed, "\r\n ", ""),
		"SEQUENCE:"+itoa(int64(m.Sequence))) {
		t.Errorf("the shared .ics does not carry the meeting's sequence %d:\n%s", m.Sequence, feed)
	}
	if n := e.count(`SELECT count(*) FROM mail_message WHERE kind = 'meeting_changed' AND to_addr IN ($1, $2) AND lang = 'zh'`,
		w.ExhibitorA.Email, w.ExhibitorA2.Email); n != 2 {
		t.Errorf("%d mails telling the team the proposal was taken, want 2", n)
	}
	// Taken once; a second decision has no proposal to act on.
	if resp, _ := org.post(urls.OrganizerMeetingProposal(p.Delegation.ID, id), url.Values{"decision": {"take"}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("a second decision: %d, want 409", resp.StatusCode)
	}

	// The fixture's request is declined with a note; it cannot be answered twice.
	resp, _ = a.post(urls.ExhibitorMeetingAnswer(p.MeetingA.ID), url.Values{"answer": {"decline"}, "note": {"抱歉，当天技术团队不在现场。"}})
	if resp.StatusCode != s303 {
		t.Fatalf("decline: %d", resp.StatusCode)
	}
	if resp, _ := a.post(urls.ExhibitorMeetingAnswer(p.MeetingA.ID), url.Values{"answer": {"accept"}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("answering twice: %d, want 409", resp.StatusCode)
	}
	if n := e.count(`SELECT count(*) FROM mail_message WHERE kind = 'meeting_answered' AND to_addr = $1
		AND subject LIKE '%declined%' AND body_text LIKE '%技术团队%'`, w.Organizer.Email); n != 1 {
		t.Errorf("%d decline mails with the note, want 1", n)
	}
	for action, want := range map[expodesk.AuditAction]int{expodesk.ActionMeetingPropose: 1, expodesk.ActionMeetingProposal: 1,
		expodesk.ActionMeetingAnswer: 1} {
		if n := e.audits(t, action); n != want {
			t.Errorf("%d %s audit entries, want %d", n, action, want)
		}
	}
	_, body = org.get(urls.OrganizerItinerary(p.Delegation.ID) + "?lang=en")
	statuses := doc(t, body).Find(`[data-testid="meeting-status"]`).Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	if strings.Join(statuses, ",") != "Declined,Requested,Accepted" {
		t.Errorf("the itinerary shows meeting statuses %v", statuses)
	}
}

// TestSharedItinerary: the secret link opens the read-only itinerary in
// the language asked for, never cached nor sent on as a referrer; a guessed
// token is not found; a new link replaces the old one, and revoking makes
// the link not found at once. The coordinator of a pavilion cannot share.
func TestSharedItinerary(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	p := e.plan(t, w)
	resp, body := e.get(urls.SharedItinerary(p.Token) + "?lang=zh")
	if resp.StatusCode != s200 {
		t.Fatalf("shared link: %d", resp.StatusCode)
	}
	if cc, rp := resp.Header.Get("Cache-Control"), resp.Header.Get("Referrer-Policy"); cc != "private, no-store" || rp != "no-referrer" {
		t.Errorf("Cache-Control %q, Referrer-Policy %q", cc, rp)
	}
	page := doc(t, body)
	if lang, _ := page.Find("html").Attr("lang"); !strings.HasPrefix(lang, "zh") {
		t.Errorf("html lang %q", lang)
	}
	if !strings.Contains(body, "工作午餐") || !strings.Contains(body, "与太湖传感会谈") || !strings.Contains(body, "13:00–14:30 CEST · 19:00–20:30 CST") {
		t.Errorf("the shared itinerary lacks its items in both zones:\n%s", excerpt(body))
	}
	if strings.Contains(body, "wang.wei@wuxi.example") || page.Find("form").Length() != 0 {
		t.Error("the shared page shows personal data or a form")
	}
	if page.Find(`link[rel="stylesheet"][href*="itinerary.css"]`).Length() != 1 || strings.Contains(body, "style=") {
		t.Error("the shared page lacks its print stylesheet or carries inline styles")
	}
	if resp, _ := e.get(urls.SharedItinerary(strings.Repeat("B", 43))); resp.StatusCode != s404 {
		t.Errorf("a guessed token: %d, want 404", resp.StatusCode)
	}

	coord := e.signedIn(t, w.Coordinator)
	if resp, _ := coord.post(urls.OrganizerShareRevoke(p.Delegation.ID), nil); resp.StatusCode != s404 {
		t.Errorf("a coordinator revokes the link: %d, want 404", resp.StatusCode)
	}
	org := e.signedIn(t, w.Organizer)
	resp, body = org.post(urls.OrganizerShare(p.Delegation.ID), nil)
	if resp.StatusCode != s200 {
		t.Fatalf("new link: %d", resp.StatusCode)
	}
	link, _ := doc(t, body).Find(`[data-testid="share-link"]`).Attr("value")
	u, err := url.Parse(link)
	if err != nil || !strings.HasPrefix(u.Path, "/d/") || u.Query().Get("lang") != "zh" {
		t.Fatalf("the new link %q", link)
	}
	if resp, _ := e.get(urls.SharedItinerary(p.Token)); resp.StatusCode != s404 {
		t.Errorf("the replaced link: %d, want 404", resp.StatusCode)
	}
	if resp, _ := e.get(u.RequestURI()); resp.StatusCode != s200 {
		t.Errorf("the new link: %d", resp.StatusCode)
	}
	if e.count(`SELECT count(*) FROM audit_entry WHERE action = 'delegation.share' AND after::text LIKE '%'||$1||'%'`,
		strings.TrimPrefix(u.Path, "/d/")) != 0 {
		t.Error("the audit log holds the token")
	}
	if resp, _ := org.post(urls.OrganizerShareRevoke(p.Delegation.ID), nil); resp.StatusCode != s303 {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	if resp, _ := e.get(u.RequestURI()); resp.StatusCode != s404 {
		t.Errorf("the revoked link: %d, want 404", resp.StatusCode)
	}
	if resp, _ := e.get(strings.Replace(u.RequestURI(), "?", ".ics?", 1)); resp.StatusCode != s404 {
		t.Errorf("the revoked link's .ics: %d, want 404", resp.StatusCode)
	}
	if e.audits(t, expodesk.ActionItineraryUnshare) != 1 || e.audits(t, expodesk.ActionItineraryShare) != 1 {
		t.Error("share and revoke are not audited")
	}
}

// TestSuggestedVisits: the ranking puts shared sectors first, then the
// pavilion of the delegation's own country (a Chinese delegation: the Wuxi
// Pavilion); only approved exhibitors; the one-step form requests a meeting.
func TestSuggestedVisits(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	p := e.plan(t, w)
	// Meetings already standing would hide the forms: cancel the fixture's.
	org := e.signedIn(t, w.Organizer)
	for _, m := range []expodesk.Meeting{p.MeetingA, p.MeetingB} {
		if resp, _ := org.post(urls.OrganizerMeetingCancel(p.Delegation.ID, m.ID), nil); resp.StatusCode != s303 {
			t.Fatalf("cancel: %d", resp.StatusCode)
		}
	}
	order := func(q url.Values) []string {
		t.Helper()
		resp, body := org.get(urls.OrganizerSuggestions(p.Delegation.ID, q))
		if resp.StatusCode != s200 {
			t.Fatalf("suggestions: %d", resp.StatusCode)
		}
		return doc(t, body).Find(".suggestions > li").Map(func(_ int, s *goquery.Selection) string {
			v, _ := s.Attr("data-testid")
			return v
		})
	}
	sensing, cloud := "suggestion-"+itoa(w.Sensing.ID), "suggestion-"+itoa(w.Cloud.ID)
	if got := order(nil); strings.Join(got, ",") != sensing+","+cloud {
		t.Errorf("without sectors: %v, want the Wuxi Pavilion's company first", got)
	}
	if got := order(url.Values{"sector": {"cloud", "energy"}}); strings.Join(got, ",") != cloud+","+sensing {
		t.Errorf("for cloud and energy: %v, want Nube Catalana first", got)
	}
	// The delegation's own sectors rank the page when it is first opened;
	// the form's "none ticked" is a choice of its own.
	if _, err := e.pool.Exec(context.Background(), `INSERT INTO delegation_sector (delegation_id, sector_code) VALUES ($1, 'cloud'), ($1, 'energy')`,
		p.Delegation.ID); err != nil {
		t.Fatal(err)
	}
	if got := order(nil); strings.Join(got, ",") != cloud+","+sensing {
		t.Errorf("with the delegation's sectors cloud and energy: %v, want Nube Catalana first", got)
	}
	if got := order(url.Values{"ranked": {"1"}}); strings.Join(got, ",") != sensing+","+cloud {
		t.Errorf("with no sector ticked: %v, want the Wuxi Pavilion's company first", got)
	}
	if resp, _ := org.get(urls.OrganizerSuggestions(p.Delegation.ID, url.Values{"sector": {"no-such-sector"}})); resp.StatusCode != s422 {
		t.Errorf("an unknown sector: %d, want 422", resp.StatusCode)
	}
	resp, body := org.post(urls.OrganizerMeetings(p.Delegation.ID), url.Values{"exhibitor": {itoa(w.Cloud.ID)}, "from": {"suggestions"},
		"sector": {"cloud"}, "starts_at": {"2027-05-12T10:00"}})
	if resp.StatusCode != s422 || doc(t, body).Find("#ends_at-"+itoa(w.Cloud.ID)+`[aria-invalid="true"]`).Length() != 1 {
		t.Errorf("a one-step request without an end: %d, the problem not at the company's row\n%s", resp.StatusCode, excerpt(body))
	}
	resp, _ = org.post(urls.OrganizerMeetings(p.Delegation.ID), url.Values{"exhibitor": {itoa(w.Cloud.ID)}, "from": {"suggestions"},
		"sector": {"cloud"}, "starts_at": {"2027-05-12T10:00"}, "ends_at": {"2027-05-12T10:30"}})
	if resp.StatusCode != s303 || resp.Header.Get("Location") != urls.OrganizerSuggestions(p.Delegation.ID, url.Values{"sector": {"cloud"}}) {
		t.Errorf("one-step request: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	// With no attendee chosen, the head of the delegation attends.
	if n := e.count(`SELECT count(*) FROM meeting_attendee a JOIN meeting m ON m.id = a.meeting_id
		WHERE m.exhibitor_id = $1 AND m.status = 'requested' AND a.member_id = $2`, w.Cloud.ID, p.Head.ID); n != 1 {
		t.Errorf("the head attends %d one-step meetings, want 1", n)
	}
}
