package server

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
	"expodesk/web"
)

// directory lists an expo's or a pavilion's approved exhibitors, with search,
// filters and pagination in the URL (V2). An htmx request gets only the
// results, so that search updates as the visitor types.
func (s *Server) directory(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	expo, err := s.publicExpo(ctx, chi.URLParam(r, "expo"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	lang := web.Lang(ctx)
	loc := web.RequestFrom(ctx).Loc
	v := web.DirectoryView{Expo: expo, Path: urls.ExpoDirectory(expo.Slug)}
	crumbs := []web.Crumb{{Label: loc.T("nav.expos"), Href: urls.Home()}, {Label: expo.Name.In(lang), Href: urls.Expo(expo.Slug)}}
	title := loc.T("directory.title") + " · " + expo.Name.In(lang)
	if slug := chi.URLParam(r, "pavilion"); slug != "" {
		pv, err := s.publicPavilion(ctx, expo.ID, slug)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		v.Pavilion = &pv
		v.Path = urls.Pavilion(expo.Slug, pv.Slug)
		crumbs = append(crumbs, web.Crumb{Label: pv.Name.In(lang)})
		title = pv.Name.In(lang) + " · " + expo.Name.In(lang)
	} else {
		crumbs = append(crumbs, web.Crumb{Label: loc.T("directory.title")})
	}
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	v.Query = expodesk.DirectoryQuery{
		ExpoID: expo.ID, Text: q.Get("q"), Sector: q.Get("sector"), Country: q.Get("country"),
		Lang: lang, Page: page,
	}.Clean()
	if v.Pavilion != nil {
		v.Query.PavilionID = v.Pavilion.ID
	}
	if v.Sectors, err = s.sectorList(ctx); err != nil {
		s.renderError(w, r, err)
		return
	}
	if !knownSector(v.Sectors, v.Query.Sector) {
		v.Query.Sector = ""
	}
	if v.Result, err = s.directoryPage(ctx, expo, v.Query); err != nil {
		s.renderError(w, r, err)
		return
	}
	addVary(w.Header(), "HX-Request", "HX-History-Restore-Request")
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true" {
		s.render(w, r, http.StatusOK, web.DirectoryResults(v))
		return
	}
	// The country list does not depend on the search, so a new search term
	// does not pay for it again.
	v.Countries, err = remembered(s.pages, pageClasses(r.URL.Path, false), fmt.Sprintf("countries|%d|%d", expo.ID, v.Query.PavilionID), func() ([]string, error) {
		if list, ok := s.dir.Countries(ctx, expo, v.Query.PavilionID); ok {
			return list, nil
		}
		return s.store.DirectoryCountries(ctx, expo.ID, v.Query.PavilionID)
	})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	desc := loc.T("directory.description", map[string]any{"Name": expo.Name.In(lang)})
	if v.Pavilion != nil && !v.Pavilion.Description.IsZero() {
		desc = v.Pavilion.Description.In(lang)
	}
	s.render(w, r, http.StatusOK, web.DirectoryPage(web.Page{Title: title, Description: desc, Crumbs: crumbs}, v))
}

// publicExpo is the expo slug names, remembered until the next change of
// anything (an expo's or a pavilion's row notifies unscoped): every
// directory miss asked PostgreSQL for it before, a round trip of its eighth.
// Callers read it and never change it.
func (s *Server) publicExpo(ctx context.Context, slug string) (expodesk.Expo, error) {
	return remembered(s.pages, nil, "expo|"+slug, func() (expodesk.Expo, error) {
		return s.store.ExpoGet(ctx, slug)
	})
}

// publicPavilion is publicExpo for a pavilion of the expo expoID.
func (s *Server) publicPavilion(ctx context.Context, expoID int64, slug string) (expodesk.Pavilion, error) {
	return remembered(s.pages, nil, fmt.Sprintf("pavilion|%d|%s", expoID, slug), func() (expodesk.Pavilion, error) {
		return s.store.PavilionGet(ctx, expoID, slug)
	})
}

// directoryPage answers a directory query from the model when it can answer
// it fresh, from the store otherwise.
func (s *Server) directoryPage(ctx context.Context, expo expodesk.Expo, q expodesk.DirectoryQuery) (expodesk.DirectoryPage, error) {
	if page, ok := s.dir.Directory(ctx, expo, q); ok {
		return page, nil
	}
	return s.store.Directory(ctx, q)
}

func knownSector(sectors []expodesk.Sector, code string) bool {
	for _, s := range sectors {
		if s.Code == code {
			return true
		}
	}
	return false
}
