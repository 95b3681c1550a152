package web

import (
	"context"
	"strconv"

	"expodesk/internal/expodesk"
)

// ParticipationsView is an expo's participations for an organizer (O3, O6):
// the filter, the list, and a decision and placement form on each row.
type ParticipationsView struct {
	Expo expodesk.Expo
	Rows []expodesk.ParticipationRow
	// Status, Q, Pavilion ("", "none" or an id) and Incomplete (a profile
	// gap or "") are the filter as applied.
	Status     string
	Q          string
	Pavilion   string
	Incomplete string
	// PavilionFilter are the pavilion filter's choices, for an expo-wide
	// organizer (a coordinator's list is their pavilion's).
	PavilionFilter []Option
	// PavilionOptions are the pavilions a participation may be placed in by
	// this reader (a coordinator: their own only).
	PavilionOptions []Option
	// Edited is the participation whose form came back with problems (0:
	// none), shown with Form: what was typed and each message at its field.
	Edited int64
	Form   FormState
	Flash  string
	// BulkForm is the bulk decision's form as typed; Bulk what the last
	// one did, when some rows could not move.
	BulkForm FormState
	Bulk     *BulkReport
}

// rowForm is the form state of a row: what was typed if it is the row that
// came back with problems, else the participation's own values.
func (v ParticipationsView) rowForm(r expodesk.ParticipationRow) FormState {
	if r.ID == v.Edited && v.Edited != 0 {
		return v.Form
	}
	f := FormState{Values: map[string][]string{"booth": {r.Booth}, "pavilion": {""}}}
	if r.PavilionID != nil {
		f.Values["pavilion"] = []string{strconv.FormatInt(*r.PavilionID, 10)}
	}
	return f
}

// participationStatuses are the statuses of the filter.
func participationStatuses() []expodesk.ParticipationStatus { return expodesk.ParticipationStatuses }

// canReject reports whether a row's decision form offers a rejection (and so a reason).
func canReject(s expodesk.ParticipationStatus) bool {
	return expodesk.CanTransition(s, expodesk.StatusRejected)
}

// companyName is a row's company name in the reader's language, else its legal name.
func companyName(ctx context.Context, r expodesk.ParticipationRow) string {
	if n := In(ctx, r.Name); n != "" {
		return n
	}
	return r.LegalName
}

// fieldID is the id of a row's field: every row has its own forms.
func fieldID(name string, id int64) string { return name + "-" + strconv.FormatInt(id, 10) }

func itoaInt(n int) string { return strconv.Itoa(n) }

// statusOptions are the statuses a participation in status from may move to.
func statusOptions(ctx context.Context, from expodesk.ParticipationStatus) []Option {
	var out []Option
	for _, s := range expodesk.Transitions(from) {
		out = append(out, Option{Value: string(s), Label: statusLabel(ctx, s)})
	}
	return out
}

// statusKeys are the catalog keys of the statuses' names.
var statusKeys = map[expodesk.ParticipationStatus]string{
	expodesk.StatusInvited:   "participations.status_invited",
	expodesk.StatusApplied:   "participations.status_applied",
	expodesk.StatusApproved:  "participations.status_approved",
	expodesk.StatusRejected:  "participations.status_rejected",
	expodesk.StatusWithdrawn: "participations.status_withdrawn",
}

// statusLabel is a status's name in the reader's language.
func statusLabel(ctx context.Context, s expodesk.ParticipationStatus) string {
	return T(ctx, statusKeys[s])
}

// gapKeys are the catalog keys of the profile gaps' names.
var gapKeys = map[expodesk.ProfileGap]string{
	expodesk.GapAny:         "dashboard.gap_any",
	expodesk.GapLogo:        "dashboard.gap_logo",
	expodesk.GapChineseName: "dashboard.gap_name_zh",
	expodesk.GapDescription: "dashboard.gap_description",
}

// gapLabel is a profile gap's name in the reader's language.
func gapLabel(ctx context.Context, g expodesk.ProfileGap) string { return T(ctx, gapKeys[g]) }

// profileGaps are the profile filter's gaps.
func profileGaps() []expodesk.ProfileGap { return expodesk.ProfileGaps }
