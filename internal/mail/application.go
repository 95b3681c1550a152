package mail

import (
	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
)

// ApplicationReceived confirms a public application to the person it names.
type ApplicationReceived struct {
	Company string // the company's name as the applicant typed it
	Expo    string // the expo's name in the recipient's language
}

// Kind implements Content.
func (ApplicationReceived) Kind() expodesk.MailKind { return expodesk.MailApplicationReceived }

func (a ApplicationReceived) render(l *i18n.Localizer) (string, []string) {
	data := map[string]any{"Company": a.Company, "Expo": a.Expo}
	return l.T("mail.application.received.subject", data), []string{
		l.T("mail.application.received.intro", data),
		l.T("mail.application.received.next"),
		l.T("mail.application.not_you"),
	}
}

// ApplicationRepeat answers an application the expo already has (the same
// address, or a company already on file): nothing new was recorded. The
// form answered as for any application, so that it tells nobody which
// companies applied; the person at the address learns it here.
type ApplicationRepeat struct {
	Expo string
}

// Kind implements Content.
func (ApplicationRepeat) Kind() expodesk.MailKind { return expodesk.MailApplicationRepeat }

func (a ApplicationRepeat) render(l *i18n.Localizer) (string, []string) {
	data := map[string]any{"Expo": a.Expo}
	return l.T("mail.application.repeat.subject", data), []string{
		l.T("mail.application.repeat.intro", data),
		l.T("mail.application.repeat.next"),
		l.T("mail.application.not_you"),
	}
}

// ApplicationRejected tells an applicant that the organizers rejected the
// application, and why when they said.
type ApplicationRejected struct {
	Company string
	Expo    string
	Reason  string // as the organizer typed it; may be empty
}

// Kind implements Content.
func (ApplicationRejected) Kind() expodesk.MailKind { return expodesk.MailApplicationRejected }

func (a ApplicationRejected) render(l *i18n.Localizer) (string, []string) {
	data := map[string]any{"Company": a.Company, "Expo": a.Expo}
	out := []string{l.T("mail.application.rejected.intro", data)}
	if a.Reason != "" {
		out = append(out, l.T("mail.application.rejected.reason")+"\n"+a.Reason)
	}
	return l.T("mail.application.rejected.subject", data), append(out, l.T("mail.application.rejected.closing"))
}
