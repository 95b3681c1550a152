package mail

import (
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
)

// BookingCancelled tells a company's team that an organizer cancelled one
// of its roadshow bookings, and why.
type BookingCancelled struct {
	Company string
	Expo    string
	Stage   string
	Start   time.Time
	Zone    *time.Location
	Reason  string // as the organizer typed it
}

// Kind implements Content.
func (BookingCancelled) Kind() expodesk.MailKind { return expodesk.MailBookingCancelled }

func (b BookingCancelled) render(l *i18n.Localizer) (string, []string) {
	data := map[string]any{"Company": b.Company, "Expo": b.Expo, "Stage": b.Stage, "Start": formatTime(l, b.Start, b.Zone)}
	out := []string{l.T("mail.control.cancelled.intro", data)}
	if b.Reason != "" {
		out = append(out, l.T("mail.control.cancelled.reason")+"\n"+b.Reason)
	}
	return l.T("mail.control.cancelled.subject", data), append(out, l.T("mail.control.cancelled.closing"))
}
