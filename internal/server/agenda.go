package server

import (
	"bytes"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
	"expodesk/internal/ical"
	"expodesk/internal/urls"
	"expodesk/web"
)

// viewerZones are the zones the agenda offers to visitors abroad; any other
// valid IANA name in ?tz= works too.
var viewerZones = []string{
	"UTC", "Europe/London", "Europe/Lisbon", "Europe/Madrid", "Europe/Paris", "Europe/Berlin",
	"Europe/Rome", "Europe/Amsterdam", "Europe/Warsaw", "Europe/Athens", "Europe/Istanbul",
	"Europe/Moscow", "Africa/Cairo", "Africa/Johannesburg", "Asia/Dubai", "Asia/Kolkata",
	"Asia/Singapore", "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Seoul", "Asia/Tokyo",
	"Australia/Sydney", "Pacific/Auckland", "America/Sao_Paulo", "America/Buenos_Aires",
	"America/Mexico_City", "America/Bogota", "America/New_York", "America/Chicago",
	"America/Denver", "America/Los_Angeles",
}

// agendaScope resolves the expo and, for a pavilion's agenda, the pavilion.
func (s *Server) agendaScope(r *http.Request) (expodesk.Expo, *expodesk.Pavilion, error) {
	expo, err := s.store.ExpoGet(r.Context(), chi.URLParam(r, "expo"))
	if err != nil {
		return expo, nil, err
	}
	slug := chi.URLParam(r, "pavilion")
	if slug == "" {
		return expo, nil, nil
	}
	pv, err := s.store.PavilionGet(r.Context(), expo.ID, slug)
	if err != nil {
		return expo, nil, err
	}
	return expo, &pv, nil
}

// agenda shows the roadshow slots by day and stage in the expo's zone, and in
// a viewer's zone beside it when ?tz= names one (V4).
func (s *Server) agenda(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	expo, pv, err := s.agendaScope(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	lang := web.Lang(ctx)
	var pavilionID int64
	// The feed link carries the language: a calendar app sends no cookie.
	ics := urls.InLang(urls.ExpoAgendaICS(expo.Slug), string(lang))
	if pv != nil {
		pavilionID = pv.ID
		ics = urls.InLang(urls.PavilionAgendaICS(expo.Slug, pv.Slug), string(lang))
	}
	items, err := s.store.Agenda(ctx, expo.ID, pavilionID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := web.AgendaView{Expo: expo, Pavilion: pv, Days: web.GroupAgenda(items, expo.Location()),
		Zones: viewerZones, ICS: ics}
	if tz := r.URL.Query().Get("tz"); tz != "" && tz != expo.TimeZone {
		if z, ok := viewerZone(tz); ok {
			v.Viewer, v.ViewerTZ = z, tz
			if !slices.Contains(v.Zones, tz) {
				v.Zones = append([]string{tz}, v.Zones...)
			}
		} else {
			// Said on the page rather than ignored, so that a mistyped zone
			// is not read as the expo's times being the visitor's.
			v.UnknownTZ = clip(tz, 64)
		}
	}
	if pv == nil {
		if v.Pavilions, err = s.store.PavilionList(ctx, expo.ID); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	loc := web.RequestFrom(ctx).Loc
	crumbs := []web.Crumb{{Label: loc.T("nav.expos"), Href: urls.Home()}, {Label: expo.Name.In(lang), Href: urls.Expo(expo.Slug)}}
	title := loc.T("agenda.title") + " · " + expo.Name.In(lang)
	if pv != nil {
		crumbs = append(crumbs, web.Crumb{Label: pv.Name.In(lang), Href: urls.Pavilion(expo.Slug, pv.Slug)})
		title = loc.T("agenda.title") + " · " + pv.Name.In(lang)
	}
	crumbs = append(crumbs, web.Crumb{Label: loc.T("agenda.title")})
	s.render(w, r, http.StatusOK, web.AgendaPage(web.Page{
		Title:       title,
		Description: loc.T("agenda.description", map[string]any{"Name": expo.Name.In(lang)}),
		Crumbs:      crumbs,
		AltICS:      v.ICS,
	}, v))
}

// agendaICS is the expo's (or pavilion's) roadshow sessions as an iCalendar feed.
func (s *Server) agendaICS(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	expo, pv, err := s.agendaScope(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var pavilionID int64
	lang := web.Lang(ctx)
	name := expo.Name.In(lang)
	file := expo.Slug
	if pv != nil {
		pavilionID = pv.ID
		name = pv.Name.In(lang) + " · " + name
		// Saved beside the expo's feed, the pavilion's must not overwrite it.
		file = expo.Slug + "-" + pv.Slug
	}
	items, err := s.store.Agenda(ctx, expo.ID, pavilionID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	loc := web.RequestFrom(ctx).Loc
	s.writeFeed(w, r, loc.T("agenda.title")+" · "+name, file, expo.Location(), items)
}

// exhibitorICS is one exhibitor's roadshow sessions as an iCalendar feed.
func (s *Server) exhibitorICS(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, err := s.publicExhibitor(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	items, err := s.store.AgendaByExhibitor(ctx, e.ID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	// A feed has one zone; sessions at other expos still convert correctly
	// because every event carries its instant. Without sessions it is the
	// zone of the expo the exhibitor takes part in next (or last did).
	zone := time.UTC
	if len(items) > 0 {
		zone = expodesk.LoadLocation(items[0].ExpoTimeZone)
	} else {
		parts, err := s.store.ExhibitorParticipations(ctx, e.ID)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		if x, ok := currentExpo(parts, s.now()); ok {
			zone = x.Location()
		}
	}
	s.writeFeed(w, r, e.DisplayName(web.Lang(ctx)), e.Slug, zone, items)
}

// writeFeed writes presented sessions as an iCalendar feed. Free slots are
// not events anyone would subscribe to, so they are left out.
func (s *Server) writeFeed(w http.ResponseWriter, r *http.Request, name, file string, zone *time.Location, items []expodesk.AgendaItem) {
	lang := web.Lang(r.Context())
	loc := i18n.From(r.Context())
	base := s.baseURL(r)
	feed := ical.Feed{Name: name, Zone: zone, Stamp: s.now(), Language: string(lang)}
	for _, it := range items {
		if !it.Presented() {
			continue
		}
		who := it.ExhibitorName.In(lang)
		if who == "" {
			who = it.ExhibitorLegalName
		}
		place := it.StageName.In(lang)
		if where := it.StageLocation.In(lang); where != "" {
			place += ", " + where
		}
		desc := who
		if a := it.Abstracts.In(lang); a != "" {
			desc += "\n\n" + a
		}
		title := it.Titles.In(lang)
		if title == "" {
			title = loc.T("booking.title_tba")
		}
		feed.Events = append(feed.Events, ical.Event{
			UID:         "booking-" + strconv.FormatInt(*it.BookingID, 10) + "@expodesk",
			Start:       it.StartsAt,
			End:         it.EndsAt,
			Summary:     title + " — " + who,
			Description: desc + "\n\n" + loc.T("agenda.ics_footer", map[string]any{"Expo": it.ExpoName.In(lang)}),
			Location:    place,
			URL:         urls.Absolute(base, urls.Exhibitor(it.ExhibitorSlug)),
		})
	}
	var buf bytes.Buffer
	if err := ical.Write(&buf, feed); err != nil {
		s.renderError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `inline; filename="`+file+`.ics"`)
	h.Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(buf.Bytes())
}

// viewerZone loads a ?tz= zone name. "Local" is the server's own zone, which
// means nothing to a visitor.
func viewerZone(tz string) (*time.Location, bool) {
	if len(tz) >= 64 || tz == "Local" {
		return nil, false
	}
	z, err := time.LoadLocation(tz)
	return z, err == nil
}

// currentExpo picks, among an exhibitor's approved participations (soonest
// first), the expo it takes part in next, or the last one when all are past.
func currentExpo(parts []expodesk.ExhibitorParticipation, now time.Time) (expodesk.Expo, bool) {
	if len(parts) == 0 {
		return expodesk.Expo{}, false
	}
	for _, p := range parts {
		end := p.Expo.LastDay.AddDate(0, 0, 1)
		if now.Before(time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, p.Expo.Location())) {
			return p.Expo, true
		}
	}
	return parts[len(parts)-1].Expo, true
}
