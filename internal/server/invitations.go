package server

import (
	"net/http"

	"github.com/a-h/templ"

	"expodesk/internal/expodesk"
	"expodesk/internal/service"
	"expodesk/web"
)

func (s *Server) invitationForm(w http.ResponseWriter, r *http.Request) {
	tok, u, ok := s.tokenUser(w, r, expodesk.TokenInvitation)
	if !ok {
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	vals := map[string][]string{"family_name": {u.FamilyName}, "given_name": {u.GivenName}, "lang": {string(u.Lang)}}
	s.render(w, r, http.StatusOK, s.invitationPage(r, web.InvitationView{Token: tok, User: u, Form: web.FormState{Values: vals}}))
}

func (s *Server) invitationPage(r *http.Request, v web.InvitationView) templ.Component {
	if v.User.ExhibitorID != nil {
		if e, err := s.store.ExhibitorGetByID(r.Context(), *v.User.ExhibitorID); err == nil {
			v.Company = e.DisplayName(web.Lang(r.Context()))
		}
	}
	return web.InvitationPage(web.Page{Title: web.T(r.Context(), "auth.invitation_title")}, v)
}

// invitationAccept spends the invitation, sets the name, language and
// password, and signs the person in (an organizer goes on to enrol TOTP).
// Two submissions of one link at the same moment: one wins, the other is told
// the link was used.
func (s *Server) invitationAccept(w http.ResponseWriter, r *http.Request) {
	tok, u, ok := s.tokenUser(w, r, expodesk.TokenInvitation)
	if !ok {
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	a := service.InvitationAcceptance{Name: f.personName(), Lang: f.lang("lang"), NewPassword: readNewPassword(f)}
	if f.err() == nil {
		u, err = s.svc.AcceptInvitation(r.Context(), s.caller(r), tok, a)
	}
	w.Header().Set("Cache-Control", "no-store")
	if err != nil || f.err() != nil {
		s.finish(w, r, submission{f: f, err: err, page: func(fs web.FormState) (templ.Component, error) {
			return s.invitationPage(r, web.InvitationView{Token: tok, User: u, Form: fs}), nil
		}})
		return
	}
	s.afterPassword(w, r, u, "")
}
