package server

import (
	"context"
	"net/url"
	"sync/atomic"
	"time"

	"expodesk/internal/expodesk"
)

// bookingMatrixCases are the matrix rows of booking (E3) and its rules.
// Barcelona's booking is opened with a quota no row reaches, so that each
// role meets the same situation; objects a request changes are made per role.
func bookingMatrixCases(e *testEnv, w world) []matrixCase {
	ctx := context.Background()
	opens := e.clock.Now().Add(-time.Hour)
	if _, err := e.store.BookingRulesSetExpo(ctx, expodesk.BookingRules{ExpoID: w.Barcelona.ID, OpensAt: &opens,
		SlotQuota: 1000, CancelHoursBefore: 48}); err != nil {
		e.t.Fatal(err)
	}
	var n atomic.Int64
	// freshSlot is a new free slot on the fixture's stage, on the expo's second day.
	freshSlot := func() expodesk.Slot {
		e.t.Helper()
		start := time.Date(2027, 5, 12, 9, 0, 0, 0, w.Barcelona.Location()).Add(time.Duration(n.Add(1)) * 30 * time.Minute)
		sl, err := e.store.SlotCreate(ctx, expodesk.Slot{StageID: w.Stage.ID, StartsAt: start, EndsAt: start.Add(30 * time.Minute)})
		if err != nil {
			e.t.Fatal(err)
		}
		return sl
	}
	freshBooking := func() expodesk.Booking {
		e.t.Helper()
		b, err := e.store.BookingCreate(ctx, expodesk.Booking{SlotID: freshSlot().ID, ExhibitorID: w.Sensing.ID}, nil)
		if err != nil {
			e.t.Fatal(err)
		}
		return b
	}
	freshExpo := func() expodesk.Expo {
		e.t.Helper()
		x, err := e.store.ExpoCreate(ctx, expodesk.Expo{Slug: "matrix-rules-" + itoa(n.Add(1)), Name: expodesk.Text{EN: "Rules Expo"},
			City: expodesk.Text{EN: "Girona"}, Country: "ES", TimeZone: "Europe/Madrid",
			FirstDay: w.Barcelona.FirstDay, LastDay: w.Barcelona.LastDay, SlotQuota: 2, CancelHoursBefore: 48})
		if err != nil {
			e.t.Fatal(err)
		}
		return x
	}
	path := func(p string) func(role) string { return func(role) string { return p } }
	exhibitors := [roleCount]int{s303, s200, s200, s403, s403}
	booking := itoa(w.Booking.ID)
	expo := w.Barcelona.Slug
	rules := url.Values{"opens_at": {opens.In(w.Barcelona.Location()).Format(dateTimeLayout)}, "slot_quota": {"1000"},
		"cancel_hours_before": {"48"}, "title_lang": {""}}
	pavilionRules := url.Values{}
	for k, v := range rules {
		pavilionRules["p"+itoa(w.WuxiPavilion.ID)+"_"+k] = v
	}
	euroRules := url.Values{}
	for k, v := range rules {
		euroRules["p"+itoa(w.EuroPavilion.ID)+"_"+k] = v
	}
	return []matrixCase{
		{method: "GET", pattern: "/exhibitor/bookings", path: path("/exhibitor/bookings"), want: exhibitors},
		{method: "GET", pattern: "/exhibitor/bookings/{booking}", path: path("/exhibitor/bookings/" + booking),
			want: [roleCount]int{s303, s200, s404, s403, s403}},
		{method: "GET", pattern: "/exhibitor/bookings/{booking}", object: "unknown", path: path("/exhibitor/bookings/999999"),
			want: [roleCount]int{s303, s404, s404, s403, s403}},
		{method: "POST", pattern: "/exhibitor/bookings/{booking}", path: path("/exhibitor/bookings/" + booking),
			form: url.Values{"title_en": {"Sensors for smart cities"}}, want: [roleCount]int{s401, s303, s404, s403, s403}},
		{method: "POST", pattern: "/exhibitor/bookings/{booking}", object: "title too long", path: path("/exhibitor/bookings/" + booking),
			form: url.Values{"title_en": {string(make([]byte, 201))}}, want: [roleCount]int{s401, s422, s404, s403, s403}},
		{method: "POST", pattern: "/exhibitor/bookings/{booking}/cancel",
			path: func(role) string { return "/exhibitor/bookings/" + itoa(freshBooking().ID) + "/cancel" },
			want: [roleCount]int{s401, s303, s404, s403, s403}},
		{method: "GET", pattern: "/exhibitor/expos/{expo}/slots", path: path("/exhibitor/expos/" + expo + "/slots"), want: exhibitors},
		{method: "GET", pattern: "/exhibitor/expos/{expo}/slots", object: "unknown expo", path: path("/exhibitor/expos/no-such-expo/slots"),
			want: [roleCount]int{s303, s404, s404, s403, s403}},
		{method: "POST", pattern: "/exhibitor/expos/{expo}/slots/{slot}/book",
			path: func(role) string { return "/exhibitor/expos/" + expo + "/slots/" + itoa(freshSlot().ID) + "/book" },
			want: [roleCount]int{s401, s303, s303, s403, s403}},
		{method: "POST", pattern: "/exhibitor/expos/{expo}/slots/{slot}/book", object: "taken",
			path: path("/exhibitor/expos/" + expo + "/slots/" + itoa(w.Slots[0].ID) + "/book"),
			want: [roleCount]int{s401, s303, 409, s403, s403}},
		{method: "POST", pattern: "/exhibitor/expos/{expo}/slots/{slot}/book", object: "another expo's slot",
			path: func(role) string {
				return "/exhibitor/expos/" + w.Wuxi.Slug + "/slots/" + itoa(freshSlot().ID) + "/book"
			},
			want: [roleCount]int{s401, s404, s404, s403, s403}},
		{method: "GET", pattern: "/organizer/expos/{expo}/booking-rules", path: path("/organizer/expos/" + expo + "/booking-rules"),
			want: [roleCount]int{s303, s403, s403, s200, s200}},
		{method: "GET", pattern: "/organizer/expos/{expo}/booking-rules", object: "another expo",
			path: path("/organizer/expos/" + w.Wuxi.Slug + "/booking-rules"), want: [roleCount]int{s303, s403, s403, s404, s200}},
		{method: "POST", pattern: "/organizer/expos/{expo}/booking-rules",
			path: func(role) string { return "/organizer/expos/" + freshExpo().Slug + "/booking-rules" },
			form: rules, want: [roleCount]int{s401, s403, s403, s403, s303}},
		{method: "POST", pattern: "/organizer/expos/{expo}/booking-rules", object: "quota -1",
			path: func(role) string { return "/organizer/expos/" + freshExpo().Slug + "/booking-rules" },
			form: url.Values{"slot_quota": {"-1"}, "cancel_hours_before": {"48"}}, want: [roleCount]int{s401, s403, s403, s403, s422}},
		{method: "POST", pattern: "/organizer/expos/{expo}/booking-rules/pavilions/{pavilion}",
			path: path("/organizer/expos/" + expo + "/booking-rules/pavilions/" + itoa(w.WuxiPavilion.ID)),
			form: pavilionRules, want: [roleCount]int{s401, s403, s403, s303, s303}},
		{method: "POST", pattern: "/organizer/expos/{expo}/booking-rules/pavilions/{pavilion}", object: "another pavilion",
			path: path("/organizer/expos/" + w.Wuxi.Slug + "/booking-rules/pavilions/" + itoa(w.EuroPavilion.ID)),
			form: euroRules, want: [roleCount]int{s401, s403, s403, s404, s303}},
		{method: "POST", pattern: "/organizer/expos/{expo}/booking-rules/pavilions/{pavilion}/delete",
			path: path("/organizer/expos/" + expo + "/booking-rules/pavilions/" + itoa(w.WuxiPavilion.ID) + "/delete"),
			want: [roleCount]int{s401, s403, s403, s303, s303}},
		{method: "POST", pattern: "/organizer/expos/{expo}/booking-rules/pavilions/{pavilion}/delete", object: "another pavilion",
			path: path("/organizer/expos/" + w.Wuxi.Slug + "/booking-rules/pavilions/" + itoa(w.EuroPavilion.ID) + "/delete"),
			want: [roleCount]int{s401, s403, s403, s404, s303}},
	}
}
