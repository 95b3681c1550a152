package web

import (
	"context"
	"fmt"
	"time"

	"expodesk/internal/expodesk"
)

// BookingSlotsView is an expo's booking page for a company: the rules, the
// company's bookings there and the free slots by day and stage.
type BookingSlotsView struct {
	Expo  expodesk.Expo
	Rules []RulesShown
	// Approved is whether the company may book at the expo at all.
	Approved bool
	Days     []FreeDay
	// Held are the slots other companies hold, whose waitlists it may join.
	Held []expodesk.TakenSlot
	Mine []expodesk.BookingRow
	// Notice is why the last attempt did not book (already translated);
	// Taken says it lost the slot to another company, and Nearest are the
	// free slots nearest to the one it lost.
	Notice  string
	Taken   bool
	Nearest []expodesk.FreeSlot
	Flash   string
	Zones
}

// Zones is the viewer's choice of a second zone beside the expo's.
type Zones struct {
	Viewer   *time.Location // nil: the expo's zone only
	ViewerTZ string
	Options  []string
	// Unknown is a ?tz= that names no zone, which the page says it ignored.
	Unknown string
}

// RulesShown are booking rules as a company reads them: for the expo, or
// for one pavilion's stages (Pavilion set).
type RulesShown struct {
	Rules    expodesk.BookingRules
	Pavilion *expodesk.Pavilion
}

// FreeDay is one day's free slots, stage by stage.
type FreeDay struct {
	Date   time.Time
	Stages []FreeStage
}

// FreeStage is one stage's free slots on one day.
type FreeStage struct {
	StageID      int64
	Name         expodesk.Text
	Location     expodesk.Text
	PavilionName expodesk.Text
	Slots        []expodesk.FreeSlot
}

// GroupFreeSlots arranges free slots (in time order) into days in loc and
// stages in order of first appearance.
func GroupFreeSlots(slots []expodesk.FreeSlot, loc *time.Location) []FreeDay {
	var days []FreeDay
	for _, sl := range slots {
		local := sl.StartsAt.In(loc)
		day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
		if len(days) == 0 || !days[len(days)-1].Date.Equal(day) {
			days = append(days, FreeDay{Date: day})
		}
		d := &days[len(days)-1]
		idx := -1
		for i := range d.Stages {
			if d.Stages[i].StageID == sl.StageID {
				idx = i
			}
		}
		if idx < 0 {
			d.Stages = append(d.Stages, FreeStage{StageID: sl.StageID, Name: sl.StageName, Location: sl.StageLocation,
				PavilionName: sl.PavilionName})
			idx = len(d.Stages) - 1
		}
		d.Stages[idx].Slots = append(d.Stages[idx].Slots, sl)
	}
	return days
}

// BookingsView is the company's bookings at every expo, and the expos it may book at.
type BookingsView struct {
	Bookings []expodesk.BookingRow
	Expos    []expodesk.Expo
	// Offers are slots held for the company from a waitlist, Waitlist its
	// places in line.
	Offers   []expodesk.Offer
	Waitlist []expodesk.WaitlistRow
	Flash    string
}

// BookingEditView is one booking's page: its texts and its cancellation.
type BookingEditView struct {
	Booking expodesk.BookingRow
	Rules   expodesk.BookingRules
	Form    FormState
	Notice  string
	Flash   string
}

// BookingRulesView is the organizer's booking rules page of an expo.
type BookingRulesView struct {
	Expo      expodesk.Expo
	CanManage bool // the expo's own rules; else they are shown read-only
	Form      FormState
	Pavilions []PavilionRulesForm
	Flash     string
}

// PavilionRulesForm is a pavilion's section of the rules page.
type PavilionRulesForm struct {
	Pavilion expodesk.Pavilion
	Own      bool // it has rules of its own
	Form     FormState
}

// ZonedTime formats an instant in loc so that nobody misreads the zone:
// "Monday 1 March 2027, 09:00 CET (UTC+01:00)".
func ZonedTime(ctx context.Context, t time.Time, loc *time.Location) string {
	local := t.In(loc)
	_, off := local.Zone()
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	return fmt.Sprintf("%s, %s (UTC%s%02d:%02d)", Date(ctx, local), Clock(t, loc), sign, off/3600, off%3600/60)
}

// BookingMessage translates a booking error's message, its times shown in
// the expo's zone.
func BookingMessage(ctx context.Context, e *expodesk.Error, loc *time.Location) string {
	data := map[string]any{}
	for k, v := range e.Data {
		if t, ok := v.(time.Time); ok {
			data[k] = ZonedTime(ctx, t, loc)
		} else {
			data[k] = v
		}
	}
	return TD(ctx, e.Message, data)
}

// titleLangName is the rule's language in the reader's words.
func titleLangName(ctx context.Context, l expodesk.Lang) string {
	if l == "" {
		return T(ctx, "booking.rules_any_language")
	}
	return LangName(l)
}

func itoa64(n int64) string { return fmt.Sprint(n) }

func rulesID(rs RulesShown) string {
	if rs.Pavilion == nil {
		return "rules-expo"
	}
	return "rules-pavilion-" + itoa64(rs.Pavilion.ID)
}

func titleLangOptions(ctx context.Context) []Option {
	opts := []Option{{Value: "", Label: T(ctx, "booking.rules_any_language")}}
	for _, l := range expodesk.Langs {
		opts = append(opts, Option{Value: string(l), Label: LangName(l)})
	}
	return opts
}
