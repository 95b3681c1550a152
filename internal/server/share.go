package server

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"expodesk/internal/i18n"
	"expodesk/internal/ical"
	"expodesk/internal/urls"
	"expodesk/web"
)

// The shared itinerary (O4): a delegation's read-only plan behind its
// secret link, in the language ?lang= chose, and the same as a calendar
// file. The URL is a secret: never cached by the page cache (these routes
// are not wrapped in s.cached) nor by anyone else, and never sent on as a
// referrer. An unknown, guessed or revoked token is not found.

// secretPage marks a response whose URL carries a secret.
func secretPage(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Cache-Control", "private, no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Robots-Tag", "noindex, nofollow")
}

func (s *Server) sharedItinerary(w http.ResponseWriter, r *http.Request) {
	secretPage(w)
	tok := chi.URLParam(r, "token")
	it, err := s.svc.SharedItinerary(r.Context(), tok)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	ctx := r.Context()
	plan := web.NewPlan(ctx, planInput(it, true))
	ics := urls.SharedItineraryICS(tok) + "?lang=" + string(web.Lang(ctx))
	s.render(w, r, http.StatusOK, web.SharedItineraryPage(web.Page{Title: web.In(ctx, it.Delegation.Name)}, web.SharedView{Plan: plan, ICS: ics}))
}

// sharedICS is the shared itinerary as one calendar file: items and
// standing meetings, in the expo's zone with its VTIMEZONE (calendar apps
// show them in the reader's own), meetings not yet accepted as tentative.
func (s *Server) sharedICS(w http.ResponseWriter, r *http.Request) {
	secretPage(w)
	tok := chi.URLParam(r, "token")
	it, err := s.svc.SharedItinerary(r.Context(), tok)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	ctx := r.Context()
	lang := web.Lang(ctx)
	loc := i18n.From(ctx)
	plan := web.NewPlan(ctx, planInput(it, true))
	feed := ical.Feed{Name: it.Delegation.Name.In(lang), Zone: plan.Zone, Stamp: s.now(), Language: string(lang)}
	for _, day := range plan.Days {
		for _, e := range day.Entries {
			ev := ical.Event{UID: e.Key + "-d" + itoa(it.Delegation.ID) + "@expodesk", Start: e.StartsAt, End: e.EndsAt,
				Summary: e.Title, Location: e.Place, Description: e.Notes, Sequence: e.Sequence, Modified: e.Modified}
			if e.Meeting != nil {
				ev.Tentative = e.Meeting.Status != "accepted"
				status := loc.T("meetings.status." + string(e.Meeting.Status))
				ev.Description = strings.TrimSpace(status + "\n\n" + e.Notes)
			}
			feed.Events = append(feed.Events, ev)
		}
	}
	var buf bytes.Buffer
	if err := ical.Write(&buf, feed); err != nil {
		s.renderError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="itinerary.ics"`)
	_, _ = w.Write(buf.Bytes())
}
