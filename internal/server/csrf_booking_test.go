package server

import (
	"context"
	"net/url"
	"testing"
	"time"

	"expodesk/internal/expodesk"
)

// bookingCSRFCases are the cross-site rows of booking and its rules: each
// request works from the site and is refused from another.
func bookingCSRFCases(t *testing.T, e *testEnv, w world) []csrfCase {
	ctx := context.Background()
	opens := e.clock.Now().Add(-time.Hour)
	if _, err := e.store.BookingRulesSetExpo(ctx, expodesk.BookingRules{ExpoID: w.Barcelona.ID, OpensAt: &opens,
		SlotQuota: 1000, CancelHoursBefore: 48}); err != nil {
		t.Fatal(err)
	}
	next := time.Date(2027, 5, 13, 9, 0, 0, 0, w.Barcelona.Location())
	freshSlot := func(t *testing.T) expodesk.Slot {
		next = next.Add(30 * time.Minute)
		sl, err := e.store.SlotCreate(ctx, expodesk.Slot{StageID: w.Stage.ID, StartsAt: next, EndsAt: next.Add(30 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		return sl
	}
	freshBooking := func(t *testing.T) expodesk.Booking {
		b, err := e.store.BookingCreate(ctx, expodesk.Booking{SlotID: freshSlot(t).ID, ExhibitorID: w.Sensing.ID}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	rules := url.Values{"slot_quota": {"3"}, "cancel_hours_before": {"24"}, "title_lang": {"zh"}}
	pavilion := url.Values{}
	for k, v := range rules {
		pavilion["p"+itoa(w.WuxiPavilion.ID)+"_"+k] = v
	}
	return []csrfCase{
		{pattern: "/exhibitor/expos/{expo}/slots/{slot}/book", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.ExhibitorA), "/exhibitor/expos/" + w.Barcelona.Slug + "/slots/" + itoa(freshSlot(t).ID) + "/book", nil
		}},
		{pattern: "/exhibitor/bookings/{booking}", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.ExhibitorA), "/exhibitor/bookings/" + itoa(freshBooking(t).ID), url.Values{"title_es": {"Sensores"}}
		}},
		{pattern: "/exhibitor/bookings/{booking}/cancel", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.ExhibitorA), "/exhibitor/bookings/" + itoa(freshBooking(t).ID) + "/cancel", nil
		}},
		{pattern: "/organizer/expos/{expo}/booking-rules", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.Organizer), "/organizer/expos/" + w.Wuxi.Slug + "/booking-rules", rules
		}},
		{pattern: "/organizer/expos/{expo}/booking-rules/pavilions/{pavilion}", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			return e.signedIn(t, w.Coordinator), "/organizer/expos/" + w.Barcelona.Slug + "/booking-rules/pavilions/" + itoa(w.WuxiPavilion.ID), pavilion
		}},
		{pattern: "/organizer/expos/{expo}/booking-rules/pavilions/{pavilion}/delete", want: s303, setup: func(t *testing.T) (*client, string, url.Values) {
			if _, err := e.store.BookingRulesSetPavilion(ctx, expodesk.BookingRules{ExpoID: w.Barcelona.ID, PavilionID: &w.WuxiPavilion.ID,
				OpensAt: &opens, SlotQuota: 1000, CancelHoursBefore: 48}); err != nil {
				t.Fatal(err)
			}
			return e.signedIn(t, w.Coordinator), "/organizer/expos/" + w.Barcelona.Slug + "/booking-rules/pavilions/" + itoa(w.WuxiPavilion.ID) + "/delete", nil
		}},
	}
}
