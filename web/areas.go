package web

import (
	"strconv"
	"strings"
	"time"

	"expodesk/internal/expodesk"
)

// UserItem is one person in a user or team list.
type UserItem struct {
	ID         int64
	Email      string
	Name       string
	Role       expodesk.Role
	Company    expodesk.Text
	Pavilion   expodesk.Text
	Pending    bool
	Disabled   bool
	TOTP       bool
	LastSignIn *time.Time
	CanManage  bool // the viewer may disable or enable this account
	IsViewer   bool
}

// Option is a choice in a select.
type Option struct {
	Value string
	Label string
}

// OrganizerHomeView is the organizer area's start page.
type OrganizerHomeView struct {
	Expos       []expodesk.Expo
	Coordinator *expodesk.Pavilion // set for a pavilion coordinator
	PendingMail int
}

// UsersView lists accounts and invites new ones.
type UsersView struct {
	Users      []UserItem
	Invite     FormState
	Kinds      []Option // organizer, coordinator, exhibitor (what the viewer may invite)
	Pavilions  []Option
	Exhibitors []Option
	Flash      string
}

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

// OutboxView lists outgoing mail.
type OutboxView struct {
	Messages []expodesk.MailMessage
	SMTP     bool
}

// OutboxMessageView shows one message as sent (or to be sent).
type OutboxMessageView struct {
	Message expodesk.MailMessage
}

// TeamView is an exhibitor's team page.
type TeamView struct {
	Company expodesk.Exhibitor
	Members []UserItem
	Invite  FormState
	Flash   string
}

// Itoa64 formats an id.
func Itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// userAction is where the organizer's button for an account posts.
func userAction(u UserItem) string {
	if u.Disabled {
		return "/organizer/users/" + Itoa64(u.ID) + "/enable"
	}
	return "/organizer/users/" + Itoa64(u.ID) + "/disable"
}

func isTeamAction(action string) bool { return strings.HasPrefix(action, "/exhibitor/team/") }
