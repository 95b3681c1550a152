package expodesk

import (
	"time"
)

// Limits of a day's slot generation.
const (
	// MinSlotLength and MaxSlotLength bound one slot; the schema caps a
	// slot at 12 hours too.
	MinSlotLength = 5 * time.Minute
	MaxSlotLength = 12 * time.Hour
	// MaxSlotBreak bounds the break between two slots.
	MaxSlotBreak = 12 * time.Hour
	// MaxSlotsPerPlan keeps one generation to what a page can preview.
	MaxSlotsPerPlan = 300
)

// SlotPlan is a day's slots on a stage as an organizer asks for them: from
// the first start to the last end, slots of Length with Break between.
//
// Slots are laid out in absolute time, from the instant of the first start
// to the instant of the last end, so that a day with a clock change neither
// loses nor doubles a slot: on the night the clocks go forward the slot
// spanning the change still lasts Length (01:00 CET–03:00 CEST is one hour),
// and on the night they go back the repeated hour gets slots of its own
// (02:00 CEST–02:00 CET). The preview shows each slot's local times with its
// UTC offset, and the change itself (see ClockChanges).
type SlotPlan struct {
	StageID int64
	// Day is the local calendar day the slots are on (midnight UTC, as a
	// date field reads it).
	Day time.Time
	// FirstStart and LastEnd are instants, read as wall times of Day in the
	// expo's zone.
	FirstStart time.Time
	LastEnd    time.Time
	Length     time.Duration
	Break      time.Duration
}

// Validate reports what is wrong with the plan for expo e: a day outside
// the expo, an end not after the start, a length or break out of bounds,
// a plan with no slot or too many.
func (p SlotPlan) Validate(e Expo) error {
	pr := Problems{}
	switch {
	case p.Day.IsZero():
		pr.Add("day", "validation.required", nil)
	case !inDays(p.Day, e):
		pr.Add("day", "slots.day_outside_expo", map[string]any{
			"First": e.FirstDay.Format(time.DateOnly), "Last": e.LastDay.Format(time.DateOnly)})
	}
	if p.FirstStart.IsZero() {
		pr.Add("first_start", "validation.required", nil)
	}
	if p.LastEnd.IsZero() {
		pr.Add("last_end", "validation.required", nil)
	}
	if !p.FirstStart.IsZero() && !p.LastEnd.IsZero() && !p.LastEnd.After(p.FirstStart) {
		pr.Add("last_end", "slots.end_before_start", nil)
	}
	if !p.Day.IsZero() && !p.FirstStart.IsZero() && !sameLocalDay(p.FirstStart, p.Day, e.Location()) {
		pr.Add("first_start", "slots.not_on_day", nil)
	}
	switch {
	case p.Length <= 0:
		pr.Add("length", "slots.length_positive", nil)
	case p.Length < MinSlotLength || p.Length > MaxSlotLength:
		pr.Add("length", "slots.length_range", map[string]any{
			"Min": int(MinSlotLength / time.Minute), "Max": int(MaxSlotLength / time.Minute)})
	}
	if p.Break < 0 || p.Break > MaxSlotBreak {
		pr.Add("break", "slots.break_range", map[string]any{"Max": int(MaxSlotBreak / time.Minute)})
	}
	if len(pr) == 0 {
		switch n := len(p.Slots()); {
		case n == 0:
			pr.Add("length", "slots.none_fit", nil)
		case n > MaxSlotsPerPlan:
			pr.Add("length", "slots.too_many", map[string]any{"Max": MaxSlotsPerPlan})
		}
	}
	return pr.Err()
}

// Slots lays the plan out: slots of Length from FirstStart, Break apart,
// each ending by LastEnd; time left at the end that is shorter than a slot
// stays free. A plan whose length is not positive, or whose end is not after
// its start, has none. It never returns more than MaxSlotsPerPlan+1 slots,
// whatever the plan (Validate refuses that many).
func (p SlotPlan) Slots() []Slot {
	if p.Length <= 0 || p.Break < 0 || !p.LastEnd.After(p.FirstStart) {
		return nil
	}
	var out []Slot
	for start := p.FirstStart; len(out) <= MaxSlotsPerPlan; {
		end := start.Add(p.Length)
		if end.After(p.LastEnd) || !end.After(start) {
			break
		}
		out = append(out, Slot{StageID: p.StageID, StartsAt: start, EndsAt: end})
		next := end.Add(p.Break)
		if !next.After(start) { // an overflow, never in a validated plan
			break
		}
		start = next
	}
	return out
}

// inDays reports whether the calendar day day (midnight UTC) is one of e's.
func inDays(day time.Time, e Expo) bool { return !day.Before(e.FirstDay) && !day.After(e.LastDay) }

// sameLocalDay reports whether instant t falls on the calendar day day
// (midnight UTC) in loc.
func sameLocalDay(t, day time.Time, loc *time.Location) bool {
	y, m, d := t.In(loc).Date()
	dy, dm, dd := day.Date()
	return y == dy && m == dm && d == dd
}

// Overlaps reports whether the half-open ranges [a1, a2) and [b1, b2)
// share an instant, as the slot_no_overlap constraint sees them.
func Overlaps(a1, a2, b1, b2 time.Time) bool { return a1.Before(b2) && b1.Before(a2) }

// ClockChange is a moment the expo's clocks change on a day.
type ClockChange struct {
	At time.Time
	// Before and After are the zone's abbreviations ("CET", "CEST") and
	// offsets east of UTC, in seconds, on either side of the change.
	BeforeAbbr, AfterAbbr     string
	BeforeOffset, AfterOffset int
}

// Forward reports whether the clocks go forward (an hour is skipped).
func (c ClockChange) Forward() bool { return c.AfterOffset > c.BeforeOffset }

// LocalBefore is the wall time the clocks show just before the change
// (02:00 when Madrid springs forward, 03:00 when it falls back).
func (c ClockChange) LocalBefore() time.Time {
	return c.At.UTC().Add(time.Duration(c.BeforeOffset) * time.Second)
}

// LocalAfter is the wall time the clocks show at the change (03:00, 02:00).
func (c ClockChange) LocalAfter() time.Time {
	return c.At.UTC().Add(time.Duration(c.AfterOffset) * time.Second)
}

// DayLength is how long the local calendar day lasts in loc (23, 24 or 25
// hours in zones with summer time).
func DayLength(day time.Time, loc *time.Location) time.Duration {
	start := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
	end := time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc)
	return end.Sub(start)
}

// ClockChanges returns the moments loc's UTC offset changes during the
// local calendar day day (midnight UTC), to the second.
func ClockChanges(day time.Time, loc *time.Location) []ClockChange {
	start := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
	end := time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc)
	var out []ClockChange
	const step = 15 * time.Minute
	for t := start; t.Before(end); t = t.Add(step) {
		next := t.Add(step)
		if next.After(end) {
			next = end
		}
		_, a := t.Zone()
		_, b := next.In(loc).Zone()
		if a == b {
			continue
		}
		// The change is in (t, next]: find its first second.
		lo, hi := t, next
		for hi.Sub(lo) > time.Second {
			mid := lo.Add(hi.Sub(lo) / 2).Truncate(time.Second)
			if mid.Equal(lo) {
				mid = lo.Add(time.Second)
			}
			if _, o := mid.In(loc).Zone(); o == a {
				lo = mid
			} else {
				hi = mid
			}
		}
		c := ClockChange{At: hi.In(loc), BeforeOffset: a, AfterOffset: b}
		c.BeforeAbbr = ZoneAbbr(lo, loc)
		c.AfterAbbr = ZoneAbbr(hi, loc)
		out = append(out, c)
	}
	return out
}

// SlotPreview is what generating a day's slots would create, before
// anything is written.
type SlotPreview struct {
	Plan  SlotPlan
	Slots []PreviewSlot
	// Clashes counts the slots that overlap one the stage already has.
	Clashes int
	// Changes are the day's clock changes in the expo's zone.
	Changes []ClockChange
	// DayLength is how long the day lasts in the expo's zone (23, 24 or 25 hours).
	DayLength time.Duration
	// Leftover is the time before the last end too short for another slot.
	Leftover time.Duration
}

// PreviewSlot is one slot of a preview, with the existing slots it overlaps.
type PreviewSlot struct {
	Slot
	Clashes []SlotRow
}

// SlotRow is a slot as the organizer's console shows it: with its label and
// stage, and the exhibitor holding it when an active booking does.
type SlotRow struct {
	Slot
	// Label says why a blocked slot is held back ("Keynote").
	Label      Text
	ExpoID     int64
	StageName  Text
	PavilionID *int64
	// BookingID and what follows are set when a booking holds the slot:
	// an active one, or a waitlist offer (OfferedUntil set) the company
	// has not answered yet.
	BookingID          *int64
	ExhibitorID        *int64
	ExhibitorName      Text
	ExhibitorLegalName string
	Title              string
	OfferedUntil       *time.Time
}

// Booked reports whether a booking holds the slot, offered or active:
// either way nobody else may book it and its times stay as they are.
func (r SlotRow) Booked() bool { return r.BookingID != nil }

// Offered reports whether the slot is held as a waitlist offer, which the
// company accepts or declines; the organizer cannot cancel or move it.
func (r SlotRow) Offered() bool { return r.BookingID != nil && r.OfferedUntil != nil }

// SlotChange is an organizer's edit of one slot: its times, whether it is
// held back from booking, and why.
type SlotChange struct {
	StartsAt time.Time
	EndsAt   time.Time
	Blocked  bool
	Label    Text
}

// Validate reports what is wrong with the change to a slot of expo e.
func (c SlotChange) Validate(e Expo) error {
	p := Problems{}
	if c.StartsAt.IsZero() {
		p.Add("starts_at", "validation.required", nil)
	} else if y, m, d := c.StartsAt.In(e.Location()).Date(); !inDays(time.Date(y, m, d, 0, 0, 0, 0, time.UTC), e) {
		p.Add("starts_at", "slots.day_outside_expo", map[string]any{
			"First": e.FirstDay.Format(time.DateOnly), "Last": e.LastDay.Format(time.DateOnly)})
	}
	if c.EndsAt.IsZero() {
		p.Add("ends_at", "validation.required", nil)
	}
	if !c.StartsAt.IsZero() && !c.EndsAt.IsZero() {
		switch d := c.EndsAt.Sub(c.StartsAt); {
		case d <= 0:
			p.Add("ends_at", "slots.end_before_start", nil)
		case d > MaxSlotLength:
			p.Add("ends_at", "slots.slot_too_long", map[string]any{"Max": int(MaxSlotLength / time.Hour)})
		}
	}
	checkText(p, "label", c.Label, 120, false)
	return p.Err()
}
