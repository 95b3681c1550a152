package server

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/mail"
	"expodesk/internal/password"
	"expodesk/internal/postgres"
	"expodesk/web"
)

// Token lifetimes: a reset link is short-lived; an invitation waits a week.
const (
	resetTTL      = time.Hour
	invitationTTL = 7 * 24 * time.Hour
)

func (s *Server) forgotForm(w http.ResponseWriter, r *http.Request) {
	s.renderForgot(w, r, http.StatusOK, web.ForgotView{})
}

func (s *Server) renderForgot(w http.ResponseWriter, r *http.Request, status int, v web.ForgotView) {
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, web.ForgotPage(web.Page{Title: web.T(r.Context(), "auth.forgot_title")}, v))
}

// forgot sends a reset link when the address belongs to an enabled account,
// and answers the same either way so that nobody learns who has an account.
func (s *Server) forgot(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	email := f.email("email")
	if f.err() != nil {
		s.renderForgot(w, r, http.StatusUnprocessableEntity, web.ForgotView{Form: web.FormState{Values: f.Values, Problems: f.Problems}})
		return
	}
	if err := s.hit(ctx, resetAddrLimit(s.clientIP(r))); err != nil {
		s.renderThrottled(w, r, err)
		return
	}
	// Past the per-account limit the answer is still "sent": saying otherwise would tell.
	overAccount := s.hit(ctx, resetAccountLimit(email)) != nil
	user, err := s.store.UserGetByEmail(ctx, email)
	if err == nil && user.DisabledAt == nil && !overAccount {
		err = s.store.Tx(ctx, func(tx *postgres.Store) error {
			if err := tx.TokensRevoke(ctx, "password_reset", user.ID); err != nil {
				return err
			}
			tok, hash, err := newToken()
			if err != nil {
				return err
			}
			if err := tx.TokenCreate(ctx, "password_reset", user.ID, nil, hash, resetTTL); err != nil {
				return err
			}
			return s.queueMail(ctx, tx, user.Email, user.Lang, mail.PasswordReset{
				Link: s.baseURL(r) + "/password/reset/" + tok, ExpiresAt: s.now().Add(resetTTL),
			}, mailScope{})
		})
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		s.auditAs(ctx, r, &user, "", "auth.reset_requested")
	} else if err != nil && expodesk.ErrorCode(err) != expodesk.ENOTFOUND {
		s.renderError(w, r, err)
		return
	}
	s.renderForgot(w, r, http.StatusOK, web.ForgotView{Sent: true})
}

// tokenUser resolves the token in the URL to its user, or answers 410.
func (s *Server) tokenUser(w http.ResponseWriter, r *http.Request, kind string) (string, expodesk.User, bool) {
	tok := chi.URLParam(r, "token")
	if err := s.hit(r.Context(), tokenAddrLimit(s.clientIP(r))); err != nil {
		s.renderThrottled(w, r, err)
		return "", expodesk.User{}, false
	}
	if !validTokenShape(tok) {
		s.renderError(w, r, expodesk.Errorf(expodesk.EGONE, "auth.token_gone"))
		return "", expodesk.User{}, false
	}
	u, err := s.store.TokenPeek(r.Context(), kind, hashToken(tok))
	if err != nil {
		s.renderError(w, r, err)
		return "", expodesk.User{}, false
	}
	return tok, u, true
}

func (s *Server) resetForm(w http.ResponseWriter, r *http.Request) {
	tok, u, ok := s.tokenUser(w, r, "password_reset")
	if !ok {
		return
	}
	s.renderReset(w, r, http.StatusOK, web.ResetView{Token: tok, Email: u.Email})
}

func (s *Server) renderReset(w http.ResponseWriter, r *http.Request, status int, v web.ResetView) {
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, web.ResetPage(web.Page{Title: web.T(r.Context(), "auth.reset_title")}, v))
}

// newPassword reads a new password and its confirmation and applies the policy.
func newPassword(f *form, contextWords ...string) string {
	pw := f.secret("password")
	confirm := f.raw("password_confirm")
	if _, bad := f.Problems["password"]; bad {
		return ""
	}
	if key := password.Check(pw, contextWords...); key != "" {
		f.Problems.Add("password", key, map[string]any{"Min": 8, "Max": 128})
		return ""
	}
	if confirm != pw {
		f.Problems.Add("password_confirm", "auth.passwords_differ", nil)
		return ""
	}
	return pw
}

// reset spends the token and sets the password; every session of the user
// ends, and they sign in again (through their second factor, if any).
func (s *Server) reset(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	tok, u, ok := s.tokenUser(w, r, "password_reset")
	if !ok {
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	pw := newPassword(f, u.Email, u.FamilyName, u.GivenName)
	if f.err() != nil {
		s.renderReset(w, r, http.StatusUnprocessableEntity, web.ResetView{Token: tok, Email: u.Email,
			Form: web.FormState{Values: f.Values, Problems: f.Problems}})
		return
	}
	hash, err := s.passwords.Hash(ctx, pw)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	err = s.store.Tx(ctx, func(tx *postgres.Store) error {
		id, err := tx.TokenRedeem(ctx, "password_reset", hashToken(tok))
		if err != nil {
			return err
		}
		changed, err := tx.UserSetPassword(ctx, id, hash)
		if err != nil {
			return err
		}
		u = changed
		return tx.AuditAdd(ctx, expodesk.AuditEntry{ActorID: &u.ID, ActorLabel: u.Email, Action: "auth.password_reset",
			ObjectType: "user", ObjectID: itoa(u.ID), ExhibitorID: u.ExhibitorID, PavilionID: u.PavilionID,
			ClientIP: s.clientIP(r), RequestID: RequestID(ctx)})
	})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.endSession(ctx)
	s.flash(ctx, "auth.password_reset_done")
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

func (s *Server) invitationForm(w http.ResponseWriter, r *http.Request) {
	tok, u, ok := s.tokenUser(w, r, "invitation")
	if !ok {
		return
	}
	vals := map[string][]string{"family_name": {u.FamilyName}, "given_name": {u.GivenName}, "lang": {string(u.Lang)}}
	s.renderInvitation(w, r, http.StatusOK, web.InvitationView{Token: tok, User: u, Form: web.FormState{Values: vals}})
}

func (s *Server) renderInvitation(w http.ResponseWriter, r *http.Request, status int, v web.InvitationView) {
	if v.User.ExhibitorID != nil {
		if e, err := s.store.ExhibitorGetByID(r.Context(), *v.User.ExhibitorID); err == nil {
			v.Company = e.DisplayName(web.Lang(r.Context()))
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, web.InvitationPage(web.Page{Title: web.T(r.Context(), "auth.invitation_title")}, v))
}

// invitationAccept spends the invitation, sets the name, language and
// password, and signs the person in (an organizer goes on to enrol TOTP).
// Two submissions of one link at the same moment: one wins, the other is told
// the link was used.
func (s *Server) invitationAccept(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	tok, u, ok := s.tokenUser(w, r, "invitation")
	if !ok {
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	name := f.personName()
	lang := f.lang("lang")
	pw := newPassword(f, u.Email, name.FamilyName, name.GivenName)
	if f.err() != nil {
		s.renderInvitation(w, r, http.StatusUnprocessableEntity, web.InvitationView{Token: tok, User: u,
			Form: web.FormState{Values: f.Values, Problems: f.Problems}})
		return
	}
	hash, err := s.passwords.Hash(ctx, pw)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	err = s.store.Tx(ctx, func(tx *postgres.Store) error {
		id, err := tx.TokenRedeem(ctx, "invitation", hashToken(tok))
		if err != nil {
			return err
		}
		if _, err := tx.UserUpdateProfile(ctx, id, name, lang); err != nil {
			return err
		}
		if u, err = tx.UserSetPassword(ctx, id, hash); err != nil {
			return err
		}
		return tx.AuditAdd(ctx, expodesk.AuditEntry{ActorID: &u.ID, ActorLabel: u.Email, Action: "auth.invitation_accepted",
			ObjectType: "user", ObjectID: itoa(u.ID), ExhibitorID: u.ExhibitorID, PavilionID: u.PavilionID,
			ClientIP: s.clientIP(r), RequestID: RequestID(ctx), After: userAudit(u)})
	})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.afterPassword(w, r, u, "")
}
