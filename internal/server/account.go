package server

import (
	"net/http"
	"net/url"

	"expodesk/internal/expodesk"
	"expodesk/internal/mail"
	"expodesk/internal/postgres"
	"expodesk/internal/totp"
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

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, v web.AccountView) {
	s.render(w, r, status, web.AccountPage(web.Page{Title: web.T(r.Context(), "account.title")}, v))
}

func (s *Server) account(w http.ResponseWriter, r *http.Request) {
	v, err := s.accountView(r, currentUser(r))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v.Flash = s.popFlash(r)
	s.renderAccount(w, r, http.StatusOK, v)
}

// accountProfile changes one's own name and language.
func (s *Server) accountProfile(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := currentUser(r)
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	name := f.personName()
	lang := f.lang("lang")
	if f.err() != nil {
		v, err := s.accountView(r, u)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		v.Profile = web.FormState{Values: f.Values, Problems: f.Problems}
		s.renderAccount(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	err = s.store.Tx(ctx, func(tx *postgres.Store) error {
		after, err := tx.UserUpdateProfile(ctx, u.ID, name, lang)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, r, "user.update_profile", "user", u.ID, auditScope{ExhibitorID: u.ExhibitorID, PavilionID: u.PavilionID},
			userAudit(u), userAudit(after))
	})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(ctx, "account.saved")
	http.Redirect(w, r, "/account?lang="+string(lang), http.StatusSeeOther)
}

// checkCurrentPassword verifies the password typed to confirm a sensitive
// change, recording a problem on the field when it is wrong.
func (s *Server) checkCurrentPassword(r *http.Request, f *form, u expodesk.User) error {
	current := f.secret("current_password")
	if _, bad := f.Problems["current_password"]; bad {
		return nil
	}
	// Counted first, as at sign-in: this is a password guess like any other.
	if err := s.hit(r.Context(), signInAccountLimit(u.Email)); err != nil {
		return err
	}
	ok, _, err := s.passwords.Verify(r.Context(), current, u.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		f.Problems.Add("current_password", "account.wrong_password", nil)
		s.auditAs(r.Context(), r, &u, "", "auth.password_check_failed")
		return nil
	}
	return s.store.RateReset(r.Context(), signInAccountLimit(u.Email).key)
}

// accountPassword changes one's password: every other session of the user
// ends, this one continues under a new token, and a notice is mailed.
func (s *Server) accountPassword(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := currentUser(r)
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.checkCurrentPassword(r, f, u); err != nil {
		s.renderThrottledOrError(w, r, err)
		return
	}
	pw := newPassword(f, u.Email, u.FamilyName, u.GivenName)
	if f.err() != nil {
		v, err := s.accountView(r, u)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		v.Password = web.FormState{Values: f.Values, Problems: f.Problems}
		s.renderAccount(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	hash, err := s.passwords.Hash(ctx, pw)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var changed expodesk.User
	err = s.store.Tx(ctx, func(tx *postgres.Store) error {
		if changed, err = tx.UserSetPassword(ctx, u.ID, hash); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, r, "user.change_password", "user", u.ID, auditScope{ExhibitorID: u.ExhibitorID, PavilionID: u.PavilionID}, nil, nil); err != nil {
			return err
		}
		return s.queueMail(ctx, tx, u.Email, u.Lang, mail.PasswordChanged{At: s.now(), ResetLink: s.baseURL(r) + "/password/forgot"}, mailScope{})
	})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.startSession(ctx, changed); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(ctx, "account.password_changed")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}

func (s *Server) renderThrottledOrError(w http.ResponseWriter, r *http.Request, err error) {
	if expodesk.ErrorCode(err) == expodesk.ETOOMANYREQUEST {
		s.renderThrottled(w, r, err)
		return
	}
	s.renderError(w, r, err)
}

// accountRecoveryCodes replaces the recovery codes (confirmed by password)
// and shows the new ones once.
func (s *Server) accountRecoveryCodes(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := currentUser(r)
	if u.TOTPEnabledAt == nil {
		http.Redirect(w, r, "/account", http.StatusSeeOther)
		return
	}
	if _, ok := s.confirmWithPassword(w, r, u); !ok {
		return
	}
	plain, hashes := totp.NewRecoveryCodes(totp.RecoveryCodeCount)
	err := s.store.Tx(ctx, func(tx *postgres.Store) error {
		if err := tx.RecoveryCodesReplace(ctx, u.ID, hashes); err != nil {
			return err
		}
		return s.audit(ctx, tx, r, "user.recovery_codes", "user", u.ID, auditScope{ExhibitorID: u.ExhibitorID, PavilionID: u.PavilionID}, nil, nil)
	})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.renderRecoveryCodes(w, r, plain, "/account")
}

// accountTOTPDisable turns the second factor off for an exhibitor team member
// (organizers must keep it), confirmed by password.
func (s *Server) accountTOTPDisable(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := currentUser(r)
	if u.Role == expodesk.RoleOrganizer {
		s.authorizationFailed(r, "totp", itoa(u.ID))
		s.renderError(w, r, expodesk.Errorf(expodesk.EFORBIDDEN, "account.totp_required_organizer"))
		return
	}
	if _, ok := s.confirmWithPassword(w, r, u); !ok {
		return
	}
	err := s.store.Tx(ctx, func(tx *postgres.Store) error {
		if err := tx.UserDisableTOTP(ctx, u.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, r, "user.totp_disabled", "user", u.ID, auditScope{ExhibitorID: u.ExhibitorID}, nil, nil)
	})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	fresh, err := s.store.UserGet(ctx, u.ID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.startSession(ctx, fresh); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(ctx, "account.totp_disabled")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}

// confirmWithPassword reads a form whose only field is the current password
// and re-renders the account page when it is wrong.
func (s *Server) confirmWithPassword(w http.ResponseWriter, r *http.Request, u expodesk.User) (*form, bool) {
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return nil, false
	}
	if err := s.checkCurrentPassword(r, f, u); err != nil {
		s.renderThrottledOrError(w, r, err)
		return nil, false
	}
	if f.err() != nil {
		v, err := s.accountView(r, u)
		if err != nil {
			s.renderError(w, r, err)
			return nil, false
		}
		v.TOTPForm = web.FormState{Values: f.Values, Problems: f.Problems}
		s.renderAccount(w, r, http.StatusUnprocessableEntity, v)
		return nil, false
	}
	return f, true
}
