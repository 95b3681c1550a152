package web

import (
	"context"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

// The fair draw's pages (issue 9, item 5).

// DrawScope is one booking scope's draw as a page shows it: the expo's own
// (Pavilion nil) or a pavilion's.
type DrawScope struct {
	Pavilion *expodesk.Pavilion
	// Draw is nil while the scope has none set up.
	Draw *expodesk.Draw
	// Entries are the results in draw order, once run.
	Entries []expodesk.DrawEntryRecord
}

// Heading is the scope's section heading.
func (s DrawScope) Heading(ctx context.Context) string {
	if s.Pavilion == nil {
		return T(ctx, "draw.scope_expo")
	}
	return TD(ctx, "draw.scope_pavilion", map[string]any{"Pavilion": In(ctx, s.Pavilion.Name)})
}

// ID is the scope's id on a page.
func (s DrawScope) ID() string {
	if s.Pavilion == nil {
		return "draw-expo"
	}
	return "draw-pavilion-" + itoa64(s.Pavilion.ID)
}

// OrganizerDrawScope is a scope's section of the organizer's draw page.
type OrganizerDrawScope struct {
	DrawScope
	// Form is the settings form (fields prefixed for a pavilion).
	Form   FormState
	Prefix string
	// Rankings is how many companies have ranked slots.
	Rankings int
	// NeedsRules: a pavilion without rules of its own follows the expo's draw.
	NeedsRules bool
}

// OrganizerDrawView is an expo's draw page for its organizers.
type OrganizerDrawView struct {
	Expo   expodesk.Expo
	Scopes []OrganizerDrawScope
	Now    time.Time
	Flash  string
	Notice string
}

// ExhibitorDrawScope is a scope's section of a company's draw page.
type ExhibitorDrawScope struct {
	DrawScope
	Prefix string
	// Days are the slots it may rank, by day and stage.
	Days []FreeDay
	Form FormState
	// Request is the company's ranking, if it has one.
	Request *expodesk.DrawRequest
	// Mine is the company's result, once the draw has run (nil: it took no part).
	Mine *expodesk.DrawEntryRecord
}

// ExhibitorDrawView is a company's page of an expo's draws.
type ExhibitorDrawView struct {
	Expo     expodesk.Expo
	Approved bool
	Scopes   []ExhibitorDrawScope
	Now      time.Time
	Flash    string
	Notice   string
}

// PublicDrawView is an expo's public draw page.
type PublicDrawView struct {
	Expo   expodesk.Expo
	Scopes []DrawScope
}

// DrawChoiceText says what happened to a ranked choice, times in loc.
func DrawChoiceText(ctx context.Context, c expodesk.DrawChoiceRecord, loc *time.Location) string {
	switch c.Outcome {
	case expodesk.DrawWon:
		return T(ctx, "draw.outcome_won")
	case expodesk.DrawTaken:
		return TD(ctx, "draw.outcome_taken", map[string]any{"Position": c.ByPosition})
	case expodesk.DrawQuota:
		return T(ctx, "draw.outcome_quota")
	case expodesk.DrawOverlap:
		return TD(ctx, "draw.outcome_overlap", map[string]any{"Time": Clock(c.OverlapsAt, loc)})
	}
	return T(ctx, "draw.outcome_unavailable")
}

// drawSlotLabel names a slot in a choice list: "09:00–09:30, Main stage".
func drawSlotLabel(ctx context.Context, sl expodesk.FreeSlot, loc *time.Location) string {
	return ClockRange(sl.StartsAt, sl.EndsAt, loc) + " · " + In(ctx, sl.StageName)
}

// drawRanks are the ranks of a draw's form, 1..MaxChoices.
func drawRanks(d *expodesk.Draw) []int {
	var out []int
	for i := 1; d != nil && i <= d.MaxChoices; i++ {
		out = append(out, i)
	}
	return out
}

// companyAt is the company at a draw position, for "taken by #3 (Company)".
func companyAt(entries []expodesk.DrawEntryRecord, position int) expodesk.Text {
	for _, e := range entries {
		if e.Position == position {
			return e.Company
		}
	}
	return expodesk.Text{}
}

func drawSettingsAction(e expodesk.Expo, s DrawScope) string {
	if s.Pavilion == nil {
		return urls.OrganizerDraw(e.Slug)
	}
	return urls.OrganizerPavilionDraw(e.Slug, s.Pavilion.ID)
}

func drawRunAction(e expodesk.Expo, s DrawScope) string {
	if s.Pavilion == nil {
		return urls.OrganizerDrawRun(e.Slug)
	}
	return urls.OrganizerPavilionDrawRun(e.Slug, s.Pavilion.ID)
}

func drawDeleteAction(e expodesk.Expo, s DrawScope) string {
	if s.Pavilion == nil {
		return urls.OrganizerDrawDelete(e.Slug)
	}
	return urls.OrganizerPavilionDrawDelete(e.Slug, s.Pavilion.ID)
}
