package service_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
	"expodesk/internal/mail"
	"expodesk/internal/password"
	"expodesk/internal/service"
)

// bookingWorld is the service fixture with a clock the test moves, booking
// rules that are open now (quota 1, cancellation 48 hours before), an
// expo-wide stage and the pavilion's stage with slots on 11 May 2027.
type bookingWorld struct {
	world
	svc     *service.Service
	clock   *clock
	expoID  int64
	main    []expodesk.Slot // 10:00, 10:30, 11:00 on the expo-wide stage
	wuxi    expodesk.Slot   // 10:00 on the pavilion's stage, beside main[0]
	wuxi2   expodesk.Slot   // 12:00 on the pavilion's stage
	blocked expodesk.Slot
	past    expodesk.Slot
	other   expodesk.Slot // a slot of another expo
}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }

func newBookingWorld(t *testing.T) bookingWorld {
	t.Helper()
	ctx := context.Background()
	w := bookingWorld{world: newWorld(t), clock: &clock{now: time.Now().Truncate(time.Minute)}}
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	w.svc = service.New(service.Config{BaseURL: "https://expo.example.org"}, service.Deps{
		Store: w.store, Mail: mail.NewComposer(catalog), Passwords: password.NewHasher(password.Config{}), Now: w.clock.Now})
	w.expoID = w.pavilion.ExpoID
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	opens, closes := w.clock.Now().Add(-time.Hour), w.clock.Now().Add(24*time.Hour)
	_, err = w.store.BookingRulesSetExpo(ctx, expodesk.BookingRules{ExpoID: w.expoID, OpensAt: &opens, ClosesAt: &closes,
		SlotQuota: 1, CancelHoursBefore: 48})
	must(err)
	main, err := w.store.StageCreate(ctx, expodesk.Stage{ExpoID: w.expoID, Slug: "main", Name: expodesk.Text{EN: "Main stage"}})
	must(err)
	wuxi, err := w.store.StageCreate(ctx, expodesk.Stage{ExpoID: w.expoID, PavilionID: &w.pavilion.ID, Slug: "wuxi",
		Name: expodesk.Text{EN: "Wuxi stage"}})
	must(err)
	madrid, _ := time.LoadLocation("Europe/Madrid")
	slot := func(stage int64, hh, mm int, blocked bool) expodesk.Slot {
		t.Helper()
		start := time.Date(2027, 5, 11, hh, mm, 0, 0, madrid)
		sl, err := w.store.SlotCreate(ctx, expodesk.Slot{StageID: stage, StartsAt: start, EndsAt: start.Add(30 * time.Minute), Blocked: blocked})
		must(err)
		return sl
	}
	w.main = []expodesk.Slot{slot(main.ID, 10, 0, false), slot(main.ID, 10, 30, false), slot(main.ID, 11, 0, false)}
	w.wuxi, w.wuxi2 = slot(wuxi.ID, 10, 0, false), slot(wuxi.ID, 12, 0, false)
	w.blocked = slot(main.ID, 13, 0, true)
	start := w.clock.Now().Add(-2 * time.Hour)
	w.past, err = w.store.SlotCreate(ctx, expodesk.Slot{StageID: main.ID, StartsAt: start, EndsAt: start.Add(30 * time.Minute)})
	must(err)
	otherExpo, err := w.store.ExpoCreate(ctx, expodesk.Expo{Slug: "wiot-svc", Name: expodesk.Text{EN: "WIOT"}, City: expodesk.Text{EN: "Wuxi"},
		Country: "CN", TimeZone: "Asia/Shanghai", FirstDay: time.Date(2027, 10, 26, 0, 0, 0, 0, time.UTC), LastDay: time.Date(2027, 10, 28, 0, 0, 0, 0, time.UTC)})
	must(err)
	otherStage, err := w.store.StageCreate(ctx, expodesk.Stage{ExpoID: otherExpo.ID, Slug: "main", Name: expodesk.Text{EN: "Main"}})
	must(err)
	ostart := time.Date(2027, 10, 26, 10, 0, 0, 0, time.UTC)
	w.other, err = w.store.SlotCreate(ctx, expodesk.Slot{StageID: otherStage.ID, StartsAt: ostart, EndsAt: ostart.Add(30 * time.Minute)})
	must(err)
	return w
}

// state is what a refused booking operation must leave as it was.
func (w bookingWorld) state(t *testing.T) string {
	t.Helper()
	var s string
	if err := w.pool.QueryRow(context.Background(), `SELECT coalesce(string_agg(concat_ws('/', id, slot_id, exhibitor_id,
		titles::text, abstracts::text, status), ';' ORDER BY id), '') FROM booking`).Scan(&s); err != nil {
		t.Fatal(err)
	}
	var rules string
	if err := w.pool.QueryRow(context.Background(), `SELECT concat_ws('/', slot_quota, cancel_hours_before, booking_opens_at,
		booking_closes_at, booking_title_lang, booking_texts_due_at) FROM expo WHERE id = $1`, w.expoID).Scan(&rules); err != nil {
		t.Fatal(err)
	}
	var pav int
	if err := w.pool.QueryRow(context.Background(), `SELECT count(*) FROM pavilion_booking_rule`).Scan(&pav); err != nil {
		t.Fatal(err)
	}
	return s + "|" + rules + "|" + itoa(int64(pav))
}

// auditsOf counts the audit entries of an action.
func (w bookingWorld) auditsOf(t *testing.T, action expodesk.AuditAction) int {
	t.Helper()
	var n int
	if err := w.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_entry WHERE action = $1`, string(action)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func wantMessage(t *testing.T, err error, message string) {
	t.Helper()
	if e := expodesk.ErrorOf(err); e == nil || e.Message != message {
		t.Fatalf("err = %v, want %s", err, message)
	}
}

func wantProblem(t *testing.T, err error, field, key string) {
	t.Helper()
	e := expodesk.ErrorOf(err)
	if e == nil || e.Problems[field].Key != key {
		t.Fatalf("err = %v, want %s at %s", err, key, field)
	}
}

// TestBookSlot checks every rule of booking a slot: what is refused is
// refused with its own message and changes nothing.
func TestBookSlot(t *testing.T) {
	w := newBookingWorld(t)
	ctx := context.Background()
	in, out := w.as(w.exhibitorIn), w.as(w.exhibitorOut)
	none := expodesk.BookingText{}

	var first expodesk.Booking
	t.Run("OKTitleToBeAnnounced", func(t *testing.T) {
		n := w.auditsOf(t, expodesk.ActionBookingCreate)
		b, err := w.svc.BookSlot(ctx, in, w.expoID, w.main[0].ID, none)
		if err != nil {
			t.Fatal(err)
		}
		if b.ExhibitorID != w.inside.ID || b.Status != expodesk.BookingActive || !b.Titles.IsZero() || b.Title != "" {
			t.Errorf("booked %+v", b)
		}
		if w.auditsOf(t, expodesk.ActionBookingCreate) != n+1 {
			t.Error("no audit entry")
		}
		first = b
	})
	t.Run("DoubleSubmitBooksOnce", func(t *testing.T) {
		before, n := w.state(t), w.auditsOf(t, expodesk.ActionBookingCreate)
		b, err := w.svc.BookSlot(ctx, in, w.expoID, w.main[0].ID, none)
		if err != nil || b.ID != first.ID {
			t.Fatalf("again: %v, %+v; want booking %d", err, b, first.ID)
		}
		if w.state(t) != before || w.auditsOf(t, expodesk.ActionBookingCreate) != n {
			t.Error("a repeated booking changed something")
		}
	})
	refused := func(name string, c service.Caller, slot int64, text expodesk.BookingText, check func(*testing.T, error)) {
		t.Run(name, func(t *testing.T) {
			before := w.state(t)
			_, err := w.svc.BookSlot(ctx, c, w.expoID, slot, text)
			check(t, err)
			if w.state(t) != before {
				t.Error("a refused booking changed something")
			}
		})
	}
	is := func(want error) func(*testing.T, error) {
		return func(t *testing.T, err error) {
			t.Helper()
			if !errors.Is(err, want) {
				t.Fatalf("err = %v, want %v", err, want)
			}
		}
	}
	message := func(m string) func(*testing.T, error) {
		return func(t *testing.T, err error) { wantMessage(t, err, m) }
	}
	refused("ErrSlotTaken", out, w.main[0].ID, none, is(expodesk.ErrSlotTaken))
	refused("ErrQuotaReached", in, w.main[1].ID, none, message("booking.quota_reached"))
	refused("ErrSlotBlocked", out, w.blocked.ID, none, is(expodesk.ErrSlotBlocked))
	refused("ErrSlotPast", out, w.past.ID, none, is(expodesk.ErrSlotPast))
	refused("ErrOtherExposSlot", out, w.other.ID, none, is(expodesk.ErrNotFound))
	refused("ErrUnknownSlot", out, 1<<40, none, is(expodesk.ErrNotFound))
	refused("ErrTitleTooLong", out, w.main[1].ID, expodesk.BookingText{Titles: expodesk.Text{EN: strings.Repeat("x", 10000)}},
		func(t *testing.T, err error) { wantProblem(t, err, "title_en", "validation.too_long") })
	refused("ErrAbstractWithoutTitle", out, w.main[1].ID, expodesk.BookingText{Abstracts: expodesk.Text{ES: "Sin título"}},
		func(t *testing.T, err error) { wantProblem(t, err, "title_es", "booking.abstract_needs_title") })
	refused("ForbiddenOrganizer", w.as(w.organizer), w.main[1].ID, none, is(expodesk.ErrForbidden))
	refused("ErrUnauthorizedVisitor", service.Caller{}, w.main[1].ID, none, func(t *testing.T, err error) {
		if expodesk.ErrorCode(err) != expodesk.EUNAUTHORIZED {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ErrNotApproved", func(t *testing.T) {
		a := w.applicant(t, "applicant", nil, "")
		u, err := w.store.UserCreate(ctx, expodesk.User{Email: "applicant@example.com", Role: expodesk.RoleExhibitor,
			ExhibitorID: &a.ExhibitorID, PersonName: expodesk.PersonName{FamilyName: "Test"}})
		if err != nil {
			t.Fatal(err)
		}
		before := w.state(t)
		_, err = w.svc.BookSlot(ctx, w.as(u), w.expoID, w.main[1].ID, none)
		if !errors.Is(err, expodesk.ErrNotApproved) || w.state(t) != before {
			t.Fatalf("err = %v, want not approved and nothing changed", err)
		}
	})
	t.Run("ErrOverlapOnAnotherStage", func(t *testing.T) {
		// The pavilion's stage under rules of its own: its quota is its own,
		// so only the overlap stands in the way.
		if _, err := w.svc.SetPavilionBookingRules(ctx, w.as(w.coordinator), w.expoID, w.pavilion.ID,
			expodesk.BookingRules{OpensAt: ptr(w.clock.Now().Add(-time.Hour)), SlotQuota: 1, CancelHoursBefore: 24}); err != nil {
			t.Fatal(err)
		}
		before := w.state(t)
		_, err := w.svc.BookSlot(ctx, in, w.expoID, w.wuxi.ID, none)
		if !errors.Is(err, expodesk.ErrBookingOverlap) || w.state(t) != before {
			t.Fatalf("err = %v, want overlap and nothing changed", err)
		}
		// The pavilion's own quota lets the company hold one there too.
		if _, err := w.svc.BookSlot(ctx, in, w.expoID, w.wuxi2.ID, none); err != nil {
			t.Fatalf("a slot under the pavilion's own quota: %v", err)
		}
	})
	t.Run("ErrTitleLanguage", func(t *testing.T) {
		setRules(t, w, func(r *expodesk.BookingRules) { r.TitleLang = expodesk.ZH })
		refusedErr := func() error {
			_, err := w.svc.BookSlot(ctx, out, w.expoID, w.main[1].ID, expodesk.BookingText{Titles: expodesk.Text{EN: "Sensors"}})
			return err
		}
		wantProblem(t, refusedErr(), "title_zh", "booking.title_lang_required")
		setRules(t, w, func(r *expodesk.BookingRules) { r.TitleLang = "" })
	})
	t.Run("ErrBeforeWindow", func(t *testing.T) {
		setRules(t, w, func(r *expodesk.BookingRules) { r.OpensAt = ptr(w.clock.Now().Add(time.Minute)) })
		before := w.state(t)
		_, err := w.svc.BookSlot(ctx, out, w.expoID, w.main[1].ID, none)
		wantMessage(t, err, "booking.not_open")
		if w.state(t) != before {
			t.Error("changed")
		}
	})
	t.Run("ErrNotScheduled", func(t *testing.T) {
		setRules(t, w, func(r *expodesk.BookingRules) { r.OpensAt, r.ClosesAt = nil, nil })
		_, err := w.svc.BookSlot(ctx, out, w.expoID, w.main[1].ID, none)
		if !errors.Is(err, expodesk.ErrBookingNotScheduled) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ErrAfterClose", func(t *testing.T) {
		setRules(t, w, func(r *expodesk.BookingRules) {
			r.OpensAt, r.ClosesAt = ptr(w.clock.Now().Add(-2*time.Hour)), ptr(w.clock.Now())
		})
		before := w.state(t)
		_, err := w.svc.BookSlot(ctx, out, w.expoID, w.main[1].ID, none)
		if !errors.Is(err, expodesk.ErrBookingClosed) || w.state(t) != before {
			t.Fatalf("err = %v, want closed and nothing changed", err)
		}
	})
}

func ptr[T any](v T) *T { return &v }

// setRules changes the expo's rules straight in the store.
func setRules(t *testing.T, w bookingWorld, change func(*expodesk.BookingRules)) {
	t.Helper()
	r, err := w.store.BookingRulesOfExpo(context.Background(), w.expoID)
	if err != nil {
		t.Fatal(err)
	}
	change(&r)
	if _, err := w.store.BookingRulesSetExpo(context.Background(), r); err != nil {
		t.Fatal(err)
	}
}

// TestBookingTextsAndCancel checks writing the texts after booking and
// cancelling: the company's own booking only, before each deadline.
func TestBookingTextsAndCancel(t *testing.T) {
	w := newBookingWorld(t)
	ctx := context.Background()
	in, out := w.as(w.exhibitorIn), w.as(w.exhibitorOut)
	b, err := w.svc.BookSlot(ctx, in, w.expoID, w.main[0].ID, expodesk.BookingText{})
	if err != nil {
		t.Fatal(err)
	}
	text := expodesk.BookingText{Titles: expodesk.Text{EN: " Sensors for smart cities ", ZH: "智慧城市传感器"},
		Abstracts: expodesk.Text{EN: "MEMS\r\nat scale."}}
	t.Run("OKTexts", func(t *testing.T) {
		n := w.auditsOf(t, expodesk.ActionBookingTexts)
		got, err := w.svc.SetBookingTexts(ctx, w.as(w.colleague), b.ID, text)
		if err != nil {
			t.Fatal(err)
		}
		if got.Titles.EN != "Sensors for smart cities" || got.Title != "Sensors for smart cities" || got.Abstracts.EN != "MEMS\nat scale." {
			t.Errorf("texts %+v", got)
		}
		if w.auditsOf(t, expodesk.ActionBookingTexts) != n+1 {
			t.Error("no audit entry")
		}
	})
	for _, tc := range []struct {
		name string
		c    service.Caller
		want error
	}{
		{"ErrOtherCompanysBooking", out, expodesk.ErrNotFound},
		{"ForbiddenCoordinator", w.as(w.coordinator), expodesk.ErrForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := w.state(t)
			if _, err := w.svc.SetBookingTexts(ctx, tc.c, b.ID, text); !errors.Is(err, tc.want) {
				t.Errorf("texts: %v, want %v", err, tc.want)
			}
			if _, err := w.svc.CancelBooking(ctx, tc.c, b.ID); !errors.Is(err, tc.want) {
				t.Errorf("cancel: %v, want %v", err, tc.want)
			}
			if w.state(t) != before {
				t.Error("changed")
			}
		})
	}
	t.Run("ErrTextsAfterDeadline", func(t *testing.T) {
		setRules(t, w, func(r *expodesk.BookingRules) { r.TextsDueAt = ptr(w.clock.Now()) })
		before := w.state(t)
		_, err := w.svc.SetBookingTexts(ctx, in, b.ID, expodesk.BookingText{Titles: expodesk.Text{EN: "Late"}})
		wantMessage(t, err, "booking.texts_closed")
		if w.state(t) != before {
			t.Error("changed")
		}
		setRules(t, w, func(r *expodesk.BookingRules) { r.TextsDueAt = nil })
	})
	t.Run("ErrCancelAfterDeadline", func(t *testing.T) {
		now := w.clock.Now()
		w.clock.Set(w.main[0].StartsAt.Add(-47 * time.Hour))
		defer w.clock.Set(now)
		before := w.state(t)
		_, err := w.svc.CancelBooking(ctx, in, b.ID)
		wantMessage(t, err, "booking.cancel_too_late")
		if w.state(t) != before {
			t.Error("changed")
		}
	})
	t.Run("OKCancelThenFree", func(t *testing.T) {
		n := w.auditsOf(t, expodesk.ActionBookingCancel)
		got, err := w.svc.CancelBooking(ctx, in, b.ID)
		if err != nil || got.Status != expodesk.BookingCancelled {
			t.Fatalf("cancel: %v %+v", err, got)
		}
		if w.auditsOf(t, expodesk.ActionBookingCancel) != n+1 {
			t.Error("no audit entry")
		}
		if _, err := w.svc.CancelBooking(ctx, in, b.ID); !errors.Is(err, expodesk.ErrBookingCancelled) {
			t.Errorf("cancelling twice: %v", err)
		}
		if _, err := w.svc.BookSlot(ctx, out, w.expoID, w.main[0].ID, expodesk.BookingText{}); err != nil {
			t.Errorf("the freed slot: %v", err)
		}
	})
}

// TestBookingRules checks the organizer's rules: who may set them, and
// that bad values change nothing.
func TestBookingRules(t *testing.T) {
	w := newBookingWorld(t)
	ctx := context.Background()
	good := expodesk.BookingRules{OpensAt: ptr(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)), SlotQuota: 3, CancelHoursBefore: 24,
		TitleLang: expodesk.EN, TextsDueAt: ptr(time.Date(2027, 5, 1, 0, 0, 0, 0, time.UTC))}
	t.Run("OKExpo", func(t *testing.T) {
		n := w.auditsOf(t, expodesk.ActionBookingRulesSet)
		got, err := w.svc.SetExpoBookingRules(ctx, w.as(w.organizer), w.expoID, good)
		if err != nil || got.SlotQuota != 3 || got.TitleLang != expodesk.EN || got.TextsDueAt == nil {
			t.Fatalf("%v %+v", err, got)
		}
		if w.auditsOf(t, expodesk.ActionBookingRulesSet) != n+1 {
			t.Error("no audit entry")
		}
	})
	for _, tc := range []struct {
		name  string
		c     service.Caller
		rules expodesk.BookingRules
		check func(*testing.T, error)
	}{
		{"ErrQuotaNegative", w.as(w.organizer), func() expodesk.BookingRules { r := good; r.SlotQuota = -1; return r }(),
			func(t *testing.T, err error) { wantProblem(t, err, "slot_quota", "validation.range") }},
		{"ErrClosesBeforeOpens", w.as(w.organizer), func() expodesk.BookingRules {
			r := good
			r.ClosesAt = ptr(r.OpensAt.Add(-time.Hour))
			return r
		}(), func(t *testing.T, err error) { wantProblem(t, err, "closes_at", "validation.after_opens") }},
		{"ForbiddenCoordinator", w.as(w.coordinator), good, func(t *testing.T, err error) {
			if !errors.Is(err, expodesk.ErrForbidden) {
				t.Fatal(err)
			}
		}},
		{"ForbiddenExhibitor", w.as(w.exhibitorIn), good, func(t *testing.T, err error) {
			if !errors.Is(err, expodesk.ErrForbidden) {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := w.state(t)
			_, err := w.svc.SetExpoBookingRules(ctx, tc.c, w.expoID, tc.rules)
			tc.check(t, err)
			if w.state(t) != before {
				t.Error("changed")
			}
		})
	}
	t.Run("PavilionOwnCoordinator", func(t *testing.T) {
		if _, err := w.svc.SetPavilionBookingRules(ctx, w.as(w.coordinator), w.expoID, w.pavilion.ID, good); err != nil {
			t.Fatal(err)
		}
		r, err := w.store.BookingRulesFor(ctx, w.expoID, &w.pavilion.ID)
		if err != nil || r.PavilionID == nil || r.SlotQuota != 3 {
			t.Fatalf("%v %+v", err, r)
		}
		if err := w.svc.RemovePavilionBookingRules(ctx, w.as(w.coordinator), w.expoID, w.pavilion.ID); err != nil {
			t.Fatal(err)
		}
		if r, _ := w.store.BookingRulesFor(ctx, w.expoID, &w.pavilion.ID); r.PavilionID != nil {
			t.Error("the pavilion keeps rules of its own")
		}
	})
	t.Run("ErrPavilionQuotaNegative", func(t *testing.T) {
		before := w.state(t)
		r := good
		r.SlotQuota = -1
		_, err := w.svc.SetPavilionBookingRules(ctx, w.as(w.organizer), w.expoID, w.pavilion.ID, r)
		wantProblem(t, err, "slot_quota", "validation.range")
		if w.state(t) != before {
			t.Error("changed")
		}
	})
	t.Run("ErrOtherPavilionCoordinator", func(t *testing.T) {
		other, err := w.store.PavilionCreate(ctx, expodesk.Pavilion{ExpoID: w.expoID, Slug: "other", Name: expodesk.Text{EN: "Other"}})
		if err != nil {
			t.Fatal(err)
		}
		before := w.state(t)
		if _, err := w.svc.SetPavilionBookingRules(ctx, w.as(w.coordinator), w.expoID, other.ID, good); !errors.Is(err, expodesk.ErrNotFound) {
			t.Fatalf("err = %v, want not found", err)
		}
		if w.state(t) != before {
			t.Error("changed")
		}
	})
}
