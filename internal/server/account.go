package server

import (
	"net/http"
	"net/url"

	"github.com/a-h/templ"

	"expodesk/internal/expodesk"
	"expodesk/internal/service"
	"expodesk/internal/urls"
	"expodesk/web"
)

// accountView fills the account page for the signed-in user; forms carry what
// was typed when one of them is shown again with problems.
func (s *Server) accountView(r *http.Request, u expodesk.User) (web.AccountView, error) {
	v := web.AccountView{User: u, CanDisableTOTP: u.Role != expodesk.RoleOrganizer}
	v.Profile = web.FormState{Values: url.Values{"family_name": {u.FamilyName}, "given_name": {u.GivenName}, "lang": {string(u.Lang)}}}
	if u.TOTPEnabledAt != nil {
		n, err := s.store.RecoveryCodesLeft(r.Context(), u.ID)
		if err != nil {
			return v, err
		}
		v.CodesLeft = n
	}
	return v, nil
}

// accountPage renders the account page with one of its forms shown again
// (set names which form the state belongs to).
func (s *Server) accountPage(r *http.Request, set func(*web.AccountView, web.FormState)) func(web.FormState) (templ.Component, error) {
	return func(fs web.FormState) (templ.Component, error) {
		v, err := s.accountView(r, currentUser(r))
		set(&v, fs)
		return web.AccountPage(web.Page{Title: web.T(r.Context(), "account.title")}, v), err
	}
}

func (s *Server) account(w http.ResponseWriter, r *http.Request) {
	v, err := s.accountView(r, currentUser(r))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v.Flash = s.popFlash(r)
	s.render(w, r, http.StatusOK, web.AccountPage(web.Page{Title: web.T(r.Context(), "account.title")}, v))
}

// accountProfile changes one's own name and language.
func (s *Server) accountProfile(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	name, lang := f.personName(), f.lang("lang")
	if f.err() == nil {
		_, err = s.svc.UpdateProfile(r.Context(), s.caller(r), name, lang)
	}
	s.finish(w, r, submission{f: f, err: err, flash: flashSaved,
		done: urls.InLang(urls.Account(), string(lang)),
		page: s.accountPage(r, func(v *web.AccountView, fs web.FormState) { v.Profile = fs })})
}

// confirmingPassword counts a password typed to confirm a change against
// the account's confirmation limit before the service checks it: it is a
// password guess like any other. The counter starts again once it was right.
func (s *Server) confirmingPassword(r *http.Request, f *form, op func(current string) error) error {
	u := currentUser(r)
	current := f.secret("current_password")
	if current == "" {
		delete(f.Problems, "current_password")
	}
	if err := s.hit(r.Context(), confirmLimit(u.ID)); err != nil {
		return err
	}
	err := op(current)
	s.resetConfirmLimit(r, err)
	return err
}

// resetConfirmLimit clears the confirmation counter when the operation's
// error (nil or not) says nothing against the current password.
func (s *Server) resetConfirmLimit(r *http.Request, err error) {
	e := expodesk.ErrorOf(err)
	if err != nil && (e == nil || e.Problems["current_password"].Key != "" || e.Field == "current_password") {
		return
	}
	if rerr := s.store.RateReset(r.Context(), confirmLimit(currentUser(r).ID).key); rerr != nil {
		s.log.WarnContext(r.Context(), "reset confirmation counter", "err", rerr)
	}
}

// accountPassword changes one's password: every other session of the user
// ends, this one continues under a new token, and a notice is mailed.
func (s *Server) accountPassword(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	n := service.NewPassword{Password: f.secret("password"), Confirm: f.raw("password_confirm")}
	var changed expodesk.User
	err = s.confirmingPassword(r, f, func(current string) error {
		changed, err = s.svc.ChangePassword(ctx, s.caller(r), current, n)
		return err
	})
	if err == nil {
		err = s.startSession(ctx, changed)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.Account(), flash: flashPasswordChanged,
		page: s.accountPage(r, func(v *web.AccountView, fs web.FormState) { v.Password = fs })})
}

// accountRecoveryCodes replaces the recovery codes (confirmed by password)
// and shows the new ones once.
func (s *Server) accountRecoveryCodes(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if currentUser(r).TOTPEnabledAt == nil {
		http.Redirect(w, r, urls.Account(), http.StatusSeeOther)
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var codes []string
	err = s.confirmingPassword(r, f, func(current string) error {
		codes, err = s.svc.ReplaceRecoveryCodes(ctx, s.caller(r), current)
		return err
	})
	if err == nil {
		s.renderRecoveryCodes(w, r, codes, urls.Account())
		return
	}
	s.finish(w, r, submission{f: f, err: err,
		page: s.accountPage(r, func(v *web.AccountView, fs web.FormState) { v.TOTPForm = fs })})
}

// accountTOTPDisable turns the second factor off for an exhibitor team member
// (organizers must keep it), confirmed by password.
func (s *Server) accountTOTPDisable(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var fresh expodesk.User
	if principal(r).IsOrganizer() {
		// Refused before the password is looked at: no guess is counted.
		_, err = s.svc.DisableTOTP(ctx, s.caller(r), "")
	} else {
		err = s.confirmingPassword(r, f, func(current string) error {
			fresh, err = s.svc.DisableTOTP(ctx, s.caller(r), current)
			return err
		})
	}
	if err == nil {
		err = s.startSession(ctx, fresh)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.Account(), flash: flashTOTPDisabled,
		page: s.accountPage(r, func(v *web.AccountView, fs web.FormState) { v.TOTPForm = fs })})
}
