package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/a-h/templ"

	"expodesk/internal/expodesk"
	"expodesk/internal/logo"
	"expodesk/internal/service"
	"expodesk/internal/urls"
	"expodesk/web"
)

// logoBodyLimit is the body cap of the logo upload: the largest file a logo
// may be (logo.MaxBytes) and room for the multipart envelope.
const logoBodyLimit = logo.MaxBytes + 1<<20

// profileView is the signed-in exhibitor's own company with what its
// profile page shows. form and logoForm are the two forms as typed (zero:
// filled from what is stored).
func (s *Server) profileView(r *http.Request, form, logoForm web.FormState) (web.ProfileView, error) {
	ctx := r.Context()
	id := principal(r).ExhibitorID
	v := web.ProfileView{Form: form, Logo: logoForm}
	var err error
	if v.Company, err = s.store.ExhibitorGetByID(ctx, id); err != nil {
		return v, err
	}
	if v.Sectors, err = s.store.SectorList(ctx); err != nil {
		return v, err
	}
	parts, err := s.store.ExhibitorParticipations(ctx, id)
	if err != nil {
		return v, err
	}
	v.Public = len(parts) > 0
	v.Preview = expodesk.DirectoryEntry{Exhibitor: v.Company}
	if len(parts) > 0 {
		v.Preview.Booth = parts[0].Booth
		if pv := parts[0].Pavilion; pv != nil {
			v.Preview.PavilionSlug, v.Preview.PavilionName = pv.Slug, pv.Name
		}
	}
	if v.Form.Values == nil {
		v.Form.Values = web.ProfileValues(v.Company)
	}
	return v, nil
}

func (s *Server) profilePage(r *http.Request, v web.ProfileView) templ.Component {
	return web.ProfilePage(web.Page{Title: web.T(r.Context(), "profile.title")}, v)
}

// profile shows the company's profile form, its logo and the preview of
// its public card as it is stored.
func (s *Server) profile(w http.ResponseWriter, r *http.Request) {
	v, err := s.profileView(r, web.FormState{}, web.FormState{})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v.Flash = s.popFlash(r)
	s.render(w, r, http.StatusOK, s.profilePage(r, v))
}

// profileSave changes the signed-in exhibitor's own company, taken from
// the session, never from the form. Only the fields of service.Profile are
// read: a forged slug, legal name, status, pavilion, booth, quota or
// registration id is ignored.
func (s *Server) profileSave(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	in, err := s.readProfile(r, f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if f.err() == nil {
		_, err = s.svc.UpdateExhibitorProfile(r.Context(), s.caller(r), principal(r).ExhibitorID, in)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.ExhibitorProfile(), flash: flashProfileSaved,
		page: func(fs web.FormState) (templ.Component, error) {
			v, err := s.profileView(r, fs, web.FormState{})
			return s.profilePage(r, v), err
		}})
}

// readProfile reads the fields of web.ProfileFields: what a company's
// team may change of its profile (the exhibitor's own form and the
// organizer's company page).
func (s *Server) readProfile(r *http.Request, f *form) (service.Profile, error) {
	sectors, err := s.store.SectorList(r.Context())
	if err != nil {
		return service.Profile{}, err
	}
	codes := make([]string, len(sectors))
	for i, sc := range sectors {
		codes[i] = sc.Code
	}
	return service.Profile{
		Name:        f.texts("name", 200, true),
		Description: f.paragraphsIn("description", 4000),
		Sectors:     f.choices("sectors", codes),
		Country:     strings.ToUpper(f.text("country", 2, true)),
		City:        f.text("city", 100, false),
		Website:     f.text("website", 500, false),
		Email:       f.text("email", 254, false),
		Phone:       f.text("phone", 40, false),
	}, nil
}

// logoUpload replaces the company's logo with the uploaded image, checked
// and re-encoded by the service (internal/logo).
func (s *Server) logoUpload(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	up := f.file(service.LogoField, logo.MaxBytes, true)
	if up != nil && logo.Sniff(up.Data) == "" {
		// Refused on what the content is (an HTML page renamed .png, an
		// SVG, a GIF) before any decoder sees it.
		f.Problems.Add(service.LogoField, "profile.logo_type", nil)
	}
	if f.err() == nil {
		_, err = s.svc.SetLogo(r.Context(), s.caller(r), principal(r).ExhibitorID, up.Data)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.ExhibitorProfile(), flash: flashLogoSaved,
		page: func(fs web.FormState) (templ.Component, error) {
			fs.Values = nil // a file is not shown again
			v, err := s.profileView(r, web.FormState{}, fs)
			return s.profilePage(r, v), err
		}})
}

// logoDelete removes the company's logo.
func (s *Server) logoDelete(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.RemoveLogo(r.Context(), s.caller(r), principal(r).ExhibitorID); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(r.Context(), flashLogoRemoved)
	http.Redirect(w, r, urls.ExhibitorProfile(), http.StatusSeeOther)
}

// ownLogo serves the company's logo to its own team, whether or not the
// company is public yet. It is private (the route's no-store), with the
// same ETag and sandbox as the public logo.
func (s *Server) ownLogo(w http.ResponseWriter, r *http.Request) {
	l, err := s.store.LogoGetOwn(r.Context(), principal(r).ExhibitorID)
	if errors.Is(err, expodesk.ErrNotFound) {
		s.notFound(w, r)
		return
	} else if err != nil {
		s.renderError(w, r, err)
		return
	}
	h := w.Header()
	etag := `"` + l.ETag + `"`
	h.Set("ETag", etag)
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("X-Content-Type-Options", "nosniff")
	if notModifiedBy(w, r, etag) {
		return
	}
	h.Set("Content-Type", l.ContentType)
	_, _ = w.Write(l.Data)
}
