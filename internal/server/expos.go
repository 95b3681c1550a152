package server

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
	"expodesk/web"
)

// The organizer console for expos, sister links and pavilions (O1, O6).
// Date-times are typed and shown in the expo's own zone.

// readExpo reads the expo form. The zone the date-times are read in is the
// one typed in the same form (UTC while it is unknown; the zone's own
// problem is then reported).
func readExpo(f *form) expodesk.Expo {
	e := expodesk.Expo{Slug: f.text("slug", 80, true), Country: f.text("country", 2, true),
		TimeZone: f.text("time_zone", 64, true), Website: f.text("website", 500, false),
		FirstDay: f.date("first_day", true), LastDay: f.date("last_day", true),
		SlotQuota: int(f.integer("slot_quota", 0, 1000, true)), CancelHoursBefore: int(f.integer("cancel_hours_before", 0, 8760, true))}
	e.Name = f.texts("name", 200, true)
	e.City = f.texts("city", 100, true)
	e.Venue = f.texts("venue", 200, false)
	zone := expodesk.LoadLocation(e.TimeZone)
	at := func(name string) *time.Time {
		if t := f.dateTime(name, zone, false); !t.IsZero() {
			return &t
		}
		return nil
	}
	e.ApplicationsOpenAt, e.ApplicationsCloseAt = at("applications_open_at"), at("applications_close_at")
	e.BookingOpensAt, e.BookingClosesAt = at("booking_opens_at"), at("booking_closes_at")
	return e
}

// expoValues are an expo's fields as its form shows them, date-times in its zone.
func expoValues(e expodesk.Expo) url.Values {
	v := url.Values{"slug": {e.Slug}, "country": {e.Country}, "time_zone": {e.TimeZone}, "website": {e.Website},
		"slot_quota": {strconv.Itoa(e.SlotQuota)}, "cancel_hours_before": {strconv.Itoa(e.CancelHoursBefore)}}
	if !e.FirstDay.IsZero() {
		v.Set("first_day", e.FirstDay.Format(dateLayout))
		v.Set("last_day", e.LastDay.Format(dateLayout))
	}
	for _, l := range expodesk.Langs {
		v.Set("name_"+string(l), e.Name.Get(l))
		v.Set("city_"+string(l), e.City.Get(l))
		v.Set("venue_"+string(l), e.Venue.Get(l))
	}
	zone := e.Location()
	for name, t := range map[string]*time.Time{"applications_open_at": e.ApplicationsOpenAt, "applications_close_at": e.ApplicationsCloseAt,
		"booking_opens_at": e.BookingOpensAt, "booking_closes_at": e.BookingClosesAt} {
		if t != nil {
			v.Set(name, t.In(zone).Format(dateTimeLayout))
		}
	}
	return v
}

// expos lists the expos; a coordinator sees their pavilion's expo with a
// link to their pavilion's form.
func (s *Server) expos(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := principal(r)
	v := web.ExposView{CanManage: expodesk.CanManageExpos(p), Flash: s.popFlash(r)}
	all, err := s.store.ExpoListAll(ctx)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if v.CanManage {
		v.Expos = all
	} else {
		pv, err := s.store.PavilionGetByID(ctx, p.PavilionID)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		for _, e := range all {
			if e.ID == pv.ExpoID {
				v.Own = &web.OwnPavilion{Expo: e, Pavilion: pv}
			}
		}
	}
	s.render(w, r, http.StatusOK, web.ExposPage(web.Page{Title: web.T(ctx, "expos.title")}, v))
}

func (s *Server) expoNew(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, s.expoNewPage(r, web.FormState{Values: url.Values{
		"slot_quota": {"2"}, "cancel_hours_before": {"48"}}}))
}

func (s *Server) expoNewPage(r *http.Request, fs web.FormState) templ.Component {
	return web.ExpoFormPage(web.Page{Title: web.T(r.Context(), "expos.new")}, web.ExpoFormView{Form: fs})
}

func (s *Server) expoCreate(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	e := readExpo(f)
	if f.err() == nil {
		e, err = s.svc.CreateExpo(r.Context(), s.caller(r), e)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerExpo(e.Slug), flash: flashExpoSaved,
		page: func(fs web.FormState) (templ.Component, error) { return s.expoNewPage(r, fs), nil }})
}

// expoEditView is an expo's edit page: its form, its sisters, its pavilions.
func (s *Server) expoEditView(r *http.Request, e expodesk.Expo, fs, sister web.FormState) (templ.Component, error) {
	ctx := r.Context()
	v := web.ExpoFormView{Expo: &e, Form: fs, SisterForm: sister, Flash: s.popFlash(r)}
	var err error
	if v.Sisters, err = s.store.ExpoSistersAll(ctx, e.ID); err != nil {
		return nil, err
	}
	if v.Pavilions, err = s.store.PavilionList(ctx, e.ID); err != nil {
		return nil, err
	}
	all, err := s.store.ExpoListAll(ctx)
	if err != nil {
		return nil, err
	}
	v.SisterOptions = []web.Option{{Value: "", Label: web.T(ctx, "expos.choose_sister")}}
	for _, x := range all {
		if x.ID != e.ID {
			v.SisterOptions = append(v.SisterOptions, web.Option{Value: itoa(x.ID), Label: web.In(ctx, x.Name)})
		}
	}
	return web.ExpoFormPage(web.Page{Title: web.In(ctx, e.Name)}, v), nil
}

// urlExpo is the expo the URL names.
func (s *Server) urlExpo(r *http.Request) (expodesk.Expo, error) {
	return s.store.ExpoGet(r.Context(), chi.URLParam(r, "expo"))
}

func (s *Server) expoEdit(w http.ResponseWriter, r *http.Request) {
	e, err := s.urlExpo(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	c, err := s.expoEditView(r, e, web.FormState{Values: expoValues(e)}, web.FormState{})
	s.renderPage(w, r, c, err)
}

func (s *Server) expoUpdate(w http.ResponseWriter, r *http.Request) {
	old, f, ok := loadedForm(s, w, r, s.urlExpo)
	if !ok {
		return
	}
	var err error
	e := readExpo(f)
	if f.err() == nil {
		e, err = s.svc.UpdateExpo(r.Context(), s.caller(r), old.ID, e)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerExpo(e.Slug), flash: flashExpoSaved,
		page: func(fs web.FormState) (templ.Component, error) { return s.expoEditView(r, old, fs, web.FormState{}) }})
}

func (s *Server) expoSetArchived(archived bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		e, err := s.urlExpo(r)
		if err == nil {
			_, err = s.svc.SetExpoArchived(r.Context(), s.caller(r), e.ID, archived)
		}
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		s.flash(r.Context(), flashExpoSaved)
		http.Redirect(w, r, urls.OrganizerExpo(e.Slug), http.StatusSeeOther)
	}
}

func (s *Server) expoLinkSister(w http.ResponseWriter, r *http.Request) {
	e, f, ok := loadedForm(s, w, r, s.urlExpo)
	if !ok {
		return
	}
	var err error
	sister := f.id("sister")
	if sister == 0 {
		f.Problems.Add("sister", "validation.required", nil)
	}
	if f.err() == nil {
		err = s.svc.SetSisters(r.Context(), s.caller(r), e.ID, sister, true)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerExpo(e.Slug), flash: flashExpoSaved,
		page: func(fs web.FormState) (templ.Component, error) {
			return s.expoEditView(r, e, web.FormState{Values: expoValues(e)}, fs)
		}})
}

func (s *Server) expoUnlinkSister(w http.ResponseWriter, r *http.Request) {
	e, err := s.urlExpo(r)
	if err == nil {
		sister, _ := strconv.ParseInt(chi.URLParam(r, "sister"), 10, 64)
		err = s.svc.SetSisters(r.Context(), s.caller(r), e.ID, sister, false)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(r.Context(), flashExpoSaved)
	http.Redirect(w, r, urls.OrganizerExpo(e.Slug), http.StatusSeeOther)
}

// readPavilion reads the pavilion form.
func readPavilion(f *form) expodesk.Pavilion {
	return expodesk.Pavilion{Slug: f.text("slug", 80, true), Name: f.texts("name", 200, true),
		Host: f.texts("host", 200, false), Hall: f.text("hall", 80, false)}
}

// readPavilionDescription reads the multi-line descriptions.
func readPavilionDescription(f *form, pv *expodesk.Pavilion) {
	for _, l := range expodesk.Langs {
		pv.Description = pv.Description.Set(l, f.raw("description_"+string(l)))
	}
}

func pavilionValues(pv expodesk.Pavilion) url.Values {
	v := url.Values{"slug": {pv.Slug}, "hall": {pv.Hall}}
	for _, l := range expodesk.Langs {
		v.Set("name_"+string(l), pv.Name.Get(l))
		v.Set("host_"+string(l), pv.Host.Get(l))
		v.Set("description_"+string(l), pv.Description.Get(l))
	}
	return v
}

func (s *Server) pavilionPage(r *http.Request, e expodesk.Expo, pv *expodesk.Pavilion, fs web.FormState) templ.Component {
	title := web.T(r.Context(), "expos.pavilion_new")
	if pv != nil {
		title = web.In(r.Context(), pv.Name)
	}
	return web.PavilionFormPage(web.Page{Title: title}, web.PavilionFormView{Expo: e, Pavilion: pv, Form: fs,
		CanManageExpo: expodesk.CanManageExpos(principal(r))})
}

func (s *Server) pavilionNew(w http.ResponseWriter, r *http.Request) {
	e, err := s.urlExpo(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, s.pavilionPage(r, e, nil, web.FormState{}))
}

func (s *Server) pavilionCreate(w http.ResponseWriter, r *http.Request) {
	e, f, ok := loadedForm(s, w, r, s.urlExpo)
	if !ok {
		return
	}
	var err error
	pv := readPavilion(f)
	readPavilionDescription(f, &pv)
	pv.ExpoID = e.ID
	if f.err() == nil {
		_, err = s.svc.CreatePavilion(r.Context(), s.caller(r), pv)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerExpo(e.Slug), flash: flashExpoSaved,
		page: func(fs web.FormState) (templ.Component, error) { return s.pavilionPage(r, e, nil, fs), nil }})
}

// urlPavilion is the expo and the pavilion the URL names, if the caller may
// manage the pavilion (another pavilion is not found).
func (s *Server) urlPavilion(r *http.Request) (expodesk.Expo, expodesk.Pavilion, error) {
	e, err := s.urlExpo(r)
	if err != nil {
		return e, expodesk.Pavilion{}, err
	}
	id, _ := strconv.ParseInt(chi.URLParam(r, "pavilion"), 10, 64)
	pv, err := s.svc.ManagedPavilion(r.Context(), s.caller(r), e.ID, id)
	return e, pv, err
}

func (s *Server) pavilionEdit(w http.ResponseWriter, r *http.Request) {
	e, pv, err := s.urlPavilion(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, s.pavilionPage(r, e, &pv, web.FormState{Values: pavilionValues(pv)}))
}

func (s *Server) pavilionUpdate(w http.ResponseWriter, r *http.Request) {
	e, pv, f, ok := loadedForm2(s, w, r, s.urlPavilion)
	if !ok {
		return
	}
	var err error
	in := readPavilion(f)
	readPavilionDescription(f, &in)
	if f.err() == nil {
		_, err = s.svc.UpdatePavilion(r.Context(), s.caller(r), e.ID, pv.ID, in)
	}
	done := urls.OrganizerPavilion(e.Slug, pv.ID)
	if expodesk.CanManageExpos(principal(r)) {
		done = urls.OrganizerExpo(e.Slug)
	}
	s.finish(w, r, submission{f: f, err: err, done: done, flash: flashExpoSaved,
		page: func(fs web.FormState) (templ.Component, error) { return s.pavilionPage(r, e, &pv, fs), nil }})
}

func (s *Server) pavilionMove(w http.ResponseWriter, r *http.Request) {
	e, f, ok := loadedForm(s, w, r, s.urlExpo)
	if !ok {
		return
	}
	var err error
	by := 1
	if f.choice("direction", []string{"up", "down"}, true) == "up" {
		by = -1
	}
	id, _ := strconv.ParseInt(chi.URLParam(r, "pavilion"), 10, 64)
	if f.err() == nil {
		err = s.svc.MovePavilion(r.Context(), s.caller(r), e.ID, id, by)
	}
	if err == nil {
		err = f.err()
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, urls.OrganizerExpo(e.Slug)+"#pavilions", http.StatusSeeOther)
}
