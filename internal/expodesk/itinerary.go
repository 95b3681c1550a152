package expodesk

import (
	"slices"
	"sort"
	"time"
	"unicode/utf8"
)

// ItineraryKind is what an itinerary item is. Meetings are not items: they
// live apart because the exhibitor answers them, and are merged in when an
// itinerary is read.
type ItineraryKind string

// Itinerary item kinds.
const (
	ItineraryVisit    ItineraryKind = "visit"    // a pavilion or booth visit
	ItineraryRoadshow ItineraryKind = "roadshow" // attending a roadshow slot
	ItineraryTransfer ItineraryKind = "transfer" // airport, hotel, between venues
	ItineraryMeal     ItineraryKind = "meal"     // a lunch, a dinner, a banquet
	ItineraryCeremony ItineraryKind = "ceremony" // an opening, a signing
	ItineraryOther    ItineraryKind = "other"    // anything else
)

// FreeItineraryKinds are the kinds of items that are about nothing the
// expo knows, in the order a form offers them.
var FreeItineraryKinds = []ItineraryKind{ItineraryTransfer, ItineraryMeal, ItineraryCeremony, ItineraryOther}

// ItineraryKinds are every kind, in the order a form offers them.
var ItineraryKinds = append([]ItineraryKind{ItineraryVisit, ItineraryRoadshow}, FreeItineraryKinds...)

// ItineraryItem is one entry of a delegation's programme. PavilionID,
// ExhibitorID and SlotID say what it is about, when it is about something
// the expo knows.
type ItineraryItem struct {
	ID           int64
	DelegationID int64
	Kind         ItineraryKind
	StartsAt     time.Time
	EndsAt       time.Time
	PavilionID   *int64
	ExhibitorID  *int64
	SlotID       *int64
	Title        string
	Location     string
	Notes        string
	// Sequence counts the revisions a calendar must notice (the .ics
	// SEQUENCE), kept by the database; UpdatedAt is the last one's time.
	Sequence  int
	UpdatedAt time.Time
}

// Lengths of an item's texts (the schema's checks).
const (
	MaxItemTitle    = 200
	MaxItemLocation = 200
	MaxItemNotes    = 2000
	// MaxItemLength bounds one item: a plan entry longer than a day is a typo.
	MaxItemLength = 24 * time.Hour
)

// Validate reports what is wrong with an item as a form shows it; stay is
// the delegation's arrival and departure, which every item must fall in.
// Whether the pavilion, exhibitor or slot belong to the expo is the
// service's to check.
func (it ItineraryItem) Validate(d Delegation, zone *time.Location) error {
	p := Problems{}
	if !slices.Contains(ItineraryKinds, it.Kind) {
		p.Add("kind", "validation.choice", nil)
	}
	switch it.Kind {
	case ItineraryVisit:
		if it.PavilionID == nil && it.ExhibitorID == nil {
			p.Add("pavilion", "itinerary.visit_what", nil)
		}
	case ItineraryRoadshow:
		if it.SlotID == nil {
			p.Add("slot", "validation.required", nil)
		}
	default:
		if it.Title == "" {
			p.Add("title", "validation.required", nil)
		}
	}
	checkLen(p, "title", it.Title, MaxItemTitle)
	checkLen(p, "location", it.Location, MaxItemLocation)
	if utf8.RuneCountInString(it.Notes) > MaxItemNotes {
		p.Add("notes", "validation.too_long", map[string]any{"Max": MaxItemNotes})
	}
	CheckTimes(p, it.StartsAt, it.EndsAt, d, zone, "starts_at", "ends_at")
	return p.Err()
}

// CheckTimes adds the problems of a start and an end typed in a form: the
// end after the start, at most MaxItemLength apart, and both within the
// delegation's stay (an item outside it is refused with a message that says
// when the delegation arrives and leaves, in zone: the expo's).
func CheckTimes(p Problems, start, end time.Time, d Delegation, zone *time.Location, startField, endField string) {
	if start.IsZero() || end.IsZero() {
		return
	}
	switch {
	case !end.After(start):
		p.Add(endField, "itinerary.end_before_start", nil)
	case end.Sub(start) > MaxItemLength:
		p.Add(endField, "itinerary.too_long", nil)
	case start.Before(d.ArrivesAt) || end.After(d.DepartsAt):
		p.Add(startField, "itinerary.outside_stay", map[string]any{
			"Arrives": stamp(d.ArrivesAt, zone), "Departs": stamp(d.DepartsAt, zone)})
	}
}

// WarningKind is a clash an itinerary shows while it is planned; none of
// them refuses the item.
type WarningKind string

// Warning kinds.
const (
	// WarnOverlap: the entry overlaps another entry of the itinerary.
	WarnOverlap WarningKind = "overlap"
	// WarnOnStage: a meeting with an exhibitor while it presents on a stage.
	WarnOnStage WarningKind = "on_stage"
	// WarnNoTravelGap: the entry is in another hall than the one before it,
	// with less than TravelGap between them.
	WarnNoTravelGap WarningKind = "travel_gap"
	// WarnOutsideStay: the entry lies outside the stay (the stay changed after it was planned).
	WarnOutsideStay WarningKind = "outside_stay"
)

// TravelGap is the time a delegation needs between two halls.
const TravelGap = 10 * time.Minute

// PlanEntry is one line of an itinerary as the conflict check sees it: an
// item or a meeting still standing (requested, proposed or accepted).
type PlanEntry struct {
	Key         string // "item-3", "meeting-7": how warnings name each other
	StartsAt    time.Time
	EndsAt      time.Time
	Hall        string // "" when unknown (a free item, a company outside any pavilion)
	ExhibitorID int64  // the company met, for a meeting; 0 otherwise
	Meeting     bool
}

// Presentation is an exhibitor's active roadshow booking at the expo.
type Presentation struct {
	ExhibitorID int64
	StartsAt    time.Time
	EndsAt      time.Time
}

// Warning is one clash of an entry, with the entry it clashes with (Other)
// or the presentation's start, and the minutes between two halls.
type Warning struct {
	Kind             WarningKind
	Other            string
	At               time.Time
	Minutes          int
	FromHall, ToHall string
}

// PlanWarnings returns each entry's warnings by key: overlaps with another
// entry, a meeting during the exhibitor's own presentation, a change of
// hall without TravelGap, and an entry outside the stay. Entries are
// compared in order of start.
func PlanWarnings(entries []PlanEntry, talks []Presentation, d Delegation) map[string][]Warning {
	out := map[string][]Warning{}
	es := slices.Clone(entries)
	sort.SliceStable(es, func(i, j int) bool { return es[i].StartsAt.Before(es[j].StartsAt) })
	for i, a := range es {
		if a.StartsAt.Before(d.ArrivesAt) || a.EndsAt.After(d.DepartsAt) {
			out[a.Key] = append(out[a.Key], Warning{Kind: WarnOutsideStay})
		}
		for j, b := range es {
			if i != j && a.StartsAt.Before(b.EndsAt) && b.StartsAt.Before(a.EndsAt) {
				out[a.Key] = append(out[a.Key], Warning{Kind: WarnOverlap, Other: b.Key})
			}
		}
		if a.Meeting && a.ExhibitorID != 0 {
			for _, t := range talks {
				if t.ExhibitorID == a.ExhibitorID && a.StartsAt.Before(t.EndsAt) && t.StartsAt.Before(a.EndsAt) {
					out[a.Key] = append(out[a.Key], Warning{Kind: WarnOnStage, At: t.StartsAt})
				}
			}
		}
		// The entry before this one that ends last is where the delegation comes from.
		var prev *PlanEntry
		for j := i - 1; j >= 0; j-- {
			if !es[j].EndsAt.After(a.StartsAt) && (prev == nil || es[j].EndsAt.After(prev.EndsAt)) {
				prev = &es[j]
			}
		}
		if prev != nil && prev.Hall != "" && a.Hall != "" && prev.Hall != a.Hall {
			if gap := a.StartsAt.Sub(prev.EndsAt); gap < TravelGap {
				out[a.Key] = append(out[a.Key], Warning{Kind: WarnNoTravelGap, Other: prev.Key,
					Minutes: int(gap / time.Minute), FromHall: prev.Hall, ToHall: a.Hall})
			}
		}
	}
	return out
}

// stamp writes an instant for a message in any language: "2027-05-10 16:20 CEST".
func stamp(t time.Time, zone *time.Location) string {
	return t.In(zone).Format("2006-01-02 15:04 ") + ZoneAbbr(t, zone)
}

// ItineraryRow is an item with the names of what it is about, for the
// itinerary pages; Hall is where it happens ("" when unknown): the visited
// pavilion's hall, the company's pavilion's, or the stage's pavilion's.
type ItineraryRow struct {
	ItineraryItem
	PavilionName       Text
	ExhibitorName      Text
	ExhibitorLegalName string
	ExhibitorSlug      string
	Booth              string
	StageName          Text
	StageLocation      Text
	TalkTitles         Text // the roadshow presentation's title, for an item attending one
	Hall               string
}

// BookedSlot is a roadshow slot of the expo with its active booking, which
// a delegation may attend.
type BookedSlot struct {
	SlotID             int64
	StartsAt           time.Time
	EndsAt             time.Time
	StageName          Text
	PavilionID         *int64
	ExhibitorID        int64
	ExhibitorName      Text
	ExhibitorLegalName string
	Titles             Text
}

// SuggestedVisit is an approved exhibitor of the expo ranked for a
// delegation: the sectors it shares with those asked for first, then
// whether it exhibits in a pavilion of the delegation's home country, then
// whether it comes from there. MeetingStatus is that of a meeting already
// standing with the delegation ("" for none).
type SuggestedVisit struct {
	ExhibitorID   int64
	Slug          string
	Name          Text
	LegalName     string
	Country       string
	Booth         string
	PavilionID    *int64
	PavilionName  Text
	Hall          string
	Sectors       []string
	Overlap       int
	HomePavilion  bool
	HomeCountry   bool
	MeetingStatus MeetingStatus
}

// DisplayName returns the company's name in lang, its legal name when it has none.
func (v SuggestedVisit) DisplayName(lang Lang) string {
	if n := v.Name.In(lang); n != "" {
		return n
	}
	return v.LegalName
}

// zoneCountries maps the home time zones delegations come from to their
// country, so that a delegation's own pavilion can be found (a Chinese
// delegation's is the pavilion whose companies are Chinese).
var zoneCountries = map[string]string{
	"Asia/Shanghai": "CN", "Asia/Urumqi": "CN", "Asia/Chongqing": "CN", "Asia/Harbin": "CN", "PRC": "CN",
	"Asia/Hong_Kong": "HK", "Asia/Macau": "MO", "Asia/Taipei": "TW", "Asia/Tokyo": "JP", "Asia/Seoul": "KR",
	"Asia/Singapore": "SG", "Asia/Kolkata": "IN", "Asia/Dubai": "AE",
	"Europe/Madrid": "ES", "Atlantic/Canary": "ES", "Africa/Ceuta": "ES",
	"Europe/Lisbon": "PT", "Europe/Paris": "FR", "Europe/Berlin": "DE", "Europe/Rome": "IT",
	"Europe/London": "GB", "Europe/Amsterdam": "NL", "Europe/Brussels": "BE", "Europe/Vienna": "AT",
	"Europe/Zurich": "CH", "Europe/Stockholm": "SE", "Europe/Warsaw": "PL", "Europe/Dublin": "IE",
	"America/New_York": "US", "America/Chicago": "US", "America/Denver": "US", "America/Los_Angeles": "US",
	"America/Mexico_City": "MX", "America/Sao_Paulo": "BR", "America/Toronto": "CA",
}

// HomeCountry returns the country of a delegation's home time zone ("" when unknown).
func (d Delegation) HomeCountry() string { return zoneCountries[d.HomeTimeZone] }
