package server

import (
	"context"
	"net/http"
	"strconv"

	"expodesk/internal/expodesk"
	"expodesk/web"
)

// An expo's dashboard for organizers (O5, O6): participations by pavilion
// and status, invitations waiting, profiles incomplete and roadshow slots,
// each number linking to the list it counts. A coordinator sees their
// pavilion's numbers only.

// pavilionScope reads the pavilion filter of expo e's organizer pages: ""
// for all of the reader's part of the expo, "none" for what is in no
// pavilion, or a pavilion's id. A coordinator's part is their pavilion: ""
// means it, and any other pavilion, no pavilion or another expo is not
// found, as is a pavilion that is not e's. The pavilion in scope is
// returned when there is one.
func (s *Server) pavilionScope(ctx context.Context, p *expodesk.Principal, e expodesk.Expo, raw string) (expodesk.PavilionScope, *expodesk.Pavilion, error) {
	var sc expodesk.PavilionScope
	if !p.IsExpoOrganizer() {
		if p.ExpoID != e.ID {
			return sc, nil, expodesk.ErrNotFound
		}
		if raw == "" {
			raw = itoa(p.PavilionID)
		}
	}
	switch raw {
	case "":
		return sc, nil, nil
	case "none":
		if !p.IsExpoOrganizer() {
			return sc, nil, expodesk.ErrNotFound
		}
		sc.NoPavilion = true
		return sc, nil, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || !expodesk.CanManagePavilion(p, id) {
		return sc, nil, expodesk.ErrNotFound
	}
	pv, err := s.store.PavilionGetByID(ctx, id)
	if err != nil {
		return sc, nil, err
	}
	if pv.ExpoID != e.ID {
		return sc, nil, expodesk.ErrNotFound
	}
	sc.PavilionID = pv.ID
	return sc, &pv, nil
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, err := s.urlExpo(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := principal(r)
	sc, pv, err := s.pavilionScope(ctx, p, e, r.URL.Query().Get("pavilion"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v, err := s.dashboardView(ctx, p, e, sc, pv)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.DashboardPage(web.Page{Title: web.T(ctx, "dashboard.title")}, v))
}

// dashboardView counts what the dashboard of expo e shows in scope sc, one
// query per block.
func (s *Server) dashboardView(ctx context.Context, p *expodesk.Principal, e expodesk.Expo, sc expodesk.PavilionScope, pv *expodesk.Pavilion) (web.DashboardView, error) {
	v := web.DashboardView{Expo: e, Scope: sc, Pavilion: pv, Coordinator: !p.IsExpoOrganizer()}
	pavilions, err := s.store.PavilionList(ctx, e.ID)
	if err != nil {
		return v, err
	}
	if !v.Coordinator {
		v.Pavilions = pavilions
	}
	counts, err := s.store.DashboardStatuses(ctx, e.ID, sc)
	if err != nil {
		return v, err
	}
	v.Rows, v.Total = statusRows(pavilions, sc, counts)
	if v.Invitations, err = s.store.DashboardInvitations(ctx, e.ID, sc); err != nil {
		return v, err
	}
	if v.Gaps, err = s.store.DashboardProfileGaps(ctx, e.ID, sc); err != nil {
		return v, err
	}
	if v.Stages, err = s.store.DashboardSlots(ctx, e.ID, sc); err != nil {
		return v, err
	}
	if v.Delegations, err = s.dashboardDelegations(ctx, e.ID, sc); err != nil {
		return v, err
	}
	return v, nil
}

// statusRows arranges the counts as one row per pavilion in scope, in the
// expo's order, then the companies in no pavilion, with the total of all.
func statusRows(pavilions []expodesk.Pavilion, sc expodesk.PavilionScope, counts []expodesk.StatusCount) ([]web.StatusRow, web.StatusRow) {
	var rows []web.StatusRow
	at := map[int64]int{}
	if !sc.NoPavilion {
		for _, pv := range pavilions {
			if sc.PavilionID == 0 || sc.PavilionID == pv.ID {
				id := pv.ID
				at[id] = len(rows)
				rows = append(rows, web.StatusRow{PavilionID: &id, Name: pv.Name, Counts: map[expodesk.ParticipationStatus]int{}})
			}
		}
	}
	if sc.PavilionID == 0 {
		at[0] = len(rows)
		rows = append(rows, web.StatusRow{Counts: map[expodesk.ParticipationStatus]int{}})
	}
	total := web.StatusRow{Counts: map[expodesk.ParticipationStatus]int{}}
	for _, c := range counts {
		key := int64(0)
		if c.PavilionID != nil {
			key = *c.PavilionID
		}
		i, ok := at[key]
		if !ok {
			continue // not in scope; the query does not return these
		}
		rows[i].Counts[c.Status] += c.Count
		rows[i].Total += c.Count
		total.Counts[c.Status] += c.Count
		total.Total += c.Count
	}
	return rows, total
}
