package mail

import (
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
)

// MeetingRequested asks a company's team to answer a delegation's meeting
// request in its portal. It names the delegation and the time and place,
// nothing of the delegation's members.
type MeetingRequested struct {
	Company    string
	Delegation string
	Origin     string
	Expo       string
	Start, End time.Time
	Zone       *time.Location
	Location   string
	Topic      string
	Link       string // the meeting's page in the exhibitor's portal
}

// Kind implements Content.
func (MeetingRequested) Kind() expodesk.MailKind { return expodesk.MailMeetingRequested }

func (m MeetingRequested) render(l *i18n.Localizer) (string, []string) {
	data := map[string]any{"Company": m.Company, "Delegation": m.Delegation, "Origin": m.Origin, "Expo": m.Expo,
		"Start": formatTime(l, m.Start, m.Zone), "End": m.End.In(zoneOr(m.Zone)).Format("15:04"), "Location": m.Location}
	out := []string{l.T("mail.meeting.requested.intro", data)}
	if m.Origin != "" {
		out = append(out, l.T("mail.meeting.requested.origin", data))
	}
	if m.Location != "" {
		out = append(out, l.T("mail.meeting.requested.where", data))
	}
	if m.Topic != "" {
		out = append(out, l.T("mail.meeting.requested.topic")+"\n"+m.Topic)
	}
	return l.T("mail.meeting.requested.subject", data),
		append(out, l.T("mail.meeting.requested.answer")+"\n"+m.Link)
}

// MeetingAnswered tells the organizer who requested a meeting how the
// company answered: accepted, declined, or another time proposed.
type MeetingAnswered struct {
	Company    string
	Delegation string
	Status     expodesk.MeetingStatus // accepted, declined or proposed
	Start      time.Time              // the meeting's time, or the proposed one
	Zone       *time.Location
	Note       string
	Link       string // the delegation's itinerary
}

// Kind implements Content.
func (MeetingAnswered) Kind() expodesk.MailKind { return expodesk.MailMeetingAnswered }

func (m MeetingAnswered) render(l *i18n.Localizer) (string, []string) {
	data := map[string]any{"Company": m.Company, "Delegation": m.Delegation, "Start": formatTime(l, m.Start, m.Zone)}
	key := "mail.meeting.answered." + string(m.Status)
	out := []string{l.T(key+".intro", data)}
	if m.Note != "" {
		out = append(out, l.T("mail.meeting.answered.note")+"\n"+m.Note)
	}
	return l.T(key+".subject", data), append(out, l.T("mail.meeting.answered.open")+"\n"+m.Link)
}

// MeetingChanged tells a company's team that the organizer took or turned
// down its proposal of another time, or cancelled the meeting.
type MeetingChanged struct {
	Company    string
	Delegation string
	Change     string // "taken", "turned_down" or "cancelled"
	Start      time.Time
	Zone       *time.Location
	Link       string // the meeting's page in the exhibitor's portal
}

// Kind implements Content.
func (MeetingChanged) Kind() expodesk.MailKind { return expodesk.MailMeetingChanged }

func (m MeetingChanged) render(l *i18n.Localizer) (string, []string) {
	data := map[string]any{"Company": m.Company, "Delegation": m.Delegation, "Start": formatTime(l, m.Start, m.Zone)}
	key := "mail.meeting.changed." + m.Change
	return l.T(key+".subject", data), []string{l.T(key+".intro", data), l.T("mail.meeting.changed.open") + "\n" + m.Link}
}

func zoneOr(z *time.Location) *time.Location {
	if z == nil {
		return time.UTC
	}
	return z
}
