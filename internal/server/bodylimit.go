package server

import (
	"context"
	"net/http"
)

// defaultBodyLimit caps the body of every route that declares no cap of its
// own; ordinary forms are held to maxFormBytes when they are parsed.
const defaultBodyLimit = 1 << 20

// routeOption is something a route declares in the route table beyond its
// access rule.
type routeOption func(*routeSpec)

type routeSpec struct {
	bodyLimit int64
}

// bodyLimit declares a route's own body cap, for routes that take files
// (a logo, a CSV import): enforced before anything parses the body.
func bodyLimit(n int64) routeOption { return func(r *routeSpec) { r.bodyLimit = n } }

type bodyLimitKey struct{}

// routeBodyLimit returns the body cap of the request's route.
func routeBodyLimit(r *http.Request) int64 {
	if n, ok := r.Context().Value(bodyLimitKey{}).(int64); ok {
		return n
	}
	return defaultBodyLimit
}

// limitBody caps a request body before anything parses it; a body declared
// too large is refused at once with the translated 413 page, and one that
// turns out too large while it is read fails the read the same way.
func (s *Server) limitBody(limit int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > limit {
				w.Header().Set("Connection", "close")
				s.renderError(w, r, tooLarge(limit))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), bodyLimitKey{}, limit)))
		})
	}
}
