package expodesk

import "time"

// The data of each webhook event, as partners receive it (field names are
// stable: partners' systems parse them). They carry what is public on the
// site, or what the organizer's partner needs to act on the change, and
// nothing else: never a contact email or phone, a registration id, a user
// who acted, a note or reason written to someone, a delegation member, a
// leader's name or an organizer's notes.

// WebhookExpo names the expo an event belongs to.
type WebhookExpo struct {
	Slug string `json:"slug"`
	Name Text   `json:"name"`
}

// WebhookPavilion names a pavilion.
type WebhookPavilion struct {
	Slug string `json:"slug"`
	Name Text   `json:"name"`
}

// WebhookExhibitor is a company as its public page shows it.
type WebhookExhibitor struct {
	Slug    string `json:"slug"`
	Name    Text   `json:"name"`
	Country string `json:"country"`
	Website string `json:"website,omitempty"`
}

// WebhookParticipationData is the data of participation.approved.
type WebhookParticipationData struct {
	ParticipationID int64            `json:"participation_id"`
	Expo            WebhookExpo      `json:"expo"`
	Pavilion        *WebhookPavilion `json:"pavilion"`
	Exhibitor       WebhookExhibitor `json:"exhibitor"`
	Booth           string           `json:"booth"`
}

// WebhookSlot is a roadshow slot.
type WebhookSlot struct {
	ID       int64     `json:"id"`
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
	Stage    struct {
		Slug string `json:"slug"`
		Name Text   `json:"name"`
	} `json:"stage"`
}

// WebhookBookingData is the data of slot.booked and booking.cancelled. Title
// is the presentation's title, as the public agenda shows it.
type WebhookBookingData struct {
	BookingID int64            `json:"booking_id"`
	Expo      WebhookExpo      `json:"expo"`
	Pavilion  *WebhookPavilion `json:"pavilion"`
	Slot      WebhookSlot      `json:"slot"`
	Exhibitor WebhookExhibitor `json:"exhibitor"`
	Title     Text             `json:"title"`
	// CancelledBy is "exhibitor" or "organizer" (booking.cancelled only).
	CancelledBy string `json:"cancelled_by,omitempty"`
}

// WebhookMeetingData is the data of meeting.accepted and meeting.declined:
// when and where, which delegation and company, not the topic or notes.
type WebhookMeetingData struct {
	MeetingID  int64            `json:"meeting_id"`
	Status     string           `json:"status"`
	Expo       WebhookExpo      `json:"expo"`
	Delegation WebhookDelegRef  `json:"delegation"`
	Exhibitor  WebhookExhibitor `json:"exhibitor"`
	StartsAt   time.Time        `json:"starts_at"`
	EndsAt     time.Time        `json:"ends_at"`
	Location   string           `json:"location"`
}

// WebhookDelegRef names a delegation: its id and name, never its members.
type WebhookDelegRef struct {
	ID   int64 `json:"id"`
	Name Text  `json:"name"`
}

// WebhookDelegationData is the data of delegation.confirmed.
type WebhookDelegationData struct {
	DelegationID int64       `json:"delegation_id"`
	Expo         WebhookExpo `json:"expo"`
	Name         Text        `json:"name"`
	Origin       string      `json:"origin"`
	Kind         string      `json:"kind"`
	ArrivesAt    time.Time   `json:"arrives_at"`
	DepartsAt    time.Time   `json:"departs_at"`
}

// WebhookTestData is the data of webhook.test.
type WebhookTestData struct {
	EndpointID int64  `json:"endpoint_id"`
	Note       string `json:"message"`
}
