package expodesk

import (
	"strings"
	"unicode/utf8"
)

// Audit actions of participations (O3, O6).
const (
	ActionParticipationStatus AuditAction = "participation.set_status"
	ActionParticipationPlace  AuditAction = "participation.place"
)

// ErrBoothTaken: another approved participation of the expo has this booth
// (the participation_booth index).
var ErrBoothTaken = &Error{Code: ECONFLICT, Message: "participations.booth_taken", Field: "booth",
	Data: map[string]any{"Constraint": "participation_booth"}}

// participationTransitions are the decisions an organizer may take from
// each status: an invitation or application is approved or rejected; an
// approved company may withdraw. Rejected and withdrawn are final here.
var participationTransitions = map[ParticipationStatus][]ParticipationStatus{
	StatusInvited:  {StatusApproved, StatusRejected},
	StatusApplied:  {StatusApproved, StatusRejected},
	StatusApproved: {StatusWithdrawn},
}

// CanTransition reports whether an organizer may move a participation from
// one status to another.
func CanTransition(from, to ParticipationStatus) bool {
	for _, s := range participationTransitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Transitions lists the statuses a participation in status from may move to.
func Transitions(from ParticipationStatus) []ParticipationStatus {
	return participationTransitions[from]
}

// MaxBoothLen is the longest booth code the database keeps.
const MaxBoothLen = 20

// MaxReasonLen is the longest reason for a rejection.
const MaxReasonLen = 1000

// CleanBooth trims a booth code; booth codes compare as typed otherwise.
func CleanBooth(s string) string { return strings.TrimSpace(s) }

// ValidateBooth checks a booth code's length.
func ValidateBooth(p Problems, booth string) {
	if utf8.RuneCountInString(booth) > MaxBoothLen {
		p.Add("booth", "validation.too_long", map[string]any{"Max": MaxBoothLen})
	}
}

// ParticipationFilter selects the participations of one expo for the
// organizer's list.
type ParticipationFilter struct {
	ExpoID int64
	// PavilionID limits the list to one pavilion (a coordinator's, or the
	// one an organizer chose); 0 for all.
	PavilionID int64
	// NoPavilion limits the list to participations in no pavilion.
	NoPavilion bool
	Status     ParticipationStatus // "" for every status
	Text       string              // words that must occur in a company's names
	// Incomplete limits the list to companies still in play
	// (ActiveStatuses) whose profile has this gap; "" for any profile.
	Incomplete ProfileGap
}

// ParticipationRow is a participation as the organizer's list shows it.
type ParticipationRow struct {
	Participation
	ExhibitorSlug string
	LegalName     string
	Name          Text
	PavilionName  Text // empty when in no pavilion
}
