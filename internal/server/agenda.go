package server

import (
	"bytes"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
	"expodesk/internal/ical"
	"expodesk/internal/urls"
	"expodesk/web"
)

// agendaScope resolves the expo and, for a pavilion's agenda, the pavilion.
func (s *Server) agendaScope(r *http.Request) (expodesk.Expo, *expodesk.Pavilion, error) {
	expo, err := s.publicExpo(r.Context(), chi.URLParam(r, "expo"))
	if err != nil {
		return expo, nil, err
	}
	slug := chi.URLParam(r, "pavilion")
	if slug == "" {
		return expo, nil, nil
	}
	pv, err := s.publicPavilion(r.Context(), expo.ID, slug)
	if err != nil {
		return expo, nil, err
	}
	return expo, &pv, nil
}

// agenda shows the roadshow slots by day and stage in the expo's zone, and in
// a viewer's zone beside it when ?tz= (or the remembered choice) names one (V4).
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
		Zones: readViewerZone(r, expo), ICS: ics}
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
	items, err := s.store.Calendar(ctx, expo.ID, pavilionID, s.now())
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
	page, err := s.publicExhibitor(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	e := page.Exhibitor
	items, err := s.store.CalendarByExhibitor(ctx, e.ID, s.now())
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
		if x, ok := currentExpo(page.Participations, s.now()); ok {
			zone = x.Location()
		}
	}
	s.writeFeed(w, r, e.DisplayName(web.Lang(ctx)), e.Slug, zone, items)
}

// feedCacheControl lets a calendar feed be kept five minutes and served
// ten more while it is asked for again: calendar apps poll it hourly at
// best, and a feed is the same for every subscriber of its language.
const feedCacheControl = "public, max-age=300, stale-while-revalidate=600"

// writeFeed writes calendar entries as an iCalendar feed. Free slots are
// not events anyone would subscribe to, so they are left out (the store
// does not return them). A booking is the event "booking-<id>" for good:
// moved, retimed, retitled or cancelled it keeps its UID with a higher
// SEQUENCE, so calendars update their copy; the slot booked again by
// another company is another booking, another event. A blocked slot with
// a label (a keynote, a break) is the event "slot-<id>", free time for the
// subscriber (TRANSP:TRANSPARENT) since nobody has to be there.
func (s *Server) writeFeed(w http.ResponseWriter, r *http.Request, name, file string, zone *time.Location, items []expodesk.CalendarEntry) {
	lang := web.Lang(r.Context())
	loc := i18n.From(r.Context())
	base := s.baseURL(r)
	feed := ical.Feed{Name: name, Zone: zone, Stamp: s.now(), Language: string(lang)}
	for _, it := range items {
		place := it.StageName.In(lang)
		if where := it.StageLocation.In(lang); where != "" {
			place += ", " + where
		}
		footer := loc.T("agenda.ics_footer", map[string]any{"Expo": it.ExpoName.In(lang)})
		ev := ical.Event{Start: it.StartsAt, End: it.EndsAt, Location: place, Sequence: it.Sequence,
			Cancelled: it.Cancelled, Created: it.CreatedAt, Modified: it.ModifiedAt}
		switch {
		case it.Presented():
			who := it.ExhibitorName.In(lang)
			if who == "" {
				who = it.ExhibitorLegalName
			}
			desc := who
			if a := it.Abstracts.In(lang); a != "" {
				desc += "\n\n" + a
			}
			title := it.Titles.In(lang)
			if title == "" {
				title = loc.T("booking.title_tba")
			}
			ev.UID = "booking-" + strconv.FormatInt(*it.BookingID, 10) + "@expodesk"
			ev.Summary = title + " — " + who
			ev.Description = desc + "\n\n" + footer
			ev.URL = urls.Absolute(base, urls.Exhibitor(it.ExhibitorSlug))
			if it.Cancelled {
				// Some calendars show a cancelled event as it was; the
				// summary says it in words too.
				ev.Summary = loc.T("calendars.cancelled_summary", map[string]any{"Summary": ev.Summary})
			}
		case it.BookingID == nil && it.Labelled():
			ev.UID = "slot-" + strconv.FormatInt(it.SlotID, 10) + "@expodesk"
			ev.Summary = it.Label.In(lang)
			ev.Description = footer
			ev.URL = urls.Absolute(base, urls.ExpoAgenda(it.ExpoSlug))
			ev.Transparent = true
		default:
			continue
		}
		feed.Events = append(feed.Events, ev)
	}
	var buf bytes.Buffer
	if err := ical.Write(&buf, feed); err != nil {
		s.renderError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `inline; filename="`+file+`.ics"`)
	h.Set("Cache-Control", feedCacheControl)
	_, _ = w.Write(buf.Bytes())
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
