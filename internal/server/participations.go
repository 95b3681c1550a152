package server

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/service"
	"expodesk/internal/urls"
	"expodesk/web"
)

// An expo's participations for organizers (O3, O6): listed by status and
// company name, approved or rejected, placed in a pavilion and a booth. A
// coordinator sees and manages their pavilion's only.

// participationsQuery is the list's filter as the URL gives it: an unknown
// status or profile gap filters nothing; a pavilion is kept as given, for
// pavilionScope to check.
func participationsQuery(status, q, pavilion, incomplete string) url.Values {
	v := url.Values{}
	if slices.Contains(expodesk.ParticipationStatuses, expodesk.ParticipationStatus(status)) {
		v.Set("status", status)
	}
	if q != "" {
		v.Set("q", q)
	}
	if pavilion != "" {
		v.Set("pavilion", pavilion)
	}
	if slices.Contains(expodesk.ProfileGaps, expodesk.ProfileGap(incomplete)) {
		v.Set("incomplete", incomplete)
	}
	return v
}

// participationsView is the list of expo e for the reader, with the row
// edited (0: none) showing fs. A coordinator's list is their pavilion's;
// another pavilion's, or another expo's, is not found.
func (s *Server) participationsView(r *http.Request, e expodesk.Expo, q url.Values, edited int64, fs web.FormState) (templ.Component, error) {
	v, err := s.participationsData(r, e, q, edited, fs)
	if err != nil {
		return nil, err
	}
	return participationsPage(r, v), nil
}

func participationsPage(r *http.Request, v web.ParticipationsView) templ.Component {
	return web.ParticipationsPage(web.Page{Title: web.T(r.Context(), "participations.title")}, v)
}

// participationsData is what participationsView shows.
func (s *Server) participationsData(r *http.Request, e expodesk.Expo, q url.Values, edited int64, fs web.FormState) (web.ParticipationsView, error) {
	ctx := r.Context()
	p := principal(r)
	sc, _, err := s.pavilionScope(ctx, p, e, q.Get("pavilion"))
	if err != nil {
		return web.ParticipationsView{}, err
	}
	f := expodesk.ParticipationFilter{ExpoID: e.ID, PavilionID: sc.PavilionID, NoPavilion: sc.NoPavilion,
		Status: expodesk.ParticipationStatus(q.Get("status")), Text: q.Get("q"),
		Incomplete: expodesk.ProfileGap(q.Get("incomplete"))}
	v := web.ParticipationsView{Expo: e, Status: q.Get("status"), Q: q.Get("q"), Pavilion: q.Get("pavilion"),
		Incomplete: q.Get("incomplete"), Edited: edited, Form: fs, Flash: s.popFlash(r)}
	if v.Rows, err = s.store.Participations(ctx, f); err != nil {
		return v, err
	}
	if v.PavilionOptions, err = s.pavilionOptions(ctx, p, e.ID); err != nil {
		return v, err
	}
	if p.IsExpoOrganizer() {
		v.PavilionFilter = []web.Option{{Value: "", Label: web.T(ctx, "dashboard.all_pavilions")},
			{Value: "none", Label: web.T(ctx, "participations.no_pavilion")}}
		for _, o := range v.PavilionOptions {
			if o.Value != "" {
				v.PavilionFilter = append(v.PavilionFilter, o)
			}
		}
	}
	return v, nil
}

// pavilionOptions are the pavilions p may place a participation of expo
// expoID in: any of its pavilions or none for an expo-wide organizer, their
// own for a coordinator.
func (s *Server) pavilionOptions(ctx context.Context, p *expodesk.Principal, expoID int64) ([]web.Option, error) {
	list, err := s.store.PavilionList(ctx, expoID)
	if err != nil {
		return nil, err
	}
	var out []web.Option
	if p.IsExpoOrganizer() {
		out = append(out, web.Option{Value: "", Label: web.T(ctx, "participations.no_pavilion")})
	}
	for _, pv := range list {
		if expodesk.CanManagePavilion(p, pv.ID) {
			out = append(out, web.Option{Value: itoa(pv.ID), Label: web.In(ctx, pv.Name)})
		}
	}
	return out, nil
}

func (s *Server) participations(w http.ResponseWriter, r *http.Request) {
	e, err := s.urlExpo(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	q := r.URL.Query()
	c, err := s.participationsView(r, e, participationsQuery(q.Get("status"), q.Get("q"), q.Get("pavilion"), q.Get("incomplete")), 0, web.FormState{})
	s.renderPage(w, r, c, err)
}

// participationForm reads the participation the URL names, if the caller may
// manage it (another pavilion's is not found), its expo and the posted
// form with the list's filter to return to.
func (s *Server) participationForm(w http.ResponseWriter, r *http.Request) (expodesk.Participation, expodesk.Expo, *form, url.Values, error) {
	id, _ := strconv.ParseInt(chi.URLParam(r, "participation"), 10, 64)
	pt, err := s.svc.ManagedParticipation(r.Context(), s.caller(r), id)
	if err != nil {
		return pt, expodesk.Expo{}, nil, nil, err
	}
	e, err := s.store.ExpoGetByID(r.Context(), pt.ExpoID)
	if err != nil {
		return pt, e, nil, nil, err
	}
	f, err := parseForm(w, r)
	if err != nil {
		return pt, e, nil, nil, err
	}
	back := participationsQuery(f.raw("filter_status"), f.raw("filter_q"), f.raw("filter_pavilion"), f.raw("filter_incomplete"))
	return pt, e, f, back, nil
}

func (s *Server) participationSetStatus(w http.ResponseWriter, r *http.Request) {
	pt, e, f, back, err := s.participationForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	in := service.StatusChange{Status: expodesk.ParticipationStatus(f.text("status", 20, true)),
		Reason: f.text("reason", expodesk.MaxReasonLen, false)}
	if f.err() == nil {
		_, err = s.svc.SetParticipationStatus(r.Context(), s.caller(r), pt.ID, in)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerParticipations(e.Slug, back), flash: flashParticipationSaved,
		page: func(fs web.FormState) (templ.Component, error) { return s.participationsView(r, e, back, pt.ID, fs) }})
}

func (s *Server) participationPlace(w http.ResponseWriter, r *http.Request) {
	pt, e, f, back, err := s.participationForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	in := service.Placement{PavilionID: f.id("pavilion"), Booth: f.text("booth", expodesk.MaxBoothLen, false)}
	if f.err() == nil {
		_, err = s.svc.PlaceParticipation(r.Context(), s.caller(r), pt.ID, in)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerParticipations(e.Slug, back), flash: flashParticipationSaved,
		page: func(fs web.FormState) (templ.Component, error) { return s.participationsView(r, e, back, pt.ID, fs) }})
}
