package expodesk

import "time"

// ItineraryKind is what an itinerary item is. Meetings are not items: they
// live apart because the exhibitor answers them, and are merged in when an
// itinerary is read.
type ItineraryKind string

// Itinerary item kinds.
const (
	ItineraryVisit    ItineraryKind = "visit"    // a pavilion or booth visit
	ItineraryRoadshow ItineraryKind = "roadshow" // attending a roadshow slot
	ItineraryOther    ItineraryKind = "other"    // anything else: a ceremony, a lunch, a transfer
)

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
}

// Meeting is a delegation's meeting with an exhibitor: requested by an
// organizer, then accepted or declined by the exhibitor.
type Meeting struct {
	ID           int64
	DelegationID int64
	ExhibitorID  int64
	StartsAt     time.Time
	EndsAt       time.Time
	Location     string
	Topic        string
	Status       MeetingStatus
	ResponseNote string
	RequestedBy  *int64
	RespondedBy  *int64
	RespondedAt  *time.Time
	CreatedAt    time.Time
}
