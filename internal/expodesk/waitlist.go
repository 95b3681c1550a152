package expodesk

import "time"

// Waitlists of booked slots (issue 9, item 4). A company joins the line of
// a slot another company holds; when the slot is freed it goes, in the
// transaction that frees it, to the first in line (by the time they joined)
// who is still approved, under its quota on the stages the same rules
// govern and free at that time. Entries that cannot take it stay in line
// for a later turn. The rules' WaitlistOfferHours chooses how: 0 books the
// slot for them at once; n offers it to them for n hours, held as a booking
// with status BookingOffered that nobody else can book meanwhile; declined
// or expired, it lapses and passes to the next in line.

// Booking statuses of the waitlist's offers.
const (
	// BookingOffered: the slot is held for a company from its waitlist
	// until OfferedUntil; it accepts (the booking becomes active) or not.
	BookingOffered BookingStatus = "offered"
	// BookingLapsed: an offer declined or left to expire; it never was a booking.
	BookingLapsed BookingStatus = "lapsed"
)

// MaxWaitlistOfferHours is the longest an offer from a waitlist may stand.
const MaxWaitlistOfferHours = 720

// WaitlistEntry is a company's place in the line of a slot, with the texts
// its booking gets (none: to be announced).
type WaitlistEntry struct {
	ID          int64
	SlotID      int64
	ExhibitorID int64
	Titles      Text
	Abstracts   Text
	CreatedAt   time.Time
}

// WaitlistRow is one of a company's places in line as its bookings page
// lists it: the slot, and how many are ahead (Position 1: next).
type WaitlistRow struct {
	ID           int64
	SlotID       int64
	ExpoID       int64
	ExpoSlug     string
	ExpoName     Text
	ExpoTimeZone string
	StartsAt     time.Time
	EndsAt       time.Time
	StageName    Text
	Position     int
}

// TakenSlot is a slot another company holds that a company may wait for,
// with its place in the line when it waits (EntryID 0: it does not).
type TakenSlot struct {
	SlotID       int64
	StartsAt     time.Time
	EndsAt       time.Time
	StageID      int64
	StageName    Text
	PavilionName Text
	EntryID      int64
	Position     int
	// Waiting is how many companies are in line.
	Waiting int
}

// Offer is a slot held for a company from the waitlist, as the company
// reads it (BookingRow) with the moment the offer lapses.
type Offer struct {
	BookingRow
	OfferedUntil time.Time
}

// OfferHold is what an offer's accept, decline and expiry work on.
type OfferHold struct {
	ID           int64
	SlotID       int64
	ExhibitorID  int64
	Status       BookingStatus
	OfferedUntil *time.Time
}

// Expired reports whether the offer has run out at now.
func (o OfferHold) Expired(now time.Time) bool {
	return o.OfferedUntil != nil && !now.Before(*o.OfferedUntil)
}

// OfferUntil is when an offer made at now under r lapses.
func (r BookingRules) OfferUntil(now time.Time) time.Time {
	return now.Add(time.Duration(r.WaitlistOfferHours) * time.Hour)
}

// Errors of the waitlist. Each is a clear message; none changes anything.
var (
	// ErrWaitlistSlotFree: nobody holds the slot; the company books it instead.
	ErrWaitlistSlotFree = Errorf(EINVALID, "waitlist.slot_free")
	// ErrWaitlistOwnSlot: the company holds the slot (or has it on offer) already.
	ErrWaitlistOwnSlot = Errorf(EINVALID, "waitlist.own_slot")
	// ErrWaitlistJoined: the company is in the slot's line already
	// (waitlist_entry_slot_id_exhibitor_id_key decides a race).
	ErrWaitlistJoined = &Error{Code: ECONFLICT, Message: "waitlist.already_joined",
		Data: map[string]any{"Constraint": "waitlist_entry_slot_id_exhibitor_id_key"}}
	// ErrOfferGone: the offer was accepted, declined or has lapsed already.
	ErrOfferGone = Errorf(ECONFLICT, "waitlist.offer_gone")
	// ErrOfferExpired: the offer ran out before it was accepted; the slot
	// has passed to the next in line.
	ErrOfferExpired = Errorf(EINVALID, "waitlist.offer_expired")
)

// Audit actions of waitlists.
const (
	ActionWaitlistJoin  AuditAction = "waitlist.join"
	ActionWaitlistLeave AuditAction = "waitlist.leave"
	// ActionWaitlistPromote: a freed slot was booked for the first in line.
	ActionWaitlistPromote AuditAction = "waitlist.promote"
	// ActionWaitlistOffer: a freed slot was offered to the first in line.
	ActionWaitlistOffer   AuditAction = "waitlist.offer"
	ActionWaitlistAccept  AuditAction = "waitlist.accept"
	ActionWaitlistDecline AuditAction = "waitlist.decline"
	// ActionWaitlistExpire: an offer ran out unanswered (no actor).
	ActionWaitlistExpire AuditAction = "waitlist.expire"
)

// Mail of waitlists.
const (
	MailWaitlistPromoted MailKind = "waitlist_promoted" // a freed slot was booked for the company
	MailWaitlistOffer    MailKind = "waitlist_offer"    // a freed slot is offered to the company for a while
)

// CanActForCompany reports whether p acts for company exhibitorID: a
// member of its team. Its waitlist places and offers are its own; another
// company's are not found.
func CanActForCompany(p *Principal, exhibitorID int64) bool {
	return p.IsExhibitor() && exhibitorID != 0 && p.ExhibitorID == exhibitorID
}
