package server

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"expodesk/internal/expodesk"
	"expodesk/internal/postgres"
	"expodesk/web"
)

// Session keys.
const (
	sessUserID      = "user_id"         // fully signed in
	sessVersion     = "session_version" // app_user.session_version at sign-in
	sessPendingID   = "pending_user_id" // password checked, second factor awaited
	sessEnrolID     = "enrol_user_id"   // organizer who must enrol TOTP before anything else
	sessPendingAt   = "pending_at"
	sessEnrolSecret = "enrol_secret" // TOTP secret shown for enrolment, not yet confirmed
	sessEnrolURL    = "enrol_url"    // its otpauth:// URL, for the QR code
	sessFlash       = "flash"        // catalog key of a one-time message
)

// pendingTTL bounds how long the second step of a sign-in may wait.
const pendingTTL = 10 * time.Minute

// sessionCookieName is the session cookie's name. Over TLS it carries the
// __Host- prefix: browsers then accept it only when Secure, for Path=/ and
// without Domain, so neither a sibling subdomain nor a plain-HTTP response
// can plant or overwrite it (session fixation from next door). Without TLS
// the prefix would make browsers drop the cookie, so the plain name stays.
func sessionCookieName(secure bool) string {
	if secure {
		return "__Host-expodesk_session"
	}
	return "expodesk_session"
}

// newSessions configures scs over PostgreSQL: sessions survive restarts and
// are shared by every instance. Tokens are stored hashed. A session that
// cannot be loaded or saved (the database away) is answered by the one
// error path, fail.
func newSessions(pool *pgxpool.Pool, cfg Config, fail func(http.ResponseWriter, *http.Request, error)) *scs.SessionManager {
	sm := scs.New()
	sm.ErrorFunc = fail
	// Expired rows are deleted by the server's janitor, not a goroutine per manager.
	sm.Store = pgxstore.NewWithCleanupInterval(pool, 0)
	sm.HashTokenInStore = true
	sm.Lifetime = cfg.SessionLifetime
	sm.IdleTimeout = cfg.SessionIdleTimeout
	sm.Cookie.Name = sessionCookieName(cfg.SecureCookies)
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.SecureCookies
	sm.Cookie.Path = "/"  // required by __Host-
	sm.Cookie.Domain = "" // required by __Host-: the cookie is the host's alone
	// A browser session cookie: closing the browser signs out as well.
	sm.Cookie.Persist = false
	return sm
}

// sessionError answers a request whose session could not be loaded, as a
// page or, under the API, a problem. A session that could not be saved
// (scs saves it as the handler starts its answer) is only noted: the
// handler's own answer goes out, since what it did is done, without the
// session's changes.
func (s *Server) sessionError(w http.ResponseWriter, r *http.Request, err error) {
	err = fmt.Errorf("session: %w", err)
	if n, ok := r.Context().Value(requestNoteKey{}).(*requestNote); ok && n.sessionLoaded {
		if postgres.IsUnavailable(err) {
			noteUnavailable(r.Context(), err)
		} else {
			s.log.ErrorContext(r.Context(), "session not saved", "err", err)
		}
		return
	}
	if isAPI(r.URL.Path) {
		s.apiError(w, r, err)
		return
	}
	s.renderError(w, r, err)
}

// authenticate turns the session into a principal: a signed-in, enabled user
// whose session version is current. Anything else is a visitor, and a stale
// session is destroyed.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// It runs just inside the session middleware: from here on a
		// session error is one of saving (sessionError).
		if n, ok := r.Context().Value(requestNoteKey{}).(*requestNote); ok {
			n.sessionLoaded = true
		}
		r, err := s.withSessionPrincipal(r)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// withSessionPrincipal returns r carrying the principal of its session as
// the session is now. The middleware calls it before the handler; a handler
// that starts a session and renders a page in the same request (the
// recovery codes after enrolling TOTP at first sign-in) calls it again, so
// that the page's header shows the person signed in rather than "Sign in".
func (s *Server) withSessionPrincipal(r *http.Request) (*http.Request, error) {
	ctx := r.Context()
	id := s.sessions.GetInt64(ctx, sessUserID)
	if id == 0 {
		return r, nil
	}
	user, p, err := s.store.UserPrincipal(ctx, id)
	switch {
	case expodesk.ErrorCode(err) == expodesk.ENOTFOUND:
		s.endSession(ctx)
		return r, nil
	case err != nil:
		return r, err
	case user.SessionVersion != s.sessions.GetInt(ctx, sessVersion):
		s.endSession(ctx)
		return r, nil
	}
	ctx = context.WithValue(ctx, principalKey{}, p)
	ctx = context.WithValue(ctx, userKey{}, user)
	if req, ok := web.RequestOf(ctx); ok {
		// Pages read the principal from web.Request, set by the language
		// middleware from an earlier context.
		req.Principal = p
		ctx = web.WithRequest(ctx, req)
	}
	return r.WithContext(ctx), nil
}

type userKey struct{}

// currentUser returns the signed-in user (zero User for a visitor).
func currentUser(r *http.Request) expodesk.User {
	u, _ := r.Context().Value(userKey{}).(expodesk.User)
	return u
}

// endSession forgets who the session belonged to.
func (s *Server) endSession(ctx context.Context) {
	if err := s.sessions.Destroy(ctx); err != nil {
		s.log.WarnContext(ctx, "destroy session", "err", err)
	}
}

// startSession signs a user in: a new session token (so a token planted
// before sign-in is useless), the user id and the current session version.
func (s *Server) startSession(ctx context.Context, u expodesk.User) error {
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	for _, k := range []string{sessPendingID, sessPendingAt, sessEnrolID, sessEnrolSecret, sessEnrolURL} {
		s.sessions.Remove(ctx, k)
	}
	s.sessions.Put(ctx, sessUserID, u.ID)
	s.sessions.Put(ctx, sessVersion, u.SessionVersion)
	return nil
}

// flash sets a message shown once on the next page.
func (s *Server) flash(ctx context.Context, key flashKey) {
	s.sessions.Put(ctx, sessFlash, string(key))
}

// popFlash returns the pending message in the request's language, once.
func (s *Server) popFlash(r *http.Request) string {
	key := s.sessions.PopString(r.Context(), sessFlash)
	if key == "" {
		return ""
	}
	return web.T(r.Context(), key)
}

// csrf refuses unsafe cross-origin requests with Go's CrossOriginProtection
// (Sec-Fetch-Site, then Origin against Host), answering with the 403 page.
func (s *Server) csrf(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.log.WarnContext(r.Context(), "cross-origin request refused", "method", r.Method,
			"sec_fetch_site", r.Header.Get("Sec-Fetch-Site"), "origin", r.Header.Get("Origin"))
		s.renderError(w, r, expodesk.Errorf(expodesk.EFORBIDDEN, "error.cross_origin"))
	}))
	return cop.Handler(next)
}
