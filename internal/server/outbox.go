package server

import (
	"context"
	"expodesk/internal/expodesk"
	"expodesk/web"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
)

// outboxScope is the part of the outbox the viewer may read.
func outboxScope(p *expodesk.Principal) expodesk.MailFilter {
	if p.IsExpoOrganizer() {
		return expodesk.MailFilter{}
	}
	return expodesk.MailFilter{PavilionID: &p.PavilionID}
}

func (s *Server) outbox(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	filter := outboxScope(principal(r))
	filter.Page, _ = strconv.Atoi(r.URL.Query().Get("page"))
	msgs, err := s.store.MailList(ctx, filter.Normalize())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.OutboxPage(web.Page{Title: web.T(ctx, "organizer.outbox")},
		web.OutboxView{Messages: msgs, SMTP: s.cfg.SMTP}))
}

// outboxMessage shows one message. A password-reset mail's body is for its
// recipient alone, a sent invitation's too, and an organizer account's
// invitation for expo-wide organizers (expodesk.CanReadMailBody): showing
// them would let the reader take over the account.
func (s *Server) outboxMessage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := principal(r)
	id, err := strconv.ParseInt(chi.URLParam(r, "message"), 10, 64)
	if err != nil {
		s.renderError(w, r, expodesk.ErrNotFound)
		return
	}
	m, err := s.store.MailGet(ctx, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if !expodesk.CanReadMail(p, m.PavilionID) {
		s.authorizationFailed(r, "mail_message", itoa(id))
		s.renderError(w, r, expodesk.ErrNotFound)
		return
	}
	// An invitation's link signs in as the invitee: readable while it waits
	// to be passed on by hand (no SMTP), hidden once the mail went out, and
	// one to an organizer account only for expo-wide organizers.
	recipient, err := s.mailRecipientRole(ctx, m)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if !expodesk.CanReadMailBody(p, m, recipient) {
		m.BodyText = web.T(ctx, hiddenMailBody(m))
	}
	s.render(w, r, http.StatusOK, web.OutboxMessagePage(web.Page{Title: m.Subject}, web.OutboxMessageView{Message: m}))
}

// mailRecipientRole is the role of the account m was sent to, "" when no
// account has the address (any more).
func (s *Server) mailRecipientRole(ctx context.Context, m expodesk.MailMessage) (expodesk.Role, error) {
	if m.Kind != expodesk.MailInvitation {
		return "", nil
	}
	u, err := s.store.UserGetByEmail(ctx, m.ToAddr)
	if expodesk.ErrorCode(err) == expodesk.ENOTFOUND {
		return "", nil
	}
	return u.Role, err
}

// hiddenMailBody is the catalog key of what the outbox shows instead of a
// body the reader may not see, saying why.
func hiddenMailBody(m expodesk.MailMessage) string {
	switch {
	case m.Private():
		return "outbox.private"
	case m.Kind == expodesk.MailInvitation && m.SentAt != nil:
		return "outbox.private_sent"
	}
	return "outbox.private_organizer"
}
