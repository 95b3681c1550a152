package web

import (
	"context"
	"time"

	"expodesk/internal/expodesk"
)

// ApplyView is an expo's public application form (E5): the form while the
// call is open, or a page saying when it opens or that it closed, or the
// thanks once an application was sent.
type ApplyView struct {
	Expo  expodesk.Expo
	State expodesk.CallState
	// Sent is set after an application went out (the form answers every
	// application alike, a repeated one included).
	Sent      bool
	Sectors   []expodesk.Sector
	Pavilions []Option // the expo's pavilions, "" for none in particular
	Form      FormState
}

// callTime formats an instant of the call in the expo's zone: "1 March
// 2027, 09:00 CET".
func callTime(ctx context.Context, t time.Time, loc *time.Location) string {
	return TD(ctx, "apply.when", map[string]any{"Date": ShortDate(ctx, t.In(loc)), "Time": Clock(t, loc)})
}

// open reports whether the form is shown.
func (v ApplyView) open() bool { return !v.Sent && v.State == expodesk.CallOpen }

// ApplyValues are the first values of an application form: the reader's
// language for the applicant's mail.
func ApplyValues(lang expodesk.Lang) map[string][]string {
	return map[string][]string{"lang": {string(lang)}}
}

// ParticipationView is an organizer's review page of one participation:
// the application and, once approved, what the profile changed since.
type ParticipationView struct {
	Record  expodesk.ApplicationRecord
	Company expodesk.Exhibitor
	Expo    expodesk.Expo
	Diff    []expodesk.FieldChange
}

// diffLabel is the catalog key of a diff row's field name.
func diffLabel(field string) string { return "apply.field_" + field }

// BulkReport is the outcome of a bulk decision with rows that could not move.
type BulkReport struct {
	Decided int
	Skipped []BulkSkip
}

// BulkSkip is one row a bulk decision left as it was: its company (empty
// for one the reader may not see) and the reason.
type BulkSkip struct {
	Name    string
	Message string
}

// InviteManyView is the many-invitation form's state: what was pasted and
// each line's problems.
type InviteManyView struct {
	Form  FormState
	Lines []LineProblem
}

// LineProblem is one pasted line's problem, in the reader's language.
type LineProblem struct {
	Line    int
	Text    string
	Message string
}

func manyDescribedBy(f FormState) string {
	if f.Invalid("lines") {
		return "lines-hint lines-error"
	}
	return "lines-hint"
}
