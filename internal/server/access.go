package server

import (
	"net/http"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

// Access is the rule a route declares: who may call it at all, as a rule
// of the domain's. Rules about particular objects (another company's
// profile) are checked by the service operations and store queries; this
// is the first of the two checks.
type Access struct {
	name  string
	allow func(*expodesk.Principal) bool
}

// Access rules, from least to most restricted.
var (
	Public        = Access{"public", func(*expodesk.Principal) bool { return true }}
	SignedIn      = Access{"signed-in", func(p *expodesk.Principal) bool { return p != nil }}
	ExhibitorOnly = Access{"exhibitor", (*expodesk.Principal).IsExhibitor}
	OrganizerOnly = Access{"organizer", (*expodesk.Principal).IsOrganizer}
	// ExpoManagers may create and change expos (expodesk.CanManageExpos).
	ExpoManagers = Access{"expos", expodesk.CanManageExpos}
	// AuditReaders may read the audit log (expodesk.CanSeeAudit).
	AuditReaders = Access{"audit", expodesk.CanSeeAudit}
	// MailReaders may read the outbox (expodesk.CanReadOutbox).
	MailReaders = Access{"outbox", expodesk.CanReadOutbox}
	// WebhookManagers may manage webhook endpoints (expodesk.CanManageWebhooks).
	WebhookManagers = Access{"webhooks", expodesk.CanManageWebhooks}
)

func (a Access) String() string {
	if a.name == "" {
		return "undeclared"
	}
	return a.name
}

// allows reports whether p passes rule a; an undeclared rule lets nobody in.
func (a Access) allows(p *expodesk.Principal) bool { return a.allow != nil && a.allow(p) }

// require enforces a route's rule: a visitor is sent to sign in, a signed-in
// user without the role gets 403 (and an audit entry).
func (s *Server) require(a Access) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p := principal(r)
			if a.allows(p) {
				if a.name != Public.name {
					w.Header().Set("Cache-Control", "no-store")
				}
				next.ServeHTTP(w, r)
				return
			}
			if p == nil {
				if r.Method == http.MethodGet || r.Method == http.MethodHead {
					http.Redirect(w, r, urls.SignIn(r.URL.RequestURI()), http.StatusSeeOther)
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
