package postgres_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"expodesk/internal/expodesk"
)

// revision is what a calendar compares: the revision count and when it was made.
type revision struct {
	seq int
	at  time.Time
}

// revisionOf reads a booking's or a slot's (table) revision.
func (v *visitorStore) revisionOf(table string, id int64) revision {
	v.t.Helper()
	var r revision
	v.must(v.pool.QueryRow(v.ctx, `SELECT sequence, updated_at FROM `+table+` WHERE id = $1`, id).Scan(&r.seq, &r.at))
	return r
}

// TestBookingRevisions: every change a calendar must notice raises the
// booking's sequence and its modification time, whatever path made it; a
// write that changes nothing raises neither.
func TestBookingRevisions(t *testing.T) {
	t.Parallel()
	v := newVisitorStore(t)
	e := v.expo("iotswc-2027")
	st := v.stage(e.ID, nil, "main", 0)
	taihu := v.exhibitor(expodesk.Exhibitor{Slug: "taihu-sensing"})
	v.join(e.ID, taihu.ID, nil, expodesk.StatusApproved)
	a, b := v.slot(st.ID, 10, 0, 30), v.slot(st.ID, 11, 0, 30)
	bk := v.book(a.ID, taihu.ID, "Sensors")
	last := v.revisionOf("booking", bk.ID)
	if last.seq != 0 {
		t.Fatalf("a new booking has sequence %d, want 0", last.seq)
	}
	step := func(t *testing.T, what string, raised bool, change func()) {
		t.Helper()
		change()
		got := v.revisionOf("booking", bk.ID)
		switch {
		case raised && (got.seq != last.seq+1 || got.at.Before(last.at)):
			t.Errorf("%s: sequence %d at %v, want %d from %v", what, got.seq, got.at, last.seq+1, last.at)
		case !raised && got != last:
			t.Errorf("%s: revision %+v, want it left at %+v", what, got, last)
		}
		last = got
	}
	step(t, "MovedToAnotherSlot", true, func() {
		_, err := v.s.BookingMove(v.ctx, bk.ID, b.ID)
		v.must(err)
	})
	step(t, "SlotRetimed", true, func() {
		v.exec(`UPDATE slot SET starts_at = starts_at + interval '15 minutes', ends_at = ends_at + interval '15 minutes' WHERE id = $1`, b.ID)
	})
	step(t, "SlotWrittenUnchanged", false, func() {
		v.exec(`UPDATE slot SET starts_at = starts_at, ends_at = ends_at WHERE id = $1`, b.ID)
	})
	step(t, "TitleChanged", true, func() {
		_, err := v.s.BookingSetTexts(v.ctx, bk.ID, expodesk.BookingText{Titles: expodesk.Text{EN: "Sensors, again"}})
		v.must(err)
	})
	step(t, "SameTextsAgain", false, func() {
		_, err := v.s.BookingSetTexts(v.ctx, bk.ID, expodesk.BookingText{Titles: expodesk.Text{EN: "Sensors, again"}})
		v.must(err)
	})
	step(t, "Cancelled", true, func() {
		_, err := v.s.BookingCancel(v.ctx, bk.ID, nil)
		v.must(err)
	})
	t.Run("RebookedIsAnotherBookingFromZero", func(t *testing.T) {
		again := v.book(b.ID, taihu.ID, "Sensors, third time")
		if again.ID == bk.ID || v.revisionOf("booking", again.ID).seq != 0 {
			t.Errorf("booked again: id %d (was %d), sequence %d", again.ID, bk.ID, v.revisionOf("booking", again.ID).seq)
		}
	})
	t.Run("SlotRevisions", func(t *testing.T) {
		free := v.slot(st.ID, 12, 0, 30)
		before := v.revisionOf("slot", free.ID)
		v.exec(`UPDATE slot SET blocked = true, label = '{"en": "Keynote"}' WHERE id = $1`, free.ID)
		v.exec(`UPDATE slot SET blocked = true WHERE id = $1`, free.ID)
		if got := v.revisionOf("slot", free.ID); got.seq != before.seq+1 || got.at.Before(before.at) {
			t.Errorf("a slot blocked with a label: %+v, want one revision after %+v", got, before)
		}
	})
}

// calendarEvent is an entry as a feed names it.
type calendarEvent struct {
	uid       string
	cancelled bool
	seq       int
}

func eventsOf(entries []expodesk.CalendarEntry) []calendarEvent {
	var out []calendarEvent
	for _, c := range entries {
		uid := "slot-" + strconv.FormatInt(c.SlotID, 10)
		if c.BookingID != nil {
			uid = "booking-" + strconv.FormatInt(*c.BookingID, 10)
		}
		out = append(out, calendarEvent{uid, c.Cancelled, c.Sequence})
	}
	return out
}

func bookingUID(b expodesk.Booking) string { return "booking-" + strconv.FormatInt(b.ID, 10) }

// TestCalendar: the feeds hold the presented bookings, a cancelled one
// marked so until its slot ends (beside the slot's new booking, another
// event), the labelled blocked slots of the expo, and nothing free, nothing
// of a company visitors may not see.
func TestCalendar(t *testing.T) {
	t.Parallel()
	v := newVisitorStore(t)
	e := v.expo("iotswc-2027")
	wuxi := v.pavilion(e.ID, "wuxi-pavilion")
	main := v.stage(e.ID, nil, "main", 0)
	wuxiStage := v.stage(e.ID, &wuxi.ID, "wuxi-stage", 1)
	taihu := v.exhibitor(expodesk.Exhibitor{Slug: "taihu-sensing"})
	nube := v.exhibitor(expodesk.Exhibitor{Slug: "nube-catalana"})
	gone := v.exhibitor(expodesk.Exhibitor{Slug: "gone-co"})
	v.join(e.ID, taihu.ID, &wuxi.ID, expodesk.StatusApproved)
	v.join(e.ID, nube.ID, nil, expodesk.StatusApproved)
	v.join(e.ID, gone.ID, nil, expodesk.StatusWithdrawn)

	s1000 := v.slot(wuxiStage.ID, 10, 0, 30)
	s1030 := v.slot(wuxiStage.ID, 10, 30, 30)
	v.slot(wuxiStage.ID, 11, 0, 30) // free
	keynote := v.slot(main.ID, 9, 0, 60)
	v.exec(`UPDATE slot SET blocked = true, label = '{"en": "Keynote", "zh": "主旨演讲"}' WHERE id = $1`, keynote.ID)
	unlabelled := v.slot(main.ID, 13, 0, 60)
	v.exec(`UPDATE slot SET blocked = true WHERE id = $1`, unlabelled.ID)
	hidden := v.book(v.slot(main.ID, 15, 0, 30).ID, gone.ID, "Secret")

	first := v.book(s1000.ID, taihu.ID, "Sensors")
	_, err := v.s.BookingCancel(v.ctx, first.ID, nil)
	v.must(err)
	second := v.book(s1000.ID, nube.ID, "Clouds") // the freed slot, taken by another company
	moved := v.book(s1030.ID, taihu.ID, "Moved talk")
	_, err = v.s.BookingMove(v.ctx, moved.ID, v.slot(wuxiStage.ID, 12, 0, 30).ID)
	v.must(err)
	_ = hidden

	beforeTheSlots := time.Date(2027, 5, 1, 0, 0, 0, 0, time.UTC)
	afterTheFirst := time.Date(2027, 5, 11, 10, 31, 0, 0, v.madrid)
	keynoteUID := "slot-" + strconv.FormatInt(keynote.ID, 10)

	t.Run("ExpoBeforeTheSlots", func(t *testing.T) {
		got, err := v.s.Calendar(v.ctx, e.ID, 0, beforeTheSlots)
		v.must(err)
		want := []calendarEvent{
			{keynoteUID, false, 1},
			{bookingUID(first), true, 1},
			{bookingUID(second), false, 0},
			{bookingUID(moved), false, 1},
		}
		if !slices.Equal(eventsOf(got), want) {
			t.Errorf("events\n got %v\nwant %v", eventsOf(got), want)
		}
		if k := got[0]; k.Label.ZH != "主旨演讲" || !k.Labelled() || k.ModifiedAt.IsZero() || k.CreatedAt.IsZero() {
			t.Errorf("keynote entry %+v", k)
		}
		c := got[1]
		if c.Title != "Sensors" || c.ExhibitorSlug != "taihu-sensing" || c.ModifiedAt.Before(c.CreatedAt) {
			t.Errorf("cancelled entry %+v: want its title and company, modified after created", c)
		}
	})
	t.Run("CancelledLeavesWhenItsSlotHasEnded", func(t *testing.T) {
		got, err := v.s.Calendar(v.ctx, e.ID, 0, afterTheFirst)
		v.must(err)
		want := []calendarEvent{{keynoteUID, false, 1}, {bookingUID(second), false, 0}, {bookingUID(moved), false, 1}}
		if !slices.Equal(eventsOf(got), want) {
			t.Errorf("events\n got %v\nwant %v", eventsOf(got), want)
		}
	})
	t.Run("Pavilion", func(t *testing.T) {
		got, err := v.s.Calendar(v.ctx, e.ID, wuxi.ID, beforeTheSlots)
		v.must(err)
		want := []calendarEvent{{bookingUID(first), true, 1}, {bookingUID(second), false, 0}, {bookingUID(moved), false, 1}}
		if !slices.Equal(eventsOf(got), want) {
			t.Errorf("events\n got %v\nwant %v", eventsOf(got), want)
		}
	})
	t.Run("Exhibitor", func(t *testing.T) {
		got, err := v.s.CalendarByExhibitor(v.ctx, taihu.ID, beforeTheSlots)
		v.must(err)
		want := []calendarEvent{{bookingUID(first), true, 1}, {bookingUID(moved), false, 1}}
		if !slices.Equal(eventsOf(got), want) {
			t.Errorf("events\n got %v\nwant %v", eventsOf(got), want)
		}
		if got, err := v.s.CalendarByExhibitor(v.ctx, gone.ID, beforeTheSlots); err != nil || len(got) != 0 {
			t.Errorf("a withdrawn company's feed: %v, %v", eventsOf(got), err)
		}
	})
}
