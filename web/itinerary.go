package web

import (
	"context"
	"sort"
	"strings"
	"time"

	"expodesk/internal/expodesk"
)

// PlanEntry is one line of an itinerary as its pages show it: an item or a
// meeting, with what it is about and its warnings.
type PlanEntry struct {
	Key       string
	Kind      string // an item's kind, or "meeting"
	StartsAt  time.Time
	EndsAt    time.Time
	Title     string
	TitleLang string // when the title is content in another language
	Place     string
	Notes     string
	Hall      string
	ItemID    int64
	// Sequence and Modified are the entry's revision count and time, for
	// calendar feeds.
	Sequence  int
	Modified  time.Time
	Meeting   *expodesk.MeetingRow
	Attendees []expodesk.MeetingAttendee
	Warnings  []expodesk.Warning
}

// PlanDay is one day of an itinerary in the expo's zone.
type PlanDay struct {
	Date    time.Time
	Entries []PlanEntry
}

// Plan is a delegation's itinerary, day by day, with the zones it is shown in.
type Plan struct {
	Delegation expodesk.Delegation
	Expo       expodesk.Expo
	Zone       *time.Location // the expo's
	Home       *time.Location // the delegation's
	Days       []PlanDay
	// titles names each entry by key, for warnings that point at another.
	titles map[string]string
}

// PlanInput is what NewPlan arranges.
type PlanInput struct {
	Delegation expodesk.Delegation
	Expo       expodesk.Expo
	Items      []expodesk.ItineraryRow
	Meetings   []expodesk.MeetingRow
	Attendees  map[int64][]expodesk.MeetingAttendee
	Warnings   map[string][]expodesk.Warning
	// Shared leaves out what the delegation's own link does not show:
	// meetings declined or cancelled.
	Shared bool
}

// Keys of entries, as the service names them in warnings.
func itemKey(id int64) string    { return "item-" + itoa64(id) }
func meetingKey(id int64) string { return "meeting-" + itoa64(id) }

// NewPlan arranges an itinerary's items and meetings into days of the
// expo's zone, in order, with each entry's title in the reader's language.
func NewPlan(ctx context.Context, in PlanInput) Plan {
	lang := Lang(ctx)
	p := Plan{Delegation: in.Delegation, Expo: in.Expo, Zone: in.Expo.Location(),
		Home: expodesk.LoadLocation(in.Delegation.HomeTimeZone), titles: map[string]string{}}
	var entries []PlanEntry
	for _, it := range in.Items {
		e := PlanEntry{Key: itemKey(it.ID), Kind: string(it.Kind), StartsAt: it.StartsAt, EndsAt: it.EndsAt,
			Title: it.Title, Place: it.Location, Notes: it.Notes, Hall: it.Hall, ItemID: it.ID, Warnings: in.Warnings[itemKey(it.ID)],
			Sequence: it.Sequence, Modified: it.UpdatedAt}
		if e.Title == "" {
			e.Title, e.TitleLang = itemSubject(ctx, it)
		}
		if e.Place == "" {
			e.Place = itemPlace(ctx, it)
		}
		entries = append(entries, e)
	}
	for i := range in.Meetings {
		m := in.Meetings[i]
		if in.Shared && !m.Standing() {
			continue
		}
		e := PlanEntry{Key: meetingKey(m.ID), Kind: "meeting", StartsAt: m.StartsAt, EndsAt: m.EndsAt,
			Title: TD(ctx, "itinerary.meeting_with", map[string]any{"Company": m.CompanyName(lang)}),
			Place: m.Location, Notes: m.Topic, Hall: m.Hall, Meeting: &in.Meetings[i], Attendees: in.Attendees[m.ID],
			Sequence: m.Sequence, Modified: m.UpdatedAt}
		if m.Standing() {
			e.Warnings = in.Warnings[meetingKey(m.ID)]
		}
		if e.Place == "" && m.Booth != "" {
			e.Place = TD(ctx, "itinerary.booth", map[string]any{"Booth": m.Booth})
		}
		entries = append(entries, e)
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].StartsAt.Before(entries[j].StartsAt) })
	for _, e := range entries {
		p.titles[e.Key] = e.Title
		local := e.StartsAt.In(p.Zone)
		day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
		if n := len(p.Days); n == 0 || !p.Days[n-1].Date.Equal(day) {
			p.Days = append(p.Days, PlanDay{Date: day})
		}
		p.Days[len(p.Days)-1].Entries = append(p.Days[len(p.Days)-1].Entries, e)
	}
	return p
}

// itemSubject is what an item without a title is about: the company, the
// pavilion or the presentation.
func itemSubject(ctx context.Context, it expodesk.ItineraryRow) (string, string) {
	lang := Lang(ctx)
	company := it.ExhibitorName.In(lang)
	if company == "" {
		company = it.ExhibitorLegalName
	}
	switch {
	case it.Kind == expodesk.ItineraryRoadshow && !it.TalkTitles.IsZero():
		return TD(ctx, "itinerary.roadshow_of", map[string]any{"Title": In(ctx, it.TalkTitles), "Company": company}), ""
	case it.ExhibitorID != nil:
		return TD(ctx, "itinerary.visit_of", map[string]any{"Name": company}), LangOf(ctx, it.ExhibitorName)
	case it.PavilionID != nil:
		return TD(ctx, "itinerary.visit_of", map[string]any{"Name": In(ctx, it.PavilionName)}), LangOf(ctx, it.PavilionName)
	}
	return T(ctx, "itinerary.kind."+string(it.Kind)), ""
}

// itemPlace is where an item without a location happens: the stage, the booth, the hall.
func itemPlace(ctx context.Context, it expodesk.ItineraryRow) string {
	var parts []string
	if it.Hall != "" {
		parts = append(parts, TD(ctx, "itinerary.hall", map[string]any{"Hall": it.Hall}))
	}
	if !it.StageName.IsZero() {
		parts = append(parts, In(ctx, it.StageName))
	} else if it.Booth != "" {
		parts = append(parts, TD(ctx, "itinerary.booth", map[string]any{"Booth": it.Booth}))
	}
	return strings.Join(parts, " · ")
}

// WarningText says a warning in the reader's language.
func (p Plan) WarningText(ctx context.Context, w expodesk.Warning) string {
	switch w.Kind {
	case expodesk.WarnOverlap:
		return TD(ctx, "itinerary.warn.overlap", map[string]any{"Other": p.titles[w.Other]})
	case expodesk.WarnOnStage:
		return TD(ctx, "itinerary.warn.on_stage", map[string]any{"Time": Clock(w.At, p.Zone)})
	case expodesk.WarnNoTravelGap:
		return TD(ctx, "itinerary.warn.travel_gap", map[string]any{"From": w.FromHall, "To": w.ToHall,
			"Minutes": w.Minutes, "Need": int(expodesk.TravelGap / time.Minute)})
	case expodesk.WarnOutsideStay:
		return T(ctx, "itinerary.warn.outside_stay")
	}
	return string(w.Kind)
}

// WarningCount is how many warnings the plan shows.
func (p Plan) WarningCount() int {
	n := 0
	for _, d := range p.Days {
		for _, e := range d.Entries {
			n += len(e.Warnings)
		}
	}
	return n
}

// DualTimes formats an entry's times in the expo's zone and the home zone
// side by side: "10:30–11:00 CEST · 16:30–17:00 CST", the home day marked
// when it differs ("+1 day"). One zone only when both read the same.
func (p Plan) DualTimes(ctx context.Context, start, end time.Time) string {
	expo := ClockRange(start, end, p.Zone)
	home := ClockRange(start, end, p.Home)
	if expo == home {
		return expo
	}
	a, b := start.In(p.Zone), start.In(p.Home)
	da := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	db := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	switch {
	case db.After(da):
		home += " " + T(ctx, "itinerary.next_day")
	case db.Before(da):
		home += " " + T(ctx, "itinerary.previous_day")
	}
	return expo + " · " + home
}

// StayText is the delegation's arrival and departure in both zones.
func (p Plan) StayText(ctx context.Context) string {
	return TD(ctx, "itinerary.stay", map[string]any{
		"Arrives": ZonedTime(ctx, p.Delegation.ArrivesAt, p.Zone), "Departs": ZonedTime(ctx, p.Delegation.DepartsAt, p.Zone)})
}

// MemberName is an attendee's name in the order their culture uses.
func MemberName(a expodesk.MeetingAttendee) string { return a.PersonName.String() }

// ItineraryView is the organizer's itinerary page.
type ItineraryView struct {
	Plan       Plan
	Flash      string
	ShareSince *time.Time
	// Form holds the problems of a meeting action (a proposal taken outside the stay).
	Form FormState
}

// ItemFormView is the page adding or editing one item of a kind: a visit,
// a roadshow slot or a free item.
type ItemFormView struct {
	Delegation expodesk.Delegation
	Expo       expodesk.Expo
	Kind       string // "visit", "roadshow" or "free"
	ItemID     int64  // 0 for a new item
	Form       FormState
	Pavilions  []Option
	Companies  []Option
	Slots      []Option
	FreeKinds  []Option
}

// SuggestionsView is the ranked list of exhibitors a delegation may visit,
// each with a one-step meeting request.
type SuggestionsView struct {
	Delegation expodesk.Delegation
	Expo       expodesk.Expo
	Sectors    []expodesk.Sector
	Chosen     []string
	Visits     []expodesk.SuggestedVisit
	// Form is the request that was sent back with problems, for the
	// company FormFor (0: none).
	Form    FormState
	FormFor int64
	Flash   string
}

// SectorName returns a sector's name for display.
func (v SuggestionsView) SectorName(code string) expodesk.Text { return sectorName(v.Sectors, code) }

// MeetingFormView is the full meeting request form, attendees included.
type MeetingFormView struct {
	Delegation expodesk.Delegation
	Expo       expodesk.Expo
	Form       FormState
	Companies  []Option
	Members    []Option
}

// CompanyMeetingsView is an exhibitor's list of meetings with delegations.
type CompanyMeetingsView struct {
	Meetings []expodesk.MeetingRow
	Flash    string
}

// CompanyMeetingView is one meeting in the exhibitor's portal.
type CompanyMeetingView struct {
	Meeting   expodesk.MeetingRow
	Attendees []expodesk.MeetingAttendee
	Answer    FormState
	Propose   FormState
	Flash     string
}

// Zone is the meeting's expo zone.
func (v CompanyMeetingView) Zone() *time.Location {
	return expodesk.LoadLocation(v.Meeting.ExpoTimeZone)
}

// ShareCreatedView shows a new shared link once.
type ShareCreatedView struct {
	Delegation expodesk.Delegation
	Link       string
}

// SharedView is the read-only itinerary behind a shared link.
type SharedView struct {
	Plan Plan
	ICS  string
}
