package web

import (
	"expodesk/internal/expodesk"
)

// TeamView is an exhibitor's team page.
type TeamView struct {
	Company expodesk.Exhibitor
	Members []UserItem
	// Invitations are the open ones, whether or not they made an account.
	Invitations []expodesk.TeamInvitation
	Invite      FormState
	Flash       string
}
