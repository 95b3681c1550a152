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
// may be cached for a year. The ETag is the file's version (a hash of its
// content), so that a browser holding an unversioned URL's copy revalidates
// with a 304.
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Path[len("/static/"):]
	// Only files are served: no directory listings.
	if fi, err := fs.Stat(web.Static, "static/"+name); err != nil || fi.IsDir() {
		s.notFound(w, r)
		return
	}
	version := web.AssetVersion(name)
	if v := r.URL.Query().Get("v"); v != "" && v == version {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	serveStatic(w, r, "static/"+name, version)
}

func (s *Server) favicon(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("Content-Type", "image/png")
	serveStatic(w, r, "static/favicon.png", web.AssetVersion("favicon.png"))
}

// serveStatic serves an embedded file tagged with its version: 304 when
// If-None-Match names it in any coding (net/http's own check knows only
// the identity tag, and compress() suffixes it).
func serveStatic(w http.ResponseWriter, r *http.Request, file, version string) {
	if version != "" {
		etag := `"` + version + `"`
		w.Header().Set("ETag", etag)
		if notModifiedBy(w, r, etag) {
			return
		}
	}
	http.ServeFileFS(w, r, web.Static, file)
}

func (s *Server) robots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write([]byte("User-agent: *\nDisallow: /organizer/\nDisallow: /exhibitor/\nDisallow: /api/\n"))
}
