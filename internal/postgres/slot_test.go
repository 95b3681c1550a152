package postgres_test

import (
	"errors"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/postgres"
)

// slotCount counts a stage's slots.
func (v *visitorStore) slotCount(stageID int64) int {
	v.t.Helper()
	var n int
	v.must(v.pool.QueryRow(v.ctx, `SELECT count(*) FROM slot WHERE stage_id = $1`, stageID).Scan(&n))
	return n
}

// TestSlotCreateMany: a day's slots go in together or not at all, and an
// overlap is the specific ErrSlotOverlap naming the exclusion constraint.
func TestSlotCreateMany(t *testing.T) {
	t.Parallel()
	v := newVisitorStore(t)
	e := v.expo("iotswc-2027")
	st := v.stage(e.ID, nil, "main", 0)
	existing := v.slot(st.ID, 12, 0, 30) // 12:00–12:30
	at := func(hh, mm int) time.Time { return time.Date(2027, 5, 11, hh, mm, 0, 0, v.madrid) }
	plan := func(from, to time.Time) []expodesk.Slot {
		return expodesk.SlotPlan{StageID: st.ID, FirstStart: from, LastEnd: to, Length: 30 * time.Minute}.Slots()
	}

	t.Run("ErrSlotOverlapNothingCreated", func(t *testing.T) {
		_, err := v.s.SlotCreateMany(v.ctx, st.ID, plan(at(10, 0), at(13, 0))) // six slots, one on 12:00
		if !errors.Is(err, expodesk.ErrSlotOverlap) {
			t.Fatalf("err = %v, want ErrSlotOverlap", err)
		}
		if c := postgres.ConstraintOf(err); c != "slot_no_overlap" {
			t.Errorf("constraint %q", c)
		}
		if n := v.slotCount(st.ID); n != 1 {
			t.Errorf("%d slots after a refused generation, want the 1 there was", n)
		}
	})
	t.Run("AllCreated", func(t *testing.T) {
		got, err := v.s.SlotCreateMany(v.ctx, st.ID, plan(at(9, 0), at(12, 0)))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 6 || v.slotCount(st.ID) != 7 {
			t.Fatalf("created %d, stage has %d", len(got), v.slotCount(st.ID))
		}
	})
	t.Run("OverlapsFound", func(t *testing.T) {
		rows, err := v.s.SlotListOverlapping(v.ctx, st.ID, at(11, 45), at(12, 15))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[1].ID != existing.ID {
			t.Errorf("overlapping %+v", rows)
		}
	})
	t.Run("ErrSlotOverlapOnMove", func(t *testing.T) {
		err := v.s.SlotUpdate(v.ctx, existing.ID, expodesk.SlotChange{StartsAt: at(11, 50), EndsAt: at(12, 20)})
		if !errors.Is(err, expodesk.ErrSlotOverlap) {
			t.Errorf("err = %v, want ErrSlotOverlap", err)
		}
	})
}

// TestSlotCreateManyDST stores the slots of 01:00–05:00 (one hour each) on
// both clock-change nights of 2027 in Madrid and reads them back: three on
// the spring night, five on the autumn one, each an hour long, none
// overlapping (the constraint would have refused it).
func TestSlotCreateManyDST(t *testing.T) {
	t.Parallel()
	v := newVisitorStore(t)
	e := v.expo("iotswc-2027")
	st := v.stage(e.ID, nil, "main", 0)
	for _, tc := range []struct {
		day  time.Time
		want int
	}{
		{time.Date(2027, 3, 28, 0, 0, 0, 0, time.UTC), 3},
		{time.Date(2027, 10, 31, 0, 0, 0, 0, time.UTC), 5},
	} {
		t.Run(tc.day.Format(time.DateOnly), func(t *testing.T) {
			y, m, d := tc.day.Date()
			p := expodesk.SlotPlan{StageID: st.ID, Day: tc.day, FirstStart: time.Date(y, m, d, 1, 0, 0, 0, v.madrid),
				LastEnd: time.Date(y, m, d, 5, 0, 0, 0, v.madrid), Length: time.Hour}
			got, err := v.s.SlotCreateMany(v.ctx, st.ID, p.Slots())
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.want {
				t.Fatalf("%d slots, want %d", len(got), tc.want)
			}
			from := time.Date(y, m, d, 0, 0, 0, 0, v.madrid)
			rows, err := v.s.SlotGrid(v.ctx, e.ID, 0, st.ID, from, from.AddDate(0, 0, 1))
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != tc.want {
				t.Fatalf("grid has %d slots", len(rows))
			}
			for i, r := range rows {
				if r.EndsAt.Sub(r.StartsAt) != time.Hour {
					t.Errorf("slot %d lasts %s", i, r.EndsAt.Sub(r.StartsAt))
				}
				if i > 0 && !r.StartsAt.Equal(rows[i-1].EndsAt) {
					t.Errorf("slot %d starts at %s, not where slot %d ends (%s)", i, r.StartsAt, i-1, rows[i-1].EndsAt)
				}
			}
		})
	}
}

// TestSlotRowsAndDelete: the grid's rows name the booking's company, and a
// stage or slot is locked before the check of its bookings.
func TestSlotRowsAndDelete(t *testing.T) {
	t.Parallel()
	v := newVisitorStore(t)
	e := v.expo("iotswc-2027")
	pv := v.pavilion(e.ID, "wuxi-pavilion")
	st := v.stage(e.ID, &pv.ID, "wuxi-stage", 0)
	other := v.stage(e.ID, nil, "main", 1)
	booked := v.slot(st.ID, 10, 0, 30)
	free := v.slot(st.ID, 10, 30, 30)
	v.slot(other.ID, 10, 0, 30)
	x := v.exhibitor(expodesk.Exhibitor{Slug: "taihu-sensing", Name: expodesk.Text{EN: "Taihu Sensing", ZH: "太湖传感"}})
	v.book(booked.ID, x.ID, "MEMS for smart cities")
	from := time.Date(2027, 5, 11, 0, 0, 0, 0, v.madrid)

	rows, err := v.s.SlotGrid(v.ctx, e.ID, pv.ID, 0, from, from.AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || !rows[0].Booked() || rows[0].ExhibitorName.ZH != "太湖传感" || rows[0].Title != "MEMS for smart cities" || rows[1].Booked() {
		t.Fatalf("pavilion grid %+v", rows)
	}
	if all, _ := v.s.SlotGrid(v.ctx, e.ID, 0, 0, from, from.AddDate(0, 0, 1)); len(all) != 3 {
		t.Errorf("expo grid has %d slots, want 3", len(all))
	}
	if r, err := v.s.SlotGetRow(v.ctx, free.ID); err != nil || r.PavilionID == nil || *r.PavilionID != pv.ID || r.ExpoID != e.ID {
		t.Errorf("slot row %+v %v", r, err)
	}

	err = v.s.Tx(v.ctx, func(tx *postgres.Store) error {
		n, err := tx.StageLockForDelete(v.ctx, st.ID)
		if err != nil || n != 1 {
			t.Errorf("active bookings %d %v, want 1", n, err)
		}
		r, err := tx.SlotLockRow(v.ctx, booked.ID)
		if err != nil || !r.Booked() {
			t.Errorf("locked row %+v %v", r, err)
		}
		return tx.SlotDelete(v.ctx, free.ID)
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := v.slotCount(st.ID); n != 1 {
		t.Errorf("%d slots left, want 1", n)
	}
	if err := v.s.StageDelete(v.ctx, other.ID); err != nil {
		t.Fatal(err)
	}
	if err := v.s.StageDelete(v.ctx, other.ID); !errors.Is(err, expodesk.ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
	if err := v.s.SlotDelete(v.ctx, free.ID); !errors.Is(err, expodesk.ErrNotFound) {
		t.Errorf("deleting a slot twice: %v", err)
	}
}

// TestStageUpdate: a stage's fields as stored, and a slug another stage of
// the expo has is ErrStageSlugTaken at the slug field.
func TestStageUpdate(t *testing.T) {
	t.Parallel()
	v := newVisitorStore(t)
	e := v.expo("iotswc-2027")
	pv := v.pavilion(e.ID, "wuxi-pavilion")
	a := v.stage(e.ID, nil, "main", 0)
	v.stage(e.ID, nil, "side", 1)
	a.PavilionID, a.Location, a.Position = &pv.ID, expodesk.Text{EN: "Hall 2", ZH: "2号馆", ES: "Pabellón 2"}, 30
	got, err := v.s.StageUpdate(v.ctx, a)
	if err != nil || got.Location.ZH != "2号馆" || *got.PavilionID != pv.ID || got.Position != 30 {
		t.Fatalf("%+v %v", got, err)
	}
	if list, _ := v.s.StageListScoped(v.ctx, e.ID, pv.ID); len(list) != 1 || list[0].ID != a.ID {
		t.Errorf("pavilion's stages %+v", list)
	}
	a.Slug = "side"
	if _, err := v.s.StageUpdate(v.ctx, a); !errors.Is(err, expodesk.ErrStageSlugTaken) {
		t.Errorf("err = %v, want ErrStageSlugTaken", err)
	}
}
