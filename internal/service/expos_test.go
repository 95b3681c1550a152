package service_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"expodesk/internal/expodesk"
)

func newExpo(slug string) expodesk.Expo {
	return expodesk.Expo{Slug: slug, Name: expodesk.Text{EN: "Smart City Expo", ZH: "智慧城市博览会", ES: "Feria de la Ciudad Inteligente"},
		City: expodesk.Text{EN: "Barcelona"}, Country: "ES", TimeZone: "Europe/Madrid",
		FirstDay: time.Date(2027, 11, 16, 0, 0, 0, 0, time.UTC), LastDay: time.Date(2027, 11, 18, 0, 0, 0, 0, time.UTC),
		SlotQuota: 2, CancelHoursBefore: 48}
}

// problemOn reports whether err is a field problem on field.
func problemOn(err error, field string) bool {
	e := expodesk.ErrorOf(err)
	if e == nil {
		return false
	}
	if e.Field == field {
		return true
	}
	_, ok := e.Problems[field]
	return ok
}

// TestExpoWrites checks the permission rule, validation and audit entry of
// each expo, sister and pavilion write.
func TestExpoWrites(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	org := w.as(w.organizer)
	audits := func() int { return w.counts(t)[3] }

	before := audits()
	e, err := w.svc.CreateExpo(ctx, org, newExpo("scewc-2027"))
	if err != nil {
		t.Fatal(err)
	}
	if audits() != before+1 {
		t.Error("create: no audit entry")
	}
	e.Website = "https://www.smartcityexpo.com"
	if e, err = w.svc.UpdateExpo(ctx, org, e.ID, e); err != nil || e.Website == "" {
		t.Fatalf("update: %v %+v", err, e)
	}

	for _, tc := range []struct {
		name  string
		edit  func(*expodesk.Expo)
		field string
	}{
		{"LastDayBeforeFirst", func(e *expodesk.Expo) { e.LastDay = e.FirstDay.AddDate(0, 0, -1) }, "last_day"},
		{"UnknownZone", func(e *expodesk.Expo) { e.TimeZone = "Europe/Atlantis" }, "time_zone"},
		{"JavascriptWebsite", func(e *expodesk.Expo) { e.Website = "javascript:alert(1)" }, "website"},
		{"DuplicateSlug", func(e *expodesk.Expo) { e.Slug = "iotswc-svc" }, "slug"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := newExpo("fresh-" + map[string]string{"DuplicateSlug": "x"}[tc.name] + "slug")
			tc.edit(&x)
			n := audits()
			if _, err := w.svc.CreateExpo(ctx, org, x); !problemOn(err, tc.field) {
				t.Errorf("create: %v, want a problem on %s", err, tc.field)
			}
			y := e
			tc.edit(&y)
			if _, err := w.svc.UpdateExpo(ctx, org, e.ID, y); !problemOn(err, tc.field) {
				t.Errorf("update: %v, want a problem on %s", err, tc.field)
			}
			if audits() != n {
				t.Error("a refused write was audited as done")
			}
		})
	}

	t.Run("Forbidden", func(t *testing.T) {
		for _, u := range []expodesk.User{w.coordinator, w.exhibitorIn} {
			if _, err := w.svc.CreateExpo(ctx, w.as(u), newExpo("nope-"+string(u.Role))); !errors.Is(err, expodesk.ErrForbidden) {
				t.Errorf("%s creates an expo: %v, want forbidden", u.Email, err)
			}
			if _, err := w.svc.UpdateExpo(ctx, w.as(u), e.ID, e); !errors.Is(err, expodesk.ErrForbidden) {
				t.Errorf("%s edits an expo: %v, want forbidden", u.Email, err)
			}
			if err := w.svc.SetSisters(ctx, w.as(u), e.ID, w.pavilion.ExpoID, true); !errors.Is(err, expodesk.ErrForbidden) {
				t.Errorf("%s links sisters: %v, want forbidden", u.Email, err)
			}
			if _, err := w.svc.CreatePavilion(ctx, w.as(u), expodesk.Pavilion{ExpoID: e.ID, Slug: "p", Name: expodesk.Text{EN: "P"}}); !errors.Is(err, expodesk.ErrForbidden) {
				t.Errorf("%s creates a pavilion: %v, want forbidden", u.Email, err)
			}
		}
	})

	t.Run("Sisters", func(t *testing.T) {
		if err := w.svc.SetSisters(ctx, org, e.ID, e.ID, true); !problemOn(err, "sister") {
			t.Errorf("own sister: %v", err)
		}
		if err := w.svc.SetSisters(ctx, org, e.ID, w.pavilion.ExpoID, true); err != nil {
			t.Fatal(err)
		}
		// Symmetric: the link shows from the other side, and unlinking from there removes it.
		if s, _ := w.store.ExpoSisters(ctx, w.pavilion.ExpoID); len(s) != 1 || s[0].ID != e.ID {
			t.Errorf("sisters of the other expo: %+v", s)
		}
		if err := w.svc.SetSisters(ctx, org, w.pavilion.ExpoID, e.ID, false); err != nil {
			t.Fatal(err)
		}
		if s, _ := w.store.ExpoSisters(ctx, e.ID); len(s) != 0 {
			t.Errorf("sisters after unlinking: %+v", s)
		}
	})

	t.Run("Archive", func(t *testing.T) {
		if _, err := w.svc.SetExpoArchived(ctx, org, e.ID, true); err != nil {
			t.Fatal(err)
		}
		list, _ := w.store.ExpoList(ctx)
		for _, x := range list {
			if x.ID == e.ID {
				t.Error("an archived expo is on the public list")
			}
		}
		if _, err := w.svc.SetExpoArchived(ctx, w.as(w.coordinator), e.ID, false); !errors.Is(err, expodesk.ErrForbidden) {
			t.Errorf("coordinator restores: %v", err)
		}
	})

	t.Run("Pavilions", func(t *testing.T) {
		a, err := w.svc.CreatePavilion(ctx, org, expodesk.Pavilion{ExpoID: e.ID, Slug: "catalonia", Name: expodesk.Text{EN: "Catalonia"}})
		if err != nil {
			t.Fatal(err)
		}
		b, err := w.svc.CreatePavilion(ctx, org, expodesk.Pavilion{ExpoID: e.ID, Slug: "jiangsu", Name: expodesk.Text{ZH: "江苏馆"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.CreatePavilion(ctx, org, expodesk.Pavilion{ExpoID: e.ID, Slug: "jiangsu", Name: expodesk.Text{EN: "Again"}}); !problemOn(err, "slug") {
			t.Errorf("duplicate pavilion slug: %v", err)
		}
		if err := w.svc.MovePavilion(ctx, org, e.ID, b.ID, -1); err != nil {
			t.Fatal(err)
		}
		if l, _ := w.store.PavilionList(ctx, e.ID); len(l) != 2 || l[0].ID != b.ID || l[1].ID != a.ID {
			t.Errorf("order after moving jiangsu up: %+v", l)
		}
		if err := w.svc.MovePavilion(ctx, w.as(w.coordinator), e.ID, b.ID, 1); !errors.Is(err, expodesk.ErrForbidden) {
			t.Errorf("coordinator reorders: %v", err)
		}
		// The coordinator edits their own pavilion, and another is not found.
		own := w.pavilion
		own.Hall = "Hall 2"
		if got, err := w.svc.UpdatePavilion(ctx, w.as(w.coordinator), own.ExpoID, own.ID, own); err != nil || got.Hall != "Hall 2" {
			t.Errorf("coordinator edits own pavilion: %v %+v", err, got)
		}
		if _, err := w.svc.UpdatePavilion(ctx, w.as(w.coordinator), e.ID, a.ID, a); !errors.Is(err, expodesk.ErrNotFound) {
			t.Errorf("coordinator edits another pavilion: %v, want not found", err)
		}
		if _, err := w.svc.UpdatePavilion(ctx, w.as(w.exhibitorIn), own.ExpoID, own.ID, own); !errors.Is(err, expodesk.ErrNotFound) {
			t.Errorf("exhibitor edits a pavilion: %v, want not found", err)
		}
		// A pavilion addressed under another expo is not found either.
		if _, err := w.svc.UpdatePavilion(ctx, org, e.ID, own.ID, own); !errors.Is(err, expodesk.ErrNotFound) {
			t.Errorf("pavilion under the wrong expo: %v", err)
		}
	})
}
