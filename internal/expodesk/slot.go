package expodesk

import (
	"strings"
	"time"
)

// Stage is where roadshows happen: in a pavilion, or expo-wide.
type Stage struct {
	ID         int64
	ExpoID     int64
	PavilionID *int64
	Slug       string
	Name       Text
	// Location is where the stage is ("Hall 3"), in each language.
	Location Text
	Position int
}

// Validate reports what is wrong with s.
func (s Stage) Validate() error {
	p := Problems{}
	checkSlug(p, "slug", s.Slug)
	checkText(p, "name", s.Name, 120, true)
	checkText(p, "location", s.Location, 120, false)
	return p.Err()
}

// Slot is a time range on a stage, free or booked by one exhibitor.
type Slot struct {
	ID       int64
	StageID  int64
	StartsAt time.Time
	EndsAt   time.Time
	Blocked  bool
}

// BookingStatus is whether a booking stands.
type BookingStatus string

// Booking statuses.
const (
	BookingActive    BookingStatus = "active"
	BookingCancelled BookingStatus = "cancelled"
)

// Booking is an exhibitor's presentation in a slot. Titles and Abstracts
// are what the company wrote, in any of the languages (none yet: "title to
// be announced"); Title, Abstract and Lang are what a one-language reader
// sees (the database computes them in the pages' fallback order). A
// booking made with Title and Lang only is stored as that one language.
type Booking struct {
	ID          int64
	SlotID      int64
	ExhibitorID int64
	Titles      Text
	Abstracts   Text
	Title       string
	Abstract    string
	Lang        Lang
	Status      BookingStatus
	CreatedAt   time.Time
}

// Validate reports what is wrong with b's title and abstract: a title of
// blanks only (a title may be left out, never be blank), or one too long.
func (b Booking) Validate() error {
	p := Problems{}
	if b.Title != "" && strings.TrimSpace(b.Title) == "" {
		p.Add("title", "validation.required", nil)
	}
	checkLen(p, "title", b.Title, MaxBookingTitleLen)
	checkLen(p, "abstract", b.Abstract, MaxBookingAbstractLen)
	for _, l := range Langs {
		checkLen(p, "title_"+string(l), b.Titles.Get(l), MaxBookingTitleLen)
		checkLen(p, "abstract_"+string(l), b.Abstracts.Get(l), MaxBookingAbstractLen)
	}
	return p.Err()
}

// AgendaItem is a slot as the public agenda shows it, with its stage and,
// when booked, the presenting exhibitor.
type AgendaItem struct {
	SlotID       int64
	ExpoSlug     string
	ExpoName     Text
	ExpoTimeZone string
	StartsAt     time.Time
	EndsAt       time.Time
	Blocked      bool
	// Label says why a blocked slot is held back ("Keynote", "Break").
	Label         Text
	StageID       int64
	StageSlug     string
	StageName     Text
	StageLocation Text
	PavilionID    *int64
	PavilionSlug  string
	PavilionName  Text
	BookingID     *int64
	Title         string
	Abstract      string
	TitleLang     Lang
	// Titles and Abstracts are the booking's texts in every language
	// written (empty while the title is to be announced).
	Titles             Text
	Abstracts          Text
	ExhibitorID        *int64
	ExhibitorSlug      string
	ExhibitorName      Text
	ExhibitorLegalName string
}

// Booked reports whether an exhibitor holds the slot.
func (a AgendaItem) Booked() bool { return a.BookingID != nil }

// Presented reports whether the slot is booked by an exhibitor visitors may
// see (approved at the expo), so that its title and presenter can be shown.
func (a AgendaItem) Presented() bool { return a.BookingID != nil && a.ExhibitorID != nil }

// Labelled reports whether the slot is held back with a label visitors may
// read (a keynote, a break) rather than merely not available.
func (a AgendaItem) Labelled() bool { return a.Blocked && !a.Label.IsZero() }

// CalendarEntry is one event of a calendar feed: a presented booking, or a
// blocked slot with a label (BookingID nil). A cancelled booking stays in
// the feeds, marked so, until its slot has ended, so that a calendar that
// subscribed before the cancellation learns of it instead of keeping the
// session; after that nobody needs to be told. Sequence counts the
// revisions a calendar must notice (a move, a new time, the cancellation,
// new texts) and ModifiedAt is when the last one was made.
type CalendarEntry struct {
	AgendaItem
	Cancelled  bool
	Sequence   int
	CreatedAt  time.Time
	ModifiedAt time.Time
}

// BookingViolations is what is wrong with a set of active bookings; each
// count must be 0: slots booked twice, pairs of one company's bookings at
// overlapping times, companies over their expo's quota.
type BookingViolations struct{ Double, Overlap, OverQuota int }
