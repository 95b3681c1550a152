package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// routes is the whole URL surface of expodesk. Every route declares its
// access rule here; a test walks the router and fails on any route whose
// rule is missing from the route × role matrix.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(s.observe, s.securityHeaders, maxBody(1<<20), s.locale)
	r.NotFound(s.notFound)
	r.MethodNotAllowed(s.methodNotAllowed)

	// Operations.
	s.handle(r, "GET", "/livez", Public, s.livez)
	s.handle(r, "GET", "/readyz", Public, s.readyz)
	s.handle(r, "GET", "/static/*", Public, s.static)
	s.handle(r, "GET", "/favicon.ico", Public, s.favicon)
	s.handle(r, "GET", "/robots.txt", Public, s.robots)

	// Visitors (V1–V4).
	s.handle(r, "GET", "/", Public, s.home)
	s.handle(r, "GET", "/expos/{expo}", Public, s.expoShow)
	s.handle(r, "GET", "/expos/{expo}/exhibitors", Public, s.directory)
	s.handle(r, "GET", "/expos/{expo}/pavilions/{pavilion}", Public, s.directory)
	s.handle(r, "GET", "/expos/{expo}/agenda", Public, s.agenda)
	s.handle(r, "GET", "/expos/{expo}/agenda.ics", Public, s.agendaICS)
	s.handle(r, "GET", "/expos/{expo}/pavilions/{pavilion}/agenda", Public, s.agenda)
	s.handle(r, "GET", "/expos/{expo}/pavilions/{pavilion}/agenda.ics", Public, s.agendaICS)
	s.handle(r, "GET", "/exhibitors/{exhibitor}", Public, s.exhibitorShow)
	s.handle(r, "GET", "/exhibitors/{exhibitor}/logo", Public, s.exhibitorLogo)
	s.handle(r, "GET", "/exhibitors/{exhibitor}/agenda.ics", Public, s.exhibitorICS)

	return r
}

// handle registers a route with its access rule.
func (s *Server) handle(r chi.Router, method, pattern string, a Access, h http.HandlerFunc) {
	s.access[method+" "+pattern] = a
	r.With(s.require(a)).Method(method, pattern, h)
}
