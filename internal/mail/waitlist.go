package mail

import (
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
)

// WaitlistPromoted tells a company's team that a slot it waited for was
// freed and is now booked for it.
type WaitlistPromoted struct {
	Company, Expo, Stage string
	Start                time.Time
	Zone                 *time.Location
	// Link is the booking's page, where its title and abstract are written.
	Link string
}

// Kind implements Content.
func (WaitlistPromoted) Kind() expodesk.MailKind { return expodesk.MailWaitlistPromoted }

func (w WaitlistPromoted) render(l *i18n.Localizer) (string, []string) {
	data := map[string]any{"Company": w.Company, "Expo": w.Expo, "Stage": w.Stage, "Start": formatTime(l, w.Start, w.Zone)}
	return l.T("mail.waitlist.promoted.subject", data), []string{l.T("mail.waitlist.promoted.intro", data),
		l.T("mail.waitlist.promoted.texts") + "\n" + w.Link}
}

// WaitlistOffer tells a company's team that a slot it waited for was
// freed and is held for it until Until, with the page to accept or decline.
type WaitlistOffer struct {
	Company, Expo, Stage string
	Start, Until         time.Time
	Zone                 *time.Location
	// Link is the offer's page, with its accept and decline buttons.
	Link string
}

// Kind implements Content.
func (WaitlistOffer) Kind() expodesk.MailKind { return expodesk.MailWaitlistOffer }

func (w WaitlistOffer) render(l *i18n.Localizer) (string, []string) {
	data := map[string]any{"Company": w.Company, "Expo": w.Expo, "Stage": w.Stage, "Start": formatTime(l, w.Start, w.Zone),
		"Until": formatTime(l, w.Until, w.Zone)}
	return l.T("mail.waitlist.offer.subject", data), []string{l.T("mail.waitlist.offer.intro", data),
		l.T("mail.waitlist.offer.answer", data) + "\n" + w.Link, l.T("mail.waitlist.offer.closing")}
}
