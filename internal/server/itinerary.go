package server

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/service"
	"expodesk/internal/urls"
	"expodesk/web"
)

// A delegation's itinerary in the organizer console (O4): the plan day by
// day with its warnings, the forms adding visits, roadshow slots and free
// items, the suggested visits with one-step meeting requests, meeting
// actions and the shared link. The service decides who may plan which
// delegation; another's is not found.

// The one-time messages of itineraries.
const (
	flashItemSaved        flashKey = "itinerary.item_saved"
	flashItemRemoved      flashKey = "itinerary.item_removed"
	flashMeetingRequested flashKey = "itinerary.meeting_requested"
	flashProposalTaken    flashKey = "itinerary.proposal_taken"
	flashProposalDeclined flashKey = "itinerary.proposal_turned_down"
	flashMeetingCancelled flashKey = "itinerary.meeting_cancelled"
	flashShareRevoked     flashKey = "itinerary.share_revoked"
)

// pathID reads a numeric URL parameter; anything else is not found.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, name), 10, 64)
	if err != nil || id <= 0 {
		return 0, expodesk.ErrNotFound
	}
	return id, nil
}

// urlDelegation is the delegation the URL names, if the caller may plan it.
func (s *Server) urlDelegation(r *http.Request) (expodesk.Delegation, error) {
	id, err := pathID(r, "delegation")
	if err != nil {
		return expodesk.Delegation{}, err
	}
	return s.svc.ManagedDelegation(r.Context(), s.caller(r), id)
}

func (s *Server) delegationCrumbs(r *http.Request, d expodesk.Delegation, last string) []web.Crumb {
	ctx := r.Context()
	return []web.Crumb{{Label: web.T(ctx, "itinerary.console"), Href: urls.Organizer()},
		{Label: web.In(ctx, d.Name), Lang: web.LangOf(ctx, d.Name), Href: urls.OrganizerDelegation(d.ID)}, {Label: last}}
}

// itineraryPage renders delegation d's plan, with fs holding the problems
// of a meeting action sent back.
func (s *Server) itineraryPage(r *http.Request, d expodesk.Delegation, fs web.FormState) (templ.Component, error) {
	ctx := r.Context()
	it, err := s.svc.DelegationItinerary(ctx, s.caller(r), d.ID)
	if err != nil {
		return nil, err
	}
	since, err := s.store.DelegationShareCreatedAt(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	plan := web.NewPlan(ctx, planInput(it, false))
	title := web.T(ctx, "itinerary.title")
	return web.ItineraryPage(web.Page{Title: title, Crumbs: s.delegationCrumbs(r, d, title)},
		web.ItineraryView{Plan: plan, Flash: s.popFlash(r), ShareSince: since, Form: fs}), nil
}

func planInput(it service.Itinerary, shared bool) web.PlanInput {
	return web.PlanInput{Delegation: it.Delegation, Expo: it.Expo, Items: it.Items, Meetings: it.Meetings,
		Attendees: it.Attendees, Warnings: it.Warnings, Shared: shared}
}

func (s *Server) itinerary(w http.ResponseWriter, r *http.Request) {
	d, err := s.urlDelegation(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	c, err := s.itineraryPage(r, d, web.FormState{})
	s.renderPage(w, r, c, err)
}

// itemFormKind is the form an item is edited with: "visit", "roadshow" or
// "free" (the other kinds).
func itemFormKind(k expodesk.ItineraryKind) string {
	switch k {
	case expodesk.ItineraryVisit, expodesk.ItineraryRoadshow:
		return string(k)
	}
	return "free"
}

// itemPage is the form adding (itemID 0) or editing an item of form kind kind.
func (s *Server) itemPage(r *http.Request, d expodesk.Delegation, kind string, itemID int64, fs web.FormState) (templ.Component, error) {
	ctx := r.Context()
	e, err := s.store.ExpoGetByID(ctx, d.ExpoID)
	if err != nil {
		return nil, err
	}
	v := web.ItemFormView{Delegation: d, Expo: e, Kind: kind, ItemID: itemID, Form: fs}
	switch kind {
	case "visit":
		pavilions, err := s.store.PavilionList(ctx, e.ID)
		if err != nil {
			return nil, err
		}
		v.Pavilions = []web.Option{{Value: "", Label: web.T(ctx, "itinerary.no_pavilion")}}
		for _, pv := range pavilions {
			v.Pavilions = append(v.Pavilions, web.Option{Value: itoa(pv.ID), Label: web.In(ctx, pv.Name)})
		}
		if v.Companies, err = s.companyOptions(r, e, web.T(ctx, "itinerary.no_exhibitor")); err != nil {
			return nil, err
		}
	case "roadshow":
		slots, err := s.svc.BookedSlots(ctx, d)
		if err != nil {
			return nil, err
		}
		v.Slots = []web.Option{{Value: "", Label: web.T(ctx, "itinerary.choose_slot")}}
		zone := e.Location()
		for _, sl := range slots {
			who := sl.ExhibitorName.In(web.Lang(ctx))
			if who == "" {
				who = sl.ExhibitorLegalName
			}
			v.Slots = append(v.Slots, web.Option{Value: itoa(sl.SlotID),
				Label: web.ShortDate(ctx, sl.StartsAt.In(zone)) + " " + web.ClockRange(sl.StartsAt, sl.EndsAt, zone) + " · " +
					web.In(ctx, sl.StageName) + " · " + who})
		}
	default:
		for _, k := range expodesk.FreeItineraryKinds {
			v.FreeKinds = append(v.FreeKinds, web.Option{Value: string(k), Label: web.T(ctx, "itinerary.kind."+string(k))})
		}
	}
	title := web.T(ctx, map[string]string{"visit": "itinerary.add_visit", "roadshow": "itinerary.add_roadshow",
		"free": "itinerary.add_free"}[kind])
	if itemID != 0 {
		title = web.T(ctx, "itinerary.edit_item")
	}
	return web.ItemFormPage(web.Page{Title: title, Crumbs: s.delegationCrumbs(r, d, title)}, v), nil
}

// companyOptions are the approved companies of expo e, after a first "none" option.
func (s *Server) companyOptions(r *http.Request, e expodesk.Expo, none string) ([]web.Option, error) {
	ctx := r.Context()
	list, err := s.store.BookingCompanyOptions(ctx, e.ID, 0)
	if err != nil {
		return nil, err
	}
	opts := []web.Option{{Value: "", Label: none}}
	for _, o := range list {
		label := o.Name.In(web.Lang(ctx))
		if label == "" {
			label = o.LegalName
		}
		opts = append(opts, web.Option{Value: itoa(o.ID), Label: label})
	}
	return opts, nil
}

func (s *Server) itineraryNew(w http.ResponseWriter, r *http.Request) {
	d, err := s.urlDelegation(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	kind := r.URL.Query().Get("kind")
	if kind != "visit" && kind != "roadshow" && kind != "free" {
		s.renderError(w, r, expodesk.ErrNotFound)
		return
	}
	v := url.Values{}
	if kind == "free" {
		v.Set("kind", string(expodesk.ItineraryTransfer))
	}
	c, err := s.itemPage(r, d, kind, 0, web.FormState{Values: v})
	s.renderPage(w, r, c, err)
}

// readItem reads the item form of any kind; times are typed in the expo's
// zone (a roadshow item takes its slot's).
func readItem(f *form, zone *time.Location) service.ItemInput {
	kinds := make([]string, 0, len(expodesk.ItineraryKinds))
	for _, k := range expodesk.ItineraryKinds {
		kinds = append(kinds, string(k))
	}
	in := service.ItemInput{Kind: expodesk.ItineraryKind(f.choice("kind", kinds, true)),
		Title:    f.text("title", expodesk.MaxItemTitle, false),
		Location: f.text("location", expodesk.MaxItemLocation, false),
		Notes:    f.paragraphs("notes", expodesk.MaxItemNotes, false)}
	switch in.Kind {
	case expodesk.ItineraryRoadshow:
		if in.SlotID = f.id("slot"); in.SlotID == 0 {
			f.Problems.Add("slot", "validation.required", nil)
		}
	case expodesk.ItineraryVisit:
		in.PavilionID, in.ExhibitorID = f.id("pavilion"), f.id("exhibitor")
		fallthrough
	default:
		in.StartsAt = f.dateTime("starts_at", zone, true)
		in.EndsAt = f.dateTime("ends_at", zone, true)
	}
	return in
}

func (s *Server) itineraryAdd(w http.ResponseWriter, r *http.Request) {
	e, d, f, ok := loadedForm2(s, w, r, s.urlManagedDelegation)
	if !ok {
		return
	}
	var err error
	in := readItem(f, e.Location())
	if f.err() == nil {
		_, err = s.svc.AddItineraryItem(r.Context(), s.caller(r), d.ID, in)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerItinerary(d.ID), flash: flashItemSaved,
		page: func(fs web.FormState) (templ.Component, error) { return s.itemPage(r, d, itemFormKind(in.Kind), 0, fs) }})
}

// urlItem is the delegation and the item the URL names.
func (s *Server) urlItem(r *http.Request) (expodesk.Delegation, expodesk.ItineraryItem, error) {
	did, err := pathID(r, "delegation")
	if err != nil {
		return expodesk.Delegation{}, expodesk.ItineraryItem{}, err
	}
	id, err := pathID(r, "item")
	if err != nil {
		return expodesk.Delegation{}, expodesk.ItineraryItem{}, err
	}
	return s.svc.ItineraryItem(r.Context(), s.caller(r), did, id)
}

func itemValues(it expodesk.ItineraryItem, zone *time.Location) url.Values {
	v := url.Values{"kind": {string(it.Kind)}, "title": {it.Title}, "location": {it.Location}, "notes": {it.Notes},
		"starts_at": {it.StartsAt.In(zone).Format(dateTimeLayout)}, "ends_at": {it.EndsAt.In(zone).Format(dateTimeLayout)}}
	for name, id := range map[string]*int64{"pavilion": it.PavilionID, "exhibitor": it.ExhibitorID, "slot": it.SlotID} {
		if id != nil {
			v.Set(name, itoa(*id))
		}
	}
	return v
}

func (s *Server) itineraryItemEdit(w http.ResponseWriter, r *http.Request) {
	d, it, err := s.urlItem(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	e, err := s.store.ExpoGetByID(r.Context(), d.ExpoID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	c, err := s.itemPage(r, d, itemFormKind(it.Kind), it.ID, web.FormState{Values: itemValues(it, e.Location())})
	s.renderPage(w, r, c, err)
}

func (s *Server) itineraryItemUpdate(w http.ResponseWriter, r *http.Request) {
	d, it, err := s.urlItem(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	e, err := s.store.ExpoGetByID(r.Context(), d.ExpoID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	in := readItem(f, e.Location())
	if f.err() == nil {
		_, err = s.svc.UpdateItineraryItem(r.Context(), s.caller(r), d.ID, it.ID, in)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerItinerary(d.ID), flash: flashItemSaved,
		page: func(fs web.FormState) (templ.Component, error) {
			return s.itemPage(r, d, itemFormKind(it.Kind), it.ID, fs)
		}})
}

func (s *Server) itineraryItemDelete(w http.ResponseWriter, r *http.Request) {
	d, it, err := s.urlItem(r)
	if err == nil {
		err = s.svc.RemoveItineraryItem(r.Context(), s.caller(r), d.ID, it.ID)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(r.Context(), flashItemRemoved)
	http.Redirect(w, r, urls.OrganizerItinerary(d.ID), http.StatusSeeOther)
}

// suggestionsPage ranks the expo's exhibitors for d by the sectors chosen;
// fs is a one-step request sent back with problems for company formFor.
func (s *Server) suggestionsPage(r *http.Request, d expodesk.Delegation, chosen []string, fs web.FormState, formFor int64) (templ.Component, error) {
	ctx := r.Context()
	sectors, err := s.store.SectorList(ctx)
	if err != nil {
		return nil, err
	}
	_, visits, err := s.svc.SuggestedVisits(ctx, s.caller(r), d.ID, chosen)
	if err != nil {
		return nil, err
	}
	e, err := s.store.ExpoGetByID(ctx, d.ExpoID)
	if err != nil {
		return nil, err
	}
	title := web.T(ctx, "itinerary.suggestions_title")
	return web.SuggestionsPage(web.Page{Title: title, Crumbs: s.delegationCrumbs(r, d, title)},
		web.SuggestionsView{Delegation: d, Expo: e, Sectors: sectors, Chosen: chosen, Visits: visits,
			Form: fs, FormFor: formFor, Flash: s.popFlash(r)}), nil
}

// readSectors reads the sectors of interest a form chose, among the known ones.
func (s *Server) readSectors(r *http.Request, f *form) ([]string, error) {
	sectors, err := s.store.SectorList(r.Context())
	if err != nil {
		return nil, err
	}
	codes := make([]string, 0, len(sectors))
	for _, sc := range sectors {
		codes = append(codes, sc.Code)
	}
	return f.choices("sector", codes), nil
}

func (s *Server) suggestions(w http.ResponseWriter, r *http.Request) {
	d, err := s.urlDelegation(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	f := queryForm(r)
	chosen, err := s.readSectors(r, f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	// First opened, the page ranks by the delegation's own sectors of
	// interest; the form's choice (none ticked included) then replaces them.
	if q := r.URL.Query(); !q.Has("ranked") && !q.Has("sector") {
		chosen = d.Sectors
	}
	c, err := s.suggestionsPage(r, d, chosen, web.FormState{}, 0)
	if err == nil && f.err() != nil {
		s.render(w, r, http.StatusUnprocessableEntity, c)
		return
	}
	s.renderPage(w, r, c, err)
}

// meetingPage is the full meeting request form.
func (s *Server) meetingPage(r *http.Request, d expodesk.Delegation, fs web.FormState) (templ.Component, error) {
	ctx := r.Context()
	e, err := s.store.ExpoGetByID(ctx, d.ExpoID)
	if err != nil {
		return nil, err
	}
	companies, err := s.companyOptions(r, e, web.T(ctx, "itinerary.choose_exhibitor"))
	if err != nil {
		return nil, err
	}
	members, err := s.store.DelegationMembers(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	var opts []web.Option
	for _, m := range members {
		if m.ErasedAt != nil {
			continue
		}
		label := m.PersonName.String()
		if m.Title != "" {
			label += ", " + m.Title
		}
		opts = append(opts, web.Option{Value: itoa(m.ID), Label: label})
	}
	title := web.T(ctx, "itinerary.request_meeting")
	return web.MeetingFormPage(web.Page{Title: title, Crumbs: s.delegationCrumbs(r, d, title)},
		web.MeetingFormView{Delegation: d, Expo: e, Form: fs, Companies: companies, Members: opts}), nil
}

func (s *Server) meetingNew(w http.ResponseWriter, r *http.Request) {
	d, err := s.urlDelegation(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := url.Values{}
	if x := queryForm(r).id("exhibitor"); x != 0 {
		v.Set("exhibitor", itoa(x))
	}
	c, err := s.meetingPage(r, d, web.FormState{Values: v})
	s.renderPage(w, r, c, err)
}

// meetingRequest requests a meeting from the full form or from a
// suggested visit's one-step form (from=suggestions), whose page shows
// the problems again at that company's row.
func (s *Server) meetingRequest(w http.ResponseWriter, r *http.Request) {
	e, d, f, ok := loadedForm2(s, w, r, s.urlManagedDelegation)
	if !ok {
		return
	}
	var err error
	zone := e.Location()
	in := service.MeetingInput{ExhibitorID: f.id("exhibitor"), StartsAt: f.dateTime("starts_at", zone, true),
		EndsAt: f.dateTime("ends_at", zone, true), Location: f.text("location", expodesk.MaxMeetingLocation, false),
		Topic: f.paragraphs("topic", expodesk.MaxMeetingTopic, false)}
	if in.ExhibitorID == 0 {
		f.Problems.Add("exhibitor", "validation.required", nil)
	}
	for _, v := range f.Values["attendee"] {
		id, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil || id <= 0 {
			f.Problems.Add("attendees", "validation.choice", nil)
			break
		}
		in.Attendees = append(in.Attendees, id)
	}
	fromSuggestions := f.raw("from") == "suggestions"
	var chosen []string
	if fromSuggestions {
		if chosen, err = s.readSectors(r, f); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	if f.err() == nil {
		_, err = s.svc.RequestMeeting(r.Context(), s.caller(r), d.ID, in)
	}
	done := urls.OrganizerItinerary(d.ID)
	if fromSuggestions {
		done = urls.OrganizerSuggestions(d.ID, url.Values{"sector": chosen})
	}
	s.finish(w, r, submission{f: f, err: err, done: done, flash: flashMeetingRequested,
		page: func(fs web.FormState) (templ.Component, error) {
			if fromSuggestions {
				return s.suggestionsPage(r, d, chosen, fs, in.ExhibitorID)
			}
			return s.meetingPage(r, d, fs)
		}})
}

// meetingAction runs an organizer's action on the meeting the URL names and
// returns to the itinerary; problems (a proposal outside the stay) show there.
func (s *Server) meetingAction(w http.ResponseWriter, r *http.Request,
	act func(d expodesk.Delegation, meeting int64, f *form) (flashKey, error)) {
	d, err := s.urlDelegation(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	id, err := pathID(r, "meeting")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	flash, err := act(d, id, f)
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerItinerary(d.ID) + "#" + service.MeetingKey(id), flash: flash,
		page: func(fs web.FormState) (templ.Component, error) { return s.itineraryPage(r, d, fs) }})
}

func (s *Server) meetingProposal(w http.ResponseWriter, r *http.Request) {
	s.meetingAction(w, r, func(d expodesk.Delegation, id int64, f *form) (flashKey, error) {
		decision := f.choice("decision", []string{"take", "turn_down"}, true)
		if f.err() != nil {
			return "", nil
		}
		take := decision == "take"
		_, err := s.svc.DecideProposal(r.Context(), s.caller(r), d.ID, id, take)
		if take {
			return flashProposalTaken, err
		}
		return flashProposalDeclined, err
	})
}

func (s *Server) meetingCancel(w http.ResponseWriter, r *http.Request) {
	s.meetingAction(w, r, func(d expodesk.Delegation, id int64, _ *form) (flashKey, error) {
		_, err := s.svc.CancelMeeting(r.Context(), s.caller(r), d.ID, id)
		return flashMeetingCancelled, err
	})
}

// shareCreate makes a new secret link and shows it once (only its hash is
// kept), in the delegation's language.
func (s *Server) shareCreate(w http.ResponseWriter, r *http.Request) {
	d, err := s.urlDelegation(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	tok, err := s.svc.ShareItinerary(r.Context(), s.caller(r), d.ID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	ctx := r.Context()
	link := urls.Absolute(s.baseURL(r), urls.SharedItinerary(tok)+"?lang="+string(d.Lang))
	title := web.T(ctx, "itinerary.share_created_title")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	s.render(w, r, http.StatusOK, web.ShareCreatedPage(web.Page{Title: title, Crumbs: s.delegationCrumbs(r, d, title)},
		web.ShareCreatedView{Delegation: d, Link: link}))
}

func (s *Server) shareRevoke(w http.ResponseWriter, r *http.Request) {
	d, err := s.urlDelegation(r)
	if err == nil {
		err = s.svc.RevokeShare(r.Context(), s.caller(r), d.ID)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(r.Context(), flashShareRevoked)
	http.Redirect(w, r, urls.OrganizerItinerary(d.ID), http.StatusSeeOther)
}
