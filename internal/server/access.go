package server

import (
	"net/http"
	"net/url"

	"expodesk/internal/expodesk"
)

// Access is the rule a route declares: who may call it at all. Rules about
// particular objects (another company's profile) are checked in handlers and
// store queries; this is the first of the two checks.
type Access int

// Access rules, from least to most restricted.
const (
	Public        Access = iota + 1 // anyone, signed in or not
	SignedIn                        // any signed-in user
	ExhibitorOnly                   // a member of an exhibitor's team
	OrganizerOnly                   // any organizer, expo-wide or pavilion coordinator
)

func (a Access) String() string {
	switch a {
	case Public:
		return "public"
	case SignedIn:
		return "signed-in"
	case ExhibitorOnly:
		return "exhibitor"
	case OrganizerOnly:
		return "organizer"
	}
	return "undeclared"
}

// allows reports whether p passes rule a.
func (a Access) allows(p *expodesk.Principal) bool {
	switch a {
	case Public:
		return true
	case SignedIn:
		return p != nil
	case ExhibitorOnly:
		return p.IsExhibitor()
	case OrganizerOnly:
		return p.IsOrganizer()
	}
	return false
}

// require enforces a route's rule: a visitor is sent to sign in, a signed-in
// user without the role gets 403 (and an audit entry).
func (s *Server) require(a Access) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p := principal(r)
			if a.allows(p) {
				if a != Public {
					w.Header().Set("Cache-Control", "no-store")
				}
				next.ServeHTTP(w, r)
				return
			}
			if p == nil {
				if r.Method == http.MethodGet || r.Method == http.MethodHead {
					http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
					return
				}
				s.renderError(w, r, expodesk.Errorf(expodesk.EUNAUTHORIZED, "error.unauthorized"))
				return
			}
			s.authorizationFailed(r, "route", r.URL.Path)
			s.renderError(w, r, expodesk.ErrForbidden)
		})
	}
}
