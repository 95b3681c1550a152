package web

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

// DashboardView is an expo's dashboard for an organizer (O5), of the whole
// expo or one pavilion (a coordinator's: their own).
type DashboardView struct {
	Expo     expodesk.Expo
	Scope    expodesk.PavilionScope
	Pavilion *expodesk.Pavilion // the pavilion in scope, if one
	// Coordinator is set for a pavilion coordinator, who sees their
	// pavilion only and so gets no choice of scope.
	Coordinator bool
	// Pavilions are the expo's pavilions, for an expo-wide organizer's
	// choice of scope.
	Pavilions   []expodesk.Pavilion
	Rows        []StatusRow // a row per pavilion in scope, then the companies in no pavilion
	Total       StatusRow
	Invitations expodesk.InvitationCounts
	Gaps        expodesk.ProfileGapCounts
	Stages      []expodesk.StageSlotCounts
	// Delegations are the delegations' figures (O4): by status, letters
	// pending and their meetings by status.
	Delegations DashboardDelegations
}

// StatusRow is one pavilion's participations by status (PavilionID nil: the
// companies in no pavilion, or the total).
type StatusRow struct {
	PavilionID *int64
	Name       expodesk.Text
	Counts     map[expodesk.ParticipationStatus]int
	Total      int
}

// statusColors are the statuses' colours in charts, told apart by hue and
// lightness, each with at least 3:1 contrast on white.
var statusColors = map[expodesk.ParticipationStatus]string{
	expodesk.StatusInvited:   "#B35C00",
	expodesk.StatusApplied:   "#0072B2",
	expodesk.StatusApproved:  "#007A5A",
	expodesk.StatusRejected:  "#8E44AD",
	expodesk.StatusWithdrawn: "#767676",
}

// Slot colours in charts: booked, free, blocked.
const (
	slotBookedColor  = "#0B5CAD"
	slotFreeColor    = "#007A5A"
	slotBlockedColor = "#767676"
)

// scopeQuery is the pavilion filter of the dashboard's scope, for its links.
func (v DashboardView) scopeQuery() url.Values {
	q := url.Values{}
	switch {
	case v.Scope.PavilionID != 0:
		q.Set("pavilion", strconv.FormatInt(v.Scope.PavilionID, 10))
	case v.Scope.NoPavilion:
		q.Set("pavilion", "none")
	}
	return q
}

// rowQuery is the pavilion filter of row r: its pavilion, no pavilion, or
// for the total the dashboard's scope.
func (v DashboardView) rowQuery(r StatusRow, total bool) url.Values {
	if total {
		return v.scopeQuery()
	}
	q := url.Values{}
	if r.PavilionID != nil {
		q.Set("pavilion", strconv.FormatInt(*r.PavilionID, 10))
	} else {
		q.Set("pavilion", "none")
	}
	return q
}

// statusHref is the list of row r's participations in status s ("": any).
func (v DashboardView) statusHref(r StatusRow, total bool, s expodesk.ParticipationStatus) string {
	q := v.rowQuery(r, total)
	if s != "" {
		q.Set("status", string(s))
	}
	return urls.OrganizerParticipations(v.Expo.Slug, q)
}

// gapHref is the list of the companies in scope whose profile has gap g.
func (v DashboardView) gapHref(g expodesk.ProfileGap) string {
	q := v.scopeQuery()
	q.Set("incomplete", string(g))
	return urls.OrganizerParticipations(v.Expo.Slug, q)
}

// pavilionHref is the dashboard of one pavilion ("": the whole expo, "none": no pavilion).
func (v DashboardView) pavilionHref(pavilion string) string {
	q := url.Values{}
	if pavilion != "" {
		q.Set("pavilion", pavilion)
	}
	return urls.OrganizerDashboard(v.Expo.Slug, q)
}

// stageHref is the public agenda a stage's slots are on.
func (v DashboardView) stageHref(st expodesk.StageSlotCounts) string {
	if st.PavilionSlug != "" {
		return urls.PavilionAgenda(v.Expo.Slug, st.PavilionSlug)
	}
	return urls.ExpoAgenda(v.Expo.Slug)
}

// agendaHref is the public agenda of the scope's slots: a pavilion's, or the expo's.
func (v DashboardView) agendaHref() string {
	if v.Pavilion != nil {
		return urls.PavilionAgenda(v.Expo.Slug, v.Pavilion.Slug)
	}
	return urls.ExpoAgenda(v.Expo.Slug)
}

// slotTotals sums the slots of every stage in scope.
func (v DashboardView) slotTotals() expodesk.StageSlotCounts {
	var t expodesk.StageSlotCounts
	for _, st := range v.Stages {
		t.Total += st.Total
		t.Booked += st.Booked
		t.Blocked += st.Blocked
	}
	return t
}

// rowName is a status row's pavilion name, or "No pavilion".
func rowName(ctx context.Context, r StatusRow) string {
	if r.PavilionID == nil {
		return T(ctx, "participations.no_pavilion")
	}
	return In(ctx, r.Name)
}

// rowLang is the language of a status row's name, for its lang attribute.
func rowLang(ctx context.Context, r StatusRow) string {
	if r.PavilionID == nil {
		return htmlLang(Lang(ctx))
	}
	return LangOf(ctx, r.Name)
}

// statusChart draws the rows' statuses as stacked bars, described in words.
func (v DashboardView) statusChart(ctx context.Context) BarChart {
	c := BarChart{ID: "status-chart", Title: T(ctx, "dashboard.status_chart")}
	for _, s := range expodesk.ParticipationStatuses {
		c.Series = append(c.Series, ChartSeries{Label: statusLabel(ctx, s), Color: statusColors[s]})
	}
	var desc []string
	for _, r := range v.Rows {
		b := ChartBar{Label: rowName(ctx, r), Lang: rowLang(ctx, r)}
		var parts []string
		for _, s := range expodesk.ParticipationStatuses {
			b.Values = append(b.Values, r.Counts[s])
			if n := r.Counts[s]; n > 0 {
				parts = append(parts, TD(ctx, "dashboard.count_of", map[string]any{"Count": n, "What": statusLabel(ctx, s)}))
			}
		}
		c.Bars = append(c.Bars, b)
		if len(parts) == 0 {
			parts = append(parts, T(ctx, "dashboard.none"))
		}
		desc = append(desc, b.Label+": "+strings.Join(parts, ", "))
	}
	c.Desc = strings.Join(desc, "; ")
	return c
}

// slotChart draws each stage's slots as booked, free and blocked.
func (v DashboardView) slotChart(ctx context.Context) BarChart {
	c := BarChart{ID: "slot-chart", Title: T(ctx, "dashboard.slot_chart"), Series: []ChartSeries{
		{Label: T(ctx, "dashboard.slots_booked"), Color: slotBookedColor},
		{Label: T(ctx, "dashboard.slots_free"), Color: slotFreeColor},
		{Label: T(ctx, "dashboard.slots_blocked"), Color: slotBlockedColor},
	}}
	var desc []string
	for _, st := range v.Stages {
		name := In(ctx, st.StageName)
		c.Bars = append(c.Bars, ChartBar{Label: name, Lang: LangOf(ctx, st.StageName),
			Values: []int{st.Booked, st.Free(), st.Blocked}})
		desc = append(desc, TD(ctx, "dashboard.slot_desc", map[string]any{"Stage": name,
			"Booked": st.Booked, "Free": st.Free(), "Blocked": st.Blocked}))
	}
	c.Desc = strings.Join(desc, "; ")
	return c
}

// dashboardStatuses are the statuses of the table's columns.
func dashboardStatuses() []expodesk.ParticipationStatus { return expodesk.ParticipationStatuses }

// pavilionValue is a pavilion's id as the scope filter takes it.
func pavilionValue(id int64) string { return strconv.FormatInt(id, 10) }

// scopeIs reports whether the dashboard's scope is the one a link names.
func (v DashboardView) scopeIs(pavilion string) bool {
	switch pavilion {
	case "":
		return v.Scope == expodesk.PavilionScope{}
	case "none":
		return v.Scope.NoPavilion
	}
	return pavilionValue(v.Scope.PavilionID) == pavilion
}

// ariaCurrent marks the link to the page one is on.
func ariaCurrent(on bool) templ.Attributes {
	if on {
		return templ.Attributes{"aria-current": "page"}
	}
	return templ.Attributes{}
}
