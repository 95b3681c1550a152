package web

import (
	"context"
	"fmt"
	"time"

	"expodesk/internal/expodesk"
)

// StagesView is an expo's stages in the organizer console: all of them for
// an expo-wide organizer, a coordinator's pavilion's only.
type StagesView struct {
	Expo   expodesk.Expo
	Stages []StageItem
	Flash  string
}

// StageItem is a stage with the name of its pavilion (zero when expo-wide).
type StageItem struct {
	Stage        expodesk.Stage
	PavilionName expodesk.Text
}

// StageFormView is the new-stage form (Stage nil) or a stage's edit page.
type StageFormView struct {
	Expo            expodesk.Expo
	Stage           *expodesk.Stage
	Form            FormState
	PavilionOptions []Option
	Flash           string
}

// GenerateView is the form that generates a day's slots on a stage, with
// the preview of what it would create once the form was filled in.
type GenerateView struct {
	Expo    expodesk.Expo
	Stage   expodesk.Stage
	Form    FormState
	Days    []Option
	Preview *expodesk.SlotPreview
	// Hidden are the fields the save button posts: the previewed plan as typed.
	Hidden []Option
}

// SlotFormView is one slot's page: move, block or label it, or delete it.
type SlotFormView struct {
	Expo  expodesk.Expo
	Slot  expodesk.SlotRow
	Form  FormState
	Flash string
	// Cancel is the form cancelling the slot's booking with a reason.
	Cancel FormState
	// Companies are those an organizer may book the free slot for; Book
	// is that form.
	Companies []Option
	Book      FormState
	// MoveTo are the free slots the booking may move to; Move is that form.
	MoveTo []Option
	Move   FormState
}

// GridView is the booked/free grid of an expo's stages for one day.
type GridView struct {
	Expo         expodesk.Expo
	Day          time.Time
	Days         []Option
	StageOptions []Option
	Form         FormState
	Stages       []GridStage
	Flash        string
}

// GridStage is one stage's slots on the grid's day, with its figures.
type GridStage struct {
	Stage                 expodesk.Stage
	Slots                 []expodesk.SlotRow
	Booked, Free, Blocked int
}

// SlotStatus is a slot's state on the grid: "booked", "blocked" or "free".
func SlotStatus(sl expodesk.SlotRow) string {
	switch {
	case sl.Offered():
		return "offered"
	case sl.Booked():
		return "booked"
	case sl.Blocked:
		return "blocked"
	}
	return "free"
}

// slotStatusLabel is a slot's state in the reader's language.
func slotStatusLabel(ctx context.Context, sl expodesk.SlotRow) string {
	switch SlotStatus(sl) {
	case "offered":
		return T(ctx, "waitlist.status_offered")
	case "booked":
		return T(ctx, "slots.status_booked")
	case "blocked":
		return T(ctx, "slots.status_blocked")
	}
	return T(ctx, "slots.status_free")
}

// Offset formats the UTC offset of loc at t: "UTC+1", "UTC+5:30", "UTC".
func Offset(t time.Time, loc *time.Location) string {
	_, off := t.In(loc).Zone()
	if off == 0 {
		return "UTC"
	}
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	if off%3600 == 0 {
		return fmt.Sprintf("UTC%s%d", sign, off/3600)
	}
	return fmt.Sprintf("UTC%s%d:%02d", sign, off/3600, off%3600/60)
}

// ClockWithOffset formats a time in loc with its abbreviation and offset:
// "02:00 CEST (UTC+2)", so that the repeated hour of an autumn night reads
// unambiguously.
func ClockWithOffset(t time.Time, loc *time.Location) string {
	return Clock(t, loc) + " (" + Offset(t, loc) + ")"
}

// Minutes formats a duration as whole minutes for a message.
func Minutes(d time.Duration) int { return int(d / time.Minute) }

// Hours formats a duration as whole hours for a message.
func Hours(d time.Duration) int { return int(d / time.Hour) }

// clockChangeNote says what happens to the clocks on the previewed day.
func clockChangeNote(ctx context.Context, c expodesk.ClockChange, dayLength time.Duration) string {
	data := map[string]any{"From": c.LocalBefore().Format("15:04"), "To": c.LocalAfter().Format("15:04"),
		"Before": c.BeforeAbbr, "After": c.AfterAbbr, "Hours": Hours(dayLength)}
	if c.Forward() {
		return TD(ctx, "slots.clock_forward", data)
	}
	return TD(ctx, "slots.clock_back", data)
}

// spansChange reports whether a previewed slot spans one of the day's clock
// changes (or ends at one), so that its clock times differ from its length.
func spansChange(sl expodesk.Slot, changes []expodesk.ClockChange) bool {
	for _, c := range changes {
		if sl.StartsAt.Before(c.At) && !sl.EndsAt.Before(c.At) {
			return true
		}
	}
	return false
}
