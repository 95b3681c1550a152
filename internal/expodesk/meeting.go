package expodesk

import (
	"time"
	"unicode/utf8"
)

// MeetingProposed: the exhibitor answered a request with another time,
// which the organizer takes or turns down.
const MeetingProposed MeetingStatus = "proposed"

// Meeting is a delegation's meeting with an exhibitor: requested by an
// organizer, then accepted or declined by the exhibitor, or answered with
// another time (ProposedStartsAt/ProposedEndsAt) that the organizer takes
// or turns down.
type Meeting struct {
	ID               int64
	DelegationID     int64
	ExhibitorID      int64
	StartsAt         time.Time
	EndsAt           time.Time
	Location         string
	Topic            string
	Status           MeetingStatus
	ResponseNote     string
	RequestedBy      *int64
	RespondedBy      *int64
	RespondedAt      *time.Time
	ProposedStartsAt *time.Time
	ProposedEndsAt   *time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time
	// Sequence counts the revisions a calendar must notice (the .ics
	// SEQUENCE): a new time, place, topic or status; kept by the database.
	Sequence int
}

// Standing reports whether the meeting still takes the delegation's time
// (requested, proposed or accepted), so that the itinerary checks it for clashes.
func (m Meeting) Standing() bool {
	return m.Status == MeetingRequested || m.Status == MeetingProposed || m.Status == MeetingAccepted
}

// Lengths of a meeting's texts (the schema's checks).
const (
	MaxMeetingLocation = 200
	MaxMeetingTopic    = 2000
	MaxMeetingNote     = 2000
)

// MeetingAnswer is what an exhibitor's team may answer a meeting request.
type MeetingAnswer string

// Answers to a meeting request.
const (
	AnswerAccept  MeetingAnswer = "accept"
	AnswerDecline MeetingAnswer = "decline"
)

// CanAnswerMeeting reports whether a meeting in status s may be accepted,
// declined or answered with another time by the exhibitor: a request, or
// its own proposal not yet taken (the team may change its mind).
func CanAnswerMeeting(s MeetingStatus) bool { return s == MeetingRequested || s == MeetingProposed }

// ValidateMeetingRequest reports what is wrong with a meeting an organizer
// requests for delegation d (times typed in zone, the expo's).
func ValidateMeetingRequest(m Meeting, d Delegation, zone *time.Location) error {
	p := Problems{}
	if m.ExhibitorID == 0 {
		p.Add("exhibitor", "validation.required", nil)
	}
	checkLen(p, "location", m.Location, MaxMeetingLocation)
	if utf8.RuneCountInString(m.Topic) > MaxMeetingTopic {
		p.Add("topic", "validation.too_long", map[string]any{"Max": MaxMeetingTopic})
	}
	CheckTimes(p, m.StartsAt, m.EndsAt, d, zone, "starts_at", "ends_at")
	return p.Err()
}

// ValidateMeetingNote reports a note too long for an answer, at field.
func ValidateMeetingNote(p Problems, field, note string) {
	if utf8.RuneCountInString(note) > MaxMeetingNote {
		p.Add(field, "validation.too_long", map[string]any{"Max": MaxMeetingNote})
	}
}

// Errors of meetings.
var (
	// ErrMeetingAnswered: the meeting was answered, cancelled or changed
	// meanwhile, so this answer no longer applies.
	ErrMeetingAnswered = Errorf(ECONFLICT, "meetings.already_answered")
	// ErrNoProposal: there is no proposal of another time to take or turn down.
	ErrNoProposal = Errorf(ECONFLICT, "meetings.no_proposal")
	// ErrNotApprovedThere: the company does not exhibit (approved) at the
	// delegation's expo, so no meeting is requested with it.
	ErrNotApprovedThere = &Error{Code: EINVALID, Message: "meetings.not_approved", Field: "exhibitor"}
)

// MeetingRow is a meeting with what its pages show around it: the company
// (its name, booth and hall at the expo) and the delegation and expo it
// belongs to. It carries nothing of the delegation's members.
type MeetingRow struct {
	Meeting
	ExhibitorName      Text
	ExhibitorLegalName string
	ExhibitorSlug      string
	Booth              string
	Hall               string
	DelegationName     string
	DelegationOrigin   string
	DelegationKind     DelegationKind
	ExpoID             int64
	ExpoSlug           string
	ExpoName           Text
	ExpoTimeZone       string
}

// CompanyName returns the company's name in lang, its legal name when it has none.
func (m MeetingRow) CompanyName(lang Lang) string {
	if n := m.ExhibitorName.In(lang); n != "" {
		return n
	}
	return m.ExhibitorLegalName
}

// MeetingAttendee is a member of the delegation who attends a meeting, as
// the exhibitor may see them: a name and a title, nothing more.
type MeetingAttendee struct {
	MeetingID int64
	PersonName
	Title string
}

// Mail kinds of meetings (E4).
const (
	// MailMeetingRequested: a delegation asks the company's team for a meeting.
	MailMeetingRequested MailKind = "meeting_requested"
	// MailMeetingAnswered: the company accepted, declined or proposed another time.
	MailMeetingAnswered MailKind = "meeting_answered"
	// MailMeetingChanged: the organizer took or turned down the company's
	// proposal, or cancelled the meeting.
	MailMeetingChanged MailKind = "meeting_changed"
)
