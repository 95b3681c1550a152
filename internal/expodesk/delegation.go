package expodesk

import "time"

// DelegationKind is what sort of group visits.
type DelegationKind string

// Delegation kinds.
const (
	KindGovernment DelegationKind = "government"
	KindBusiness   DelegationKind = "business"
	KindAcademic   DelegationKind = "academic"
	KindMedia      DelegationKind = "media"
)

// DelegationStatus is where a visit stands.
type DelegationStatus string

// Delegation statuses: planned → confirmed → arrived, or cancelled.
const (
	DelegationPlanned   DelegationStatus = "planned"
	DelegationConfirmed DelegationStatus = "confirmed"
	DelegationArrived   DelegationStatus = "arrived"
	DelegationCancelled DelegationStatus = "cancelled"
)

// Delegation is a group visiting one expo.
type Delegation struct {
	ID     int64
	ExpoID int64
	// Name is in the three languages, like an expo's.
	Name         Text
	Origin       string
	Kind         DelegationKind
	Leader       string
	HomeTimeZone string
	Lang         Lang
	ArrivesAt    time.Time
	DepartsAt    time.Time
	Status       DelegationStatus
	Notes        string
	// HostPavilionID is the pavilion hosting the visit (nil: the whole
	// expo), whose coordinator manages the delegation too.
	HostPavilionID *int64
	// Sectors are the sector codes the delegation is interested in.
	Sectors []string
}

// ProtocolRole is a member's place in the delegation.
type ProtocolRole string

// Protocol roles.
const (
	ProtocolHead        ProtocolRole = "head"
	ProtocolDeputy      ProtocolRole = "deputy"
	ProtocolMember      ProtocolRole = "member"
	ProtocolInterpreter ProtocolRole = "interpreter"
	ProtocolStaff       ProtocolRole = "staff"
)

// LetterStatus is the state of a member's invitation letter for a visa.
type LetterStatus string

// Invitation-letter statuses.
const (
	LetterNotNeeded LetterStatus = "not_needed"
	LetterRequested LetterStatus = "requested"
	LetterIssued    LetterStatus = "issued"
)

// DelegationMember is a person in a delegation. Personal data is visible to
// organizers only and can be erased, which keeps the row.
type DelegationMember struct {
	ID           int64
	DelegationID int64
	PersonName
	Title        string
	Organisation string
	Email        string
	ProtocolRole ProtocolRole
	LetterStatus LetterStatus
	// Position is the protocol order: 1 comes first in line.
	Position int
	ErasedAt *time.Time
	// RomanizedFamilyName and RomanizedGivenName are the name in Latin
	// letters (pinyin for a Chinese name), derived by Romanize and
	// corrected by the organizer where a reading differs.
	RomanizedFamilyName string
	RomanizedGivenName  string
	Phone               string
	// PassportName is the name exactly as the passport prints it, for the
	// invitation letter.
	PassportName      string
	LetterRequestedOn *time.Time
	LetterIssuedOn    *time.Time
}

// MeetingStatus is where a meeting request stands.
type MeetingStatus string

// Meeting statuses.
const (
	MeetingRequested MeetingStatus = "requested"
	MeetingAccepted  MeetingStatus = "accepted"
	MeetingDeclined  MeetingStatus = "declined"
	MeetingCancelled MeetingStatus = "cancelled"
)
