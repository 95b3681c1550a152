package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"

	"expodesk/internal/metrics"
)

// instrument connects the server's parts to its metrics: the request
// table of the router's patterns, and the collectors that read the pool,
// the outboxes, the page cache and the directory model when scraped.
func (s *Server) instrument() {
	if s.metrics == nil {
		return
	}
	patterns := make([]string, 0, len(s.access))
	for key := range s.access {
		_, pattern, _ := strings.Cut(key, " ")
		patterns = append(patterns, pattern)
	}
	s.requests = s.metrics.Requests(patterns)
	s.metricsPage = s.metrics.Handler()
	s.metrics.RegisterPool(s.pool)
	if s.store != nil {
		s.metrics.RegisterOutbox(s.store.OutboxDepths)
	}
	if s.pages != nil {
		s.metrics.RegisterPageCache(s.pages.Stats)
	}
	if s.dir != nil {
		s.metrics.RegisterDirectory(func() metrics.DirectoryStats {
			st := s.dir.Stats()
			return metrics.DirectoryStats{Hits: st.Hits, Fallbacks: st.Fallbacks, Expos: st.Expos, Rows: st.Rows}
		})
	}
}

// metricsEndpoint serves the metrics on the app port to a scraper that
// presents METRICS_TOKEN as a bearer token. Everyone else, and everyone
// when no token is configured, gets the answer of an unknown path (404,
// not 401): the app port does not tell strangers that metrics exist.
func (s *Server) metricsEndpoint(w http.ResponseWriter, r *http.Request) {
	if s.metricsPage == nil || !bearerMatches(r.Header.Get("Authorization"), s.cfg.MetricsToken) {
		s.notFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.metricsPage.ServeHTTP(w, r)
}

// bearerMatches reports whether an Authorization header carries token
// ("Bearer <token>"). Both sides are hashed before the constant-time
// comparison, so that neither the token's bytes nor its length shows in
// how long a wrong guess takes. An empty token matches nothing.
func bearerMatches(header, token string) bool {
	scheme, got, ok := strings.Cut(header, " ")
	if token == "" || !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	a, b := sha256.Sum256([]byte(strings.TrimSpace(got))), sha256.Sum256([]byte(token))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}
