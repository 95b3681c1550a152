package web

import (
	"expodesk/internal/expodesk"
)

// TeamView is an exhibitor's team page.
type TeamView struct {
	Company expodesk.Exhibitor
	Members []UserItem
	Invite  FormState
	Flash   string
}
