package web

import (
	"time"
)

// AuditView is the audit log with its filters.
type AuditView struct {
	Filter  FormState
	Entries []AuditItem
	Older   string // link to older entries, "" at the end
}

// AuditItem is one audit entry.
type AuditItem struct {
	ID        int64
	At        time.Time
	Actor     string
	Action    string
	Object    string
	Before    string
	After     string
	ClientIP  string
	RequestID string
}
