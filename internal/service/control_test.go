package service_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

// TestOrganizerCancelBooking checks an organizer's cancellation of a
// company's booking: who may, the reason required, the booking freed, the
// audit entry and the mail to each of the company's team in their language.
func TestOrganizerCancelBooking(t *testing.T) {
	w := newBookingWorld(t)
	ctx := context.Background()
	if _, err := w.store.UserUpdateProfile(ctx, w.colleague.ID, w.colleague.PersonName, expodesk.ZH); err != nil {
		t.Fatal(err)
	}
	book := func(t *testing.T, slot int64, company int64) expodesk.Booking {
		t.Helper()
		b, err := w.store.BookingCreate(ctx, expodesk.Booking{SlotID: slot, ExhibitorID: company}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	onWuxi := book(t, w.wuxi.ID, w.inside.ID)
	onMain := book(t, w.main[1].ID, w.outside.ID)
	refused := func(name string, c expodesk.User, expoID, id int64, reason string, check func(error) bool) {
		t.Run(name, func(t *testing.T) {
			before, n := w.state(t), w.auditsOf(t, expodesk.ActionBookingOrganizerCancel)
			_, err := w.svc.OrganizerCancelBooking(ctx, w.as(c), expoID, id, reason)
			if !check(err) {
				t.Fatalf("err = %v", err)
			}
			if w.state(t) != before || w.auditsOf(t, expodesk.ActionBookingOrganizerCancel) != n {
				t.Fatal("a refused cancellation changed something")
			}
		})
	}
	is := func(target error) func(error) bool { return func(err error) bool { return errors.Is(err, target) } }
	refused("ForbiddenExhibitor", w.exhibitorIn, w.expoID, onWuxi.ID, "Stage closed", is(expodesk.ErrForbidden))
	refused("CoordinatorOtherStage", w.coordinator, w.expoID, onMain.ID, "Stage closed", is(expodesk.ErrNotFound))
	refused("OtherExpo", w.organizer, w.expoID+1000, onWuxi.ID, "Stage closed", is(expodesk.ErrNotFound))
	refused("UnknownBooking", w.organizer, w.expoID, 1<<40, "Stage closed", is(expodesk.ErrNotFound))
	refused("ReasonRequired", w.organizer, w.expoID, onWuxi.ID, "   ", func(err error) bool {
		e := expodesk.ErrorOf(err)
		return e != nil && e.Problems["reason"].Key == "validation.required"
	})
	refused("ReasonTooLong", w.organizer, w.expoID, onWuxi.ID, strings.Repeat("x", expodesk.MaxCancelReasonLen+1), func(err error) bool {
		e := expodesk.ErrorOf(err)
		return e != nil && e.Problems["reason"].Key == "validation.too_long"
	})

	t.Run("OKCoordinator", func(t *testing.T) {
		n := w.auditsOf(t, expodesk.ActionBookingOrganizerCancel)
		b, err := w.svc.OrganizerCancelBooking(ctx, w.as(w.coordinator), w.expoID, onWuxi.ID, "The stage is closed for repairs.")
		if err != nil {
			t.Fatal(err)
		}
		if b.Status != expodesk.BookingCancelled {
			t.Fatalf("status = %s", b.Status)
		}
		if w.auditsOf(t, expodesk.ActionBookingOrganizerCancel) != n+1 {
			t.Fatal("no audit entry")
		}
		var actor int64
		var reason string
		if err := w.pool.QueryRow(ctx, `SELECT actor_id, after->>'reason' FROM audit_entry WHERE action = $1 ORDER BY id DESC LIMIT 1`,
			string(expodesk.ActionBookingOrganizerCancel)).Scan(&actor, &reason); err != nil {
			t.Fatal(err)
		}
		if actor != w.coordinator.ID || reason != "The stage is closed for repairs." {
			t.Fatalf("audit actor %d reason %q", actor, reason)
		}
		en := w.mailTo(t, w.exhibitorIn.Email, expodesk.MailBookingCancelled)
		zh := w.mailTo(t, w.colleague.Email, expodesk.MailBookingCancelled)
		if len(en) != 1 || !strings.Contains(en[0], "cancelled") || !strings.Contains(en[0], "The stage is closed for repairs.") ||
			!strings.Contains(en[0], "Wuxi stage") || !strings.Contains(en[0], "Inside") {
			t.Fatalf("English mail = %q", en)
		}
		if len(zh) != 1 || !strings.Contains(zh[0], "取消") {
			t.Fatalf("Chinese mail = %q", zh)
		}
		if got := w.mailTo(t, w.exhibitorOut.Email, expodesk.MailBookingCancelled); len(got) != 0 {
			t.Fatalf("another company was told: %q", got)
		}
		// The slot is free again: the company (or another) can book it.
		if _, err := w.store.BookingActiveForSlot(ctx, w.wuxi.ID); !errors.Is(err, expodesk.ErrNotFound) {
			t.Fatalf("slot still held: %v", err)
		}
	})
	refused("AlreadyCancelled", w.organizer, w.expoID, onWuxi.ID, "Again", is(expodesk.ErrBookingCancelled))
	t.Run("OKOrganizerExpoWideStage", func(t *testing.T) {
		if _, err := w.svc.OrganizerCancelBooking(ctx, w.as(w.organizer), w.expoID, onMain.ID, "Keynote overran"); err != nil {
			t.Fatal(err)
		}
		if got := w.mailTo(t, w.exhibitorOut.Email, expodesk.MailBookingCancelled); len(got) != 1 {
			t.Fatalf("mail to the company = %q", got)
		}
	})
}

// TestOrganizerBookSlot checks booking on a company's behalf: outside the
// window, the other rules holding, a coordinator's scope, the audit actor.
func TestOrganizerBookSlot(t *testing.T) {
	w := newBookingWorld(t)
	ctx := context.Background()
	// The window closed an hour ago: companies cannot book, organizers can.
	opens, closes := w.clock.Now().Add(-48*time.Hour), w.clock.Now().Add(-time.Hour)
	if _, err := w.store.BookingRulesSetExpo(ctx, expodesk.BookingRules{ExpoID: w.expoID, OpensAt: &opens, ClosesAt: &closes,
		SlotQuota: 1, CancelHoursBefore: 48}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.BookSlot(ctx, w.as(w.exhibitorOut), w.expoID, w.main[0].ID, expodesk.BookingText{}); err == nil {
		t.Fatal("a company booked after the window closed")
	}
	refused := func(name string, c expodesk.User, slot, company int64, check func(error) bool) {
		t.Run(name, func(t *testing.T) {
			before, n := w.state(t), w.auditsOf(t, expodesk.ActionBookingCreate)
			_, err := w.svc.OrganizerBookSlot(ctx, w.as(c), w.expoID, slot, company)
			if !check(err) {
				t.Fatalf("err = %v", err)
			}
			if w.state(t) != before || w.auditsOf(t, expodesk.ActionBookingCreate) != n {
				t.Fatal("a refused booking changed something")
			}
		})
	}
	is := func(target error) func(error) bool { return func(err error) bool { return errors.Is(err, target) } }
	problem := func(err error) bool {
		e := expodesk.ErrorOf(err)
		return e != nil && e.Problems["exhibitor"].Key == "validation.choice"
	}
	refused("ForbiddenExhibitor", w.exhibitorIn, w.wuxi.ID, w.inside.ID, is(expodesk.ErrForbidden))
	refused("CoordinatorOtherStage", w.coordinator, w.main[0].ID, w.inside.ID, is(expodesk.ErrNotFound))
	refused("CoordinatorOtherPavilionsCompany", w.coordinator, w.wuxi.ID, w.outside.ID, problem)
	refused("OtherExposSlot", w.organizer, w.other.ID, w.inside.ID, is(expodesk.ErrNotFound))
	refused("UnknownCompany", w.organizer, w.main[0].ID, 1<<40, problem)
	refused("BlockedSlot", w.organizer, w.blocked.ID, w.outside.ID, is(expodesk.ErrSlotBlocked))
	refused("PastSlot", w.organizer, w.past.ID, w.outside.ID, is(expodesk.ErrSlotPast))

	t.Run("OKOutsideTheWindow", func(t *testing.T) {
		n := w.auditsOf(t, expodesk.ActionBookingCreate)
		b, err := w.svc.OrganizerBookSlot(ctx, w.as(w.coordinator), w.expoID, w.wuxi.ID, w.inside.ID)
		if err != nil {
			t.Fatal(err)
		}
		if b.ExhibitorID != w.inside.ID || b.Status != expodesk.BookingActive {
			t.Fatalf("booking %+v", b)
		}
		if w.auditsOf(t, expodesk.ActionBookingCreate) != n+1 {
			t.Fatal("no audit entry")
		}
		var actor int64
		if err := w.pool.QueryRow(ctx, `SELECT actor_id FROM audit_entry WHERE action = $1 ORDER BY id DESC LIMIT 1`,
			string(expodesk.ActionBookingCreate)).Scan(&actor); err != nil || actor != w.coordinator.ID {
			t.Fatalf("audit actor %d (%v)", actor, err)
		}
		// The company is told, with the page where it writes its title.
		if got := w.mailTo(t, w.exhibitorIn.Email, expodesk.MailBookingMadeFor); len(got) != 1 ||
			!strings.Contains(got[0], urls.ExhibitorBooking(b.ID)) {
			t.Errorf("mails to the company's team: %q", got)
		}
	})
	refused("SlotTaken", w.organizer, w.wuxi.ID, w.outside.ID, is(expodesk.ErrSlotTaken))
	refused("HeldAlready", w.organizer, w.wuxi.ID, w.inside.ID, is(expodesk.ErrSlotTaken))
	t.Run("QuotaHolds", func(t *testing.T) {
		if _, err := w.svc.OrganizerBookSlot(ctx, w.as(w.organizer), w.expoID, w.main[1].ID, w.outside.ID); err != nil {
			t.Fatal(err)
		}
	})
	refused("QuotaReached", w.organizer, w.main[2].ID, w.outside.ID, func(err error) bool {
		e := expodesk.ErrorOf(err)
		return e != nil && strings.Contains(e.Message, "quota")
	})
}

// TestOrganizerMoveBooking checks moving a booking: to a free slot of the
// same expo only, never onto a time the company is elsewhere, in the
// caller's pavilion for a coordinator; audited and mailed.
func TestOrganizerMoveBooking(t *testing.T) {
	w := newBookingWorld(t)
	ctx := context.Background()
	book := func(slot, company int64) expodesk.Booking {
		t.Helper()
		b, err := w.store.BookingCreate(ctx, expodesk.Booking{SlotID: slot, ExhibitorID: company}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	in := book(w.wuxi.ID, w.inside.ID)         // 10:00 on the pavilion's stage
	out := book(w.main[1].ID, w.outside.ID)    // 10:30 on the main stage
	inLater := book(w.main[2].ID, w.inside.ID) // 11:00 on the main stage
	refused := func(name string, c expodesk.User, id, to int64, check func(error) bool) {
		t.Run(name, func(t *testing.T) {
			before, n := w.state(t), w.auditsOf(t, expodesk.ActionBookingMove)
			_, err := w.svc.OrganizerMoveBooking(ctx, w.as(c), w.expoID, id, to)
			if !check(err) {
				t.Fatalf("err = %v", err)
			}
			if w.state(t) != before || w.auditsOf(t, expodesk.ActionBookingMove) != n {
				t.Fatal("a refused move changed something")
			}
		})
	}
	is := func(target error) func(error) bool { return func(err error) bool { return errors.Is(err, target) } }
	problem := func(err error) bool {
		e := expodesk.ErrorOf(err)
		return e != nil && e.Problems["to"].Key == "validation.choice"
	}
	refused("ForbiddenExhibitor", w.exhibitorIn, in.ID, w.wuxi2.ID, is(expodesk.ErrForbidden))
	refused("CoordinatorOtherStagesBooking", w.coordinator, out.ID, w.main[0].ID, is(expodesk.ErrNotFound))
	refused("CoordinatorToOtherStage", w.coordinator, in.ID, w.main[0].ID, problem)
	refused("OtherExposSlot", w.organizer, in.ID, w.other.ID, problem)
	refused("Taken", w.organizer, in.ID, w.main[1].ID, is(expodesk.ErrSlotTaken))
	refused("Blocked", w.organizer, in.ID, w.blocked.ID, is(expodesk.ErrSlotBlocked))
	refused("Past", w.organizer, in.ID, w.past.ID, is(expodesk.ErrSlotPast))
	// inside holds 11:00 on the main stage; a free slot at that time elsewhere would overlap.
	madrid, _ := time.LoadLocation("Europe/Madrid")
	start := time.Date(2027, 5, 11, 11, 0, 0, 0, madrid)
	clash, err := w.store.SlotCreate(ctx, expodesk.Slot{StageID: w.wuxi.StageID, StartsAt: start, EndsAt: start.Add(30 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	refused("Overlap", w.organizer, in.ID, clash.ID, is(expodesk.ErrBookingOverlap))
	_ = inLater

	t.Run("OK", func(t *testing.T) {
		n := w.auditsOf(t, expodesk.ActionBookingMove)
		b, err := w.svc.OrganizerMoveBooking(ctx, w.as(w.organizer), w.expoID, in.ID, w.main[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if b.SlotID != w.main[0].ID || b.ID != in.ID || b.Status != expodesk.BookingActive {
			t.Fatalf("moved %+v", b)
		}
		if _, err := w.store.BookingActiveForSlot(ctx, w.wuxi.ID); !errors.Is(err, expodesk.ErrNotFound) {
			t.Fatalf("the old slot is still held: %v", err)
		}
		if w.auditsOf(t, expodesk.ActionBookingMove) != n+1 {
			t.Fatal("no audit entry")
		}
		if got := w.mailTo(t, w.exhibitorIn.Email, expodesk.MailBookingMoved); len(got) != 1 || !strings.Contains(got[0], "Main stage") {
			t.Fatalf("mail %q", got)
		}
	})
}
