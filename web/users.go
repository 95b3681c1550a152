package web

import (
	"strconv"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
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

// UsersView lists accounts and invites new ones.
type UsersView struct {
	Users      []UserItem
	Invite     FormState
	Kinds      []Option // organizer, coordinator, exhibitor (what the viewer may invite)
	Pavilions  []Option
	Exhibitors []Option
	Flash      string
	// Many is the form that invites several exhibitor contacts at once.
	Many InviteManyView
}

// Itoa64 formats an id.
func Itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// rowAction is the button of a row in a list of people: where it posts and
// the catalog key of its label.
type rowAction struct {
	URL, Label string
}

// userAction is the organizer's button for an account: enable or disable.
func userAction(u UserItem) rowAction {
	if u.Disabled {
		return rowAction{URL: urls.OrganizerUserEnable(u.ID), Label: "users.enable"}
	}
	return rowAction{URL: urls.OrganizerUserDisable(u.ID), Label: "users.disable"}
}
