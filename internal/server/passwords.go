package server

import (
	"net/http"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/service"
	"expodesk/internal/urls"
	"expodesk/web"
)

// forgotAnswerDelay is how long after the request a forgotten-password
// answer goes out, whether the address has an account or not: well above
// what the work for a known address takes.
const forgotAnswerDelay = 300 * time.Millisecond

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
	// Past the per-account limit the answer is still "sent": saying otherwise
	// would tell. So would the time a known address takes (a token, a mail,
	// an audit entry) against an unknown one (one lookup): every answer
	// waits until the same moment after the request came in.
	answerAt := time.Now().Add(forgotAnswerDelay)
	if s.hit(ctx, resetAccountLimit(email)) == nil {
		if err := s.svc.RequestPasswordReset(ctx, s.caller(r), email); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	select {
	case <-time.After(time.Until(answerAt)):
	case <-ctx.Done():
		return
	}
	s.renderForgot(w, r, http.StatusOK, web.ForgotView{Sent: true})
}

// tokenUser resolves the token in the URL to its user, or answers 410.
func (s *Server) tokenUser(w http.ResponseWriter, r *http.Request, kind expodesk.TokenKind) (string, expodesk.User, bool) {
	tok := chi.URLParam(r, "token")
	if err := s.hit(r.Context(), tokenAddrLimit(s.clientIP(r))); err != nil {
		s.renderThrottled(w, r, err)
		return "", expodesk.User{}, false
	}
	u, err := s.svc.PeekToken(r.Context(), kind, tok)
	if err != nil {
		s.renderError(w, r, err)
		return "", expodesk.User{}, false
	}
	return tok, u, true
}

func (s *Server) resetForm(w http.ResponseWriter, r *http.Request) {
	tok, u, ok := s.tokenUser(w, r, expodesk.TokenPasswordReset)
	if !ok {
		return
	}
	s.renderReset(w, r, http.StatusOK, web.ResetView{Token: tok, Email: u.Email})
}

func (s *Server) renderReset(w http.ResponseWriter, r *http.Request, status int, v web.ResetView) {
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, web.ResetPage(web.Page{Title: web.T(r.Context(), "auth.reset_title")}, v))
}

// readNewPassword reads a new password and its confirmation.
func readNewPassword(f *form) service.NewPassword {
	return service.NewPassword{Password: f.secret("password"), Confirm: f.raw("password_confirm")}
}

// reset spends the token and sets the password; every session of the user
// ends, and they sign in again (through their second factor, if any).
func (s *Server) reset(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	tok, u, ok := s.tokenUser(w, r, expodesk.TokenPasswordReset)
	if !ok {
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	n := readNewPassword(f)
	if f.err() == nil {
		_, err = s.svc.ResetPassword(ctx, s.caller(r), tok, n)
	}
	if err == nil && f.err() == nil {
		s.endSession(ctx)
	}
	w.Header().Set("Cache-Control", "no-store")
	s.finish(w, r, submission{f: f, err: err, done: urls.SignIn(""), flash: flashPasswordReset,
		page: func(fs web.FormState) (templ.Component, error) {
			return web.ResetPage(web.Page{Title: web.T(ctx, "auth.reset_title")}, web.ResetView{Token: tok, Email: u.Email, Form: fs}), nil
		}})
}
