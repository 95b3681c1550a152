package expodesk

import "time"

// AuditEntry records who changed what and when.
type AuditEntry struct {
	ID          int64
	At          time.Time
	ActorID     *int64
	ActorLabel  string
	Action      string // "<object>.<verb>", e.g. "exhibitor.update"
	ObjectType  string
	ObjectID    string
	ExpoID      *int64
	PavilionID  *int64
	ExhibitorID *int64
	Before      any
	After       any
	ClientIP    string
	RequestID   string
}
