package server

import (
	"expodesk/internal/expodesk"
	"expodesk/internal/service"
	"expodesk/internal/urls"
	"expodesk/web"
	"net/http"
	"net/url"
	"strconv"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"
)

// usersView lists the accounts the viewer may see and fills the invitation form's choices.
func (s *Server) usersView(r *http.Request, invite web.FormState) (web.UsersView, error) {
	ctx := r.Context()
	p := principal(r)
	lang := web.Lang(ctx)
	v := web.UsersView{Invite: invite}
	filter := expodesk.UserFilter{}
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
	v.Many.Form = web.FormState{Values: url.Values{"many_lang": {string(web.Lang(r.Context()))}}}
	s.render(w, r, http.StatusOK, web.UsersPage(web.Page{Title: web.T(r.Context(), "organizer.users")}, v))
}

// usersInvite creates an account without a password and mails its
// invitation; what the viewer may create is the service's to decide.
func (s *Server) usersInvite(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	// The kind is passed as sent: a kind the viewer may not create is refused
	// by the service (403), an unknown one is a problem on the field.
	inv := service.Invitation{Kind: expodesk.InvitationKind(f.raw("kind")),
		Email: f.email("email"), Name: f.personName(), Lang: f.lang("lang"),
		PavilionID: f.id("pavilion"), ExhibitorID: f.id("exhibitor")}
	if f.err() == nil {
		err = s.inviteThrottled(r, inv)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerUsers(), flash: flashInvited,
		page: func(fs web.FormState) (templ.Component, error) {
			v, err := s.usersView(r, fs)
			return web.UsersPage(web.Page{Title: web.T(r.Context(), "organizer.users")}, v), err
		}})
}

// inviteThrottled counts an invitation against its sender's limit, then sends it.
func (s *Server) inviteThrottled(r *http.Request, inv service.Invitation) error {
	if err := s.hit(r.Context(), inviteActorLimit(principal(r).UserID)); err != nil {
		return err
	}
	_, err := s.svc.Invite(r.Context(), s.caller(r), inv)
	return err
}

// usersSetDisabled disables or enables an account; disabling ends its sessions.
func (s *Server) usersSetDisabled(disabled bool) http.HandlerFunc {
	flash := flashUserEnabled
	if disabled {
		flash = flashUserDisabled
	}
	return func(w http.ResponseWriter, r *http.Request) {
		id, _ := strconv.ParseInt(chi.URLParam(r, "user"), 10, 64)
		if _, err := s.svc.SetUserDisabled(r.Context(), s.caller(r), id, disabled); err != nil {
			s.renderError(w, r, err)
			return
		}
		s.flash(r.Context(), flash)
		http.Redirect(w, r, urls.OrganizerUsers(), http.StatusSeeOther)
	}
}
