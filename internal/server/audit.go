package server

import (
	"context"
	"net/http"
	"strconv"

	"expodesk/internal/expodesk"
	"expodesk/internal/postgres"
)

// auditScope ties an entry to the part of an expo it concerns, so that a
// pavilion coordinator's audit page shows their part of the log.
type auditScope struct {
	ExpoID      *int64
	PavilionID  *int64
	ExhibitorID *int64
}

// audit appends an entry for the request's actor. Pass the transaction's
// store so that the entry commits with the change. before and after are
// marshalled as JSON; they must never hold a password, hash, token or secret.
func (s *Server) audit(ctx context.Context, st *postgres.Store, r *http.Request, action, objectType string, objectID int64,
	scope auditScope, before, after any) error {
	e := expodesk.AuditEntry{
		Action: action, ObjectType: objectType, Before: before, After: after,
		ExpoID: scope.ExpoID, PavilionID: scope.PavilionID, ExhibitorID: scope.ExhibitorID,
		ClientIP: s.clientIP(r), RequestID: RequestID(ctx),
	}
	if objectID != 0 {
		e.ObjectID = strconv.FormatInt(objectID, 10)
	}
	if p := principal(r); p != nil {
		e.ActorID, e.ActorLabel = &p.UserID, p.Email
	}
	return st.AuditAdd(ctx, e)
}

// auditAs is audit for an actor who is not (yet) the request's principal: a
// sign-in, an accepted invitation.
func (s *Server) auditAs(ctx context.Context, r *http.Request, actor *expodesk.User, label, action string) {
	e := expodesk.AuditEntry{Action: action, ObjectType: "user", ClientIP: s.clientIP(r), RequestID: RequestID(ctx), ActorLabel: label}
	if actor != nil {
		e.ActorID, e.ActorLabel = &actor.ID, actor.Email
		e.ObjectID = strconv.FormatInt(actor.ID, 10)
		e.ExhibitorID = actor.ExhibitorID
		e.PavilionID = actor.PavilionID
	}
	if err := s.store.AuditAdd(ctx, e); err != nil {
		s.log.ErrorContext(ctx, "audit", "action", action, "err", err)
	}
}

// userAudit is what the audit log records of a user: never the hash or secrets.
func userAudit(u expodesk.User) map[string]any {
	return map[string]any{
		"email": u.Email, "family_name": u.FamilyName, "given_name": u.GivenName, "lang": u.Lang,
		"role": u.Role, "pavilion_id": u.PavilionID, "exhibitor_id": u.ExhibitorID,
		"disabled": u.DisabledAt != nil, "totp": u.TOTPEnabledAt != nil,
	}
}
