package server

import (
	"context"
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
// visitors may see it (ErrNotFound otherwise): what the store's
// ExhibitorPublicPage reads, with the expos and pavilions taken from the
// remembered places, and the slots asked for only when the company holds a
// booking. A first view is then one query for most companies.
func (s *Server) publicExhibitor(r *http.Request) (expodesk.ExhibitorPage, error) {
	return s.exhibitorPage(r.Context(), chi.URLParam(r, "exhibitor"))
}

// exhibitorPage is publicExhibitor for the exhibitor slug.
func (s *Server) exhibitorPage(ctx context.Context, slug string) (expodesk.ExhibitorPage, error) {
	if !s.pages.remembers() { // the places would take two queries more each time
		return s.store.ExhibitorPublicPage(ctx, slug)
	}
	pub, err := s.store.ExhibitorPublicGet(ctx, slug)
	if err != nil {
		return expodesk.ExhibitorPage{}, err
	}
	known, err := s.places(ctx)
	if err != nil {
		return expodesk.ExhibitorPage{}, err
	}
	page := expodesk.ExhibitorPage{Exhibitor: pub.Exhibitor,
		Participations: make([]expodesk.ExhibitorParticipation, len(pub.ExpoIDs))}
	for i, id := range pub.ExpoIDs {
		p := &page.Participations[i]
		var ok bool
		p.Expo, ok = known.expos[id]
		if pv := pub.PavilionIDs[i]; ok && pv != 0 {
			var pavilion expodesk.Pavilion
			pavilion, ok = known.pavilions[pv]
			p.Pavilion = &pavilion
		}
		if !ok { // created since they were remembered, its notification still on its way
			return s.store.ExhibitorPublicPage(ctx, slug)
		}
		p.Booth = pub.Booths[i]
	}
	if !pub.Presents {
		page.Slots = []expodesk.AgendaItem{} // as the store's read has it: an empty list, not none
		return page, nil
	}
	page.Slots, err = s.store.AgendaByExhibitor(ctx, pub.ID)
	return page, err
}

// places are every expo and pavilion by id.
type places struct {
	expos     map[int64]expodesk.Expo
	pavilions map[int64]expodesk.Pavilion
}

// places returns every expo and pavilion, remembered like publicExpo's
// rows until the next change to either (they notify unscoped).
func (s *Server) places(ctx context.Context) (places, error) {
	return remembered(s.pages, nil, "places", func() (places, error) {
		expos, err := s.store.ExpoListAll(ctx)
		if err != nil {
			return places{}, err
		}
		pavilions, err := s.store.PavilionListAll(ctx)
		if err != nil {
			return places{}, err
		}
		known := places{expos: make(map[int64]expodesk.Expo, len(expos)),
			pavilions: make(map[int64]expodesk.Pavilion, len(pavilions))}
		for _, e := range expos {
			known.expos[e.ID] = e
		}
		for _, pv := range pavilions {
			known.pavilions[pv.ID] = pv.Pavilion
		}
		return known, nil
	})
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
