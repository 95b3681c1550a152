package web

import (
	"expodesk/internal/expodesk"
)

// OrganizerHomeView is the organizer area's start page.
type OrganizerHomeView struct {
	Expos       []expodesk.Expo
	Coordinator *expodesk.Pavilion // set for a pavilion coordinator
	PendingMail int
}
