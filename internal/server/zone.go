package server

import (
	"net/http"
	"slices"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/web"
)

// The zone a viewer abroad reads times in (V4, and the booking window's
// opening in E3). It is chosen with ?tz= in the pages' no-JS form (app.js
// adds a "use my zone" button that fills it from the browser) and
// remembered in a cookie, so that the agenda of another day, another expo
// or the booking page shows the same zone without choosing again. ?tz=
// with no value is "the expo's zone only" and forgets the choice.

// zoneCookie holds the zone a viewer chose.
const zoneCookie = "tz"

// zoneCookieAge is how long a chosen zone is remembered, as long as the language.
const zoneCookieAge = 365 * 24 * time.Hour

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

// rememberZone sets the zone cookie from ?tz= (a valid zone) or clears it
// (?tz= empty). It runs before the page cache, so that a page served from
// the cache remembers the choice too; a ?tz= naming no zone changes nothing.
func (s *Server) rememberZone(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if q := r.URL.Query(); r.Method == http.MethodGet && q.Has("tz") {
			c := &http.Cookie{Name: zoneCookie, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
				Secure: s.cfg.SecureCookies}
			// Set or cleared when that changes it only, as the language
			// cookie: a response setting a cookie is private.
			_, err := r.Cookie(zoneCookie)
			switch tz := q.Get("tz"); {
			case tz == "" && err == nil:
				c.MaxAge = -1
				http.SetCookie(w, c)
			case tz != "" && validZone(tz) && !hasCookie(r, zoneCookie, tz):
				c.Value, c.MaxAge = tz, int(zoneCookieAge.Seconds())
				http.SetCookie(w, c)
			}
		}
		next.ServeHTTP(w, r)
	})
}

// chosenZone is the zone name the request asks for: ?tz= when present
// (fromQuery, even empty), else the remembered one when it is valid.
func chosenZone(r *http.Request) (tz string, fromQuery bool) {
	if q := r.URL.Query(); q.Has("tz") {
		return q.Get("tz"), true
	}
	if c, err := r.Cookie(zoneCookie); err == nil && validZone(c.Value) {
		return c.Value, false
	}
	return "", false
}

// zoneFromCookie is the remembered zone a request's page shows without
// naming it in the URL ("" when the URL names one, or none is remembered);
// the page cache keys such pages by it.
func zoneFromCookie(r *http.Request) string {
	if tz, fromQuery := chosenZone(r); !fromQuery {
		return tz
	}
	return ""
}

// readViewerZone is the viewer's second zone beside the expo's. A ?tz=
// naming no zone is reported in Unknown, so that the page says it was
// ignored rather than let the expo's times pass for the visitor's; a bad
// cookie is ignored quietly (the visitor did not just type it).
func readViewerZone(r *http.Request, expo expodesk.Expo) web.Zones {
	z := web.Zones{Options: viewerZones}
	tz, fromQuery := chosenZone(r)
	if tz == "" || tz == expo.TimeZone {
		return z
	}
	loc, ok := viewerZone(tz)
	if !ok {
		if fromQuery {
			z.Unknown = clip(tz, 64)
		}
		return z
	}
	z.Viewer, z.ViewerTZ = loc, tz
	if !slices.Contains(z.Options, tz) {
		z.Options = append([]string{tz}, z.Options...)
	}
	return z
}

// viewerZone loads a zone name. "Local" is the server's own zone, which
// means nothing to a visitor.
func viewerZone(tz string) (*time.Location, bool) {
	if len(tz) >= 64 || tz == "Local" || tz == "" {
		return nil, false
	}
	z, err := time.LoadLocation(tz)
	return z, err == nil
}

func validZone(tz string) bool {
	_, ok := viewerZone(tz)
	return ok
}
