package postgres_test

import (
	"slices"
	"testing"
	"time"

	"expodesk/internal/expodesk"
)

type agendaSlot struct {
	start  string // "15:04" Madrid
	stage  string
	booked string // exhibitor slug, "" when free
	title  string
}

func agendaOf(items []expodesk.AgendaItem, loc *time.Location) []agendaSlot {
	var out []agendaSlot
	for _, it := range items {
		s := agendaSlot{start: it.StartsAt.In(loc).Format("15:04"), stage: it.StageSlug}
		if it.Booked() {
			s.booked, s.title = it.ExhibitorSlug, it.Title
		}
		out = append(out, s)
	}
	return out
}

func TestAgenda(t *testing.T) {
	t.Parallel()
	v := newVisitorStore(t)
	e := v.expo("iotswc-2027")
	other := v.expo("wiot-2027")
	wuxi := v.pavilion(e.ID, "wuxi-pavilion")
	// Position decides the order of stages at the same time, not creation order.
	main := v.stage(e.ID, nil, "main", 2)
	wuxiStage := v.stage(e.ID, &wuxi.ID, "wuxi-stage", 1)
	otherStage := v.stage(other.ID, nil, "far", 0)

	taihu := v.exhibitor(expodesk.Exhibitor{Slug: "taihu-sensing", Name: expodesk.Text{ZH: "太湖传感"}})
	nube := v.exhibitor(expodesk.Exhibitor{Slug: "nube-catalana"})
	// Public agendas name only exhibitors approved at the expo.
	v.join(e.ID, taihu.ID, &wuxi.ID, expodesk.StatusApproved)
	v.join(other.ID, taihu.ID, nil, expodesk.StatusApproved)
	v.join(e.ID, nube.ID, nil, expodesk.StatusApproved)

	s1100 := v.slot(main.ID, 11, 0, 30)
	s1030main := v.slot(main.ID, 10, 30, 30)
	s1030wuxi := v.slot(wuxiStage.ID, 10, 30, 30)
	s1000wuxi := v.slot(wuxiStage.ID, 10, 0, 30)
	farSlot := v.slot(otherStage.ID, 9, 0, 30)
	v.book(s1030wuxi.ID, taihu.ID, "传感器赋能智慧城市")
	cancelled := v.book(s1100.ID, nube.ID, "Cancelled talk")
	v.exec(`UPDATE booking SET status = 'cancelled', cancelled_at = now() WHERE id = $1`, cancelled.ID)
	v.book(s1100.ID, taihu.ID, "Second try")
	v.book(farSlot.ID, taihu.ID, "Far away")
	_ = s1030main
	_ = s1000wuxi

	t.Run("ExpoInTimeThenStageOrder", func(t *testing.T) {
		items, err := v.s.Agenda(v.ctx, e.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := []agendaSlot{
			{"10:00", "wuxi-stage", "", ""},
			{"10:30", "wuxi-stage", "taihu-sensing", "传感器赋能智慧城市"},
			{"10:30", "main", "", ""},
			{"11:00", "main", "taihu-sensing", "Second try"},
		}
		if got := agendaOf(items, v.madrid); !slices.Equal(got, want) {
			t.Errorf("agenda\n got %v\nwant %v", got, want)
		}
	})
	t.Run("Pavilion", func(t *testing.T) {
		items, err := v.s.Agenda(v.ctx, e.ID, wuxi.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []agendaSlot{{"10:00", "wuxi-stage", "", ""}, {"10:30", "wuxi-stage", "taihu-sensing", "传感器赋能智慧城市"}}
		if got := agendaOf(items, v.madrid); !slices.Equal(got, want) {
			t.Errorf("agenda\n got %v\nwant %v", got, want)
		}
		it := items[1]
		if it.PavilionSlug != "wuxi-pavilion" || it.ExpoSlug != "iotswc-2027" || it.ExpoTimeZone != "Europe/Madrid" ||
			it.ExhibitorName.ZH != "太湖传感" || it.BookingID == nil || it.ExhibitorID == nil || *it.ExhibitorID != taihu.ID {
			t.Errorf("booked item = %+v", it)
		}
		if free := items[0]; free.Booked() || free.ExhibitorID != nil || free.Title != "" || free.ExhibitorSlug != "" {
			t.Errorf("free item = %+v", free)
		}
	})
	t.Run("EmptyExpo", func(t *testing.T) {
		empty := v.expo("empty")
		items, err := v.s.Agenda(v.ctx, empty.ID, 0)
		if err != nil || len(items) != 0 {
			t.Errorf("agenda of an expo without stages: %v, %v", items, err)
		}
	})
	t.Run("ByExhibitorAcrossExposInTimeOrder", func(t *testing.T) {
		items, err := v.s.AgendaByExhibitor(v.ctx, taihu.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, it := range items {
			got = append(got, it.ExpoSlug+" "+it.Title)
		}
		want := []string{"wiot-2027 Far away", "iotswc-2027 传感器赋能智慧城市", "iotswc-2027 Second try"}
		if !slices.Equal(got, want) {
			t.Errorf("exhibitor agenda %v, want %v", got, want)
		}
	})
	t.Run("WithdrawnExhibitorHeldButUnnamed", func(t *testing.T) {
		w := newVisitorStore(t)
		x := w.expo("iotswc-2027")
		st := w.stage(x.ID, nil, "main", 0)
		gone := w.exhibitor(expodesk.Exhibitor{Slug: "gone-co"})
		w.join(x.ID, gone.ID, nil, expodesk.StatusWithdrawn)
		w.book(w.slot(st.ID, 10, 0, 30).ID, gone.ID, "Secret talk")
		items, err := w.s.Agenda(w.ctx, x.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 1 || !items[0].Booked() || items[0].Presented() || items[0].Title != "" || items[0].ExhibitorSlug != "" {
			t.Errorf("agenda = %+v, want the slot held with no title or company", items)
		}
		mine, err := w.s.AgendaByExhibitor(w.ctx, gone.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(mine) != 0 {
			t.Errorf("withdrawn exhibitor's public agenda = %+v, want none", mine)
		}
	})
	t.Run("ByExhibitorLeavesOutCancelled", func(t *testing.T) {
		items, err := v.s.AgendaByExhibitor(v.ctx, nube.ID)
		if err != nil || len(items) != 0 {
			t.Errorf("a company whose only booking was cancelled: %v, %v", items, err)
		}
	})
}

func TestExpoSisters(t *testing.T) {
	t.Parallel()
	v := newVisitorStore(t)
	a := v.expo("iotswc-2027")
	b := v.expo("wiot-2027")
	c := v.expo("iotswc-2028")
	sisters := func(t *testing.T, id int64) []string {
		t.Helper()
		es, err := v.s.ExpoSisters(v.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range es {
			out = append(out, e.Slug)
		}
		return out
	}
	t.Run("NoneYet", func(t *testing.T) {
		if got := sisters(t, a.ID); len(got) != 0 {
			t.Errorf("sisters = %v", got)
		}
	})
	// Linked from the higher id to the lower: stored once, seen from both sides.
	v.must(v.s.ExpoLinkSisters(v.ctx, b.ID, a.ID))
	t.Run("Symmetric", func(t *testing.T) {
		if got := sisters(t, a.ID); !slices.Equal(got, []string{"wiot-2027"}) {
			t.Errorf("sisters of a = %v", got)
		}
		if got := sisters(t, b.ID); !slices.Equal(got, []string{"iotswc-2027"}) {
			t.Errorf("sisters of b = %v", got)
		}
	})
	t.Run("LinkTwiceEitherWay", func(t *testing.T) {
		v.must(v.s.ExpoLinkSisters(v.ctx, a.ID, b.ID))
		v.must(v.s.ExpoLinkSisters(v.ctx, b.ID, a.ID))
		var n int
		v.must(v.pool.QueryRow(v.ctx, `SELECT count(*) FROM expo_sister`).Scan(&n))
		if n != 1 {
			t.Errorf("%d sister rows, want 1", n)
		}
	})
	t.Run("SeveralSorted", func(t *testing.T) {
		v.must(v.s.ExpoLinkSisters(v.ctx, c.ID, b.ID))
		if got := sisters(t, b.ID); !slices.Equal(got, []string{"iotswc-2027", "iotswc-2028"}) {
			t.Errorf("sisters of b = %v", got)
		}
		if got := sisters(t, c.ID); !slices.Equal(got, []string{"wiot-2027"}) {
			t.Errorf("sisters of c = %v", got)
		}
	})
	// An archived sister leaves the public links but stays in the console's
	// list, where it can be unlinked; restored, it is back.
	t.Run("ArchivedHidden", func(t *testing.T) {
		if _, err := v.s.ExpoSetArchived(v.ctx, c.ID, true); err != nil {
			t.Fatal(err)
		}
		if got := sisters(t, b.ID); !slices.Equal(got, []string{"iotswc-2027"}) {
			t.Errorf("public sisters of b with c archived = %v", got)
		}
		all, err := v.s.ExpoSistersAll(v.ctx, b.ID)
		if err != nil || len(all) != 2 {
			t.Errorf("all sisters of b with c archived = %d, %v; want 2", len(all), err)
		}
		if _, err := v.s.ExpoSetArchived(v.ctx, c.ID, false); err != nil {
			t.Fatal(err)
		}
		if got := sisters(t, b.ID); !slices.Equal(got, []string{"iotswc-2027", "iotswc-2028"}) {
			t.Errorf("public sisters of b with c restored = %v", got)
		}
	})
	t.Run("ErrSelf", func(t *testing.T) {
		wantCode(t, v.s.ExpoLinkSisters(v.ctx, a.ID, a.ID), expodesk.EINVALID)
	})
	t.Run("ErrUnknownExpo", func(t *testing.T) {
		wantCode(t, v.s.ExpoLinkSisters(v.ctx, a.ID, 999999), expodesk.EINVALID)
	})
}

func TestExpoGetAndCounts(t *testing.T) {
	t.Parallel()
	v := newVisitorStore(t)
	e := v.expo("iotswc-2027")
	wuxi := v.pavilion(e.ID, "wuxi-pavilion")
	v.pavilion(e.ID, "euro-pavilion")
	st := v.stage(e.ID, &wuxi.ID, "wuxi-stage", 0)
	cn := v.exhibitor(expodesk.Exhibitor{Slug: "cn", Country: "CN"})
	cn2 := v.exhibitor(expodesk.Exhibitor{Slug: "cn2", Country: "CN"})
	es := v.exhibitor(expodesk.Exhibitor{Slug: "es", Country: "ES"})
	gb := v.exhibitor(expodesk.Exhibitor{Slug: "gb", Country: "GB"})
	v.join(e.ID, cn.ID, &wuxi.ID, expodesk.StatusApproved)
	v.join(e.ID, cn2.ID, &wuxi.ID, expodesk.StatusApproved)
	v.join(e.ID, es.ID, nil, expodesk.StatusApproved)
	v.join(e.ID, gb.ID, &wuxi.ID, expodesk.StatusApplied)
	a := v.slot(st.ID, 10, 0, 30)
	v.slot(st.ID, 10, 30, 30)
	blocked, err := v.s.SlotCreate(v.ctx, expodesk.Slot{StageID: st.ID, StartsAt: a.StartsAt.Add(2 * time.Hour),
		EndsAt: a.StartsAt.Add(3 * time.Hour), Blocked: true})
	v.must(err)
	_ = blocked
	v.book(a.ID, cn.ID, "Talk")

	t.Run("Counts", func(t *testing.T) {
		got, err := v.s.ExpoCountsGet(v.ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := expodesk.ExpoCounts{Exhibitors: 3, Pavilions: 2, Countries: 2, Slots: 2, BookedSlots: 1}
		if got != want {
			t.Errorf("counts %+v, want %+v", got, want)
		}
	})
	t.Run("PavilionCounts", func(t *testing.T) {
		pvs, err := v.s.PavilionListWithCounts(v.ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, p := range pvs {
			got[p.Slug] = p.Exhibitors
		}
		if got["wuxi-pavilion"] != 2 || got["euro-pavilion"] != 0 || len(got) != 2 {
			t.Errorf("pavilion counts %v", got)
		}
	})
	t.Run("GetBySlug", func(t *testing.T) {
		got, err := v.s.ExpoGet(v.ctx, "iotswc-2027")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != e.ID || got.TimeZone != "Europe/Madrid" || got.Name.EN != "Expo iotswc-2027" ||
			!got.FirstDay.Equal(e.FirstDay) || got.Location().String() != "Europe/Madrid" {
			t.Errorf("expo = %+v", got)
		}
	})
	t.Run("ErrUnknownSlugs", func(t *testing.T) {
		_, err := v.s.ExpoGet(v.ctx, "nope")
		wantCode(t, err, expodesk.ENOTFOUND)
		_, err = v.s.PavilionGet(v.ctx, e.ID, "nope")
		wantCode(t, err, expodesk.ENOTFOUND)
		_, err = v.s.ExhibitorGet(v.ctx, "nope")
		wantCode(t, err, expodesk.ENOTFOUND)
		// Slugs come from URLs: NUL and invalid UTF-8 must read as not found, not as a database error.
		for _, bad := range []string{"bad\x00slug", "bad\xffslug", "../etc"} {
			_, err = v.s.ExpoGet(v.ctx, bad)
			wantCode(t, err, expodesk.ENOTFOUND)
			_, err = v.s.PavilionGet(v.ctx, e.ID, bad)
			wantCode(t, err, expodesk.ENOTFOUND)
			_, err = v.s.ExhibitorGet(v.ctx, bad)
			wantCode(t, err, expodesk.ENOTFOUND)
			_, err = v.s.LogoGet(v.ctx, bad)
			wantCode(t, err, expodesk.ENOTFOUND)
			_, err = v.s.ExhibitorPublicPage(v.ctx, bad)
			wantCode(t, err, expodesk.ENOTFOUND)
			_, err = v.s.ExhibitorPublicGet(v.ctx, bad)
			wantCode(t, err, expodesk.ENOTFOUND)
		}
	})
	t.Run("PublicOnlyWhenApproved", func(t *testing.T) {
		page, err := v.s.ExhibitorPublicPage(v.ctx, cn.Slug)
		if err != nil || page.Exhibitor.ID != cn.ID || len(page.Participations) != 1 || page.Participations[0].Pavilion == nil {
			t.Errorf("page of an approved exhibitor: %+v, %v", page, err)
		}
		_, err = v.s.ExhibitorPublicPage(v.ctx, gb.Slug)
		wantCode(t, err, expodesk.ENOTFOUND)
		_, err = v.s.ExhibitorPublicGet(v.ctx, gb.Slug)
		wantCode(t, err, expodesk.ENOTFOUND)
		pub, err := v.s.ExhibitorPublicGet(v.ctx, cn.Slug)
		if err != nil || pub.ID != cn.ID || len(pub.ExpoIDs) != 1 || pub.ExpoIDs[0] != page.Participations[0].Expo.ID ||
			pub.PavilionIDs[0] != page.Participations[0].Pavilion.ID || pub.Booths[0] != page.Participations[0].Booth {
			t.Errorf("public part of an approved exhibitor: %+v, %v", pub, err)
		}
		_, err = v.s.ExhibitorPublicPage(v.ctx, "nope")
		wantCode(t, err, expodesk.ENOTFOUND)
		ps, err := v.s.ExhibitorParticipations(v.ctx, gb.ID)
		if err != nil || len(ps) != 0 {
			t.Errorf("participations of an applicant: %v, %v", ps, err)
		}
		ps, err = v.s.ExhibitorParticipations(v.ctx, cn.ID)
		if err != nil || len(ps) != 1 || ps[0].Pavilion == nil || ps[0].Pavilion.Slug != "wuxi-pavilion" {
			t.Errorf("participations of an approved exhibitor: %+v, %v", ps, err)
		}
	})
}
