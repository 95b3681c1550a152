package service_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/service"
)

// stageWorld adds to the world a second pavilion with its coordinator, a
// stage in the world's pavilion and an expo-wide one.
type stageWorld struct {
	world
	expo                 expodesk.Expo
	otherPavilion        expodesk.Pavilion
	otherCoordinator     expodesk.User
	pavilionStage, plain expodesk.Stage
}

func newStageWorld(t *testing.T) stageWorld {
	t.Helper()
	ctx := context.Background()
	w := stageWorld{world: newWorld(t)}
	var err error
	if w.expo, err = w.store.ExpoGetByID(ctx, w.pavilion.ExpoID); err != nil {
		t.Fatal(err)
	}
	if w.otherPavilion, err = w.store.PavilionCreate(ctx, expodesk.Pavilion{ExpoID: w.expo.ID, Slug: "european-pavilion",
		Name: expodesk.Text{EN: "European Pavilion"}}); err != nil {
		t.Fatal(err)
	}
	if w.otherCoordinator, err = w.store.UserCreate(ctx, expodesk.User{Email: "euro@example.org", Role: expodesk.RoleOrganizer,
		PavilionID: &w.otherPavilion.ID, PersonName: expodesk.PersonName{FamilyName: "Euro"}}); err != nil {
		t.Fatal(err)
	}
	if w.pavilionStage, err = w.svc.CreateStage(ctx, w.as(w.organizer), expodesk.Stage{ExpoID: w.expo.ID,
		PavilionID: &w.pavilion.ID, Slug: "wuxi-stage", Name: expodesk.Text{EN: "Wuxi Stage", ZH: "无锡路演台"}}); err != nil {
		t.Fatal(err)
	}
	if w.plain, err = w.svc.CreateStage(ctx, w.as(w.organizer), expodesk.Stage{ExpoID: w.expo.ID,
		Slug: "main", Name: expodesk.Text{EN: "Main Stage"}, Position: 5}); err != nil {
		t.Fatal(err)
	}
	return w
}

// plan is a plan on day 2027-05-11 in Madrid from hh:00 to hh2:00.
func (w stageWorld) plan(stageID int64, from, to int, length time.Duration) expodesk.SlotPlan {
	loc := w.expo.Location()
	return expodesk.SlotPlan{StageID: stageID, Day: w.expo.FirstDay,
		FirstStart: time.Date(2027, 5, 11, from, 0, 0, 0, loc), LastEnd: time.Date(2027, 5, 11, to, 0, 0, 0, loc), Length: length}
}

// rows counts the rows of a table.
func (w stageWorld) rows(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := w.pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// audited counts the audit entries of an action.
func (w stageWorld) audited(t *testing.T, action expodesk.AuditAction) int {
	t.Helper()
	var n int
	if err := w.pool.QueryRow(context.Background(), "SELECT count(*) FROM audit_entry WHERE action = $1", string(action)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestStageWrites: who may create, edit and delete which stage; a
// coordinator's stage goes in their pavilion only; every write is audited.
func TestStageWrites(t *testing.T) {
	w := newStageWorld(t)
	ctx := context.Background()
	coord := w.as(w.coordinator)
	if w.audited(t, expodesk.ActionStageCreate) != 2 {
		t.Error("stage creation not audited")
	}

	t.Run("CoordinatorInOwnPavilion", func(t *testing.T) {
		st, err := w.svc.CreateStage(ctx, coord, expodesk.Stage{ExpoID: w.expo.ID, PavilionID: &w.pavilion.ID, Slug: "side",
			Name: expodesk.Text{ZH: "侧台"}, Location: expodesk.Text{EN: "Hall 2", ZH: "2号馆", ES: "Pabellón 2"}})
		if err != nil {
			t.Fatal(err)
		}
		st.Name.EN = "Side stage"
		if st, err = w.svc.UpdateStage(ctx, coord, w.expo.ID, st.ID, st); err != nil || st.Name.EN != "Side stage" {
			t.Fatalf("update: %+v %v", st, err)
		}
		var scope *int64
		if err := w.pool.QueryRow(ctx, `SELECT pavilion_id FROM audit_entry WHERE action = 'stage.update' ORDER BY id DESC LIMIT 1`).Scan(&scope); err != nil || scope == nil || *scope != w.pavilion.ID {
			t.Errorf("audit scope %v %v", scope, err)
		}
	})
	for _, tc := range []struct {
		name     string
		pavilion *int64
	}{{"CoordinatorExpoWide", nil}, {"CoordinatorOtherPavilion", &w.otherPavilion.ID}} {
		t.Run(tc.name, func(t *testing.T) {
			n := w.rows(t, "stage")
			_, err := w.svc.CreateStage(ctx, coord, expodesk.Stage{ExpoID: w.expo.ID, PavilionID: tc.pavilion, Slug: "forged",
				Name: expodesk.Text{EN: "Forged"}})
			if !problemOn(err, "pavilion") {
				t.Errorf("err = %v, want a problem on pavilion", err)
			}
			if w.rows(t, "stage") != n {
				t.Error("a stage was created")
			}
			// Moving one's own stage out of one's pavilion is refused the same way.
			st := w.pavilionStage
			st.PavilionID = tc.pavilion
			if _, err := w.svc.UpdateStage(ctx, coord, w.expo.ID, st.ID, st); !problemOn(err, "pavilion") {
				t.Errorf("update: %v, want a problem on pavilion", err)
			}
		})
	}
	t.Run("PavilionOfAnotherExpo", func(t *testing.T) {
		other, err := w.store.ExpoCreate(ctx, newExpo("other-expo"))
		if err != nil {
			t.Fatal(err)
		}
		pv, err := w.store.PavilionCreate(ctx, expodesk.Pavilion{ExpoID: other.ID, Slug: "p", Name: expodesk.Text{EN: "P"}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.CreateStage(ctx, w.as(w.organizer), expodesk.Stage{ExpoID: w.expo.ID, PavilionID: &pv.ID, Slug: "x", Name: expodesk.Text{EN: "X"}})
		if !problemOn(err, "pavilion") {
			t.Errorf("err = %v, want a problem on pavilion", err)
		}
	})
	t.Run("ForbiddenOtherPavilionNotFound", func(t *testing.T) {
		refusals := w.audited(t, expodesk.ActionForbidden)
		st := w.pavilionStage
		st.Name.EN = "Hijacked"
		_, err := w.svc.UpdateStage(ctx, w.as(w.otherCoordinator), w.expo.ID, st.ID, st)
		if !errors.Is(err, expodesk.ErrNotFound) {
			t.Errorf("other coordinator: %v, want not found", err)
		}
		if err := w.svc.DeleteStage(ctx, w.as(w.otherCoordinator), w.expo.ID, st.ID); !errors.Is(err, expodesk.ErrNotFound) {
			t.Errorf("other coordinator delete: %v", err)
		}
		if _, err := w.svc.ManagedStage(ctx, coord, w.expo.ID, w.plain.ID); !errors.Is(err, expodesk.ErrNotFound) {
			t.Errorf("coordinator, expo-wide stage: %v", err)
		}
		if w.audited(t, expodesk.ActionForbidden) != refusals+3 {
			t.Error("the refusals were not audited")
		}
		if got, _ := w.store.StageGet(ctx, st.ID); got.Name.EN != "Wuxi Stage" {
			t.Errorf("stage changed: %+v", got)
		}
	})
	t.Run("ForbiddenExhibitor", func(t *testing.T) {
		_, err := w.svc.CreateStage(ctx, w.as(w.exhibitorIn), expodesk.Stage{ExpoID: w.expo.ID, PavilionID: &w.pavilion.ID, Slug: "mine", Name: expodesk.Text{EN: "Mine"}})
		if !errors.Is(err, expodesk.ErrForbidden) {
			t.Errorf("exhibitor: %v, want forbidden", err)
		}
		if _, err := w.svc.CreateStage(ctx, service.Caller{}, expodesk.Stage{ExpoID: w.expo.ID}); expodesk.ErrorCode(err) != expodesk.EUNAUTHORIZED {
			t.Errorf("visitor: %v", err)
		}
	})
	t.Run("ValidationNothingChanged", func(t *testing.T) {
		n, a := w.rows(t, "stage"), w.rows(t, "audit_entry")
		for field, st := range map[string]expodesk.Stage{
			"name_en":  {Slug: "nameless"},
			"slug":     {Slug: "Not A Slug", Name: expodesk.Text{EN: "X"}},
			"position": {Slug: "neg", Name: expodesk.Text{EN: "X"}, Position: -1},
		} {
			st.ExpoID = w.expo.ID
			if _, err := w.svc.CreateStage(ctx, w.as(w.organizer), st); !problemOn(err, field) {
				t.Errorf("%s: %v", field, err)
			}
		}
		dup := w.plain
		dup.Slug = "wuxi-stage"
		if _, err := w.svc.UpdateStage(ctx, w.as(w.organizer), w.expo.ID, dup.ID, dup); !errors.Is(err, expodesk.ErrStageSlugTaken) {
			t.Errorf("slug clash: %v", err)
		}
		if w.rows(t, "stage") != n || w.rows(t, "audit_entry") != a {
			t.Error("a refused stage write changed something")
		}
	})
	t.Run("DeleteRefusedWithBooking", func(t *testing.T) {
		slots, err := w.svc.GenerateSlots(ctx, w.as(w.organizer), w.expo.ID, w.plan(w.plain.ID, 10, 11, 30*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		b, err := w.store.BookingCreate(ctx, expodesk.Booking{SlotID: slots[0].ID, ExhibitorID: w.outside.ID, Title: "Nube"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = w.svc.DeleteStage(ctx, w.as(w.organizer), w.expo.ID, w.plain.ID)
		if e := expodesk.ErrorOf(err); e == nil || e.Message != "stages.has_bookings" || e.Data["Count"] != 1 {
			t.Fatalf("err = %v, want stages.has_bookings", err)
		}
		if _, err := w.store.StageGet(ctx, w.plain.ID); err != nil {
			t.Fatal("the stage is gone")
		}
		if _, err := w.pool.Exec(ctx, `UPDATE booking SET status = 'cancelled', cancelled_at = now() WHERE id = $1`, b.ID); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.DeleteStage(ctx, w.as(w.organizer), w.expo.ID, w.plain.ID); err != nil {
			t.Fatal(err)
		}
		if w.audited(t, expodesk.ActionStageDelete) != 1 {
			t.Error("delete not audited")
		}
	})
}

// TestGenerateSlots: the preview writes nothing and flags clashes; saving
// creates every slot or none; bad plans are field problems that change
// nothing; the two clock-change nights; the audit entry.
func TestGenerateSlots(t *testing.T) {
	w := newStageWorld(t)
	ctx := context.Background()
	org, coord := w.as(w.organizer), w.as(w.coordinator)
	st := w.pavilionStage

	pv, err := w.svc.PreviewSlots(ctx, coord, w.expo.ID, w.plan(st.ID, 10, 12, 30*time.Minute))
	if err != nil || len(pv.Slots) != 4 || pv.Clashes != 0 || w.rows(t, "slot") != 0 {
		t.Fatalf("preview: %+v %v (slots stored %d)", pv, err, w.rows(t, "slot"))
	}
	created, err := w.svc.GenerateSlots(ctx, coord, w.expo.ID, w.plan(st.ID, 10, 12, 30*time.Minute))
	if err != nil || len(created) != 4 {
		t.Fatalf("generate: %d %v", len(created), err)
	}
	if w.audited(t, expodesk.ActionSlotsGenerate) != 1 {
		t.Error("generation not audited")
	}

	t.Run("ErrSlotsOverlapAllOrNothing", func(t *testing.T) {
		p := w.plan(st.ID, 9, 14, 30*time.Minute) // ten slots, four on existing ones
		pv, err := w.svc.PreviewSlots(ctx, org, w.expo.ID, p)
		if err != nil || pv.Clashes != 4 || len(pv.Slots) != 10 || len(pv.Slots[2].Clashes) != 1 {
			t.Fatalf("preview: clashes %d of %d, %v", pv.Clashes, len(pv.Slots), err)
		}
		n, a := w.rows(t, "slot"), w.rows(t, "audit_entry")
		_, err = w.svc.GenerateSlots(ctx, org, w.expo.ID, p)
		if !errors.Is(err, expodesk.ErrSlotsOverlap) || !problemOn(err, "first_start") {
			t.Fatalf("err = %v, want ErrSlotsOverlap", err)
		}
		if w.rows(t, "slot") != n || w.rows(t, "audit_entry") != a {
			t.Error("a refused generation changed something")
		}
	})
	t.Run("BadInputNothingChanged", func(t *testing.T) {
		for _, tc := range []struct {
			name  string
			edit  func(*expodesk.SlotPlan)
			field string
		}{
			{"EndBeforeStart", func(p *expodesk.SlotPlan) { p.FirstStart, p.LastEnd = p.LastEnd, p.FirstStart }, "last_end"},
			{"ZeroLength", func(p *expodesk.SlotPlan) { p.Length = 0 }, "length"},
			{"NegativeLength", func(p *expodesk.SlotPlan) { p.Length = -time.Hour }, "length"},
			{"OverTwelveHours", func(p *expodesk.SlotPlan) { p.Length = 13 * time.Hour }, "length"},
			{"DayOutsideExpo", func(p *expodesk.SlotPlan) { p.Day = w.expo.LastDay.AddDate(0, 0, 1) }, "day"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := w.plan(st.ID, 15, 17, 30*time.Minute)
				tc.edit(&p)
				n, a := w.rows(t, "slot"), w.rows(t, "audit_entry")
				if _, err := w.svc.GenerateSlots(ctx, org, w.expo.ID, p); !problemOn(err, tc.field) {
					t.Errorf("generate: %v, want a problem on %s", err, tc.field)
				}
				if _, err := w.svc.PreviewSlots(ctx, org, w.expo.ID, p); !problemOn(err, tc.field) {
					t.Errorf("preview: %v, want a problem on %s", err, tc.field)
				}
				if w.rows(t, "slot") != n || w.rows(t, "audit_entry") != a {
					t.Error("bad input changed something")
				}
			})
		}
	})
	t.Run("Forbidden", func(t *testing.T) {
		n := w.rows(t, "slot")
		p := w.plan(st.ID, 15, 17, 30*time.Minute)
		if _, err := w.svc.GenerateSlots(ctx, w.as(w.otherCoordinator), w.expo.ID, p); !errors.Is(err, expodesk.ErrNotFound) {
			t.Errorf("other coordinator: %v", err)
		}
		if _, err := w.svc.GenerateSlots(ctx, coord, w.expo.ID, w.plan(w.plain.ID, 15, 17, 30*time.Minute)); !errors.Is(err, expodesk.ErrNotFound) {
			t.Errorf("coordinator on an expo-wide stage: %v", err)
		}
		if _, err := w.svc.GenerateSlots(ctx, w.as(w.exhibitorIn), w.expo.ID, p); !errors.Is(err, expodesk.ErrForbidden) {
			t.Errorf("exhibitor: %v", err)
		}
		if _, err := w.svc.PreviewSlots(ctx, w.as(w.otherCoordinator), w.expo.ID, p); !errors.Is(err, expodesk.ErrNotFound) {
			t.Errorf("other coordinator's preview: %v", err)
		}
		other, _ := w.store.ExpoCreate(ctx, newExpo("elsewhere"))
		if _, err := w.svc.GenerateSlots(ctx, org, other.ID, p); !errors.Is(err, expodesk.ErrNotFound) {
			t.Errorf("stage under another expo: %v", err)
		}
		if w.rows(t, "slot") != n {
			t.Error("a refused generation created slots")
		}
	})
	t.Run("ClockChangeNights", func(t *testing.T) {
		for _, tc := range []struct {
			day   time.Time
			slots int
		}{{time.Date(2027, 3, 28, 0, 0, 0, 0, time.UTC), 3}, {time.Date(2027, 10, 31, 0, 0, 0, 0, time.UTC), 5}} {
			x := newExpo("dst-" + tc.day.Format("01"))
			x.FirstDay, x.LastDay = tc.day.AddDate(0, 0, -1), tc.day.AddDate(0, 0, 1)
			e, err := w.svc.CreateExpo(ctx, org, x)
			if err != nil {
				t.Fatal(err)
			}
			st, err := w.svc.CreateStage(ctx, org, expodesk.Stage{ExpoID: e.ID, Slug: "main", Name: expodesk.Text{EN: "Main"}})
			if err != nil {
				t.Fatal(err)
			}
			loc := e.Location()
			y, m, d := tc.day.Date()
			p := expodesk.SlotPlan{StageID: st.ID, Day: tc.day, Length: time.Hour,
				FirstStart: time.Date(y, m, d, 1, 0, 0, 0, loc), LastEnd: time.Date(y, m, d, 5, 0, 0, 0, loc)}
			pv, err := w.svc.PreviewSlots(ctx, org, e.ID, p)
			if err != nil || len(pv.Slots) != tc.slots || len(pv.Changes) != 1 {
				t.Fatalf("%s preview: %d slots, %d changes, %v", tc.day.Format(time.DateOnly), len(pv.Slots), len(pv.Changes), err)
			}
			got, err := w.svc.GenerateSlots(ctx, org, e.ID, p)
			if err != nil || len(got) != tc.slots {
				t.Fatalf("%s: %d slots, %v", tc.day.Format(time.DateOnly), len(got), err)
			}
		}
	})
}

// TestSlotEdits: move, block with a label, delete; a booked slot is left
// alone with a message naming its company; an overlap is ErrSlotOverlap.
func TestSlotEdits(t *testing.T) {
	w := newStageWorld(t)
	ctx := context.Background()
	coord := w.as(w.coordinator)
	slots, err := w.svc.GenerateSlots(ctx, coord, w.expo.ID, w.plan(w.pavilionStage.ID, 10, 12, 30*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	free, booked, next := slots[0], slots[1], slots[2]
	if _, err := w.store.BookingCreate(ctx, expodesk.Booking{SlotID: booked.ID, ExhibitorID: w.inside.ID, Title: "Sensors"}, nil); err != nil {
		t.Fatal(err)
	}
	keynote := expodesk.SlotChange{StartsAt: free.StartsAt, EndsAt: free.EndsAt.Add(-10 * time.Minute), Blocked: true,
		Label: expodesk.Text{EN: "Keynote", ZH: "主旨演讲", ES: "Conferencia inaugural"}}
	if err := w.svc.UpdateSlot(ctx, coord, w.expo.ID, free.ID, keynote); err != nil {
		t.Fatal(err)
	}
	if r, _ := w.store.SlotGetRow(ctx, free.ID); !r.Blocked || r.Label.ZH != "主旨演讲" || !r.EndsAt.Equal(keynote.EndsAt) {
		t.Errorf("after the edit: %+v", r)
	}
	if w.audited(t, expodesk.ActionSlotUpdate) != 1 {
		t.Error("slot edit not audited")
	}

	t.Run("ErrSlotOverlap", func(t *testing.T) {
		move := expodesk.SlotChange{StartsAt: next.StartsAt.Add(-10 * time.Minute), EndsAt: next.EndsAt.Add(-10 * time.Minute)}
		if err := w.svc.UpdateSlot(ctx, coord, w.expo.ID, next.ID, move); !errors.Is(err, expodesk.ErrSlotOverlap) || !problemOn(err, "starts_at") {
			t.Errorf("err = %v, want ErrSlotOverlap at starts_at", err)
		}
	})
	t.Run("BookedSlotLeftAlone", func(t *testing.T) {
		a := w.audited(t, expodesk.ActionSlotUpdate)
		for name, err := range map[string]error{
			"block":  w.svc.UpdateSlot(ctx, coord, w.expo.ID, booked.ID, expodesk.SlotChange{StartsAt: booked.StartsAt, EndsAt: booked.EndsAt, Blocked: true}),
			"delete": w.svc.DeleteSlot(ctx, coord, w.expo.ID, booked.ID),
		} {
			if e := expodesk.ErrorOf(err); e == nil || e.Message != "slots.booked" || e.Data["Company"] != "Inside" {
				t.Errorf("%s: %v, want slots.booked naming Inside", name, err)
			}
		}
		if r, err := w.store.SlotGetRow(ctx, booked.ID); err != nil || r.Blocked {
			t.Errorf("booked slot changed: %+v %v", r, err)
		}
		if w.audited(t, expodesk.ActionSlotUpdate) != a {
			t.Error("a refused edit was audited")
		}
	})
	t.Run("ValidationNothingChanged", func(t *testing.T) {
		for field, ch := range map[string]expodesk.SlotChange{
			"ends_at":   {StartsAt: next.EndsAt, EndsAt: next.StartsAt},
			"starts_at": {StartsAt: next.StartsAt.AddDate(0, 1, 0), EndsAt: next.EndsAt.AddDate(0, 1, 0)},
		} {
			if err := w.svc.UpdateSlot(ctx, coord, w.expo.ID, next.ID, ch); !problemOn(err, field) {
				t.Errorf("%s: %v", field, err)
			}
		}
		if r, _ := w.store.SlotGetRow(ctx, next.ID); !r.StartsAt.Equal(next.StartsAt) {
			t.Error("slot moved")
		}
	})
	t.Run("Forbidden", func(t *testing.T) {
		if err := w.svc.DeleteSlot(ctx, w.as(w.otherCoordinator), w.expo.ID, next.ID); !errors.Is(err, expodesk.ErrNotFound) {
			t.Errorf("other coordinator: %v", err)
		}
		if err := w.svc.DeleteSlot(ctx, w.as(w.exhibitorIn), w.expo.ID, next.ID); !errors.Is(err, expodesk.ErrForbidden) {
			t.Errorf("exhibitor: %v", err)
		}
	})
	t.Run("Delete", func(t *testing.T) {
		if err := w.svc.DeleteSlot(ctx, coord, w.expo.ID, next.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.store.SlotGetRow(ctx, next.ID); !errors.Is(err, expodesk.ErrNotFound) {
			t.Errorf("slot still there: %v", err)
		}
		if w.audited(t, expodesk.ActionSlotDelete) != 1 {
			t.Error("delete not audited")
		}
	})
}
