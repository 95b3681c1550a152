package server

import (
	"context"
	"io/fs"
	"net/http"
	"time"

	"expodesk/internal/postgres"
	"expodesk/web"
)

// livez answers while the process serves requests.
func (s *Server) livez(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("ok\n"))
}

// readyz answers 200 when the database is reachable and its schema is at the
// version this binary carries, 503 otherwise. It asks the database each
// time (through the pool, which reconnects by itself), so it goes red
// during an outage and green again when PostgreSQL is back, without a
// restart; the request's log line carries the cause.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	version, dirty, err := s.store.MigrationState(ctx)
	if err != nil {
		noteUnavailable(r.Context(), err)
		w.Header().Set("Retry-After", retryAfter)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database unavailable\n"))
		return
	}
	latest, err := postgres.LatestMigration()
	if err != nil || dirty || uint(version) != latest {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("migrations not current\n"))
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}

// static serves the embedded files; a request carrying the current version
// may be cached for a year.
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Path[len("/static/"):]
	// Only files are served: no directory listings.
	if fi, err := fs.Stat(web.Static, "static/"+name); err != nil || fi.IsDir() {
		s.notFound(w, r)
		return
	}
	if v := r.URL.Query().Get("v"); v != "" && v == web.AssetVersion(name) {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	http.ServeFileFS(w, r, web.Static, "static/"+name)
}

func (s *Server) favicon(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("Content-Type", "image/png")
	http.ServeFileFS(w, r, web.Static, "static/favicon.png")
}

func (s *Server) robots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("User-agent: *\nDisallow: /organizer/\nDisallow: /exhibitor/\nDisallow: /api/\n"))
}
