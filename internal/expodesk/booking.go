package expodesk

import (
	"strings"
	"time"
	"unicode/utf8"
)

// BookingRules are the rules by which slots are booked: an expo's own, or
// a pavilion's that replace them on the pavilion's stages (PavilionID set).
type BookingRules struct {
	ExpoID     int64
	PavilionID *int64
	// OpensAt and ClosesAt bound the booking window; without OpensAt
	// booking has not been scheduled yet and is closed.
	OpensAt  *time.Time
	ClosesAt *time.Time
	// SlotQuota is how many active bookings one company may hold on the
	// stages these rules govern.
	SlotQuota int
	// CancelHoursBefore is how long before a slot starts its booking can
	// still be cancelled by the company.
	CancelHoursBefore int
	// TitleLang, when set, is a language every written title must include.
	TitleLang Lang
	// TextsDueAt is when titles and abstracts are published and can no
	// longer change; nil: until the slot starts.
	TextsDueAt *time.Time
	// WaitlistOfferHours is how long a freed slot is offered to the first
	// in its waitlist before it passes on; 0: it is booked for them at once.
	WaitlistOfferHours int
}

// Limits of booking texts.
const (
	MaxBookingTitleLen    = 200
	MaxBookingAbstractLen = 4000
)

// Validate reports what is wrong with r as the organizer's form shows it.
func (r BookingRules) Validate() error {
	p := Problems{}
	if r.SlotQuota < 0 || r.SlotQuota > 1000 {
		p.Add("slot_quota", "validation.range", map[string]any{"Min": 0, "Max": 1000})
	}
	if r.CancelHoursBefore < 0 || r.CancelHoursBefore > 8760 {
		p.Add("cancel_hours_before", "validation.range", map[string]any{"Min": 0, "Max": 8760})
	}
	if r.WaitlistOfferHours < 0 || r.WaitlistOfferHours > MaxWaitlistOfferHours {
		p.Add("waitlist_offer_hours", "validation.range", map[string]any{"Min": 0, "Max": MaxWaitlistOfferHours})
	}
	if r.OpensAt != nil && r.ClosesAt != nil && !r.ClosesAt.After(*r.OpensAt) {
		p.Add("closes_at", "validation.after_opens", nil)
	}
	if r.ClosesAt != nil && r.OpensAt == nil {
		p.Add("opens_at", "booking.rules_opens_required", nil)
	}
	if r.TitleLang != "" {
		if !validLang(r.TitleLang) {
			p.Add("title_lang", "validation.choice", nil)
		}
	}
	return p.Err()
}

func validLang(l Lang) bool {
	for _, x := range Langs {
		if x == l {
			return true
		}
	}
	return false
}

// WindowError returns why booking is not possible at now under r (not
// scheduled, not open yet, closed), or nil while the window is open.
func (r BookingRules) WindowError(now time.Time) error {
	switch {
	case r.OpensAt == nil:
		return ErrBookingNotScheduled
	case now.Before(*r.OpensAt):
		return &Error{Code: EINVALID, Message: "booking.not_open", Data: map[string]any{"Opens": *r.OpensAt}}
	case r.ClosesAt != nil && !now.Before(*r.ClosesAt):
		return ErrBookingClosed
	}
	return nil
}

// CancelDeadline is the last moment a booking of a slot starting at start
// can be cancelled by its company.
func (r BookingRules) CancelDeadline(start time.Time) time.Time {
	return start.Add(-time.Duration(r.CancelHoursBefore) * time.Hour)
}

// TextsDeadline is when the texts of a booking of a slot starting at start
// stop changing: the publication deadline, or the slot's start if sooner.
func (r BookingRules) TextsDeadline(start time.Time) time.Time {
	if r.TextsDueAt != nil && r.TextsDueAt.Before(start) {
		return *r.TextsDueAt
	}
	return start
}

// BookingText is a presentation's title and abstract, each in any of the
// three languages; both may stay empty until the publication deadline (the
// agenda then says "title to be announced").
type BookingText struct {
	Titles    Text
	Abstracts Text
}

// Clean trims every value and makes line ends LF.
func (b BookingText) Clean() BookingText {
	for _, l := range Langs {
		b.Titles = b.Titles.Set(l, strings.TrimSpace(b.Titles.Get(l)))
		a := strings.ReplaceAll(strings.ReplaceAll(b.Abstracts.Get(l), "\r\n", "\n"), "\r", "\n")
		b.Abstracts = b.Abstracts.Set(l, strings.TrimSpace(a))
	}
	return b
}

// IsZero reports whether nothing is written.
func (b BookingText) IsZero() bool { return b.Titles.IsZero() && b.Abstracts.IsZero() }

// Validate reports what is wrong with the texts under rules: lengths, an
// abstract without a title in its language, and a title missing in the
// language the rules ask for (once any title is written).
func (b BookingText) Validate(r BookingRules) error {
	p := Problems{}
	for _, l := range Langs {
		t, a := b.Titles.Get(l), b.Abstracts.Get(l)
		title, abstract := "title_"+string(l), "abstract_"+string(l)
		if !utf8.ValidString(t) || strings.ContainsAny(t, "\x00\r\n") {
			p.Add(title, "validation.single_line", nil)
		} else if utf8.RuneCountInString(t) > MaxBookingTitleLen {
			p.Add(title, "validation.too_long", map[string]any{"Max": MaxBookingTitleLen})
		}
		if !utf8.ValidString(a) || strings.ContainsRune(a, 0) {
			p.Add(abstract, "validation.encoding", nil)
		} else if utf8.RuneCountInString(a) > MaxBookingAbstractLen {
			p.Add(abstract, "validation.too_long", map[string]any{"Max": MaxBookingAbstractLen})
		}
		if a != "" && t == "" {
			p.Add(title, "booking.abstract_needs_title", nil)
		}
	}
	if r.TitleLang != "" && !b.Titles.IsZero() && b.Titles.Get(r.TitleLang) == "" {
		p.Add("title_"+string(r.TitleLang), "booking.title_lang_required", map[string]any{"Lang": string(r.TitleLang)})
	}
	return p.Err()
}

// BookableSlot is a slot with what booking it depends on: its stage's expo
// and pavilion.
type BookableSlot struct {
	ID         int64
	StageID    int64
	ExpoID     int64
	PavilionID *int64
	StartsAt   time.Time
	EndsAt     time.Time
	Blocked    bool
}

// FreeSlot is a slot an exhibitor may book, as the booking page lists it.
type FreeSlot struct {
	SlotID        int64
	StartsAt      time.Time
	EndsAt        time.Time
	StageID       int64
	StageName     Text
	StageLocation Text
	PavilionID    *int64
	PavilionName  Text
}

// BookingRow is one of a company's bookings as its list shows it.
type BookingRow struct {
	ID            int64
	SlotID        int64
	ExpoID        int64
	ExpoSlug      string
	ExpoName      Text
	ExpoTimeZone  string
	StartsAt      time.Time
	EndsAt        time.Time
	StageName     Text
	StageLocation Text
	PavilionID    *int64
	Titles        Text
	Abstracts     Text
	Status        BookingStatus
}

// Errors of booking (E3). Each is a clear message; none changes anything.
var (
	// ErrSlotTaken: another company holds the slot (the partial unique
	// index booking_one_active_per_slot decides a race).
	ErrSlotTaken = &Error{Code: ECONFLICT, Message: "booking.slot_taken",
		Data: map[string]any{"Constraint": "booking_one_active_per_slot"}}
	// ErrBookingOverlap: the company already holds a slot at that time on
	// another stage (booking_exhibitor_no_overlap decides a race).
	ErrBookingOverlap = &Error{Code: ECONFLICT, Message: "booking.overlap",
		Data: map[string]any{"Constraint": "booking_exhibitor_no_overlap"}}
	ErrBookingNotScheduled = Errorf(EINVALID, "booking.not_scheduled")
	ErrBookingClosed       = Errorf(EINVALID, "booking.closed")
	ErrSlotBlocked         = Errorf(EINVALID, "booking.slot_blocked")
	ErrSlotPast            = Errorf(EINVALID, "booking.slot_past")
	// ErrNotApproved: the company's participation at the expo is not approved.
	ErrNotApproved = Errorf(EFORBIDDEN, "booking.not_approved")
	// ErrBookingCancelled: the booking was cancelled already.
	ErrBookingCancelled = Errorf(ECONFLICT, "booking.already_cancelled")
)

// ErrQuotaReached says the company holds its quota of slots already.
func ErrQuotaReached(quota int) error {
	return &Error{Code: EINVALID, Message: "booking.quota_reached", Data: map[string]any{"Quota": quota}}
}

// ErrCancelTooLate says the cancellation deadline has passed.
func ErrCancelTooLate(hours int) error {
	return &Error{Code: EINVALID, Message: "booking.cancel_too_late", Data: map[string]any{"Hours": hours}}
}

// ErrTextsClosed says the texts were published at deadline and no longer change.
func ErrTextsClosed(deadline time.Time) error {
	return &Error{Code: EINVALID, Message: "booking.texts_closed", Data: map[string]any{"Deadline": deadline}}
}

// BookingOwner is whose a booking is and at which expo.
type BookingOwner struct {
	ExhibitorID int64
	ExpoID      int64
}

// MaxCancelReasonLen is the longest reason an organizer gives for
// cancelling a company's booking.
const MaxCancelReasonLen = 2000

// ValidateCancelReason reports what is wrong with an organizer's reason
// for cancelling a booking: the company is told it, so it is required.
func ValidateCancelReason(reason string) error {
	p := Problems{}
	checkRequired(p, "reason", reason, MaxCancelReasonLen)
	return p.Err()
}
