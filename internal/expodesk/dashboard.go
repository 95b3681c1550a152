package expodesk

// The organizer's dashboard (O5): the numbers that matter for one expo, or
// one pavilion of it, each the size of a list an organizer can open.

// PavilionScope narrows an expo's lists and counts to one pavilion
// (PavilionID), to the companies and stages in no pavilion (NoPavilion), or
// to nothing narrower (the zero value).
type PavilionScope struct {
	PavilionID int64
	NoPavilion bool
}

// ProfileGap is what a company's profile lacks for the dashboard's
// "profiles incomplete" and the participation list's filter of the same name.
type ProfileGap string

// Profile gaps. GapAny is a profile with at least one of the others.
const (
	GapAny         ProfileGap = "any"
	GapLogo        ProfileGap = "logo"
	GapChineseName ProfileGap = "name_zh"
	GapDescription ProfileGap = "description"
)

// ProfileGaps are the gaps in the order the dashboard and the filter list them.
var ProfileGaps = []ProfileGap{GapAny, GapLogo, GapChineseName, GapDescription}

// ActiveStatuses are the statuses of a participation still in play, whose
// company's profile matters: a rejected or withdrawn company's gaps do not.
var ActiveStatuses = []ParticipationStatus{StatusInvited, StatusApplied, StatusApproved}

// StatusCount is how many participations of one pavilion (nil: none) are in
// one status.
type StatusCount struct {
	PavilionID *int64
	Status     ParticipationStatus
	Count      int
}

// InvitationCounts are the accounts invited and not yet set up: Pending
// still have a usable invitation link, Expired no longer do (it ran out, or
// was pruned), so someone must invite them again.
type InvitationCounts struct {
	Pending int
	Expired int
}

// ProfileGapCounts are how many companies still in play (ActiveStatuses)
// have each gap in their profile.
type ProfileGapCounts struct {
	Any           int
	NoLogo        int
	NoChineseName int
	NoDescription int
}

// Of returns the count of gap g.
func (c ProfileGapCounts) Of(g ProfileGap) int {
	switch g {
	case GapLogo:
		return c.NoLogo
	case GapChineseName:
		return c.NoChineseName
	case GapDescription:
		return c.NoDescription
	}
	return c.Any
}

// StageSlotCounts are one stage's roadshow slots: booked (an active
// booking), blocked (held back by an organizer, not booked) and free (the
// rest).
type StageSlotCounts struct {
	StageID      int64
	StageName    Text
	PavilionID   *int64
	PavilionSlug string // "" for an expo-wide stage
	Total        int
	Booked       int
	Blocked      int
}

// Free is the number of slots still open for booking.
func (c StageSlotCounts) Free() int { return c.Total - c.Booked - c.Blocked }
