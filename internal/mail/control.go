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

// BookingMadeFor tells a company's team that an organizer booked a
// roadshow slot for it, and that its title is still to be written.
type BookingMadeFor struct {
	Company, Expo, Stage string
	Start                time.Time
	Zone                 *time.Location
	BookingsLink         string
}

// Kind implements Content.
func (BookingMadeFor) Kind() expodesk.MailKind { return expodesk.MailBookingMadeFor }

func (b BookingMadeFor) render(l *i18n.Localizer) (string, []string) {
	data := map[string]any{"Company": b.Company, "Expo": b.Expo, "Stage": b.Stage, "Start": formatTime(l, b.Start, b.Zone)}
	return l.T("mail.control.booked_for.subject", data), []string{l.T("mail.control.booked_for.intro", data),
		l.T("mail.control.booked_for.closing") + "\n" + b.BookingsLink}
}

// BookingMoved tells a company's team that an organizer moved one of its
// roadshow bookings to another slot.
type BookingMoved struct {
	Company, Expo      string
	FromStage, ToStage string
	FromStart, ToStart time.Time
	Zone               *time.Location
}

// Kind implements Content.
func (BookingMoved) Kind() expodesk.MailKind { return expodesk.MailBookingMoved }

func (b BookingMoved) render(l *i18n.Localizer) (string, []string) {
	data := map[string]any{"Company": b.Company, "Expo": b.Expo, "FromStage": b.FromStage, "ToStage": b.ToStage,
		"From": formatTime(l, b.FromStart, b.Zone), "To": formatTime(l, b.ToStart, b.Zone)}
	return l.T("mail.control.moved.subject", data), []string{l.T("mail.control.moved.intro", data), l.T("mail.control.moved.closing")}
}
