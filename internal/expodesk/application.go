package expodesk

import (
	"slices"
	"strings"
	"time"
)

// Audit actions of public applications (E5).
const (
	// ActionApplicationSubmit: a company applied through the public form.
	ActionApplicationSubmit AuditAction = "application.submit"
	// ActionApplicationRepeat: an application repeated one the expo already
	// has (same address or registration id); nothing else was recorded.
	ActionApplicationRepeat AuditAction = "application.repeat"
)

// Mail kinds of public applications.
const (
	MailApplicationReceived MailKind = "application_received"
	MailApplicationRepeat   MailKind = "application_repeat"
	MailApplicationRejected MailKind = "application_rejected"
)

// ErrApplicationRepeat: the expo already has an application from this
// address (the participation_contact_email index) or from this company.
var ErrApplicationRepeat = &Error{Code: ECONFLICT, Message: "apply.repeat",
	Data: map[string]any{"Constraint": "participation_contact_email"}}

// ErrCallClosed: the expo takes no applications now.
var ErrCallClosed = &Error{Code: ECONFLICT, Message: "apply.closed"}

// MaxNoteLen is the longest application note the database keeps.
const MaxNoteLen = 4000

// CallState is where an expo's call for applications stands at a moment.
type CallState string

// Call states: none was set (or the expo is archived: closed for good),
// not open yet, open, closed.
const (
	CallNone   CallState = "none"
	CallNotYet CallState = "not_yet"
	CallOpen   CallState = "open"
	CallClosed CallState = "closed"
)

// CallAt returns the state of e's call for applications at now. An expo
// with neither date takes no applications; one with only an opening date
// stays open, one with only a closing date is open until it.
func (e Expo) CallAt(now time.Time) CallState {
	switch {
	case e.ArchivedAt != nil:
		return CallClosed
	case e.ApplicationsOpenAt == nil && e.ApplicationsCloseAt == nil:
		return CallNone
	case e.ApplicationsOpenAt != nil && now.Before(*e.ApplicationsOpenAt):
		return CallNotYet
	case e.ApplicationsCloseAt != nil && !now.Before(*e.ApplicationsCloseAt):
		return CallClosed
	}
	return CallOpen
}

// HasCall reports whether e announces a call for applications at all, which
// is what the expo's page links to (the apply page says whether it is open).
func (e Expo) HasCall() bool {
	return e.ArchivedAt == nil && (e.ApplicationsOpenAt != nil || e.ApplicationsCloseAt != nil)
}

// Applicant is the person a public application names: invited as the
// company's first user once it is approved, and told of the decision.
type Applicant struct {
	Name  PersonName
	Email string
	Lang  Lang
}

// Check adds the problems of a's fields to p (family_name, given_name, contact_email).
func (a Applicant) Check(p Problems) {
	a.Name.Check(p)
	if !ValidEmail(a.Email) {
		p.Add("contact_email", "validation.email", nil)
	}
}

// ApplicationRecord is what a participation keeps of its application and
// decision, for the organizer's review page.
type ApplicationRecord struct {
	Participation
	Note              string
	Contact           Applicant
	RejectionReason   string
	ProfileAtApproval *ProfileSnapshot
	DecidedAt         *time.Time
}

// ProfileSnapshot is a company's profile as the participation keeps it at
// approval (profile_at_approval), to compare with what it says now.
type ProfileSnapshot struct {
	Name        Text     `json:"name"`
	Description Text     `json:"description"`
	Sectors     []string `json:"sectors"`
	Country     string   `json:"country"`
	City        string   `json:"city"`
	Website     string   `json:"website"`
	Email       string   `json:"email"`
	Phone       string   `json:"phone"`
}

// SnapshotOf returns e's profile as a snapshot.
func SnapshotOf(e Exhibitor) ProfileSnapshot {
	sectors := slices.Clone(e.Sectors)
	if sectors == nil {
		sectors = []string{}
	}
	slices.Sort(sectors)
	return ProfileSnapshot{Name: e.Name, Description: e.Description, Sectors: sectors, Country: e.Country,
		City: e.City, Website: e.Website, Email: e.Email, Phone: e.Phone}
}

// FieldChange is one field of a profile diff: its name (a catalog suffix:
// name_en, sectors…), what it said at approval and what it says now.
type FieldChange struct {
	Field   string
	Then    string
	Now     string
	Changed bool
}

// DiffProfile compares a profile at approval with the current one, field
// by field, every field listed (Changed marks the differences). Sectors
// are compared as sets and shown as comma-separated codes.
func DiffProfile(then, now ProfileSnapshot) []FieldChange {
	var out []FieldChange
	add := func(field, a, b string) {
		out = append(out, FieldChange{Field: field, Then: a, Now: b, Changed: a != b})
	}
	for _, l := range Langs {
		add("name_"+string(l), then.Name.Get(l), now.Name.Get(l))
	}
	for _, l := range Langs {
		add("description_"+string(l), then.Description.Get(l), now.Description.Get(l))
	}
	sorted := func(s []string) string {
		c := slices.Clone(s)
		slices.Sort(c)
		return strings.Join(slices.Compact(c), ", ")
	}
	add("sectors", sorted(then.Sectors), sorted(now.Sectors))
	add("country", then.Country, now.Country)
	add("city", then.City, now.City)
	add("website", then.Website, now.Website)
	add("email", then.Email, now.Email)
	add("phone", then.Phone, now.Phone)
	return out
}
