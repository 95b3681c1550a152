package server

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
	"expodesk/web"
)

// Booking roadshow slots (E3): an approved company sees an expo's free
// slots by day and stage with the rules it books under, books one with one
// click, writes its title and abstract then or later, and cancels. Every
// rule is the service's; a slot lost to another company answers "this slot
// was just taken" with the nearest free slots, never an error page.

// nearestOffered is how many free slots a company that lost one is offered.
const nearestOffered = 5

// bookingSlotsView is an expo's booking page for the caller's company.
func (s *Server) bookingSlotsView(r *http.Request, expo expodesk.Expo) (web.BookingSlotsView, error) {
	ctx := r.Context()
	company := principal(r).ExhibitorID
	s.expireOffers(r)
	v := web.BookingSlotsView{Expo: expo, Zones: readViewerZone(r, expo)}
	rules, err := s.store.BookingRulesOfExpo(ctx, expo.ID)
	if err != nil {
		return v, err
	}
	v.Rules = []web.RulesShown{{Rules: rules}}
	own, err := s.store.BookingRulesOfPavilions(ctx, expo.ID)
	if err != nil {
		return v, err
	}
	for _, pr := range own {
		pv, err := s.store.PavilionGetByID(ctx, *pr.PavilionID)
		if err != nil {
			return v, err
		}
		v.Rules = append(v.Rules, web.RulesShown{Rules: pr, Pavilion: &pv})
	}
	parts, err := s.store.ExhibitorParticipations(ctx, company)
	if err != nil {
		return v, err
	}
	for _, p := range parts {
		if p.Expo.ID == expo.ID {
			v.Approved = true
		}
	}
	free, err := s.store.FreeSlots(ctx, expo.ID, company)
	if err != nil {
		return v, err
	}
	v.Days = web.GroupFreeSlots(free, expo.Location())
	if v.Held, err = s.store.TakenSlots(ctx, expo.ID, company); err != nil {
		return v, err
	}
	if v.Mine, err = s.store.BookingsOfExhibitor(ctx, company, expo.ID); err != nil {
		return v, err
	}
	return v, nil
}

func (s *Server) bookingSlotsPage(r *http.Request, v web.BookingSlotsView) templ.Component {
	return web.BookingSlotsPage(web.Page{Title: web.TD(r.Context(), "booking.slots_title",
		map[string]any{"Expo": web.In(r.Context(), v.Expo.Name)})}, v)
}

// bookingSlots is an expo's free slots for the company, with the rules.
func (s *Server) bookingSlots(w http.ResponseWriter, r *http.Request) {
	expo, err := s.urlExpo(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v, err := s.bookingSlotsView(r, expo)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v.Flash = s.popFlash(r)
	s.render(w, r, http.StatusOK, s.bookingSlotsPage(r, v))
}

// bookSlot books a slot in one click. Success goes to the booking's page,
// where its title can be written at once; a rule that stands in the way
// shows the slots again with why (422, or 409 for a slot just taken, with
// the nearest free slots to choose from).
func (s *Server) bookSlot(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	expo, err := s.urlExpo(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if _, err := parseForm(w, r); err != nil {
		s.renderError(w, r, err)
		return
	}
	slotID, _ := strconv.ParseInt(chi.URLParam(r, "slot"), 10, 64)
	b, err := s.svc.BookSlot(ctx, s.caller(r), expo.ID, slotID, expodesk.BookingText{})
	if err == nil {
		s.flash(ctx, flashBooked)
		http.Redirect(w, r, urls.ExhibitorBooking(b.ID), http.StatusSeeOther)
		return
	}
	e := expodesk.ErrorOf(err)
	if e == nil || !strings.HasPrefix(e.Message, "booking.") {
		s.renderError(w, r, err)
		return
	}
	v, verr := s.bookingSlotsView(r, expo)
	if verr != nil {
		s.renderError(w, r, verr)
		return
	}
	v.Notice = web.BookingMessage(ctx, e, expo.Location())
	status := statusOf(e.Code)
	if errors.Is(err, expodesk.ErrSlotTaken) {
		v.Taken = true
		// The answer to a lost race is what the company needs next: the
		// nearest free slots, and the waitlist of the slot it just lost
		// (and of those it already waits for), not every taken slot of the
		// expo — at the window's opening hundreds of these answers go out
		// at once, and the whole list made each seven times larger.
		v.Held = slices.DeleteFunc(v.Held, func(t expodesk.TakenSlot) bool { return t.SlotID != slotID && t.EntryID == 0 })
		at := s.now()
		if sl, err := s.store.BookableSlotGet(ctx, slotID); err == nil {
			at = sl.StartsAt
		}
		if v.Nearest, err = s.store.FreeSlotsNear(ctx, expo.ID, principal(r).ExhibitorID, at, nearestOffered); err != nil {
			s.renderError(w, r, err)
			return
		}
		status = http.StatusConflict
	}
	s.render(w, r, status, s.bookingSlotsPage(r, v))
}

// bookings lists the company's bookings and the expos it may book at.
func (s *Server) bookings(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	company := principal(r).ExhibitorID
	v := web.BookingsView{Flash: s.popFlash(r)}
	var err error
	if v.Bookings, err = s.store.BookingsOfExhibitor(ctx, company, 0); err != nil {
		s.renderError(w, r, err)
		return
	}
	if v.Expos, err = s.store.ApprovedExposOf(ctx, company); err != nil {
		s.renderError(w, r, err)
		return
	}
	if err = s.waitlistOfCompany(r, &v); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.BookingsPage(web.Page{Title: web.T(ctx, "booking.my_bookings")}, v))
}

// urlBooking is the caller's company's booking the URL names; another
// company's is not found (and the attempt recorded).
func (s *Server) urlBooking(r *http.Request) (expodesk.BookingRow, expodesk.BookingRules, error) {
	ctx := r.Context()
	raw := chi.URLParam(r, "booking")
	id, _ := strconv.ParseInt(raw, 10, 64)
	b, err := s.store.BookingRowOfExhibitor(ctx, principal(r).ExhibitorID, id)
	if errors.Is(err, expodesk.ErrNotFound) {
		s.authorizationFailed(r, "booking", raw)
	}
	if err != nil {
		return b, expodesk.BookingRules{}, err
	}
	rules, err := s.store.BookingRulesFor(ctx, b.ExpoID, b.PavilionID)
	return b, rules, err
}

func bookingValues(b expodesk.BookingRow) url.Values {
	v := url.Values{}
	for _, l := range expodesk.Langs {
		v.Set("title_"+string(l), b.Titles.Get(l))
		v.Set("abstract_"+string(l), b.Abstracts.Get(l))
	}
	return v
}

func (s *Server) bookingEditPage(r *http.Request, v web.BookingEditView) templ.Component {
	return web.BookingEditPage(web.Page{Title: web.T(r.Context(), "booking.edit_title")}, v)
}

func (s *Server) bookingEdit(w http.ResponseWriter, r *http.Request) {
	b, rules, err := s.urlBooking(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, s.bookingEditPage(r, web.BookingEditView{Booking: b, Rules: rules,
		Form: web.FormState{Values: bookingValues(b)}, Flash: s.popFlash(r)}))
}

// bookingSave saves a booking's texts; a publication deadline that has
// passed is said on the same page, what was typed kept.
func (s *Server) bookingSave(w http.ResponseWriter, r *http.Request) {
	b, rules, f, ok := loadedForm2(s, w, r, s.urlBooking)
	if !ok {
		return
	}
	var err error
	in := expodesk.BookingText{Titles: f.texts("title", expodesk.MaxBookingTitleLen, false),
		Abstracts: f.paragraphsIn("abstract", expodesk.MaxBookingAbstractLen)}
	if f.err() == nil {
		_, err = s.svc.SetBookingTexts(r.Context(), s.caller(r), b.ID, in)
	}
	page := func(fs web.FormState) (templ.Component, error) {
		return s.bookingEditPage(r, web.BookingEditView{Booking: b, Rules: rules, Form: fs}), nil
	}
	if e := expodesk.ErrorOf(err); e != nil && e.Message == "booking.texts_closed" {
		s.render(w, r, http.StatusUnprocessableEntity, s.bookingEditPage(r, web.BookingEditView{Booking: b, Rules: rules,
			Form: web.FormState{Values: f.Values}, Notice: web.BookingMessage(r.Context(), e, expodesk.LoadLocation(b.ExpoTimeZone))}))
		return
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.ExhibitorBooking(b.ID), flash: flashBookingSaved, page: page})
}

// bookingCancel cancels a booking before its deadline; after it, the
// booking's page says until when it could have been.
func (s *Server) bookingCancel(w http.ResponseWriter, r *http.Request) {
	b, rules, err := s.urlBooking(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if _, err := parseForm(w, r); err != nil {
		s.renderError(w, r, err)
		return
	}
	if _, err = s.svc.CancelBooking(r.Context(), s.caller(r), b.ID); err == nil {
		s.flash(r.Context(), flashBookingCancelled)
		http.Redirect(w, r, urls.ExhibitorBookings(), http.StatusSeeOther)
		return
	}
	e := expodesk.ErrorOf(err)
	if e == nil || !strings.HasPrefix(e.Message, "booking.") {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, statusOf(e.Code), s.bookingEditPage(r, web.BookingEditView{Booking: b, Rules: rules,
		Form: web.FormState{Values: bookingValues(b)}, Notice: web.BookingMessage(r.Context(), e, expodesk.LoadLocation(b.ExpoTimeZone))}))
}

// Organizer's booking rules page.

// readRules reads a rules form whose fields start with prefix, date-times
// in the expo's zone.
func readRules(f *form, prefix string, zone *time.Location) expodesk.BookingRules {
	at := func(name string) *time.Time {
		if t := f.dateTime(prefix+name, zone, false); !t.IsZero() {
			return &t
		}
		return nil
	}
	r := expodesk.BookingRules{OpensAt: at("opens_at"), ClosesAt: at("closes_at"), TextsDueAt: at("texts_due_at"),
		SlotQuota:         int(f.integer(prefix+"slot_quota", 0, 1000, true)),
		CancelHoursBefore: int(f.integer(prefix+"cancel_hours_before", 0, 8760, true)),
		TitleLang:         expodesk.Lang(f.choice(prefix+"title_lang", []string{"en", "zh", "es"}, false)),
		// Left empty (a form of before the waitlist) it is 0: promote at once.
		WaitlistOfferHours: int(f.integer(prefix+"waitlist_offer_hours", 0, expodesk.MaxWaitlistOfferHours, false))}
	return r
}

func rulesValues(r expodesk.BookingRules, prefix string, zone *time.Location) url.Values {
	v := url.Values{prefix + "slot_quota": {strconv.Itoa(r.SlotQuota)},
		prefix + "cancel_hours_before": {strconv.Itoa(r.CancelHoursBefore)}, prefix + "title_lang": {string(r.TitleLang)},
		prefix + "waitlist_offer_hours": {strconv.Itoa(r.WaitlistOfferHours)}}
	for name, t := range map[string]*time.Time{"opens_at": r.OpensAt, "closes_at": r.ClosesAt, "texts_due_at": r.TextsDueAt} {
		if t != nil {
			v.Set(prefix+name, t.In(zone).Format(dateTimeLayout))
		}
	}
	return v
}

// prefixed moves an operation's field problems to a form's prefixed names.
func prefixed(err error, prefix string) error {
	e := expodesk.ErrorOf(err)
	if prefix == "" || e == nil || len(e.Problems) == 0 {
		return err
	}
	p := expodesk.Problems{}
	for k, m := range e.Problems {
		p[prefix+k] = m
	}
	return p.Err()
}

func pavilionPrefix(id int64) string { return "p" + itoa(id) + "_" }

// bookingRulesView builds the rules page; forms holds what was typed in a
// form being shown again (by its prefix).
func (s *Server) bookingRulesView(r *http.Request, expo expodesk.Expo, forms map[string]web.FormState) (templ.Component, error) {
	ctx := r.Context()
	p := principal(r)
	if !p.IsExpoOrganizer() && p.ExpoID != expo.ID {
		return nil, expodesk.ErrNotFound
	}
	zone := expo.Location()
	v := web.BookingRulesView{Expo: expo, CanManage: expodesk.CanManageExpos(p), Flash: s.popFlash(r)}
	rules, err := s.store.BookingRulesOfExpo(ctx, expo.ID)
	if err != nil {
		return nil, err
	}
	v.Form = web.FormState{Values: rulesValues(rules, "", zone)}
	if fs, ok := forms[""]; ok {
		v.Form = fs
	}
	own, err := s.store.BookingRulesOfPavilions(ctx, expo.ID)
	if err != nil {
		return nil, err
	}
	pavilions, err := s.store.PavilionList(ctx, expo.ID)
	if err != nil {
		return nil, err
	}
	for _, pv := range pavilions {
		if !expodesk.CanManagePavilion(p, pv.ID) {
			continue
		}
		prefix := pavilionPrefix(pv.ID)
		pr := web.PavilionRulesForm{Pavilion: pv, Form: web.FormState{Values: rulesValues(rules, prefix, zone)}}
		for _, o := range own {
			if *o.PavilionID == pv.ID {
				pr.Own, pr.Form = true, web.FormState{Values: rulesValues(o, prefix, zone)}
			}
		}
		if fs, ok := forms[prefix]; ok {
			pr.Form = fs
		}
		v.Pavilions = append(v.Pavilions, pr)
	}
	return web.BookingRulesPage(web.Page{Title: web.TD(ctx, "booking.rules_page_title",
		map[string]any{"Expo": web.In(ctx, expo.Name)})}, v), nil
}

func (s *Server) bookingRules(w http.ResponseWriter, r *http.Request) {
	expo, err := s.urlExpo(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	c, err := s.bookingRulesView(r, expo, nil)
	s.renderPage(w, r, c, err)
}

func (s *Server) bookingRulesSave(w http.ResponseWriter, r *http.Request) {
	expo, f, ok := loadedForm(s, w, r, s.urlExpo)
	if !ok {
		return
	}
	var err error
	in := readRules(f, "", expo.Location())
	if f.err() == nil {
		_, err = s.svc.SetExpoBookingRules(r.Context(), s.caller(r), expo.ID, in)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerBookingRules(expo.Slug), flash: flashBookingRulesSaved,
		page: func(fs web.FormState) (templ.Component, error) {
			return s.bookingRulesView(r, expo, map[string]web.FormState{"": fs})
		}})
}

func (s *Server) pavilionRulesSave(w http.ResponseWriter, r *http.Request) {
	expo, f, ok := loadedForm(s, w, r, s.urlExpo)
	if !ok {
		return
	}
	var err error
	id, _ := strconv.ParseInt(chi.URLParam(r, "pavilion"), 10, 64)
	prefix := pavilionPrefix(id)
	in := readRules(f, prefix, expo.Location())
	if f.err() == nil {
		_, err = s.svc.SetPavilionBookingRules(r.Context(), s.caller(r), expo.ID, id, in)
		err = prefixed(err, prefix)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerBookingRules(expo.Slug), flash: flashBookingRulesSaved,
		page: func(fs web.FormState) (templ.Component, error) {
			return s.bookingRulesView(r, expo, map[string]web.FormState{prefix: fs})
		}})
}

func (s *Server) pavilionRulesDelete(w http.ResponseWriter, r *http.Request) {
	expo, err := s.urlExpo(r)
	if err == nil {
		id, _ := strconv.ParseInt(chi.URLParam(r, "pavilion"), 10, 64)
		err = s.svc.RemovePavilionBookingRules(r.Context(), s.caller(r), expo.ID, id)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(r.Context(), flashBookingRulesSaved)
	http.Redirect(w, r, urls.OrganizerBookingRules(expo.Slug), http.StatusSeeOther)
}
