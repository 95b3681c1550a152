package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/mail"
	"expodesk/internal/postgres"
	"expodesk/web"
)

// organizerHome is the start page of the organizer area.
func (s *Server) organizerHome(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := principal(r)
	v := web.OrganizerHomeView{}
	var err error
	if v.Expos, err = s.store.ExpoList(ctx); err != nil {
		s.renderError(w, r, err)
		return
	}
	filter := expodesk.MailFilter{Status: expodesk.MailPending}
	if !p.IsExpoOrganizer() {
		pv, err := s.store.PavilionGetByID(ctx, p.PavilionID)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		v.Coordinator = &pv
		filter.PavilionID = &p.PavilionID
	}
	if v.PendingMail, err = s.store.MailCount(ctx, filter); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.OrganizerHomePage(web.Page{Title: web.T(ctx, "organizer.title")}, v))
}

// usersView lists the accounts the viewer may see and fills the invitation form's choices.
func (s *Server) usersView(r *http.Request, invite web.FormState) (web.UsersView, error) {
	ctx := r.Context()
	p := principal(r)
	lang := web.Lang(ctx)
	v := web.UsersView{Invite: invite}
	filter := postgres.UserListFilter{}
	if !p.IsExpoOrganizer() {
		filter.PavilionID = p.PavilionID
	}
	rows, err := s.store.UserList(ctx, filter)
	if err != nil {
		return v, err
	}
	for _, u := range rows {
		v.Users = append(v.Users, web.UserItem{ID: u.ID, Email: u.Email, Name: u.PersonName.String(), Role: u.Role,
			Company: u.ExhibitorName, Pavilion: u.PavilionName, Pending: u.Pending, Disabled: u.DisabledAt != nil,
			TOTP: u.TOTPEnabledAt != nil, LastSignIn: u.LastSignInAt, IsViewer: u.ID == p.UserID,
			// The list holds only the viewer's scope: its companies are in their care.
			CanManage: expodesk.CanManageAccount(p, u.User, true)})
	}
	if p.IsExpoOrganizer() {
		v.Kinds = []web.Option{{Value: "exhibitor", Label: web.T(ctx, "users.kind_exhibitor")},
			{Value: "coordinator", Label: web.T(ctx, "users.kind_coordinator")},
			{Value: "organizer", Label: web.T(ctx, "users.kind_organizer")}}
		pavilions, err := s.store.PavilionListAll(ctx)
		if err != nil {
			return v, err
		}
		v.Pavilions = []web.Option{{Value: "", Label: web.T(ctx, "users.choose_pavilion")}}
		for _, pv := range pavilions {
			v.Pavilions = append(v.Pavilions, web.Option{Value: itoa(pv.ID), Label: pv.Name.In(lang) + " · " + pv.ExpoName.In(lang)})
		}
	} else {
		v.Kinds = []web.Option{{Value: "exhibitor", Label: web.T(ctx, "users.kind_exhibitor")}}
	}
	companies, err := s.store.ExhibitorOptions(ctx, filter.PavilionID)
	if err != nil {
		return v, err
	}
	v.Exhibitors = []web.Option{{Value: "", Label: web.T(ctx, "users.choose_exhibitor")}}
	for _, c := range companies {
		name := c.Name.In(lang)
		if name == "" {
			name = c.LegalName
		}
		v.Exhibitors = append(v.Exhibitors, web.Option{Value: itoa(c.ID), Label: name})
	}
	return v, nil
}

func (s *Server) users(w http.ResponseWriter, r *http.Request) {
	v, err := s.usersView(r, web.FormState{Values: url.Values{"lang": {string(web.Lang(r.Context()))}}})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v.Flash = s.popFlash(r)
	s.render(w, r, http.StatusOK, web.UsersPage(web.Page{Title: web.T(r.Context(), "organizer.users")}, v))
}

// invitation is a new account as an invitation form describes it.
type invitation struct {
	user     expodesk.User
	company  expodesk.Exhibitor
	pavilion *expodesk.Pavilion
}

// readInvitee reads the person fields shared by both invitation forms.
func readInvitee(f *form) expodesk.User {
	return expodesk.User{Email: f.email("email"), Lang: f.lang("lang"), PersonName: f.personName()}
}

// usersInvite creates an account without a password and mails its invitation.
// What the viewer may create is checked here, whatever the form offered: a
// coordinator can only invite teams of companies in their pavilion.
func (s *Server) usersInvite(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := principal(r)
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	inv := invitation{user: readInvitee(f)}
	kind := f.raw("kind")
	if kind != "exhibitor" && !expodesk.CanManageExpos(p) {
		s.authorizationFailed(r, "invitation", kind)
		s.renderError(w, r, expodesk.ErrForbidden)
		return
	}
	switch kind {
	case "organizer":
		inv.user.Role = expodesk.RoleOrganizer
	case "coordinator":
		inv.user.Role = expodesk.RoleOrganizer
		id, _ := strconv.ParseInt(f.raw("pavilion"), 10, 64)
		if pv, err := s.store.PavilionGetByID(ctx, id); err == nil {
			inv.pavilion = &pv
			inv.user.PavilionID = &pv.ID
		} else {
			f.Problems.Add("pavilion", "users.choose_pavilion_problem", nil)
		}
	case "exhibitor":
		inv.user.Role = expodesk.RoleExhibitor
		id, _ := strconv.ParseInt(f.raw("exhibitor"), 10, 64)
		company, err := s.store.ExhibitorGetByID(ctx, id)
		if err == nil {
			in, ierr := s.companyInPavilion(ctx, p, &id)
			if ierr != nil {
				s.renderError(w, r, ierr)
				return
			}
			if !expodesk.CanEditExhibitor(p, id, in) {
				// The form only offers the viewer's companies: this one was forged.
				s.authorizationFailed(r, "exhibitor", itoa(id))
				err = expodesk.ErrNotFound
			}
		}
		if err != nil {
			f.Problems.Add("exhibitor", "users.choose_exhibitor_problem", nil)
		} else {
			inv.company = company
			inv.user.ExhibitorID = &company.ID
		}
	default:
		f.Problems.Add("kind", "validation.required", nil)
	}
	if f.err() == nil {
		if err := s.invite(r, f, &inv); err != nil {
			s.renderThrottledOrError(w, r, err)
			return
		}
	}
	if f.err() != nil {
		v, err := s.usersView(r, web.FormState{Values: f.Values, Problems: f.Problems})
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, web.UsersPage(web.Page{Title: web.T(ctx, "organizer.users")}, v))
		return
	}
	s.flash(ctx, "users.invited")
	http.Redirect(w, r, "/organizer/users", http.StatusSeeOther)
}

// invite creates the invitation; an address that already has an account
// becomes a problem on the form's email field rather than an error.
func (s *Server) invite(r *http.Request, f *form, inv *invitation) error {
	err := s.createInvitation(r, inv)
	if expodesk.ErrorCode(err) == expodesk.ECONFLICT {
		f.Problems.Add("email", "users.email_taken", nil)
		return nil
	}
	return err
}

// createInvitation writes the account, its token, the mail and the audit
// entry in one transaction.
func (s *Server) createInvitation(r *http.Request, inv *invitation) error {
	ctx := r.Context()
	p := principal(r)
	if err := s.hit(ctx, inviteActorLimit(p.UserID)); err != nil {
		return err
	}
	lang := inv.user.Lang
	content := mail.Invitation{Role: mail.InviteTeamMember, Inviter: currentUser(r).PersonName.String(),
		ExpiresAt: s.now().Add(invitationTTL)}
	scope := mailScope{}
	if inv.user.Role == expodesk.RoleOrganizer {
		content.Role = mail.InviteOrganizer
		if inv.pavilion != nil {
			content.Pavilion = inv.pavilion.Name.In(lang)
			scope.PavilionID, scope.ExpoID = &inv.pavilion.ID, &inv.pavilion.ExpoID
			if e, err := s.store.ExpoGetByID(ctx, inv.pavilion.ExpoID); err == nil {
				content.Expo, content.Zone = e.Name.In(lang), e.Location()
			}
		}
	} else {
		content.Company = inv.company.DisplayName(lang)
		if p.PavilionID != 0 {
			scope.PavilionID = &p.PavilionID
		}
	}
	if content.Inviter == "" {
		content.Inviter = p.Email
	}
	return s.store.Tx(ctx, func(tx *postgres.Store) error {
		u, err := tx.UserCreate(ctx, inv.user)
		if err != nil {
			return err
		}
		tok, hash, err := newToken()
		if err != nil {
			return err
		}
		if err := tx.TokenCreate(ctx, "invitation", u.ID, &p.UserID, hash, invitationTTL); err != nil {
			return err
		}
		content.Link = s.baseURL(r) + "/invitations/" + tok
		if err := s.queueMail(ctx, tx, u.Email, lang, content, scope); err != nil {
			return err
		}
		return s.audit(ctx, tx, r, "user.invite", "user", u.ID,
			auditScope{ExhibitorID: u.ExhibitorID, PavilionID: u.PavilionID}, nil, userAudit(u))
	})
}

// managedUser returns the account named in the URL when the viewer may
// manage it; anything else, including an account outside a coordinator's
// pavilion, is not found.
func (s *Server) managedUser(r *http.Request) (expodesk.User, error) {
	ctx := r.Context()
	p := principal(r)
	id, err := strconv.ParseInt(chi.URLParam(r, "user"), 10, 64)
	if err != nil {
		return expodesk.User{}, expodesk.ErrNotFound
	}
	u, err := s.store.UserGet(ctx, id)
	if err != nil {
		return u, err
	}
	if u.ID == p.UserID {
		return u, expodesk.Errorf(expodesk.EFORBIDDEN, "users.not_yourself")
	}
	in, err := s.companyInPavilion(ctx, p, u.ExhibitorID)
	if err != nil {
		return u, err
	}
	if !expodesk.CanManageAccount(p, u, in) {
		s.authorizationFailed(r, "user", itoa(id))
		return u, expodesk.ErrNotFound
	}
	return u, nil
}

// companyInPavilion reports whether the company is in the care of p as a
// pavilion coordinator; it asks the database only for coordinators.
func (s *Server) companyInPavilion(ctx context.Context, p *expodesk.Principal, exhibitorID *int64) (bool, error) {
	if exhibitorID == nil || p == nil || p.PavilionID == 0 {
		return false, nil
	}
	return s.store.ExhibitorInPavilion(ctx, *exhibitorID, p.PavilionID)
}

// usersSetDisabled disables or enables an account; disabling ends its sessions.
func (s *Server) usersSetDisabled(disabled bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		u, err := s.managedUser(r)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		action := "user.enable"
		if disabled {
			action = "user.disable"
		}
		err = s.store.Tx(ctx, func(tx *postgres.Store) error {
			after, err := tx.UserSetDisabled(ctx, u.ID, disabled)
			if err != nil {
				return err
			}
			return s.audit(ctx, tx, r, action, "user", u.ID, auditScope{ExhibitorID: u.ExhibitorID, PavilionID: u.PavilionID},
				userAudit(u), userAudit(after))
		})
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		s.flash(ctx, action+"d")
		http.Redirect(w, r, "/organizer/users", http.StatusSeeOther)
	}
}

// auditLog lists the audit log, newest first, with filters in the URL; a
// coordinator sees the entries about their pavilion and its companies.
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := principal(r)
	q := r.URL.Query()
	filter := postgres.AuditFilter{Action: clip(q.Get("action"), 60), ActorEmail: clip(q.Get("actor"), 254), Limit: 100}
	if since, err := time.Parse("2006-01-02", q.Get("since")); err == nil {
		filter.Since = since
	}
	if before, err := strconv.ParseInt(q.Get("before"), 10, 64); err == nil && before > 0 {
		filter.BeforeID = before
	}
	if !p.IsExpoOrganizer() {
		filter.PavilionID = p.PavilionID
	}
	rows, err := s.store.AuditList(ctx, filter)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := web.AuditView{Filter: web.FormState{Values: url.Values{"action": {filter.Action}, "actor": {filter.ActorEmail}, "since": {q.Get("since")}}}}
	for _, a := range rows {
		item := web.AuditItem{ID: a.ID, At: a.At, Actor: a.ActorLabel, Action: a.Action, Before: a.Before, After: a.After,
			ClientIP: a.ClientIP, RequestID: a.RequestID}
		if a.ObjectType != "" {
			item.Object = a.ObjectType + " " + a.ObjectID
		}
		v.Entries = append(v.Entries, item)
	}
	if len(rows) == filter.Limit {
		older := url.Values{"action": {filter.Action}, "actor": {filter.ActorEmail}, "since": {q.Get("since")},
			"before": {itoa(rows[len(rows)-1].ID)}}
		v.Older = "/organizer/audit?" + older.Encode()
	}
	s.render(w, r, http.StatusOK, web.AuditPage(web.Page{Title: web.T(ctx, "organizer.audit")}, v))
}

// clip bounds a filter value and drops invalid UTF-8.
func clip(v string, max int) string {
	v = strings.ToValidUTF8(v, "")
	if r := []rune(v); len(r) > max {
		v = string(r[:max])
	}
	return v
}

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
