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
	e, sl, err := s.urlSlot(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
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
	e, sl, err := s.urlSlot(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
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
