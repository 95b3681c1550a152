package server

import (
	"context"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

// controlFixture books fresh slots for the organizer-control rows: each
// call a new slot on 13 May at a time no other call uses, booked by Nube
// Catalana (whose other bookings are on other days).
type controlFixture struct {
	e *testEnv
	w world
	n atomic.Int64
}

// free creates a free slot on stage.
func (f *controlFixture) free(stageID int64) expodesk.Slot {
	f.e.t.Helper()
	start := time.Date(2027, 5, 13, 17, 0, 0, 0, f.w.Barcelona.Location()).Add(time.Duration(f.n.Add(1)) * 10 * time.Minute)
	sl, err := f.e.store.SlotCreate(context.Background(), expodesk.Slot{StageID: stageID, StartsAt: start, EndsAt: start.Add(5 * time.Minute)})
	if err != nil {
		f.e.t.Fatal(err)
	}
	return sl
}

// booked creates a slot on stage and an active booking of it.
func (f *controlFixture) booked(stageID int64) expodesk.Slot {
	f.e.t.Helper()
	sl := f.free(stageID)
	if _, err := f.e.store.BookingCreate(context.Background(), expodesk.Booking{SlotID: sl.ID, ExhibitorID: f.w.Cloud.ID}, nil); err != nil {
		f.e.t.Fatal(err)
	}
	return sl
}

// plainStage is a new expo-wide stage of Barcelona (no coordinator's).
func (f *controlFixture) plainStage() expodesk.Stage {
	f.e.t.Helper()
	st, err := f.e.store.StageCreate(context.Background(), expodesk.Stage{ExpoID: f.w.Barcelona.ID,
		Slug: "control-plain-" + itoa(f.n.Add(1)), Name: expodesk.Text{EN: "Control Stage"}})
	if err != nil {
		f.e.t.Fatal(err)
	}
	return st
}

// controlMatrixCases are the matrix rows of organizer control of bookings.
func controlMatrixCases(e *testEnv, w world) []matrixCase {
	f := &controlFixture{e: e, w: w}
	bcn := w.Barcelona.Slug
	plain := f.plainStage()
	writes := func(coord, org int) [roleCount]int { return [roleCount]int{s401, s403, s403, coord, org} }
	reason := url.Values{"reason": {"The stage is closed."}}
	path := func(p string) func(role) string { return func(role) string { return p } }
	free := f.w.Slots[3]
	// move books a slot on stage from and a free one on stage to for each
	// role; the row's form (read when the request is sent) names the latter.
	inPavilion, toPlain, fromPlain := url.Values{}, url.Values{}, url.Values{}
	move := func(from, to int64, form url.Values) func(role) string {
		return func(role) string {
			sl := f.booked(from)
			form.Set("to", itoa(f.free(to).ID))
			return urls.OrganizerSlotMoveBooking(bcn, sl.ID)
		}
	}
	return []matrixCase{
		{method: "POST", pattern: "/organizer/expos/{expo}/slots/{slot}/cancel", object: "a booked slot in the Wuxi Pavilion",
			path: func(role) string { return urls.OrganizerSlotCancelBooking(bcn, f.booked(w.Stage.ID).ID) }, form: reason,
			want: writes(s303, s303)},
		{method: "POST", pattern: "/organizer/expos/{expo}/slots/{slot}/cancel", object: "a booked slot of an expo-wide stage",
			path: func(role) string { return urls.OrganizerSlotCancelBooking(bcn, f.booked(plain.ID).ID) }, form: reason,
			want: writes(s404, s303)},
		{method: "POST", pattern: "/organizer/expos/{expo}/slots/{slot}/cancel", object: "no reason",
			path: path(urls.OrganizerSlotCancelBooking(bcn, w.Slots[0].ID)), want: writes(s422, s422)},
		{method: "POST", pattern: "/organizer/expos/{expo}/slots/{slot}/cancel", object: "a free slot",
			path: path(urls.OrganizerSlotCancelBooking(bcn, free.ID)), form: reason, want: writes(s409, s409)},
		{method: "POST", pattern: "/organizer/expos/{expo}/slots/{slot}/cancel", object: "a slot under another expo",
			path: path(urls.OrganizerSlotCancelBooking(w.Wuxi.Slug, w.Slots[0].ID)), form: reason, want: writes(s404, s404)},
		{method: "POST", pattern: "/organizer/expos/{expo}/slots/{slot}/book", object: "a free slot in the Wuxi Pavilion, its company",
			path: func(role) string { return urls.OrganizerSlotBookFor(bcn, f.free(w.Stage.ID).ID) },
			form: url.Values{"exhibitor": {itoa(w.Sensing.ID)}}, want: writes(s303, s303)},
		{method: "POST", pattern: "/organizer/expos/{expo}/slots/{slot}/book", object: "a free slot in the Wuxi Pavilion, a company outside it",
			path: func(role) string { return urls.OrganizerSlotBookFor(bcn, f.free(w.Stage.ID).ID) },
			form: url.Values{"exhibitor": {itoa(w.Cloud.ID)}}, want: writes(s422, s303)},
		{method: "POST", pattern: "/organizer/expos/{expo}/slots/{slot}/book", object: "a free slot of an expo-wide stage",
			path: func(role) string { return urls.OrganizerSlotBookFor(bcn, f.free(plain.ID).ID) },
			form: url.Values{"exhibitor": {itoa(w.Cloud.ID)}}, want: writes(s404, s303)},
		{method: "POST", pattern: "/organizer/expos/{expo}/slots/{slot}/book", object: "no company",
			path: path(urls.OrganizerSlotBookFor(bcn, free.ID)), want: writes(s422, s422)},
		{method: "POST", pattern: "/organizer/expos/{expo}/slots/{slot}/book", object: "a company not approved",
			path: path(urls.OrganizerSlotBookFor(bcn, free.ID)), form: url.Values{"exhibitor": {itoa(w.Hidden.ID)}}, want: writes(s422, s422)},
		{method: "POST", pattern: "/organizer/expos/{expo}/slots/{slot}/move", object: "within the Wuxi Pavilion",
			path: move(w.Stage.ID, w.Stage.ID, inPavilion), form: inPavilion, want: writes(s303, s303)},
		{method: "POST", pattern: "/organizer/expos/{expo}/slots/{slot}/move", object: "to an expo-wide stage",
			path: move(w.Stage.ID, plain.ID, toPlain), form: toPlain, want: writes(s422, s303)},
		{method: "POST", pattern: "/organizer/expos/{expo}/slots/{slot}/move", object: "from an expo-wide stage",
			path: move(plain.ID, plain.ID, fromPlain), form: fromPlain, want: writes(s404, s303)},
		{method: "GET", pattern: "/organizer/expos/{expo}/agenda.csv", path: path(urls.OrganizerAgendaCSV(bcn)),
			want: [roleCount]int{s303, s403, s403, s200, s200}},
		{method: "GET", pattern: "/organizer/expos/{expo}/agenda.csv", object: "another expo", path: path(urls.OrganizerAgendaCSV(w.Wuxi.Slug)),
			want: [roleCount]int{s303, s403, s403, s404, s200}},
		{method: "POST", pattern: "/organizer/expos/{expo}/slots/{slot}/move", object: "no target",
			path: path(urls.OrganizerSlotMoveBooking(bcn, w.Slots[0].ID)), want: writes(s422, s422)},
	}
}

// controlCSRFCases are the cross-site rows of organizer control.
func controlCSRFCases(e *testEnv, w world) []csrfCase {
	f := &controlFixture{e: e, w: w}
	return []csrfCase{
		{pattern: "/organizer/expos/{expo}/slots/{slot}/cancel", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.Coordinator), urls.OrganizerSlotCancelBooking(w.Barcelona.Slug, f.booked(w.Stage.ID).ID),
				url.Values{"reason": {"Moved to another day."}}
		}},
		{pattern: "/organizer/expos/{expo}/slots/{slot}/book", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.Organizer), urls.OrganizerSlotBookFor(w.Barcelona.Slug, f.free(w.Stage.ID).ID),
				url.Values{"exhibitor": {itoa(w.Sensing.ID)}}
		}},
		{pattern: "/organizer/expos/{expo}/slots/{slot}/move", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.Coordinator), urls.OrganizerSlotMoveBooking(w.Barcelona.Slug, f.booked(w.Stage.ID).ID),
				url.Values{"to": {itoa(f.free(w.Stage.ID).ID)}}
		}},
	}
}

// TestOrganizerCancelBookingPage: from the grid, an organizer cancels a
// booking with a reason; the slot shows free, the company's team is
// mailed, the audit has it; a missing reason is a 422 at the field with
// nothing changed.
func TestOrganizerCancelBookingPage(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	org := e.signedIn(t, w.Organizer)
	bcn := w.Barcelona.Slug
	grid := urls.OrganizerSlotGrid(bcn, url.Values{"day": {"2027-05-11"}, "stage": {itoa(w.Stage.ID)}})

	_, body := org.get(grid)
	d := doc(t, body)
	action := urls.OrganizerSlotCancelBooking(bcn, w.Slots[0].ID)
	if d.Find(`form[action="`+action+`"] input[name="reason"]`).Length() != 1 {
		t.Fatalf("the grid row has no cancel form:\n%s", excerpt(body))
	}

	before := e.snapshot()
	resp, body := org.post(action, url.Values{"reason": {"  "}})
	if resp.StatusCode != s422 {
		t.Fatalf("no reason: %d", resp.StatusCode)
	}
	if msg := doc(t, body).Find("#reason-error").Text(); msg == "" {
		t.Errorf("no message at the reason field:\n%s", excerpt(body))
	}
	if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
		t.Errorf("refused form changed %v", changed)
	}

	resp, body = org.post(action, url.Values{"reason": {"The stage is closed for repairs."}})
	if resp.StatusCode != s303 || resp.Header.Get("Location") != grid {
		t.Fatalf("cancel: %d %s\n%s", resp.StatusCode, resp.Header.Get("Location"), excerpt(body))
	}
	if _, err := e.store.BookingActiveForSlot(ctx, w.Slots[0].ID); err == nil {
		t.Error("the slot is still booked")
	}
	_, body = org.get(grid)
	if !strings.Contains(body, "Booking cancelled") {
		t.Errorf("no flash after cancelling:\n%s", excerpt(body))
	}
	var mails, audits int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM mail_message m JOIN app_user u ON u.email = m.to_addr
		WHERE m.kind = $1 AND u.exhibitor_id = $2 AND m.body_text LIKE '%closed for repairs%'`,
		string(expodesk.MailBookingCancelled), w.Sensing.ID).Scan(&mails); err != nil {
		t.Fatal(err)
	}
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM audit_entry WHERE action = $1 AND actor_id = $2`,
		string(expodesk.ActionBookingOrganizerCancel), w.Organizer.ID).Scan(&audits); err != nil {
		t.Fatal(err)
	}
	if mails == 0 || audits != 1 {
		t.Errorf("mails to the company %d, audit entries %d", mails, audits)
	}
}

// TestOrganizerBookForPage: the free slot's page offers the pavilion's
// approved companies to a coordinator, and booking one fills the grid.
func TestOrganizerBookForPage(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	coord := e.signedIn(t, w.Coordinator)
	bcn := w.Barcelona.Slug
	sl := w.Slots[2]
	_, body := coord.get(urls.OrganizerSlot(bcn, sl.ID))
	opts := doc(t, body).Find(`form[action="` + urls.OrganizerSlotBookFor(bcn, sl.ID) + `"] select[name="exhibitor"] option`)
	if opts.Length() != 2 || opts.Eq(1).AttrOr("value", "") != itoa(w.Sensing.ID) {
		t.Fatalf("company choices %d:\n%s", opts.Length(), excerpt(body))
	}
	resp, body := coord.post(urls.OrganizerSlotBookFor(bcn, sl.ID), url.Values{"exhibitor": {itoa(w.Sensing.ID)}})
	if resp.StatusCode != s303 {
		t.Fatalf("book for: %d\n%s", resp.StatusCode, excerpt(body))
	}
	b, err := e.store.BookingActiveForSlot(context.Background(), sl.ID)
	if err != nil || b.ExhibitorID != w.Sensing.ID {
		t.Fatalf("booking %+v %v", b, err)
	}
	_, body = coord.get(resp.Header.Get("Location"))
	if !strings.Contains(body, "Slot booked for the company.") {
		t.Errorf("no flash:\n%s", excerpt(body))
	}
}

// TestOrganizerMovePage: a booked slot's page offers the free slots the
// booking may move to; moving it frees the old slot and tells the company.
func TestOrganizerMovePage(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	coord := e.signedIn(t, w.Coordinator)
	bcn := w.Barcelona.Slug
	_, body := coord.get(urls.OrganizerSlot(bcn, w.Slots[0].ID))
	sel := doc(t, body).Find(`form[action="` + urls.OrganizerSlotMoveBooking(bcn, w.Slots[0].ID) + `"] select[name="to"]`)
	if sel.Find(`option[value="`+itoa(w.Slots[2].ID)+`"]`).Length() != 1 {
		t.Fatalf("no move to the free slot offered:\n%s", excerpt(body))
	}
	before := e.snapshot()
	if resp, _ := coord.post(urls.OrganizerSlotMoveBooking(bcn, w.Slots[0].ID), url.Values{"to": {""}}); resp.StatusCode != s422 {
		t.Fatalf("no target: %d", resp.StatusCode)
	}
	if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
		t.Errorf("refused form changed %v", changed)
	}
	resp, body := coord.post(urls.OrganizerSlotMoveBooking(bcn, w.Slots[0].ID), url.Values{"to": {itoa(w.Slots[2].ID)}})
	if resp.StatusCode != s303 {
		t.Fatalf("move: %d\n%s", resp.StatusCode, excerpt(body))
	}
	b, err := e.store.BookingActiveForSlot(ctx, w.Slots[2].ID)
	if err != nil || b.ID != w.Booking.ID {
		t.Fatalf("moved booking %+v %v", b, err)
	}
	var mails int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM mail_message WHERE kind = $1`, string(expodesk.MailBookingMoved)).Scan(&mails); err != nil || mails == 0 {
		t.Errorf("mails %d (%v)", mails, err)
	}
}

// TestAgendaCSV: the agenda export is Excel-safe (BOM, CRLF, formulas
// guarded), in the expo's zone, and a coordinator's has their pavilion's
// stages only.
func TestAgendaCSV(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	bcn := w.Barcelona.Slug
	if _, err := e.store.BookingSetTexts(ctx, w.Booking.ID, expodesk.BookingText{
		Titles: expodesk.Text{EN: "=HYPERLINK(\"http://x\")", ZH: "传感器赋能智慧城市"}}); err != nil {
		t.Fatal(err)
	}
	f := &controlFixture{e: e, w: w}
	plain := f.plainStage()
	f.free(plain.ID)

	_, body := e.signedIn(t, w.Organizer).get(urls.OrganizerAgendaCSV(bcn))
	if !strings.HasPrefix(body, "\uFEFFday,start,end,stage,company,title_en,title_zh,title_es,status\r\n") {
		t.Fatalf("header:\n%q", excerpt(body))
	}
	want := "2027-05-11,10:30,11:00,Wuxi Stage,Taihu Sensing,\"'=HYPERLINK(\"\"http://x\"\")\",传感器赋能智慧城市,,booked\r\n"
	if !strings.Contains(body, want) {
		t.Errorf("booked row missing %q in:\n%s", want, body)
	}
	if !strings.Contains(body, "Control Stage") || !strings.Contains(body, ",free\r\n") {
		t.Errorf("the organizer's export lacks the expo-wide stage:\n%s", body)
	}
	_, body = e.signedIn(t, w.Coordinator).get(urls.OrganizerAgendaCSV(bcn))
	if strings.Contains(body, "Control Stage") || !strings.Contains(body, "Wuxi Stage") {
		t.Errorf("the coordinator's export is not scoped:\n%s", body)
	}
}
