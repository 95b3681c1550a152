package server

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/service"
	"expodesk/internal/urls"
	"expodesk/web"
)

// Registering a company by form (O2) and the organizer's company page.

// The one-time messages of registering and editing companies.
const (
	flashRegistered         flashKey = "register.registered"
	flashParticipationAdded flashKey = "register.participation_added"
	flashIdentitySaved      flashKey = "register.identity_saved"
)

// participationFields are the fields of a registration that still count
// when the participation goes to an existing company.
var participationFields = []string{"status", "pavilion", "booth"}

// maxSeen bounds the candidates a "create anyway" confirms (the store
// returns at most 20).
const maxSeen = 20

// registerView is the registration form of expo e with fs and the likely
// duplicates (none: the plain form).
func (s *Server) registerView(r *http.Request, e expodesk.Expo, fs web.FormState, dups []expodesk.DuplicateCandidate) (templ.Component, error) {
	ctx := r.Context()
	p := principal(r)
	v := web.RegisterView{Expo: e, Form: fs, Duplicates: dups}
	var err error
	if v.Sectors, err = s.store.SectorList(ctx); err != nil {
		return nil, err
	}
	if v.PavilionOptions, err = s.pavilionOptions(ctx, p, e.ID); err != nil {
		return nil, err
	}
	if !p.IsExpoOrganizer() && len(v.PavilionOptions) == 1 {
		// A coordinator registers in their own pavilion, which they cannot change.
		v.FixedPavilion = &v.PavilionOptions[0]
	}
	if v.Form.Values == nil {
		v.Form.Values = web.RegisterValues(v.FixedPavilion)
	}
	return web.RegisterPage(web.Page{Title: web.T(ctx, "register.title")}, v), nil
}

// registrationExpo is the expo the URL names, if the caller may register
// companies there (a coordinator at another expo does not find it).
func (s *Server) registrationExpo(r *http.Request) (expodesk.Expo, error) {
	e, err := s.urlExpo(r)
	if err != nil {
		return e, err
	}
	return s.svc.RegistrationExpo(r.Context(), s.caller(r), e.ID)
}

func (s *Server) exhibitorNew(w http.ResponseWriter, r *http.Request) {
	e, err := s.registrationExpo(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	c, err := s.registerView(r, e, web.FormState{}, nil)
	s.renderPage(w, r, c, err)
}

// exhibitorRegister registers the posted company, or adds the
// participation to the existing company whose button was pressed. Likely
// duplicates show the form again with them (200: nothing is wrong with
// what was typed; the organizer has a choice to make).
func (s *Server) exhibitorRegister(w http.ResponseWriter, r *http.Request) {
	e, f, ok := loadedForm(s, w, r, s.registrationExpo)
	if !ok {
		return
	}
	profile, err := s.readProfile(r, f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	statuses := make([]string, len(expodesk.RegisterStatuses))
	for i, st := range expodesk.RegisterStatuses {
		statuses[i] = string(st)
	}
	in := service.Registration{
		Company: expodesk.Exhibitor{LegalName: f.text("legal_name", 200, true), Name: profile.Name, Description: profile.Description,
			Sectors: profile.Sectors, Country: profile.Country, City: profile.City, Website: profile.Website,
			Email: profile.Email, Phone: profile.Phone, RegistrationID: f.text("registration_id", 40, false)},
		Status:       expodesk.ParticipationStatus(f.choice("status", statuses, true)),
		PavilionID:   f.id("pavilion"),
		Booth:        f.text("booth", expodesk.MaxBoothLen, false),
		ExistingID:   f.id("existing"),
		CreateAnyway: f.raw("confirm") == "new",
		Seen:         f.ids("seen", maxSeen),
	}
	if in.ExistingID != 0 {
		// The company's own fields are not used: only the participation's problems count.
		for field := range f.Problems {
			if !slices.Contains(participationFields, field) {
				delete(f.Problems, field)
			}
		}
	}
	var res service.Registered
	if f.err() == nil {
		res, err = s.svc.RegisterExhibitor(r.Context(), s.caller(r), e.ID, in)
	}
	if errors.Is(err, expodesk.ErrLikelyDuplicates) {
		c, err := s.registerView(r, e, web.FormState{Values: f.Values}, res.Duplicates)
		s.renderPage(w, r, c, err)
		return
	}
	flash := flashRegistered
	if in.ExistingID != 0 {
		flash = flashParticipationAdded
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerParticipations(e.Slug, nil), flash: flash,
		page: func(fs web.FormState) (templ.Component, error) { return s.registerView(r, e, fs, nil) }})
}

// ids returns the positive ids sent under name, at most max of them;
// malformed ones are left out.
func (f *form) ids(name string, max int) []int64 {
	var out []int64
	for _, v := range f.Values[name] {
		if len(out) == max {
			break
		}
		if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

// managedExhibitor is the company the URL names, if the caller may edit it
// as an organizer (another pavilion's company is not found).
func (s *Server) managedExhibitor(r *http.Request) (expodesk.Exhibitor, error) {
	id, _ := strconv.ParseInt(chi.URLParam(r, "exhibitor"), 10, 64)
	return s.svc.ManagedExhibitor(r.Context(), s.caller(r), id)
}

// organizerExhibitorView is company x's page with its two forms as typed
// (zero: filled from what is stored).
func (s *Server) organizerExhibitorView(r *http.Request, x expodesk.Exhibitor, profile, identity web.FormState) (templ.Component, error) {
	ctx := r.Context()
	p := principal(r)
	v := web.OrganizerExhibitorView{Company: x, Profile: profile, Identity: identity, Flash: s.popFlash(r), Links: map[int64]string{}}
	var err error
	if v.Sectors, err = s.store.SectorList(ctx); err != nil {
		return nil, err
	}
	if v.Participations, err = s.store.ExhibitorParticipationsOf(ctx, []int64{x.ID}); err != nil {
		return nil, err
	}
	for _, pt := range v.Participations {
		v.Public = v.Public || pt.Status == expodesk.StatusApproved
		if p.IsExpoOrganizer() || p.ExpoID == pt.ExpoID {
			v.Links[pt.ExpoID] = urls.OrganizerParticipations(pt.ExpoSlug, nil)
		}
	}
	if v.Profile.Values == nil {
		v.Profile.Values = web.ProfileValues(x)
	}
	if v.Identity.Values == nil {
		v.Identity.Values = web.IdentityValues(x)
	}
	return web.OrganizerExhibitorPage(web.Page{Title: web.T(ctx, "register.company_title")}, v), nil
}

func (s *Server) organizerExhibitor(w http.ResponseWriter, r *http.Request) {
	x, err := s.managedExhibitor(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	c, err := s.organizerExhibitorView(r, x, web.FormState{}, web.FormState{})
	s.renderPage(w, r, c, err)
}

// organizerExhibitorSave saves a company's profile with the operation its
// own team uses (service.UpdateExhibitorProfile).
func (s *Server) organizerExhibitorSave(w http.ResponseWriter, r *http.Request) {
	x, f, ok := loadedForm(s, w, r, s.managedExhibitor)
	if !ok {
		return
	}
	in, err := s.readProfile(r, f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if f.err() == nil {
		_, err = s.svc.UpdateExhibitorProfile(r.Context(), s.caller(r), x.ID, in)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerExhibitor(x.ID), flash: flashProfileSaved,
		page: func(fs web.FormState) (templ.Component, error) {
			return s.organizerExhibitorView(r, x, fs, web.FormState{})
		}})
}

// organizerExhibitorIdentity saves a company's legal name and registration id.
func (s *Server) organizerExhibitorIdentity(w http.ResponseWriter, r *http.Request) {
	x, f, ok := loadedForm(s, w, r, s.managedExhibitor)
	if !ok {
		return
	}
	var err error
	in := service.Identity{LegalName: f.text("legal_name", 200, true), RegistrationID: f.text("registration_id", 40, false)}
	if f.err() == nil {
		_, err = s.svc.UpdateExhibitorIdentity(r.Context(), s.caller(r), x.ID, in)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerExhibitor(x.ID), flash: flashIdentitySaved,
		page: func(fs web.FormState) (templ.Component, error) {
			return s.organizerExhibitorView(r, x, web.FormState{}, fs)
		}})
}
