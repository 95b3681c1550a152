package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/service"
	"expodesk/internal/urls"
	"expodesk/web"
)

// teamView is the exhibitor's company with its team.
func (s *Server) teamView(r *http.Request, invite web.FormState) (web.TeamView, error) {
	ctx := r.Context()
	p := principal(r)
	v := web.TeamView{Invite: invite}
	var err error
	if v.Company, err = s.store.ExhibitorGetByID(ctx, p.ExhibitorID); err != nil {
		return v, err
	}
	rows, err := s.store.UserList(ctx, expodesk.UserFilter{ExhibitorID: p.ExhibitorID})
	if err != nil {
		return v, err
	}
	for _, u := range rows {
		if u.Pending {
			// Listed among the invitations instead, alike with those to
			// addresses that already had an account.
			continue
		}
		v.Members = append(v.Members, web.UserItem{ID: u.ID, Email: u.Email, Name: u.PersonName.String(), Role: u.Role,
			Disabled: u.DisabledAt != nil, TOTP: u.TOTPEnabledAt != nil, LastSignIn: u.LastSignInAt,
			IsViewer: u.ID == p.UserID, CanManage: true})
	}
	if v.Invitations, err = s.svc.OpenTeamInvitations(ctx, s.caller(r)); err != nil {
		return v, err
	}
	return v, nil
}

// team is the exhibitor area's start page: the company's team.
func (s *Server) team(w http.ResponseWriter, r *http.Request) {
	v, err := s.teamView(r, web.FormState{Values: url.Values{"lang": {string(web.Lang(r.Context()))}}})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v.Flash = s.popFlash(r)
	s.render(w, r, http.StatusOK, web.TeamPage(web.Page{Title: v.Company.DisplayName(web.Lang(r.Context()))}, v))
}

// teamInvite invites a colleague to the signed-in exhibitor's own company;
// the company comes from the session, never from the form.
func (s *Server) teamInvite(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	inv := service.Invitation{Kind: expodesk.InviteExhibitor, Email: f.email("email"), Name: f.personName(),
		Lang: f.lang("lang"), ExhibitorID: principal(r).ExhibitorID}
	if f.err() == nil {
		err = s.inviteThrottled(r, inv)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.ExhibitorArea(), flash: flashInvited,
		page: func(fs web.FormState) (templ.Component, error) {
			v, err := s.teamView(r, fs)
			return web.TeamPage(web.Page{Title: v.Company.DisplayName(web.Lang(r.Context()))}, v), err
		}})
}

// teamRemove deletes a colleague's account. Another company's member is not
// found; removing oneself is refused.
func (s *Server) teamRemove(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(chi.URLParam(r, "user"), 10, 64)
	if err := s.svc.RemoveUser(r.Context(), s.caller(r), id); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(r.Context(), flashTeamRemoved)
	http.Redirect(w, r, urls.ExhibitorArea(), http.StatusSeeOther)
}

// teamInvitationCancel takes back an open invitation of the company.
func (s *Server) teamInvitationCancel(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(chi.URLParam(r, "invitation"), 10, 64)
	if err := s.svc.CancelTeamInvitation(r.Context(), s.caller(r), id); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(r.Context(), flashInvitationCancelled)
	http.Redirect(w, r, urls.ExhibitorArea(), http.StatusSeeOther)
}
