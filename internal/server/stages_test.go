package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

// TestStageConsole: a coordinator creates a stage in their pavilion through
// the form, bad input keeps what was typed, the edit reaches the stored
// stage, and a stage with a booking is not deleted.
func TestStageConsole(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	coord := e.signedIn(t, w.Coordinator)
	bcn := w.Barcelona.Slug

	// The coordinator's form offers their pavilion only.
	_, body := coord.get(urls.OrganizerStageNew(bcn))
	if opts := doc(t, body).Find(`select[name="pavilion"] option`); opts.Length() != 1 || opts.AttrOr("value", "") != itoa(w.WuxiPavilion.ID) {
		t.Errorf("the coordinator's pavilion choices: %d", opts.Length())
	}
	form := url.Values{"name_en": {"Side Stage"}, "name_zh": {"侧台"}, "location_en": {"Hall 2, north"}, "location_zh": {"2号馆北侧"},
		"location_es": {"Pabellón 2, norte"}, "slug": {"side-stage"}, "pavilion": {itoa(w.WuxiPavilion.ID)}, "position": {"20"}}
	resp, body := coord.post(urls.OrganizerStages(bcn), form)
	if resp.StatusCode != s303 {
		t.Fatalf("create: %d\n%s", resp.StatusCode, excerpt(body))
	}
	stages, err := e.store.StageListScoped(ctx, w.Barcelona.ID, w.WuxiPavilion.ID)
	if err != nil || len(stages) != 2 {
		t.Fatalf("stages %+v %v", stages, err)
	}
	side := stages[1]
	if resp.Header.Get("Location") != urls.OrganizerStage(bcn, side.ID) || side.Location.ZH != "2号馆北侧" || side.Position != 20 {
		t.Errorf("created %+v, Location %s", side, resp.Header.Get("Location"))
	}
	if _, body := coord.get(urls.OrganizerStages(bcn)); !strings.Contains(body, "Side Stage") || !strings.Contains(body, "Wuxi Stage") {
		t.Errorf("stage list:\n%s", excerpt(body))
	}

	t.Run("BadInputKeepsWhatWasTyped", func(t *testing.T) {
		for field, tc := range map[string]struct{ value, message string }{
			"slug":     {"wuxi-stage", "Another stage of this expo"},
			"pavilion": {"", "Choose one of the options"},
			"name_en":  {"", "at least one language"},
		} {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			f.Set("slug", "typed-slug")
			f.Set(field, tc.value)
			if field == "name_en" {
				f.Del("name_zh")
			}
			before := e.snapshot()
			resp, body := coord.post(urls.OrganizerStages(bcn), f)
			if resp.StatusCode != s422 {
				t.Errorf("%s=%q: %d, want 422", field, tc.value, resp.StatusCode)
				continue
			}
			d := doc(t, body)
			if msg := d.Find("#" + field + "-error").Text(); !strings.Contains(msg, tc.message) {
				t.Errorf("%s: message %q, want %q", field, msg, tc.message)
			}
			if v := d.Find(`input[name="location_zh"]`).AttrOr("value", ""); v != "2号馆北侧" {
				t.Errorf("%s: the typed location is lost: %q", field, v)
			}
			if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
				t.Errorf("%s: refused form changed %v", field, changed)
			}
		}
	})
	t.Run("Edit", func(t *testing.T) {
		f := stageValues(side)
		f.Set("name_es", "Escenario lateral")
		if resp, body := coord.post(urls.OrganizerStage(bcn, side.ID), f); resp.StatusCode != s303 {
			t.Fatalf("update: %d\n%s", resp.StatusCode, excerpt(body))
		}
		if st, _ := e.store.StageGet(ctx, side.ID); st.Name.ES != "Escenario lateral" || st.Location.EN != "Hall 2, north" {
			t.Errorf("after the edit %+v", st)
		}
	})
	t.Run("DeleteRefusedWithBooking", func(t *testing.T) {
		resp, body := coord.post(urls.OrganizerStageDelete(bcn, w.Stage.ID), nil)
		if resp.StatusCode != s409 || !strings.Contains(body, "hold bookings") {
			t.Errorf("delete a booked stage: %d\n%s", resp.StatusCode, excerpt(body))
		}
		if resp, _ := coord.post(urls.OrganizerStageDelete(bcn, side.ID), nil); resp.StatusCode != s303 {
			t.Errorf("delete: %d", resp.StatusCode)
		}
		if _, err := e.store.StageGet(ctx, side.ID); err == nil {
			t.Error("the stage is still there")
		}
	})
}

// TestSlotGeneration generates 01:00–05:00 on the autumn clock-change
// night: the preview lists five slots with their offsets and explains the
// change, the save creates them in one go, and the grid shows them free.
// Bad plans and clashes answer 422 and change nothing.
func TestSlotGeneration(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	org := e.signedIn(t, w.Organizer)
	x, err := e.store.ExpoCreate(ctx, expodesk.Expo{Slug: "autumn-expo", Name: expodesk.Text{EN: "Autumn Expo"},
		City: expodesk.Text{EN: "Barcelona"}, Country: "ES", TimeZone: "Europe/Madrid",
		FirstDay: time.Date(2027, 10, 30, 0, 0, 0, 0, time.UTC), LastDay: time.Date(2027, 11, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	st, err := e.store.StageCreate(ctx, expodesk.Stage{ExpoID: x.ID, Slug: "main", Name: expodesk.Text{EN: "Main Stage"}})
	if err != nil {
		t.Fatal(err)
	}
	plan := url.Values{"day": {"2027-10-31"}, "first_start": {"01:00"}, "last_end": {"05:00"}, "length": {"60"}, "break": {"0"}}

	resp, body := org.get(urls.OrganizerStageGenerate(x.Slug, st.ID, plan))
	if resp.StatusCode != s200 {
		t.Fatalf("preview: %d\n%s", resp.StatusCode, excerpt(body))
	}
	d := doc(t, body)
	rows := d.Find(`[data-testid="preview-slot"]`)
	if rows.Length() != 5 {
		t.Fatalf("preview lists %d slots, want 5\n%s", rows.Length(), excerpt(body))
	}
	if second := rows.Eq(1).Text(); !strings.Contains(second, "02:00 CEST (UTC+2)") || !strings.Contains(second, "02:00 CET (UTC+1)") {
		t.Errorf("the repeated hour's slot reads %q", second)
	}
	if note := d.Find(`[data-testid="clock-change"]`).Text(); !strings.Contains(note, "25 hours") {
		t.Errorf("clock change note %q", note)
	}
	if n, _ := e.store.SlotGrid(ctx, x.ID, 0, 0, time.Time{}, time.Now().AddDate(10, 0, 0)); len(n) != 0 {
		t.Fatal("the preview created slots")
	}
	// The save button posts the plan as typed.
	hidden := url.Values{}
	d.Find(`#preview form input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
		hidden.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	for k := range plan {
		if hidden.Get(k) != plan.Get(k) {
			t.Errorf("hidden %s = %q, want %q", k, hidden.Get(k), plan.Get(k))
		}
	}
	resp, body = org.post(urls.OrganizerStageGenerate(x.Slug, st.ID, nil), hidden)
	if resp.StatusCode != s303 {
		t.Fatalf("save: %d\n%s", resp.StatusCode, excerpt(body))
	}
	grid := resp.Header.Get("Location")
	_, body = org.get(grid)
	if n := doc(t, body).Find(`[data-testid="grid-slot"][data-status="free"]`).Length(); n != 5 {
		t.Errorf("grid shows %d free slots, want 5\n%s", n, excerpt(body))
	}
	if !strings.Contains(body, "The slots were created.") {
		t.Error("no flash after the save")
	}
	var audited int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM audit_entry WHERE action = 'slot.generate' AND object_id = $1`, itoa(st.ID)).Scan(&audited); err != nil || audited != 1 {
		t.Errorf("audit entries %d %v", audited, err)
	}

	t.Run("BadInputNothingChanged", func(t *testing.T) {
		for _, tc := range []struct {
			name, field, value, message string
		}{
			{"EndBeforeStart", "last_end", "00:30", "must be after the start"},
			{"ZeroLength", "length", "0", "more than zero"},
			{"NegativeLength", "length", "-15", "more than zero"},
			{"OverTwelveHours", "length", "721", "twelve hours at most"},
			{"DayOutsideExpo", "day", "2027-11-02", "Choose a day of the expo"},
			{"NotATime", "first_start", "noon", "time of day"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f := url.Values{}
				for k, v := range plan {
					f[k] = v
				}
				f.Set(tc.field, tc.value)
				before := e.snapshot()
				for _, method := range []string{"GET", "POST"} {
					var resp *http.Response
					var body string
					if method == "GET" {
						resp, body = org.get(urls.OrganizerStageGenerate(x.Slug, st.ID, f))
					} else {
						resp, body = org.post(urls.OrganizerStageGenerate(x.Slug, st.ID, nil), f)
					}
					if resp.StatusCode != s422 {
						t.Errorf("%s: %d, want 422\n%s", method, resp.StatusCode, excerpt(body))
						continue
					}
					if msg := doc(t, body).Find("#" + tc.field + "-error").Text(); !strings.Contains(msg, tc.message) {
						t.Errorf("%s: message %q, want %q", method, msg, tc.message)
					}
				}
				if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
					t.Errorf("bad input changed %v", changed)
				}
			})
		}
	})
	t.Run("ClashAllOrNothing", func(t *testing.T) {
		f := url.Values{"day": {"2027-10-31"}, "first_start": {"04:00"}, "last_end": {"07:00"}, "length": {"30"}}
		_, body := org.get(urls.OrganizerStageGenerate(x.Slug, st.ID, f))
		d := doc(t, body)
		if n := d.Find(`tr.clash`).Length(); n != 2 {
			t.Errorf("%d clashes flagged, want 2", n)
		}
		if d.Find(`#preview form`).Length() != 0 {
			t.Error("the preview offers to save slots that clash")
		}
		before := e.snapshot()
		resp, body := org.post(urls.OrganizerStageGenerate(x.Slug, st.ID, nil), f)
		if resp.StatusCode != s422 || !strings.Contains(doc(t, body).Find("#first_start-error").Text(), "No slot was created") {
			t.Errorf("clash: %d\n%s", resp.StatusCode, excerpt(body))
		}
		if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
			t.Errorf("a clashing generation changed %v", changed)
		}
	})
	t.Run("SpringNight", func(t *testing.T) {
		y, err := e.store.ExpoCreate(ctx, expodesk.Expo{Slug: "spring-expo", Name: expodesk.Text{EN: "Spring Expo"},
			City: expodesk.Text{EN: "Barcelona"}, Country: "ES", TimeZone: "Europe/Madrid",
			FirstDay: time.Date(2027, 3, 27, 0, 0, 0, 0, time.UTC), LastDay: time.Date(2027, 3, 29, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		sst, err := e.store.StageCreate(ctx, expodesk.Stage{ExpoID: y.ID, Slug: "main", Name: expodesk.Text{EN: "Main Stage"}})
		if err != nil {
			t.Fatal(err)
		}
		f := url.Values{"day": {"2027-03-28"}, "first_start": {"01:00"}, "last_end": {"05:00"}, "length": {"60"}}
		_, body := org.get(urls.OrganizerStageGenerate(y.Slug, sst.ID, f))
		d := doc(t, body)
		if rows := d.Find(`[data-testid="preview-slot"]`); rows.Length() != 3 || !strings.Contains(rows.Eq(0).Text(), "03:00 CEST") ||
			!strings.Contains(rows.Eq(0).Text(), "the clocks change during this slot") {
			t.Errorf("spring preview: %d rows, first %q", rows.Length(), rows.Eq(0).Text())
		}
		if note := d.Find(`[data-testid="clock-change"]`).Text(); !strings.Contains(note, "23 hours") {
			t.Errorf("spring note %q", note)
		}
		f.Set("first_start", "02:30")
		resp, body := org.get(urls.OrganizerStageGenerate(y.Slug, sst.ID, f))
		if resp.StatusCode != s422 || !strings.Contains(doc(t, body).Find("#first_start-error").Text(), "clocks skip") {
			t.Errorf("skipped time: %d\n%s", resp.StatusCode, excerpt(body))
		}
	})
}

// TestSlotGridAndEdits: the grid names the company of a booked slot, a
// coordinator sees their pavilion's stages only, a slot is blocked with a
// label, and a booked slot is neither blocked nor deleted.
func TestSlotGridAndEdits(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	coord := e.signedIn(t, w.Coordinator)
	org := e.signedIn(t, w.Organizer)
	bcn := w.Barcelona.Slug
	plain, err := e.store.StageCreate(ctx, expodesk.Stage{ExpoID: w.Barcelona.ID, Slug: "main", Name: expodesk.Text{EN: "Main Stage"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.SlotCreate(ctx, expodesk.Slot{StageID: plain.ID, StartsAt: w.Slots[0].StartsAt, EndsAt: w.Slots[0].EndsAt}); err != nil {
		t.Fatal(err)
	}
	q := url.Values{"day": {"2027-05-11"}}

	_, body := coord.get(urls.OrganizerSlotGrid(bcn, q))
	d := doc(t, body)
	if d.Find("table[data-testid=grid]").Length() != 1 || strings.Contains(body, "Main Stage") {
		t.Errorf("the coordinator's grid shows %d tables, or another stage", d.Find("table[data-testid=grid]").Length())
	}
	booked := d.Find(`[data-testid="grid-slot"][data-status="booked"]`)
	if booked.Length() != 1 || !strings.Contains(booked.Text(), "Taihu Sensing") || !strings.Contains(booked.Text(), "传感器赋能智慧城市") {
		t.Errorf("booked row %q", booked.Text())
	}
	if n := d.Find(`[data-testid="grid-slot"][data-status="free"]`).Length(); n != 3 {
		t.Errorf("%d free, want 3", n)
	}
	if d.Find(".table-wrap").Length() == 0 || d.Find("th[scope=row]").Length() != 4 {
		t.Error("the grid is not a scrollable table with row headers")
	}
	if _, body := org.get(urls.OrganizerSlotGrid(bcn, q)); doc(t, body).Find("table[data-testid=grid]").Length() != 2 {
		t.Error("the organizer does not see both stages")
	}

	t.Run("BlockWithLabel", func(t *testing.T) {
		sl := w.Slots[3]
		zone := w.Barcelona.Location()
		f := url.Values{"starts_at": {sl.StartsAt.In(zone).Format(dateTimeLayout)}, "ends_at": {sl.EndsAt.In(zone).Format(dateTimeLayout)},
			"blocked": {"on"}, "label_en": {"Keynote"}, "label_zh": {"主旨演讲"}}
		if resp, body := coord.post(urls.OrganizerSlot(bcn, sl.ID), f); resp.StatusCode != s303 {
			t.Fatalf("block: %d\n%s", resp.StatusCode, excerpt(body))
		}
		_, body := e.signedIn(t, w.Coordinator).get(urls.OrganizerSlotGrid(bcn, q) + "&lang=zh")
		if blocked := doc(t, body).Find(`[data-status="blocked"]`); blocked.Length() != 1 || !strings.Contains(blocked.Text(), "主旨演讲") {
			t.Errorf("blocked row %q", blocked.Text())
		}
	})
	t.Run("MoveOverlapKeepsWhatWasTyped", func(t *testing.T) {
		before := e.snapshot()
		f := url.Values{"starts_at": {"2027-05-11T11:15"}, "ends_at": {"2027-05-11T11:45"}}
		resp, body := coord.post(urls.OrganizerSlot(bcn, w.Slots[1].ID), f)
		if resp.StatusCode != s422 || !strings.Contains(doc(t, body).Find("#starts_at-error").Text(), "overlap another slot") {
			t.Errorf("overlap: %d\n%s", resp.StatusCode, excerpt(body))
		}
		if v := doc(t, body).Find(`input[name="starts_at"]`).AttrOr("value", ""); v != "2027-05-11T11:15" {
			t.Errorf("typed start lost: %q", v)
		}
		if changed := changedTables(before, e.snapshot()); len(changed) > 0 {
			t.Errorf("changed %v", changed)
		}
	})
	t.Run("BookedSlotRefused", func(t *testing.T) {
		before := e.snapshot()
		resp, body := coord.post(urls.OrganizerSlotDelete(bcn, w.Slots[0].ID), nil)
		if resp.StatusCode != s409 || !strings.Contains(body, "Taihu Sensing") {
			t.Errorf("delete booked: %d\n%s", resp.StatusCode, excerpt(body))
		}
		if changed := changedTables(before, e.snapshot()); len(changed) > 1 || (len(changed) == 1 && changed[0] != "audit_entry") {
			t.Errorf("changed %v", changed)
		}
		_, body = coord.get(urls.OrganizerSlot(bcn, w.Slots[0].ID))
		if !strings.Contains(doc(t, body).Find(`[data-testid="slot-booked"]`).Text(), "Taihu Sensing") {
			t.Error("the slot page does not say who booked it")
		}
	})
	t.Run("Delete", func(t *testing.T) {
		resp, _ := coord.post(urls.OrganizerSlotDelete(bcn, w.Slots[2].ID), nil)
		if resp.StatusCode != s303 {
			t.Fatalf("delete: %d", resp.StatusCode)
		}
		if _, err := e.store.SlotGetRow(ctx, w.Slots[2].ID); err == nil {
			t.Error("slot still there")
		}
	})
}
