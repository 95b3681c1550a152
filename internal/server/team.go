package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/postgres"
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
	rows, err := s.store.UserList(ctx, postgres.UserListFilter{ExhibitorID: p.ExhibitorID})
	if err != nil {
		return v, err
	}
	for _, u := range rows {
		v.Members = append(v.Members, web.UserItem{ID: u.ID, Email: u.Email, Name: u.PersonName.String(), Role: u.Role,
			Pending: u.Pending, Disabled: u.DisabledAt != nil, TOTP: u.TOTPEnabledAt != nil, LastSignIn: u.LastSignInAt,
			IsViewer: u.ID == p.UserID, CanManage: true})
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
	ctx := r.Context()
	p := principal(r)
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	inv := invitation{user: readInvitee(f)}
	inv.user.Role = expodesk.RoleExhibitor
	inv.user.ExhibitorID = &p.ExhibitorID
	if f.err() == nil {
		if inv.company, err = s.store.ExhibitorGetByID(ctx, p.ExhibitorID); err != nil {
			s.renderError(w, r, err)
			return
		}
		if err := s.invite(r, f, &inv); err != nil {
			s.renderThrottledOrError(w, r, err)
			return
		}
	}
	if f.err() != nil {
		v, err := s.teamView(r, web.FormState{Values: f.Values, Problems: f.Problems})
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, web.TeamPage(web.Page{Title: v.Company.DisplayName(web.Lang(ctx))}, v))
		return
	}
	s.flash(ctx, "users.invited")
	http.Redirect(w, r, "/exhibitor", http.StatusSeeOther)
}

// teamRemove deletes a colleague's account. Another company's member is not
// found; removing oneself is refused.
func (s *Server) teamRemove(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := principal(r)
	id, err := strconv.ParseInt(chi.URLParam(r, "user"), 10, 64)
	if err != nil {
		s.renderError(w, r, expodesk.ErrNotFound)
		return
	}
	u, err := s.store.UserGet(ctx, id)
	switch {
	case err != nil:
	case u.ID == p.UserID:
		err = expodesk.Errorf(expodesk.EFORBIDDEN, "users.not_yourself")
	case !expodesk.CanManageAccount(p, u, false):
		s.authorizationFailed(r, "user", itoa(id))
		err = expodesk.ErrNotFound
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	err = s.store.Tx(ctx, func(tx *postgres.Store) error {
		if err := tx.UserDelete(ctx, u.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, r, "user.remove", "user", u.ID, auditScope{ExhibitorID: u.ExhibitorID}, userAudit(u), nil)
	})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(ctx, "team.removed")
	http.Redirect(w, r, "/exhibitor", http.StatusSeeOther)
}
