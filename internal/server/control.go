package server

import (
	"net/http"
	"net/url"

	"github.com/a-h/templ"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
	"expodesk/web"
)

// Organizer control of bookings (O5 part): the service decides who may
// (a coordinator on their pavilion's stages only) and tells the company.

const flashBookingCancelledByOrganizer flashKey = "control.cancelled"

// slotCancelBooking cancels the booking that holds the URL's slot, with
// the reason the organizer typed; back to the grid of the slot's day.
// A missing reason re-renders the slot's page with the problem at the field.
func (s *Server) slotCancelBooking(w http.ResponseWriter, r *http.Request) {
	e, sl, f, ok := loadedForm2(s, w, r, s.urlSlot)
	if !ok {
		return
	}
	var err error
	reason := f.paragraphs("reason", expodesk.MaxCancelReasonLen, true)
	if f.err() == nil {
		if sl.BookingID == nil {
			err = expodesk.ErrBookingCancelled
		} else {
			_, err = s.svc.OrganizerCancelBooking(r.Context(), s.caller(r), e.ID, *sl.BookingID, reason)
		}
	}
	day := sl.StartsAt.In(e.Location()).Format(dateLayout)
	s.finish(w, r, submission{f: f, err: err, flash: flashBookingCancelledByOrganizer,
		done: urls.OrganizerSlotGrid(e.Slug, url.Values{"day": {day}, "stage": {itoa(sl.StageID)}}),
		page: func(fs web.FormState) (templ.Component, error) {
			return web.SlotFormPage(web.Page{Title: web.T(r.Context(), "slots.edit_title")},
				web.SlotFormView{Expo: e, Slot: sl, Form: web.FormState{Values: slotValues(e, sl)}, Cancel: fs}), nil
		}})
}

const flashBookedForCompany flashKey = "control.booked_for"

// bookingCompanyOptions are the companies the caller may book the free
// slot sl for (none for a booked or blocked slot, or on error: the
// section is then left out).
func (s *Server) bookingCompanyOptions(r *http.Request, e expodesk.Expo, sl expodesk.SlotRow) []web.Option {
	if sl.Booked() || sl.Blocked {
		return nil
	}
	list, err := s.svc.BookingCompanies(r.Context(), s.caller(r), e.ID)
	if err != nil || len(list) == 0 {
		return nil
	}
	out := []web.Option{{Value: "", Label: web.T(r.Context(), "control.choose_company")}}
	for _, o := range list {
		label := web.In(r.Context(), o.Name)
		if label == "" {
			label = o.LegalName
		}
		out = append(out, web.Option{Value: itoa(o.ID), Label: label})
	}
	return out
}

// slotBookFor books the URL's free slot for the company chosen, on its
// behalf; back to the grid of the slot's day. A company not offered, or a
// rule the booking breaks, re-renders the slot's page with the problem.
func (s *Server) slotBookFor(w http.ResponseWriter, r *http.Request) {
	e, sl, f, ok := loadedForm2(s, w, r, s.urlSlot)
	if !ok {
		return
	}
	var err error
	company := f.id("exhibitor")
	if company == 0 {
		f.Problems.Add("exhibitor", "validation.choice", nil)
	}
	if f.err() == nil {
		_, err = s.svc.OrganizerBookSlot(r.Context(), s.caller(r), e.ID, sl.ID, company)
	}
	day := sl.StartsAt.In(e.Location()).Format(dateLayout)
	s.finish(w, r, submission{f: f, err: err, flash: flashBookedForCompany,
		done: urls.OrganizerSlotGrid(e.Slug, url.Values{"day": {day}, "stage": {itoa(sl.StageID)}}),
		page: func(fs web.FormState) (templ.Component, error) {
			return web.SlotFormPage(web.Page{Title: web.T(r.Context(), "slots.edit_title")},
				web.SlotFormView{Expo: e, Slot: sl, Form: web.FormState{Values: slotValues(e, sl)}, Book: fs,
					Companies: s.bookingCompanyOptions(r, e, sl)}), nil
		}})
}

const flashBookingMoved flashKey = "control.moved"

// moveOptions are the free slots the booking of sl may move to: the
// company's free slots of the expo on stages the caller manages, labelled
// with day, time and stage in the expo's zone.
func (s *Server) moveOptions(r *http.Request, e expodesk.Expo, sl expodesk.SlotRow) []web.Option {
	if !sl.Booked() || sl.ExhibitorID == nil {
		return nil
	}
	ctx := r.Context()
	list, err := s.store.FreeSlots(ctx, e.ID, *sl.ExhibitorID)
	if err != nil {
		return nil
	}
	p := principal(r)
	out := []web.Option{{Value: "", Label: web.T(ctx, "control.choose_slot")}}
	zone := e.Location()
	for _, f := range list {
		if !expodesk.CanManageStage(p, f.PavilionID) {
			continue
		}
		out = append(out, web.Option{Value: itoa(f.SlotID), Label: web.Date(ctx, f.StartsAt.In(zone)) + " " +
			web.ClockRange(f.StartsAt, f.EndsAt, zone) + " · " + web.In(ctx, f.StageName)})
	}
	if len(out) == 1 {
		return nil
	}
	return out
}

// slotMoveBooking moves the booking holding the URL's slot to the slot
// chosen; back to the grid of the new slot's day.
func (s *Server) slotMoveBooking(w http.ResponseWriter, r *http.Request) {
	e, sl, f, ok := loadedForm2(s, w, r, s.urlSlot)
	if !ok {
		return
	}
	var err error
	to := f.id("to")
	if to == 0 {
		f.Problems.Add("to", "validation.choice", nil)
	}
	var moved expodesk.Booking
	if f.err() == nil {
		if sl.BookingID == nil {
			err = expodesk.ErrBookingCancelled
		} else {
			moved, err = s.svc.OrganizerMoveBooking(r.Context(), s.caller(r), e.ID, *sl.BookingID, to)
		}
	}
	done := urls.OrganizerSlotGrid(e.Slug, nil)
	if err == nil && f.err() == nil {
		if target, err2 := s.store.BookableSlotGet(r.Context(), moved.SlotID); err2 == nil {
			done = urls.OrganizerSlotGrid(e.Slug, url.Values{"day": {target.StartsAt.In(e.Location()).Format(dateLayout)},
				"stage": {itoa(target.StageID)}})
		}
	}
	s.finish(w, r, submission{f: f, err: err, flash: flashBookingMoved, done: done,
		page: func(fs web.FormState) (templ.Component, error) {
			return web.SlotFormPage(web.Page{Title: web.T(r.Context(), "slots.edit_title")},
				web.SlotFormView{Expo: e, Slot: sl, Form: web.FormState{Values: slotValues(e, sl)}, Move: fs,
					MoveTo: s.moveOptions(r, e, sl)}), nil
		}})
}

// agendaColumns are the agenda export's header: times in the expo's zone,
// and a title column per language.
var agendaColumns = []string{"day", "start", "end", "stage", "company", "title_en", "title_zh", "title_es", "status"}

// agendaCSV answers an expo's agenda as a spreadsheet, as the console's
// exports are: UTF-8 with a byte-order mark, CRLF, every cell guarded
// against formulas. A coordinator gets their pavilion's stages only.
func (s *Server) agendaCSV(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, err := s.managedExpo(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	rows, err := s.store.AgendaExport(ctx, e.ID, principal(r).PavilionID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	zone := e.Location()
	recs := make([][]string, 0, len(rows))
	for _, a := range rows {
		status, company := "free", ""
		switch {
		case a.Booked:
			status = "booked"
			if company = web.In(ctx, a.Company); company == "" {
				company = a.LegalName
			}
		case a.Blocked:
			status = "blocked"
		}
		recs = append(recs, []string{a.StartsAt.In(zone).Format(dateLayout), a.StartsAt.In(zone).Format("15:04"), a.EndsAt.In(zone).Format("15:04"),
			web.In(ctx, a.StageName), company, a.Titles.Get(expodesk.EN), a.Titles.Get(expodesk.ZH), a.Titles.Get(expodesk.ES), status})
	}
	body, err := writeGuardedCSV(agendaColumns, recs)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.sendCSV(w, s.csvName("agenda", e.Slug), body)
}
