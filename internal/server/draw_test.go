package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

// drawFixture makes expos with draws for the draw tests: each expo has an
// expo-wide stage with slots, a pavilion with booking rules of its own and
// a stage there, and Taihu Sensing and Nube Catalana approved.
type drawFixture struct {
	e *testEnv
	w world
	n atomic.Int64
}

type drawExpo struct {
	expodesk.Expo
	Pavilion      expodesk.Pavilion
	Stage, PStage expodesk.Stage
	Slots         []expodesk.Slot // on Stage, 09:00 to 11:00 on the first day, 30 minutes each
	PSlots        []expodesk.Slot // on PStage
}

func (f *drawFixture) expo() drawExpo {
	e, w := f.e, f.w
	e.t.Helper()
	ctx := context.Background()
	n := itoa(f.n.Add(1))
	must := func(err error) {
		e.t.Helper()
		if err != nil {
			e.t.Fatal(err)
		}
	}
	opens := e.clock.Now().Add(-24 * time.Hour)
	x, err := e.store.ExpoCreate(ctx, expodesk.Expo{Slug: "draw-expo-" + n, Name: expodesk.Text{EN: "Draw Expo " + n},
		City: expodesk.Text{EN: "Girona"}, Country: "ES", TimeZone: "Europe/Madrid",
		FirstDay: w.Barcelona.FirstDay, LastDay: w.Barcelona.LastDay, SlotQuota: 2, CancelHoursBefore: 48, BookingOpensAt: &opens})
	must(err)
	d := drawExpo{Expo: x}
	d.Pavilion, err = e.store.PavilionCreate(ctx, expodesk.Pavilion{ExpoID: x.ID, Slug: "draw-pavilion", Name: expodesk.Text{EN: "Draw Pavilion"}})
	must(err)
	_, err = e.store.BookingRulesSetPavilion(ctx, expodesk.BookingRules{ExpoID: x.ID, PavilionID: &d.Pavilion.ID, OpensAt: &opens,
		SlotQuota: 1, CancelHoursBefore: 48})
	must(err)
	d.Stage, err = e.store.StageCreate(ctx, expodesk.Stage{ExpoID: x.ID, Slug: "main", Name: expodesk.Text{EN: "Main stage"}})
	must(err)
	d.PStage, err = e.store.StageCreate(ctx, expodesk.Stage{ExpoID: x.ID, PavilionID: &d.Pavilion.ID, Slug: "pavilion", Name: expodesk.Text{EN: "Pavilion stage"}})
	must(err)
	start := time.Date(2027, 5, 11, 9, 0, 0, 0, x.Location())
	for i := range 4 {
		at := start.Add(time.Duration(i) * 30 * time.Minute)
		sl, err := e.store.SlotCreate(ctx, expodesk.Slot{StageID: d.Stage.ID, StartsAt: at, EndsAt: at.Add(30 * time.Minute)})
		must(err)
		d.Slots = append(d.Slots, sl)
		sl, err = e.store.SlotCreate(ctx, expodesk.Slot{StageID: d.PStage.ID, StartsAt: at.Add(3 * time.Hour), EndsAt: at.Add(3*time.Hour + 30*time.Minute)})
		must(err)
		d.PSlots = append(d.PSlots, sl)
	}
	for _, c := range []int64{w.Sensing.ID, w.Cloud.ID} {
		_, err := e.store.ParticipationCreate(ctx, expodesk.Participation{ExpoID: x.ID, ExhibitorID: c, Status: expodesk.StatusApproved})
		must(err)
	}
	return d
}

// draw sets up a draw of the expo's own scope (pavilion nil) or a
// pavilion's, its requests open from opens to closes relative to now.
func (f *drawFixture) draw(x drawExpo, pavilion *int64, opens, closes time.Duration) expodesk.Draw {
	f.e.t.Helper()
	now := f.e.clock.Now()
	d, err := f.e.store.DrawSet(context.Background(), expodesk.Draw{ExpoID: x.ID, PavilionID: pavilion,
		OpensAt: now.Add(opens), ClosesAt: now.Add(closes), MaxChoices: 3})
	if err != nil {
		f.e.t.Fatal(err)
	}
	return d
}

func (f *drawFixture) ranking(d expodesk.Draw, company int64, slots ...int64) expodesk.DrawRequest {
	f.e.t.Helper()
	q, err := f.e.store.DrawRequestSet(context.Background(), d.ID, company, slots)
	if err != nil {
		f.e.t.Fatal(err)
	}
	return q
}

func drawForm(x drawExpo, hours int) url.Values {
	now := time.Now()
	return url.Values{"opens_at": {now.Add(-time.Hour).In(x.Location()).Format(dateTimeLayout)},
		"closes_at": {now.Add(time.Duration(hours) * time.Hour).In(x.Location()).Format(dateTimeLayout)}, "max_choices": {"3"}}
}

func prefixForm(v url.Values, prefix string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[prefix+k] = vs
	}
	return out
}

func choiceField(d expodesk.Draw, rank int) string {
	return "d" + itoa(d.ID) + "_" + expodesk.DrawChoiceField(rank)
}

// drawMatrixCases are the matrix rows of the fair draw. Each row works on
// expos of its own, so that Barcelona's booking rows meet no draw.
func drawMatrixCases(e *testEnv, w world) []matrixCase {
	f := &drawFixture{e: e, w: w}
	x := f.expo()
	open := f.draw(x, nil, -time.Hour, time.Hour)
	other := f.expo()
	otherDraw := f.draw(other, nil, -time.Hour, time.Hour)
	path := func(p string) func(role) string { return func(role) string { return p } }
	all := func(s int) [roleCount]int { return [roleCount]int{s, s, s, s, s} }
	writes := func(coord, org int) [roleCount]int { return [roleCount]int{s401, s403, s403, coord, org} }
	exhibitorWrites := func(a, b int) [roleCount]int { return [roleCount]int{s401, a, b, s403, s403} }
	closedExpo := func(pavilion bool) func(role) string {
		return func(role) string {
			y := f.expo()
			if pavilion {
				f.draw(y, &y.Pavilion.ID, -2*time.Hour, -time.Hour)
				return urls.OrganizerPavilionDrawRun(y.Slug, y.Pavilion.ID)
			}
			f.draw(y, nil, -2*time.Hour, -time.Hour)
			return urls.OrganizerDrawRun(y.Slug)
		}
	}
	pendingExpo := func(pavilion bool) func(role) string {
		return func(role) string {
			y := f.expo()
			if pavilion {
				f.draw(y, &y.Pavilion.ID, -time.Hour, time.Hour)
				return urls.OrganizerPavilionDrawDelete(y.Slug, y.Pavilion.ID)
			}
			f.draw(y, nil, -time.Hour, time.Hour)
			return urls.OrganizerDrawDelete(y.Slug)
		}
	}
	pform := prefixForm(drawForm(x, 2), pavilionPrefix(x.Pavilion.ID))
	return []matrixCase{
		{method: "GET", pattern: "/expos/{expo}/draw", path: path(urls.ExpoDraw(x.Slug)), want: all(s200)},
		{method: "GET", pattern: "/organizer/expos/{expo}/draw", path: path(urls.OrganizerDraw(w.Barcelona.Slug)),
			want: [roleCount]int{s303, s403, s403, s200, s200}},
		{method: "GET", pattern: "/organizer/expos/{expo}/draw", object: "another expo than the coordinator's", path: path(urls.OrganizerDraw(x.Slug)),
			want: [roleCount]int{s303, s403, s403, s404, s200}},
		{method: "POST", pattern: "/organizer/expos/{expo}/draw", path: path(urls.OrganizerDraw(x.Slug)), form: drawForm(x, 1),
			want: writes(s403, s303)},
		{method: "POST", pattern: "/organizer/expos/{expo}/draw", object: "21 choices", path: path(urls.OrganizerDraw(x.Slug)),
			form: url.Values{"opens_at": drawForm(x, 1)["opens_at"], "closes_at": drawForm(x, 1)["closes_at"], "max_choices": {"21"}},
			want: writes(s403, s422)},
		{method: "POST", pattern: "/organizer/expos/{expo}/draw/run", path: closedExpo(false), want: writes(s403, s303)},
		{method: "POST", pattern: "/organizer/expos/{expo}/draw/run", object: "requests still open", path: path(urls.OrganizerDrawRun(x.Slug)),
			want: writes(s403, s422)},
		{method: "POST", pattern: "/organizer/expos/{expo}/draw/delete", path: pendingExpo(false), want: writes(s403, s303)},
		{method: "POST", pattern: "/organizer/expos/{expo}/draw/pavilions/{pavilion}", object: "a pavilion not the coordinator's",
			path: path(urls.OrganizerPavilionDraw(x.Slug, x.Pavilion.ID)), form: pform, want: writes(s404, s303)},
		{method: "POST", pattern: "/organizer/expos/{expo}/draw/pavilions/{pavilion}", object: "a pavilion without rules of its own",
			path: path(urls.OrganizerPavilionDraw(w.Wuxi.Slug, w.EuroPavilion.ID)), form: prefixForm(drawForm(x, 2), pavilionPrefix(w.EuroPavilion.ID)),
			want: writes(s404, s422)},
		{method: "POST", pattern: "/organizer/expos/{expo}/draw/pavilions/{pavilion}/run", path: closedExpo(true), want: writes(s404, s303)},
		{method: "POST", pattern: "/organizer/expos/{expo}/draw/pavilions/{pavilion}/delete", path: pendingExpo(true), want: writes(s404, s303)},
		{method: "GET", pattern: "/exhibitor/expos/{expo}/draw", path: path(urls.ExhibitorDraw(x.Slug)),
			want: [roleCount]int{s303, s200, s200, s403, s403}},
		{method: "POST", pattern: "/exhibitor/expos/{expo}/draws/{draw}/ranking", path: path(urls.ExhibitorDrawRanking(x.Slug, open.ID)),
			form: url.Values{choiceField(open, 1): {itoa(x.Slots[0].ID)}, choiceField(open, 2): {itoa(x.Slots[1].ID)}},
			want: exhibitorWrites(s303, s303)},
		{method: "POST", pattern: "/exhibitor/expos/{expo}/draws/{draw}/ranking", object: "a draw of another expo",
			path: path(urls.ExhibitorDrawRanking(x.Slug, otherDraw.ID)), form: url.Values{choiceField(otherDraw, 1): {itoa(other.Slots[0].ID)}},
			want: exhibitorWrites(s404, s404)},
		{method: "POST", pattern: "/exhibitor/draw-requests/{request}/withdraw", object: "Taihu Sensing's ranking",
			path: func(role) string {
				return urls.ExhibitorDrawWithdraw(f.ranking(open, w.Sensing.ID, x.Slots[2].ID).ID)
			}, want: exhibitorWrites(s303, s404)},
	}
}

// drawCSRFCases are the cross-site rows of the draw.
func drawCSRFCases(e *testEnv, w world) []csrfCase {
	f := &drawFixture{e: e, w: w}
	org := func(t *testing.T, p func(drawExpo) (string, url.Values)) (*client, string, url.Values) {
		pth, form := p(f.expo())
		return e.signedIn(t, w.Organizer), pth, form
	}
	return []csrfCase{
		{pattern: "/organizer/expos/{expo}/draw", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return org(t, func(x drawExpo) (string, url.Values) { return urls.OrganizerDraw(x.Slug), drawForm(x, 1) })
		}},
		{pattern: "/organizer/expos/{expo}/draw/run", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return org(t, func(x drawExpo) (string, url.Values) {
				f.draw(x, nil, -2*time.Hour, -time.Hour)
				return urls.OrganizerDrawRun(x.Slug), nil
			})
		}},
		{pattern: "/organizer/expos/{expo}/draw/delete", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return org(t, func(x drawExpo) (string, url.Values) {
				f.draw(x, nil, -time.Hour, time.Hour)
				return urls.OrganizerDrawDelete(x.Slug), nil
			})
		}},
		{pattern: "/organizer/expos/{expo}/draw/pavilions/{pavilion}", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return org(t, func(x drawExpo) (string, url.Values) {
				return urls.OrganizerPavilionDraw(x.Slug, x.Pavilion.ID), prefixForm(drawForm(x, 1), pavilionPrefix(x.Pavilion.ID))
			})
		}},
		{pattern: "/organizer/expos/{expo}/draw/pavilions/{pavilion}/run", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return org(t, func(x drawExpo) (string, url.Values) {
				f.draw(x, &x.Pavilion.ID, -2*time.Hour, -time.Hour)
				return urls.OrganizerPavilionDrawRun(x.Slug, x.Pavilion.ID), nil
			})
		}},
		{pattern: "/organizer/expos/{expo}/draw/pavilions/{pavilion}/delete", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return org(t, func(x drawExpo) (string, url.Values) {
				f.draw(x, &x.Pavilion.ID, -time.Hour, time.Hour)
				return urls.OrganizerPavilionDrawDelete(x.Slug, x.Pavilion.ID), nil
			})
		}},
		{pattern: "/exhibitor/expos/{expo}/draws/{draw}/ranking", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			x := f.expo()
			d := f.draw(x, nil, -time.Hour, time.Hour)
			return e.signedIn(t, w.ExhibitorA), urls.ExhibitorDrawRanking(x.Slug, d.ID), url.Values{choiceField(d, 1): {itoa(x.Slots[0].ID)}}
		}},
		{pattern: "/exhibitor/draw-requests/{request}/withdraw", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			x := f.expo()
			d := f.draw(x, nil, -time.Hour, time.Hour)
			return e.signedIn(t, w.ExhibitorB), urls.ExhibitorDrawWithdraw(f.ranking(d, w.Cloud.ID, x.Slots[0].ID).ID), nil
		}},
	}
}

func TestDrawURLBuildersMatchRoutes(t *testing.T) {
	e := newEnv(t)
	routes := e.server.routes().(chi.Routes)
	for _, c := range []struct{ method, path string }{
		{"GET", urls.ExpoDraw("iotswc-2027")},
		{"GET", urls.OrganizerDraw("iotswc-2027")},
		{"POST", urls.OrganizerDraw("iotswc-2027")},
		{"POST", urls.OrganizerDrawRun("iotswc-2027")},
		{"POST", urls.OrganizerDrawDelete("iotswc-2027")},
		{"POST", urls.OrganizerPavilionDraw("iotswc-2027", 7)},
		{"POST", urls.OrganizerPavilionDrawRun("iotswc-2027", 7)},
		{"POST", urls.OrganizerPavilionDrawDelete("iotswc-2027", 7)},
		{"GET", urls.ExhibitorDraw("iotswc-2027")},
		{"POST", urls.ExhibitorDrawRanking("iotswc-2027", 7)},
		{"POST", urls.ExhibitorDrawWithdraw(7)},
	} {
		if !routes.Match(chi.NewRouteContext(), c.method, c.path) {
			t.Errorf("%s %s: no route serves it", c.method, c.path)
		}
	}
}

// TestDrawFlow: an organizer sets up the expo's draw; during the request
// period first come, first served is refused, saying when requests close;
// two companies rank slots, one changes its ranking; bad rankings are
// problems at their fields with nothing changed; after the close a
// ranking is refused, the organizer runs the draw, the bookings, audit
// entries and mails are there, and each company reads why it got what
// it got; a second run says the draw has already run.
func TestDrawFlow(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	f := &drawFixture{e: e, w: w}
	x := f.expo()
	other := f.expo()
	org := e.signedIn(t, w.Organizer)
	a := e.signedIn(t, w.ExhibitorA)
	b := e.signedIn(t, w.ExhibitorB)
	ctx := context.Background()
	zone := x.Location()
	at := func(d time.Duration) string { return e.clock.Now().Add(d).In(zone).Format(dateTimeLayout) }

	// Setting up: the period's end before its start, and N out of range, are refused.
	before := e.snapshot()
	resp, body := org.post(urls.OrganizerDraw(x.Slug), url.Values{"opens_at": {at(time.Hour)}, "closes_at": {at(-time.Hour)}, "max_choices": {"0"}})
	if resp.StatusCode != s422 || doc(t, body).Find("#closes_at-error").Length() != 1 || doc(t, body).Find("#max_choices-error").Length() != 1 {
		t.Fatalf("bad settings: %d\n%s", resp.StatusCode, excerpt(body))
	}
	if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
		t.Errorf("refused settings changed %v", changed)
	}
	resp, body = org.post(urls.OrganizerDraw(x.Slug), url.Values{"opens_at": {at(-time.Hour)}, "closes_at": {at(2 * time.Hour)}, "max_choices": {"2"}})
	if resp.StatusCode != s303 {
		t.Fatalf("set up: %d\n%s", resp.StatusCode, excerpt(body))
	}
	d, err := e.store.DrawFor(ctx, x.ID, nil)
	if err != nil || d.MaxChoices != 2 {
		t.Fatalf("draw %+v %v", d, err)
	}
	_, body = org.get(urls.OrganizerBookingRules(x.Slug))
	if doc(t, body).Find(`a[href="`+urls.OrganizerDraw(x.Slug)+`"]`).Length() == 0 {
		t.Error("the booking rules page does not link to the draw page")
	}

	// First come, first served waits for the draw; the pavilion's own scope does not.
	resp, body = a.post(urls.ExhibitorSlotBook(x.Slug, x.Slots[0].ID), nil)
	if resp.StatusCode != s422 || !strings.Contains(body, "allocated by a draw") || !strings.Contains(body, "(UTC+") {
		t.Fatalf("booking during the draw: %d\n%s", resp.StatusCode, excerpt(body))
	}
	if resp, body = a.post(urls.ExhibitorSlotBook(x.Slug, x.PSlots[0].ID), nil); resp.StatusCode != s303 {
		t.Fatalf("booking in the pavilion's scope: %d\n%s", resp.StatusCode, excerpt(body))
	}
	// An organizer's booking on a company's behalf still works.
	if resp, body = org.post(urls.OrganizerSlotBookFor(x.Slug, x.Slots[3].ID), url.Values{"exhibitor": {itoa(w.Cloud.ID)}}); resp.StatusCode != s303 {
		t.Fatalf("book on behalf: %d\n%s", resp.StatusCode, excerpt(body))
	}
	// Nor does the waitlist of that slot open: the draw allocates the scope.
	if resp, body = a.post(urls.ExhibitorSlotWaitlist(x.Slug, x.Slots[3].ID), nil); resp.StatusCode == s303 ||
		!strings.Contains(body, "allocated by a draw") {
		t.Errorf("joining a waitlist during the draw: %d\n%s", resp.StatusCode, excerpt(body))
	}

	// Ranking: the form offers the scope's free slots only.
	_, body = a.get(urls.ExhibitorDraw(x.Slug))
	page := doc(t, body)
	if page.Find(`select[name="`+choiceField(d, 2)+`"]`).Length() != 1 || page.Find(`select[name="`+choiceField(d, 3)+`"]`).Length() != 0 {
		t.Fatalf("the ranking form has not 2 choices:\n%s", excerpt(body))
	}
	if page.Find(`option[value="`+itoa(x.PSlots[1].ID)+`"]`).Length() != 0 || page.Find(`option[value="`+itoa(x.Slots[3].ID)+`"]`).Length() != 0 {
		t.Error("the form offers a slot of another scope or a booked one")
	}
	rank := func(c *client, slots ...int64) (*http.Response, string) {
		form := url.Values{}
		for i, s := range slots {
			form.Set(choiceField(d, i+1), itoa(s))
		}
		return c.post(urls.ExhibitorDrawRanking(x.Slug, d.ID), form)
	}
	for name, c := range map[string]struct {
		slots []int64
		field string
	}{
		"Twice":        {[]int64{x.Slots[0].ID, x.Slots[0].ID}, choiceField(d, 2)},
		"AnotherExpo":  {[]int64{other.Slots[0].ID}, choiceField(d, 1)},
		"AnotherScope": {[]int64{x.Slots[0].ID, x.PSlots[1].ID}, choiceField(d, 2)},
		"MoreThanN":    {[]int64{x.Slots[0].ID, x.Slots[1].ID, x.Slots[2].ID}, choiceField(d, 2)},
	} {
		before := e.snapshot()
		resp, body := rank(a, c.slots...)
		if resp.StatusCode != s422 || doc(t, body).Find("#"+c.field+"-error").Length() != 1 {
			t.Errorf("%s: %d, no problem at %s\n%s", name, resp.StatusCode, c.field, excerpt(body))
		}
		if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
			t.Errorf("%s changed %v", name, changed)
		}
	}
	if resp, body = rank(a, x.Slots[1].ID, x.Slots[0].ID); resp.StatusCode != s303 {
		t.Fatalf("rank: %d\n%s", resp.StatusCode, excerpt(body))
	}
	// Changing one's ranking replaces it.
	if resp, body = rank(a, x.Slots[0].ID, x.Slots[2].ID); resp.StatusCode != s303 {
		t.Fatalf("change ranking: %d\n%s", resp.StatusCode, excerpt(body))
	}
	if q, err := e.store.DrawRequestOf(ctx, d.ID, w.Sensing.ID); err != nil || len(q.Choices) != 2 || q.Choices[0] != x.Slots[0].ID || q.Choices[1] != x.Slots[2].ID {
		t.Fatalf("ranking after the change %+v %v", q, err)
	}
	if resp, body = rank(b, x.Slots[0].ID, x.Slots[1].ID); resp.StatusCode != s303 {
		t.Fatalf("rank b: %d\n%s", resp.StatusCode, excerpt(body))
	}
	qb, _ := e.store.DrawRequestOf(ctx, d.ID, w.Cloud.ID)
	// Another company's ranking is not found.
	if resp, _ = a.post(urls.ExhibitorDrawWithdraw(qb.ID), nil); resp.StatusCode != s404 {
		t.Errorf("withdrawing another company's ranking: %d", resp.StatusCode)
	}
	if n := e.count(`SELECT count(*) FROM audit_entry WHERE action = $1`, string(expodesk.ActionDrawRequest)); n != 3 {
		t.Errorf("%d ranking audit entries, want 3", n)
	}

	// After the close: a ranking is refused, clearly, and nothing changes.
	e.clock.Advance(3 * time.Hour)
	before = e.snapshot()
	resp, body = rank(a, x.Slots[1].ID)
	if resp.StatusCode != s422 || !strings.Contains(body, "closed on") {
		t.Errorf("ranking after close: %d\n%s", resp.StatusCode, excerpt(body))
	}
	if resp, _ = b.post(urls.ExhibitorDrawWithdraw(qb.ID), nil); resp.StatusCode != s422 {
		t.Errorf("withdrawing after close: %d", resp.StatusCode)
	}
	if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
		t.Errorf("refused ranking changed %v", changed)
	}
	// Still before the run, first come, first served waits.
	if resp, _ = b.post(urls.ExhibitorSlotBook(x.Slug, x.Slots[2].ID), nil); resp.StatusCode != s422 {
		t.Errorf("booking between close and run: %d", resp.StatusCode)
	}

	// The run.
	resp, body = org.post(urls.OrganizerDrawRun(x.Slug), nil)
	if resp.StatusCode != s303 {
		t.Fatalf("run: %d\n%s", resp.StatusCode, excerpt(body))
	}
	d, _ = e.store.DrawFor(ctx, x.ID, nil)
	if d.Run == nil || len(d.Run.Seed) != 32 || d.Run.Participants != 2 {
		t.Fatalf("run %+v", d.Run)
	}
	entries, err := e.store.DrawEntries(ctx, d.ID)
	if err != nil || len(entries) != 2 {
		t.Fatalf("entries %v %v", entries, err)
	}
	// Both want slot 0 first: the first position gets it, the second its
	// next choice; quota 2 gives the first its second choice in round 2.
	first, second := entries[0], entries[1]
	if first.Choices[0].Outcome != expodesk.DrawWon || second.Choices[0].Outcome != expodesk.DrawTaken || second.Choices[0].ByPosition != 1 {
		t.Errorf("first %+v, second %+v", first.Choices, second.Choices)
	}
	// Nube Catalana holds one slot by the organizer's hand: with quota 2
	// it can win one; Taihu Sensing two. What each won is booked.
	drawn := len(first.Won()) + len(second.Won())
	if drawn < 2 || drawn > 3 {
		t.Errorf("%d slots drawn", drawn)
	}
	if n := e.count(`SELECT count(*) FROM booking b WHERE b.status = 'active' AND b.slot_id = ANY($1)`, slotIDs(x.Slots)); n != drawn+1 {
		t.Errorf("%d active bookings of the expo's slots after the draw, want %d drawn and 1 on behalf", n, drawn)
	}
	for _, en := range entries {
		for _, c := range en.Won() {
			if b, err := e.store.BookingActiveForSlot(ctx, c.SlotID); err != nil || b.ExhibitorID != en.ExhibitorID {
				t.Errorf("slot %d drawn for %d: %+v %v", c.SlotID, en.ExhibitorID, b, err)
			}
		}
	}
	if v := bookingViolations(t, e); v.Double != 0 || v.Overlap != 0 {
		t.Errorf("invariants %+v", v)
	}
	if n := e.count(`SELECT count(*) FROM audit_entry WHERE action = $1 AND after->>'seed' = encode($2, 'hex')`, string(expodesk.ActionDrawRun), d.Run.Seed); n != 1 {
		t.Errorf("%d run audit entries with the seed", n)
	}
	if n := e.count(`SELECT count(*) FROM audit_entry WHERE action = $1 AND actor_id = $2`, string(expodesk.ActionBookingCreate), w.Organizer.ID); n != drawn+1 {
		t.Errorf("%d booking audit entries by the organizer, want %d", n, drawn+1)
	}
	if n := e.count(`SELECT count(*) FROM mail_message WHERE kind = $1 AND to_addr = 'jordi@nube.example.es' AND lang = 'es' AND subject LIKE '%sorteo%'`,
		string(expodesk.MailDrawResult)); n != 1 {
		t.Errorf("%d Spanish draw mails to Nube Catalana", n)
	}
	if n := e.count(`SELECT count(*) FROM mail_message WHERE kind = $1 AND to_addr = 'ana@taihu.example.com' AND lang = 'zh'`,
		string(expodesk.MailDrawResult)); n != 1 {
		t.Errorf("%d Chinese draw mails to Taihu Sensing", n)
	}

	// Each company reads its position and why.
	_, body = a.get(urls.ExhibitorDraw(x.Slug))
	page = doc(t, body)
	if !strings.Contains(page.Find(`[data-testid="seed"]`).Text(), d.Run.SeedHex()) || page.Find(`[data-testid="my-position"]`).Length() != 1 {
		t.Errorf("company's result page:\n%s", excerpt(body))
	}
	loser := b
	if second.ExhibitorID == w.Sensing.ID {
		loser = a
	}
	_, body = loser.get(urls.ExhibitorDraw(x.Slug))
	if c := doc(t, body).Find(`[data-testid="choice-1"]`); c.AttrOr("data-outcome", "") != "taken" || c.Length() != 1 {
		t.Errorf("the second's first choice:\n%s", excerpt(body))
	}
	_, body = org.get(urls.OrganizerDraw(x.Slug))
	if doc(t, body).Find(`[data-testid="draw-order"] tbody tr`).Length() != 2 {
		t.Errorf("organizer's result:\n%s", excerpt(body))
	}
	// Publicly: the seed and time, no companies.
	_, body = e.newClient(t).get(urls.ExpoDraw(x.Slug))
	if !strings.Contains(body, d.Run.SeedHex()) || strings.Contains(body, "Nube") || doc(t, body).Find(`[data-testid="drawn-at"]`).Length() != 1 {
		t.Errorf("public page:\n%s", excerpt(body))
	}

	// A second run says so and changes nothing; first come, first served is open.
	before = e.snapshot()
	resp, body = org.post(urls.OrganizerDrawRun(x.Slug), nil)
	if resp.StatusCode != s409 || !strings.Contains(body, "already run") {
		t.Errorf("second run: %d\n%s", resp.StatusCode, excerpt(body))
	}
	if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
		t.Errorf("second run changed %v", changed)
	}
	var left int64
	for _, sl := range x.Slots {
		if _, err := e.store.BookingActiveForSlot(ctx, sl.ID); err != nil {
			left = sl.ID
		}
	}
	if left != 0 {
		if resp, body = a.post(urls.ExhibitorSlotBook(x.Slug, left), nil); resp.StatusCode == s422 && strings.Contains(body, "allocated by a draw") {
			t.Errorf("first come, first served still waits after the run")
		}
	}
}

// TestDrawCoordinator: a coordinator sets up and runs their own
// pavilion's draw once the pavilion has rules of its own; another
// pavilion's draw is not found.
func TestDrawCoordinator(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	coord := e.signedIn(t, w.Coordinator)
	bcn := w.Barcelona
	form := prefixForm(url.Values{"opens_at": {e.clock.Now().Add(-time.Hour).In(bcn.Location()).Format(dateTimeLayout)},
		"closes_at": {e.clock.Now().Add(time.Hour).In(bcn.Location()).Format(dateTimeLayout)}, "max_choices": {"2"}},
		pavilionPrefix(w.WuxiPavilion.ID))
	resp, body := coord.post(urls.OrganizerPavilionDraw(bcn.Slug, w.WuxiPavilion.ID), form)
	if resp.StatusCode != s422 || !strings.Contains(body, "rules of its own") {
		t.Fatalf("a pavilion without rules: %d\n%s", resp.StatusCode, excerpt(body))
	}
	opens := e.clock.Now().Add(-time.Hour)
	if _, err := e.store.BookingRulesSetPavilion(ctx, expodesk.BookingRules{ExpoID: bcn.ID, PavilionID: &w.WuxiPavilion.ID,
		OpensAt: &opens, SlotQuota: 2, CancelHoursBefore: 48}); err != nil {
		t.Fatal(err)
	}
	if resp, body = coord.post(urls.OrganizerPavilionDraw(bcn.Slug, w.WuxiPavilion.ID), form); resp.StatusCode != s303 {
		t.Fatalf("set up: %d\n%s", resp.StatusCode, excerpt(body))
	}
	if resp, _ = coord.post(urls.OrganizerPavilionDrawRun(w.Wuxi.Slug, w.EuroPavilion.ID), nil); resp.StatusCode != s404 {
		t.Errorf("another pavilion's run: %d", resp.StatusCode)
	}
	d, err := e.store.DrawFor(ctx, bcn.ID, &w.WuxiPavilion.ID)
	if err != nil {
		t.Fatal(err)
	}
	a := e.signedIn(t, w.ExhibitorA)
	if resp, body = a.post(urls.ExhibitorDrawRanking(bcn.Slug, d.ID), url.Values{choiceField(d, 1): {itoa(w.Slots[2].ID)}}); resp.StatusCode != s303 {
		t.Fatalf("rank: %d\n%s", resp.StatusCode, excerpt(body))
	}
	e.clock.Advance(2 * time.Hour)
	if resp, body = coord.post(urls.OrganizerPavilionDrawRun(bcn.Slug, w.WuxiPavilion.ID), nil); resp.StatusCode != s303 {
		t.Fatalf("run: %d\n%s", resp.StatusCode, excerpt(body))
	}
	if b, err := e.store.BookingActiveForSlot(ctx, w.Slots[2].ID); err != nil || b.ExhibitorID != w.Sensing.ID {
		t.Errorf("the slot drawn: %+v %v", b, err)
	}
	if n := e.count(`SELECT count(*) FROM audit_entry WHERE action = $1 AND pavilion_id = $2`, string(expodesk.ActionDrawRun), w.WuxiPavilion.ID); n != 1 {
		t.Errorf("%d run audit entries in the pavilion's scope", n)
	}
}

// TestDrawRunTwiceAtOnce (issue 9, item 8): the draw's run sent many
// times at once through two server instances allocates once: one run
// succeeds, every other is told the draw has already run, and the
// bookings are those of one run. Then a negative control: with the run's
// primary key taken away, the invariant query catches a second run.
func TestDrawRunTwiceAtOnce(t *testing.T) {
	t.Parallel()
	w := newRaceWorld(t, 30)
	e := w.e
	ctx := context.Background()
	slots := w.slots(t, 20)
	now := e.clock.Now()
	d, err := e.store.DrawSet(ctx, expodesk.Draw{ExpoID: w.expo.ID, OpensAt: now.Add(-2 * time.Hour), ClosesAt: now.Add(-time.Hour), MaxChoices: 5})
	if err != nil {
		t.Fatal(err)
	}
	var companies []int64
	if err := e.pool.QueryRow(ctx, `SELECT array_agg(id ORDER BY id) FROM exhibitor WHERE slug LIKE 'racer-%'`).Scan(&companies); err != nil {
		t.Fatal(err)
	}
	for i, c := range companies {
		var ranked []int64
		for k := range 5 {
			ranked = append(ranked, slots[(i+k*3)%len(slots)].ID)
		}
		if _, err := e.store.DrawRequestSet(ctx, d.ID, c, ranked); err != nil {
			t.Fatal(err)
		}
	}
	orgA := e.createAccount(expodesk.User{Email: "race-organizer@example.org", Role: expodesk.RoleOrganizer,
		PersonName: expodesk.PersonName{FamilyName: "Org"}, Lang: expodesk.EN})
	e.enrolTOTP(&orgA)
	second := e.secondInstance()
	var shots []*shot
	for i := range 10 {
		base := e.ts.URL
		if i%2 == 1 {
			base = second.URL
		}
		c := e.newClientOf(t, base)
		c.signIn(orgA)
		shots = append(shots, &shot{c: c, path: urls.OrganizerDrawRun(w.expo.Slug)})
	}
	burst(shots)
	ran, told := 0, 0
	for _, s := range shots {
		switch {
		case s.err != nil:
			t.Fatal(s.err)
		case s.status == http.StatusSeeOther:
			ran++
		case s.status == http.StatusConflict && strings.Contains(s.body, "The draw has already run"):
			told++
		default:
			t.Errorf("answer %d %s", s.status, excerpt(s.body))
		}
	}
	if ran != 1 || told != 9 {
		t.Errorf("%d runs, %d told it had run; want 1 and 9", ran, told)
	}
	check := func() drawViolations { return drawInvariants(t, e, d.ID) }
	if v := check(); v != (drawViolations{Runs: 1}) {
		t.Errorf("invariants after the burst: %+v", v)
	}
	if v := bookingViolations(t, e); v != (violations{}) {
		t.Errorf("booking invariants: %+v", v)
	}
	if n := e.count(`SELECT count(*) FROM booking WHERE status = 'active'`); n != 20 {
		t.Errorf("%d bookings after the draw, want the 20 slots", n)
	}

	t.Run("NegativeControl", func(t *testing.T) {
		// A second run recorded beside the first, as two runs past a lock
		// without the primary key would leave it, and its bookings: the
		// invariant query sees both.
		if _, err := e.pool.Exec(ctx, `ALTER TABLE slot_draw_entry DROP CONSTRAINT slot_draw_entry_draw_id_fkey;
			ALTER TABLE slot_draw_run DROP CONSTRAINT slot_draw_run_pkey;
			INSERT INTO slot_draw_run (draw_id, seed, drawn_at, participants) SELECT draw_id, seed, drawn_at, participants FROM slot_draw_run;
			DROP INDEX booking_one_active_per_slot;
			ALTER TABLE booking DROP CONSTRAINT booking_exhibitor_no_overlap;
			INSERT INTO booking (slot_id, exhibitor_id) SELECT slot_id, exhibitor_id FROM booking WHERE status = 'active' LIMIT 1`); err != nil {
			t.Fatal(err)
		}
		if v := check(); v.Runs != 2 {
			t.Errorf("the invariant query missed a second run: %+v", v)
		}
		if v := bookingViolations(t, e); v.Double == 0 {
			t.Errorf("the booking invariant missed a slot booked twice: %+v", v)
		}
	})
}

type drawViolations struct{ Runs int }

// drawInvariants counts the runs recorded for a draw.
func drawInvariants(t *testing.T, e *testEnv, drawID int64) drawViolations {
	t.Helper()
	return drawViolations{Runs: e.count(`SELECT count(*) FROM slot_draw_run WHERE draw_id = $1`, drawID)}
}
