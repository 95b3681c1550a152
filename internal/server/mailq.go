package server

import (
	"context"
	"strconv"

	"expodesk/internal/expodesk"
	"expodesk/internal/mail"
	"expodesk/internal/postgres"
)

// mailScope places a message in an expo or pavilion for the outbox page.
type mailScope struct {
	ExpoID     *int64
	PavilionID *int64
}

// queueMail composes a message in the recipient's language and writes it to
// the outbox in the caller's transaction: it is sent only if the change
// that causes it commits.
func (s *Server) queueMail(ctx context.Context, tx *postgres.Store, to string, lang expodesk.Lang,
	content mail.Content, scope mailScope) error {
	m := s.mail.Message(to, lang, content)
	m.ExpoID, m.PavilionID = scope.ExpoID, scope.PavilionID
	m, err := tx.MailEnqueue(ctx, m)
	switch {
	case err != nil || s.cfg.SMTP:
	case s.cfg.LogMailLinks:
		// make run: the developer follows invitation and reset links from the terminal.
		mail.LogUnsent(ctx, s.log, m)
	default:
		// Without SMTP the outbox page is where mail is read; the log says where, never the link.
		s.log.InfoContext(ctx, "mail queued in the outbox (no SMTP configured)", "kind", m.Kind, "lang", m.Lang,
			"outbox", "/organizer/outbox/"+itoa(m.ID))
	}
	return err
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
