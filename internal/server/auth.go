package server

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/service"
	"expodesk/internal/totp"
	"expodesk/internal/urls"
	"expodesk/web"
)

// homeFor is where a person lands after signing in.
func homeFor(u expodesk.User) string {
	switch u.Role {
	case expodesk.RoleOrganizer:
		return urls.Organizer()
	case expodesk.RoleExhibitor:
		return urls.ExhibitorArea()
	}
	return urls.Home()
}

func (s *Server) signInForm(w http.ResponseWriter, r *http.Request) {
	if p := principal(r); p != nil {
		http.Redirect(w, r, homeFor(currentUser(r)), http.StatusSeeOther)
		return
	}
	v := web.SignInView{Next: localPath(r.URL.Query().Get("next"), ""), Flash: s.popFlash(r)}
	s.renderSignIn(w, r, http.StatusOK, v)
}

func (s *Server) renderSignIn(w http.ResponseWriter, r *http.Request, status int, v web.SignInView) {
	loc := web.RequestFrom(r.Context()).Loc
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, web.SignInPage(web.Page{Title: loc.T("auth.signin_title")}, v))
}

// signIn checks an email and password. An unknown email, a disabled account,
// an account without a password and a wrong password all get the same answer
// after the same amount of hashing work.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	email := f.email("email")
	pw := f.secret("password")
	v := web.SignInView{Form: web.FormState{Values: f.Values, Problems: f.Problems}, Next: localPath(f.raw("next"), "")}
	if f.err() != nil {
		s.renderSignIn(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if err := s.hit(ctx, signInAddrLimit(s.clientIP(r))); err != nil {
		s.signInThrottled(w, r, err)
		return
	}
	// Counted before the check, so that guesses sent in parallel cannot all
	// pass a limit none of them has been counted against yet: against the
	// device's own limit for a browser that signed in to the account before,
	// else the account's limit for untrusted clients (device.go).
	failures, err := s.signInLimitFor(r, email)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.hit(ctx, failures); err != nil {
		s.signInThrottled(w, r, err)
		return
	}
	user, err := s.svc.CheckPassword(ctx, s.caller(r), email, pw)
	if errors.Is(err, service.ErrSignInFailed) {
		v.Message = web.T(ctx, "auth.signin_failed")
		s.renderSignIn(w, r, http.StatusUnauthorized, v)
		return
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.store.RateReset(ctx, failures.key); err != nil {
		s.log.WarnContext(ctx, "reset sign-in counter", "err", err)
	}
	s.afterPassword(w, r, user, v.Next)
}

// afterPassword continues a sign-in whose password (or invitation) checked
// out: to the second factor, to a required enrolment, or straight in.
func (s *Server) afterPassword(w http.ResponseWriter, r *http.Request, user expodesk.User, next string) {
	ctx := r.Context()
	if err := s.sessions.RenewToken(ctx); err != nil {
		s.renderError(w, r, err)
		return
	}
	// A new sign-in starts from nothing: no half-finished one survives it.
	for _, k := range []string{sessUserID, sessPendingID, sessEnrolID, sessEnrolSecret, sessEnrolURL} {
		s.sessions.Remove(ctx, k)
	}
	s.sessions.Put(ctx, sessPendingAt, s.now().Unix())
	// A password reset or a disabled account while the second step waits
	// moves the version on, and the wait is over.
	s.sessions.Put(ctx, sessVersion, user.SessionVersion)
	if next != "" {
		s.sessions.Put(ctx, "next", next)
	}
	switch {
	case user.TOTPEnabledAt != nil:
		s.sessions.Put(ctx, sessPendingID, user.ID)
		http.Redirect(w, r, urls.SignInTOTP(), http.StatusSeeOther)
	case user.Role == expodesk.RoleOrganizer:
		s.sessions.Put(ctx, sessEnrolID, user.ID)
		http.Redirect(w, r, urls.SignInTOTPSetup(), http.StatusSeeOther)
	default:
		s.completeSignIn(w, r, user)
	}
}

// completeSignIn starts the signed-in session and sends the person on.
func (s *Server) completeSignIn(w http.ResponseWriter, r *http.Request, user expodesk.User) {
	ctx := r.Context()
	next := localPath(s.sessions.PopString(ctx, "next"), homeFor(user))
	if err := s.startSession(ctx, user); err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.svc.RecordSignIn(ctx, s.caller(r), user); err != nil {
		s.log.WarnContext(ctx, "record sign-in", "err", err)
	}
	// This browser is now trusted for the account: a stranger's guesses no
	// longer lock it out.
	if err := s.issueDeviceCookie(w, r, user.Email); err != nil {
		s.log.WarnContext(ctx, "issue device cookie", "err", err)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// pendingUser returns the user waiting in the session under key, if the wait
// has not expired.
func (s *Server) pendingUser(ctx context.Context, key string) (expodesk.User, bool) {
	id := s.sessions.GetInt64(ctx, key)
	at := s.sessions.GetInt64(ctx, sessPendingAt)
	if id == 0 || s.now().Sub(time.Unix(at, 0)) > pendingTTL {
		return expodesk.User{}, false
	}
	u, err := s.store.UserGet(ctx, id)
	if err != nil || u.DisabledAt != nil || u.SessionVersion != s.sessions.GetInt(ctx, sessVersion) {
		return expodesk.User{}, false
	}
	return u, true
}

func (s *Server) totpForm(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.pendingUser(r.Context(), sessPendingID); !ok {
		http.Redirect(w, r, urls.SignIn(""), http.StatusSeeOther)
		return
	}
	s.renderTOTP(w, r, http.StatusOK, web.TOTPView{Recovery: r.URL.Query().Get("recovery") == "1"})
}

func (s *Server) renderTOTP(w http.ResponseWriter, r *http.Request, status int, v web.TOTPView) {
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, web.TOTPPage(web.Page{Title: web.T(r.Context(), "auth.totp_title")}, v))
}

// totpVerify is the second step of signing in: a code from the app (each
// step usable once) or a recovery code (each usable once).
func (s *Server) totpVerify(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	user, ok := s.pendingUser(ctx, sessPendingID)
	if !ok {
		http.Redirect(w, r, urls.SignIn(""), http.StatusSeeOther)
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	recovery := f.raw("mode") == "recovery"
	v := web.TOTPView{Recovery: recovery}
	// Every attempt counts, before the code is checked: parallel guesses
	// cannot outrun the limit.
	if err := s.hit(ctx, totpLimit(user.ID), totpAddrLimit(s.clientIP(r))); err != nil {
		s.signInThrottled(w, r, err)
		return
	}
	field := "code"
	if recovery {
		field = "recovery_code"
	}
	code := f.text(field, 40, true)
	v.Form = web.FormState{Values: f.Values, Problems: f.Problems}
	if f.err() != nil {
		s.renderTOTP(w, r, http.StatusUnauthorized, v)
		return
	}
	err = s.svc.CheckSecondFactor(ctx, s.caller(r), user, service.SecondFactor{Code: code, Recovery: recovery})
	if e := expodesk.ErrorOf(err); e != nil && e.Code == expodesk.EUNAUTHORIZED {
		v.Message = web.T(ctx, e.Message)
		s.renderTOTP(w, r, http.StatusUnauthorized, v)
		return
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.store.RateReset(ctx, totpLimit(user.ID).key); err != nil {
		s.log.WarnContext(ctx, "reset totp counter", "err", err)
	}
	s.completeSignIn(w, r, user)
}

// enrolUser is who is enrolling a second factor: an organizer in the middle
// of their first sign-in, or a signed-in person on their account page.
func (s *Server) enrolUser(r *http.Request) (expodesk.User, bool) {
	if p := principal(r); p != nil {
		return currentUser(r), true
	}
	return s.pendingUser(r.Context(), sessEnrolID)
}

// totpSetupForm shows a new secret as a QR code; it is kept in the session
// until a code from it is confirmed.
func (s *Server) totpSetupForm(w http.ResponseWriter, r *http.Request) {
	user, ok := s.enrolUser(r)
	if !ok {
		http.Redirect(w, r, urls.SignIn(""), http.StatusSeeOther)
		return
	}
	if user.TOTPEnabledAt != nil {
		http.Redirect(w, r, urls.Account(), http.StatusSeeOther)
		return
	}
	secret, url, err := totp.NewSecret("expodesk", user.Email)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.sessions.Put(r.Context(), sessEnrolSecret, secret)
	s.sessions.Put(r.Context(), sessEnrolURL, url)
	s.renderTOTPSetup(w, r, http.StatusOK, user, secret, url, web.TOTPSetupView{})
}

func (s *Server) renderTOTPSetup(w http.ResponseWriter, r *http.Request, status int, user expodesk.User, secret, url string, v web.TOTPSetupView) {
	png, err := totp.QRCodePNG(url, 220)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v.Secret = groupSecret(secret)
	v.QRDataURL = "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
	v.Required = principal(r) == nil && user.Role == expodesk.RoleOrganizer
	v.ConfirmPassword = principal(r) != nil
	v.Action = urls.SignInTOTPSetup()
	if principal(r) != nil {
		v.Action = urls.AccountTOTP()
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, web.TOTPSetupPage(web.Page{Title: web.T(r.Context(), "auth.totp_setup_title")}, v))
}

// groupSecret spaces a base32 secret in fours for typing it by hand.
func groupSecret(secret string) string {
	var b strings.Builder
	for i, c := range secret {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// totpSetup confirms enrolment with a code from the new secret, stores it with
// fresh recovery codes, and shows those codes once.
func (s *Server) totpSetup(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	user, ok := s.enrolUser(r)
	secret := s.sessions.GetString(ctx, sessEnrolSecret)
	if !ok || secret == "" {
		http.Redirect(w, r, urls.SignIn(""), http.StatusSeeOther)
		return
	}
	if user.TOTPEnabledAt != nil {
		http.Redirect(w, r, urls.Account(), http.StatusSeeOther)
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	enrol := service.TOTPEnrolment{Secret: secret, Code: f.text("code", 10, true)}
	signedIn := principal(r) != nil
	if signedIn {
		// From a signed-in session the password confirms it, counted as a guess.
		enrol.CurrentPassword = f.secret("current_password")
		delete(f.Problems, "current_password")
		if err := s.hit(ctx, confirmLimit(user.ID)); err != nil {
			s.renderThrottled(w, r, err)
			return
		}
	}
	delete(f.Problems, "code")
	plain, fresh, err := s.svc.EnableTOTP(ctx, s.caller(r), user, enrol)
	if signedIn {
		s.resetConfirmLimit(r, err)
	}
	if errors.Is(err, expodesk.ErrTOTPAlreadyOn) {
		http.Redirect(w, r, urls.Account(), http.StatusSeeOther)
		return
	}
	if err != nil {
		if !f.absorb(err) {
			s.renderError(w, r, err)
			return
		}
		if _, wrongCode := f.Problems["code"]; wrongCode {
			if err := s.hit(ctx, totpEnrolLimit(user.ID)); err != nil {
				s.renderThrottled(w, r, err)
				return
			}
		}
		s.renderTOTPSetup(w, r, http.StatusUnprocessableEntity, user, secret, s.sessions.GetString(ctx, sessEnrolURL),
			web.TOTPSetupView{Form: web.FormState{Values: f.Values, Problems: f.Problems}})
		return
	}
	s.sessions.Remove(ctx, sessEnrolSecret)
	s.sessions.Remove(ctx, sessEnrolURL)
	// Enabling moved the session version on: sign in afresh with the new one.
	next := urls.Account()
	if !signedIn {
		next = localPath(s.sessions.PopString(ctx, "next"), homeFor(fresh))
		if err := s.svc.RecordSignIn(ctx, s.caller(r), fresh); err != nil {
			s.log.WarnContext(ctx, "record sign-in", "err", err)
		}
		if err := s.issueDeviceCookie(w, r, fresh.Email); err != nil {
			s.log.WarnContext(ctx, "issue device cookie", "err", err)
		}
	}
	if err := s.startSession(ctx, fresh); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.renderRecoveryCodes(w, r, plain, next)
}

func (s *Server) renderRecoveryCodes(w http.ResponseWriter, r *http.Request, codes []string, next string) {
	w.Header().Set("Cache-Control", "no-store")
	// The session may have started in this very request: the header must say so.
	r, err := s.withSessionPrincipal(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.RecoveryCodesPage(web.Page{Title: web.T(r.Context(), "auth.recovery_title")},
		web.RecoveryCodesView{Codes: codes, Continue: next}))
}

// signOut ends the session (and says so in the audit log).
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	s.svc.RecordSignOut(ctx, s.caller(r))
	s.endSession(ctx)
	if err := s.sessions.RenewToken(ctx); err == nil {
		s.flash(ctx, flashSignedOut)
	}
	http.Redirect(w, r, urls.SignIn(""), http.StatusSeeOther)
}
