package mail

import (
	"strings"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
)

// DrawResult tells a company's team what it got in an expo's fair draw:
// its place in the order and the slots it was given (maybe none).
type DrawResult struct {
	Company  string
	Expo     string
	Position int
	Of       int // how many took part
	Won      []DrawWonSlot
	Zone     *time.Location
	Link     string // the company's draw page, absolute
}

// DrawWonSlot is one slot a company got in a draw.
type DrawWonSlot struct {
	Stage string
	Start time.Time
}

// Kind implements Content.
func (DrawResult) Kind() expodesk.MailKind { return expodesk.MailDrawResult }

func (d DrawResult) render(l *i18n.Localizer) (string, []string) {
	data := map[string]any{"Company": d.Company, "Expo": d.Expo, "Position": d.Position, "Of": d.Of, "Link": d.Link}
	out := []string{l.T("mail.draw.intro", data)}
	if len(d.Won) == 0 {
		out = append(out, l.T("mail.draw.none", data))
	} else {
		lines := []string{l.T("mail.draw.won", data)}
		for _, w := range d.Won {
			lines = append(lines, "- "+l.T("mail.draw.slot", map[string]any{"Stage": w.Stage, "Start": formatTime(l, w.Start, d.Zone)}))
		}
		out = append(out, strings.Join(lines, "\n"), l.T("mail.draw.texts", data))
	}
	return l.T("mail.draw.subject", data), append(out, l.T("mail.draw.closing", data))
}
