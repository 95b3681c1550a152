package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
	"expodesk/web"
)

// home lists the expos with their sisters and figures (V1).
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	expos, err := s.store.ExpoList(ctx)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := web.HomeView{}
	for _, e := range expos {
		sisters, err := s.store.ExpoSisters(ctx, e.ID)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		counts, err := s.store.ExpoCountsGet(ctx, e.ID)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		v.Expos = append(v.Expos, web.ExpoCard{Expo: e, Sisters: sisters, Counts: counts})
	}
	loc := web.RequestFrom(ctx).Loc
	s.render(w, r, http.StatusOK, web.HomePage(web.Page{
		Title:       loc.T("home.title"),
		Description: loc.T("home.lead"),
	}, v))
}

// expoShow is an expo's page: pavilions, sisters, figures (V1).
func (s *Server) expoShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	expo, err := s.publicExpo(ctx, chi.URLParam(r, "expo"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := web.ExpoView{Expo: expo}
	if v.Sisters, err = s.store.ExpoSisters(ctx, expo.ID); err != nil {
		s.renderError(w, r, err)
		return
	}
	if v.Pavilions, err = s.store.PavilionListWithCounts(ctx, expo.ID); err != nil {
		s.renderError(w, r, err)
		return
	}
	if v.Counts, err = s.store.ExpoCountsGet(ctx, expo.ID); err != nil {
		s.renderError(w, r, err)
		return
	}
	lang := web.Lang(ctx)
	loc := web.RequestFrom(ctx).Loc
	s.render(w, r, http.StatusOK, web.ExpoPage(web.Page{
		Title:       expo.Name.In(lang),
		Description: loc.T("expo.description", map[string]any{"Name": expo.Name.In(lang), "City": expo.City.In(lang)}),
		Crumbs:      []web.Crumb{{Label: loc.T("nav.expos"), Href: urls.Home()}, {Label: expo.Name.In(lang)}},
	}, v))
}

// exhibitorShow is an exhibitor's public page (V3). Only a company with an
// approved participation has one.
func (s *Server) exhibitorShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	page, err := s.publicExhibitor(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	e := page.Exhibitor
	v := web.ExhibitorView{Exhibitor: e, Participations: page.Participations, Slots: page.Slots}
	if v.Sectors, err = s.sectorList(ctx); err != nil {
		s.renderError(w, r, err)
		return
	}
	lang := web.Lang(ctx)
	loc := web.RequestFrom(ctx).Loc
	crumbs := []web.Crumb{{Label: loc.T("nav.expos"), Href: urls.Home()}}
	if len(v.Participations) > 0 {
		p := v.Participations[0]
		crumbs = append(crumbs, web.Crumb{Label: p.Expo.Name.In(lang), Href: urls.Expo(p.Expo.Slug)})
		if p.Pavilion != nil {
			crumbs = append(crumbs, web.Crumb{Label: p.Pavilion.Name.In(lang), Href: urls.Pavilion(p.Expo.Slug, p.Pavilion.Slug)})
		}
	}
	crumbs = append(crumbs, web.Crumb{Label: e.DisplayName(lang)})
	desc := e.Description.In(lang)
	if r := []rune(desc); len(r) > 160 {
		desc = string(r[:157]) + "…"
	}
	s.render(w, r, http.StatusOK, web.ExhibitorPage(web.Page{
		Title:       e.DisplayName(lang),
		Description: desc,
		Crumbs:      crumbs,
		AltICS:      urls.InLang(urls.ExhibitorAgendaICS(e.Slug), string(lang)),
	}, v))
}

// publicExhibitor returns the page of the exhibitor named in the URL when
// visitors may see it (ErrNotFound otherwise).
func (s *Server) publicExhibitor(r *http.Request) (expodesk.ExhibitorPage, error) {
	return s.store.ExhibitorPublicPage(r.Context(), chi.URLParam(r, "exhibitor"))
}

// exhibitorLogo serves a logo as stored (re-encoded on upload), cacheable by its ETag.
func (s *Server) exhibitorLogo(w http.ResponseWriter, r *http.Request) {
	logo, err := s.store.LogoGet(r.Context(), chi.URLParam(r, "exhibitor"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	h := w.Header()
	etag := `"` + logo.ETag + `"`
	h.Set("ETag", etag)
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	if r.URL.Query().Get("v") == logo.ETag {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	if notModifiedBy(w, r, etag) {
		return
	}
	h.Set("Content-Type", logo.ContentType)
	_, _ = w.Write(logo.Data)
}
