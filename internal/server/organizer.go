package server

import (
	"expodesk/internal/expodesk"
	"expodesk/web"
	"net/http"
)

// organizerHome is the start page of the organizer area.
func (s *Server) organizerHome(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := principal(r)
	v := web.OrganizerHomeView{}
	var err error
	if v.Expos, err = s.store.ExpoList(ctx); err != nil {
		s.renderError(w, r, err)
		return
	}
	filter := expodesk.MailFilter{Status: expodesk.MailPending}
	if !p.IsExpoOrganizer() {
		pv, err := s.store.PavilionGetByID(ctx, p.PavilionID)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		v.Coordinator = &pv
		filter.PavilionID = &p.PavilionID
	}
	if v.PendingMail, err = s.store.MailCount(ctx, filter); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.OrganizerHomePage(web.Page{Title: web.T(ctx, "organizer.title")}, v))
}
