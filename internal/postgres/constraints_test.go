package postgres_test

import (
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"expodesk/internal/expodesk"
	"expodesk/internal/postgres"
)

// pgCode returns the SQLSTATE of a PostgreSQL error, or "".
func pgCode(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func TestSlugsUnique(t *testing.T) {
	t.Parallel()
	v := newVisitorStore(t)
	a := v.expo("iotswc-2027")
	b := v.expo("wiot-2027")

	t.Run("ErrDuplicateExpo", func(t *testing.T) {
		_, err := v.s.ExpoCreate(v.ctx, expodesk.Expo{Slug: "iotswc-2027", Name: expodesk.Text{EN: "Again"},
			City: expodesk.Text{EN: "Barcelona"}, Country: "ES", TimeZone: "Europe/Madrid",
			FirstDay: a.FirstDay, LastDay: a.LastDay})
		wantCode(t, err, expodesk.ECONFLICT)
		if c := postgres.ConstraintOf(err); c != "expo_slug_key" {
			t.Errorf("constraint = %q, want expo_slug_key", c)
		}
	})
	t.Run("ErrDuplicateExhibitor", func(t *testing.T) {
		v.exhibitor(expodesk.Exhibitor{Slug: "taihu-sensing"})
		_, err := v.s.ExhibitorCreate(v.ctx, expodesk.Exhibitor{Slug: "taihu-sensing", LegalName: "Other",
			Name: expodesk.Text{EN: "Other"}, Country: "CN"}, nil)
		wantCode(t, err, expodesk.ECONFLICT)
	})
	t.Run("ErrDuplicatePavilionInExpo", func(t *testing.T) {
		v.pavilion(a.ID, "wuxi-pavilion")
		_, err := v.s.PavilionCreate(v.ctx, expodesk.Pavilion{ExpoID: a.ID, Slug: "wuxi-pavilion", Name: expodesk.Text{EN: "x"}})
		wantCode(t, err, expodesk.ECONFLICT)
	})
	t.Run("SamePavilionSlugOtherExpo", func(t *testing.T) {
		v.pavilion(b.ID, "wuxi-pavilion")
	})
	t.Run("ErrDuplicateStageInExpo", func(t *testing.T) {
		v.stage(a.ID, nil, "main", 0)
		_, err := v.s.StageCreate(v.ctx, expodesk.Stage{ExpoID: a.ID, Slug: "main", Name: expodesk.Text{EN: "x"}})
		wantCode(t, err, expodesk.ECONFLICT)
	})
	t.Run("ErrDuplicateRegistrationID", func(t *testing.T) {
		v.exhibitor(expodesk.Exhibitor{Slug: "reg-a", Country: "CN", RegistrationID: "91350100M000100Y43"})
		_, err := v.s.ExhibitorCreate(v.ctx, expodesk.Exhibitor{Slug: "reg-b", LegalName: "B", Name: expodesk.Text{EN: "B"},
			Country: "CN", RegistrationID: "91350100M000100Y43"}, nil)
		wantCode(t, err, expodesk.ECONFLICT)
	})
	t.Run("ErrInvalidSlugBeforeSQL", func(t *testing.T) {
		_, err := v.s.ExhibitorCreate(v.ctx, expodesk.Exhibitor{Slug: "Bad Slug", LegalName: "B",
			Name: expodesk.Text{EN: "B"}, Country: "CN"}, nil)
		wantCode(t, err, expodesk.EINVALID)
	})
}

func TestSlotsNeverOverlap(t *testing.T) {
	t.Parallel()
	v := newVisitorStore(t)
	e := v.expo("iotswc-2027")
	st := v.stage(e.ID, nil, "main", 0)
	other := v.stage(e.ID, nil, "side", 1)
	v.slot(st.ID, 10, 0, 30) // 10:00–10:30

	at := func(hh, mm int) time.Time { return time.Date(2027, 5, 11, hh, mm, 0, 0, v.madrid) }
	for _, tc := range []struct {
		name       string
		stageID    int64
		start, end time.Time
		code       string
	}{
		{"ErrOverlapsEnd", st.ID, at(10, 15), at(10, 45), expodesk.ECONFLICT},
		{"ErrOverlapsStart", st.ID, at(9, 45), at(10, 15), expodesk.ECONFLICT},
		{"ErrSameRange", st.ID, at(10, 0), at(10, 30), expodesk.ECONFLICT},
		{"ErrInside", st.ID, at(10, 10), at(10, 20), expodesk.ECONFLICT},
		{"ErrAround", st.ID, at(9, 0), at(11, 0), expodesk.ECONFLICT},
		{"AdjacentAfter", st.ID, at(10, 30), at(11, 0), ""},
		{"AdjacentBefore", st.ID, at(9, 30), at(10, 0), ""},
		{"SameTimeOtherStage", other.ID, at(10, 0), at(10, 30), ""},
		{"ErrEndBeforeStart", st.ID, at(15, 0), at(14, 0), expodesk.EINVALID},
		{"ErrLongerThan12Hours", st.ID, at(0, 0).AddDate(0, 0, 2), at(0, 0).AddDate(0, 0, 3), expodesk.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := v.s.SlotCreate(v.ctx, expodesk.Slot{StageID: tc.stageID, StartsAt: tc.start, EndsAt: tc.end})
			wantCode(t, err, tc.code)
			if tc.code == expodesk.ECONFLICT {
				if c := postgres.ConstraintOf(err); c != "slot_no_overlap" {
					t.Errorf("constraint = %q, want slot_no_overlap", c)
				}
			}
		})
	}
}

func TestOneActiveBookingPerSlot(t *testing.T) {
	t.Parallel()
	v := newVisitorStore(t)
	e := v.expo("iotswc-2027")
	st := v.stage(e.ID, nil, "main", 0)
	sl := v.slot(st.ID, 10, 0, 30)
	a := v.exhibitor(expodesk.Exhibitor{Slug: "taihu-sensing"})
	b := v.exhibitor(expodesk.Exhibitor{Slug: "nube-catalana"})
	first := v.book(sl.ID, a.ID, "First")

	t.Run("ErrSecondActiveBooking", func(t *testing.T) {
		_, err := v.s.BookingCreate(v.ctx, expodesk.Booking{SlotID: sl.ID, ExhibitorID: b.ID, Title: "Second"}, nil)
		wantCode(t, err, expodesk.ECONFLICT)
		if c := postgres.ConstraintOf(err); c != "booking_one_active_per_slot" {
			t.Errorf("constraint = %q, want booking_one_active_per_slot", c)
		}
	})
	t.Run("ErrSameCompanyTwice", func(t *testing.T) {
		_, err := v.s.BookingCreate(v.ctx, expodesk.Booking{SlotID: sl.ID, ExhibitorID: a.ID, Title: "Again"}, nil)
		wantCode(t, err, expodesk.ECONFLICT)
	})
	t.Run("CancelledThenRebooked", func(t *testing.T) {
		v.exec(`UPDATE booking SET status = 'cancelled', cancelled_at = now() WHERE id = $1`, first.ID)
		if _, err := v.s.BookingCreate(v.ctx, expodesk.Booking{SlotID: sl.ID, ExhibitorID: b.ID, Title: "Second"}, nil); err != nil {
			t.Fatalf("rebooking a cancelled slot: %v", err)
		}
	})
	t.Run("ErrCancelledWithoutTime", func(t *testing.T) {
		_, err := v.pool.Exec(v.ctx, `UPDATE booking SET status = 'cancelled' WHERE slot_id = $1 AND status = 'active'`, sl.ID)
		if pgCode(err) != "23514" {
			t.Errorf("cancelling without cancelled_at: %v, want a check violation", err)
		}
	})
	t.Run("ErrTitleBlank", func(t *testing.T) {
		_, err := v.s.BookingCreate(v.ctx, expodesk.Booking{SlotID: sl.ID, ExhibitorID: b.ID, Title: "  "}, nil)
		wantCode(t, err, expodesk.EINVALID)
	})
}

func TestUserEmailUniqueIgnoringCase(t *testing.T) {
	t.Parallel()
	v := newVisitorStore(t)
	insert := `INSERT INTO app_user (email, role) VALUES ($1, 'organizer')`
	v.exec(insert, "Ana.Garcia@Example.es")
	for _, tc := range []struct {
		name, email string
		code        string
	}{
		{"ErrSameCase", "Ana.Garcia@Example.es", "23505"},
		{"ErrLowerCase", "ana.garcia@example.es", "23505"},
		{"ErrUpperCase", "ANA.GARCIA@EXAMPLE.ES", "23505"},
		{"OtherAddress", "ana.garcia2@example.es", ""},
		{"ErrNoAt", "ana.example.es", "23514"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := v.pool.Exec(v.ctx, insert, tc.email)
			if got := pgCode(err); got != tc.code {
				t.Errorf("insert %q: %v (SQLSTATE %q), want SQLSTATE %q", tc.email, err, got, tc.code)
			}
		})
	}
}

func TestParticipationPavilionOfSameExpo(t *testing.T) {
	t.Parallel()
	v := newVisitorStore(t)
	a := v.expo("iotswc-2027")
	b := v.expo("wiot-2027")
	pa := v.pavilion(a.ID, "wuxi-pavilion")
	pb := v.pavilion(b.ID, "european-pavilion")
	x := v.exhibitor(expodesk.Exhibitor{Slug: "taihu-sensing"})
	y := v.exhibitor(expodesk.Exhibitor{Slug: "nube-catalana"})

	t.Run("ErrPavilionOfOtherExpo", func(t *testing.T) {
		_, err := v.s.ParticipationCreate(v.ctx, expodesk.Participation{ExpoID: a.ID, ExhibitorID: x.ID,
			PavilionID: &pb.ID, Status: expodesk.StatusApproved})
		wantCode(t, err, expodesk.EINVALID)
	})
	t.Run("OwnPavilion", func(t *testing.T) {
		_, err := v.s.ParticipationCreate(v.ctx, expodesk.Participation{ExpoID: a.ID, ExhibitorID: x.ID,
			PavilionID: &pa.ID, Status: expodesk.StatusApproved, Booth: "2-A01"})
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrTwiceInOneExpo", func(t *testing.T) {
		_, err := v.s.ParticipationCreate(v.ctx, expodesk.Participation{ExpoID: a.ID, ExhibitorID: x.ID, Status: expodesk.StatusApplied})
		wantCode(t, err, expodesk.ECONFLICT)
	})
	t.Run("ErrBoothTakenByApproved", func(t *testing.T) {
		_, err := v.s.ParticipationCreate(v.ctx, expodesk.Participation{ExpoID: a.ID, ExhibitorID: y.ID,
			Booth: "2-A01", Status: expodesk.StatusApproved})
		wantCode(t, err, expodesk.ECONFLICT)
	})
	t.Run("SameBoothWhileOnlyApplied", func(t *testing.T) {
		_, err := v.s.ParticipationCreate(v.ctx, expodesk.Participation{ExpoID: a.ID, ExhibitorID: y.ID,
			Booth: "2-A01", Status: expodesk.StatusApplied})
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrUnknownStatus", func(t *testing.T) {
		_, err := v.s.ParticipationCreate(v.ctx, expodesk.Participation{ExpoID: b.ID, ExhibitorID: y.ID, Status: "pending"})
		wantCode(t, err, expodesk.EINVALID)
	})
	t.Run("ErrStagePavilionOfOtherExpo", func(t *testing.T) {
		_, err := v.s.StageCreate(v.ctx, expodesk.Stage{ExpoID: a.ID, PavilionID: &pb.ID, Slug: "s", Name: expodesk.Text{EN: "S"}})
		wantCode(t, err, expodesk.EINVALID)
	})
}

func TestLocalizedColumnsChecked(t *testing.T) {
	t.Parallel()
	v := newVisitorStore(t)
	e := v.expo("iotswc-2027")
	insertExpo := `INSERT INTO expo (slug, name, city, country, time_zone, first_day, last_day)
		VALUES ($1, $2, '{"en":"Barcelona"}', 'ES', 'Europe/Madrid', '2027-05-11', '2027-05-13')`
	insertPavilion := `INSERT INTO pavilion (expo_id, slug, name, description) VALUES ($1, $2, '{"en":"P"}', $3)`
	for i, tc := range []struct {
		name  string
		sql   string
		value string
		code  string
	}{
		{"ExpoNameOK", insertExpo, `{"en":"Expo","zh":"博览会","es":"Exposición"}`, ""},
		{"ExpoNameOneLanguage", insertExpo, `{"zh":"博览会"}`, ""},
		{"ErrExpoNameUnknownLanguage", insertExpo, `{"fr":"Salon"}`, "23514"},
		{"ErrExpoNameExtraLanguage", insertExpo, `{"en":"Expo","de":"Messe"}`, "23514"},
		{"ErrExpoNameAllEmpty", insertExpo, `{"en":"","zh":"","es":""}`, "23514"},
		{"ErrExpoNameEmptyObject", insertExpo, `{}`, "23514"},
		{"ErrExpoNameString", insertExpo, `"Expo"`, "23514"},
		{"ErrExpoNameArray", insertExpo, `["Expo"]`, "23514"},
		{"PavilionDescriptionEmpty", insertPavilion, `{}`, ""},
		{"ErrPavilionDescriptionUnknownLanguage", insertPavilion, `{"ca":"Pavelló"}`, "23514"},
		{"ErrPavilionDescriptionNotObject", insertPavilion, `"text"`, "23514"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			slug := "x" + string(rune('a'+i))
			var err error
			if tc.sql == insertExpo {
				_, err = v.pool.Exec(v.ctx, tc.sql, slug, tc.value)
			} else {
				_, err = v.pool.Exec(v.ctx, tc.sql, e.ID, slug, tc.value)
			}
			if got := pgCode(err); got != tc.code {
				t.Errorf("insert %s: %v (SQLSTATE %q), want SQLSTATE %q", tc.value, err, got, tc.code)
			}
		})
	}
}
