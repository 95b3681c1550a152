package server

import (
	"net/http"
	"strings"
)

// notModified answers a GET whose If-None-Match names the ETag of the 200
// that h writes with 304 and no body. Wrapped around the page cache, a hit
// costs no rendering: the stored page's headers decide, and its body is
// never written. On a miss h still renders, so that the cache stores the
// page for the next request.
func notModified(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inm := r.Header.Get("If-None-Match")
		if inm == "" || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			h.ServeHTTP(w, r)
			return
		}
		h.ServeHTTP(&conditionalWriter{ResponseWriter: w, ifNoneMatch: inm}, r)
	})
}

// conditionalWriter turns a 200 whose ETag the client has into a 304.
type conditionalWriter struct {
	http.ResponseWriter
	ifNoneMatch string
	wrote       bool
	discard     bool
}

func (c *conditionalWriter) WriteHeader(code int) {
	if c.wrote {
		return
	}
	c.wrote = true
	h := c.ResponseWriter.Header()
	if code == http.StatusOK && etagMatches(c.ifNoneMatch, h.Get("ETag")) {
		c.discard = true
		// A 304 carries the headers a cache updates its copy with, not
		// the body's own.
		for _, k := range []string{"Content-Length", "Content-Type", "Content-Encoding"} {
			h.Del(k)
		}
		c.ResponseWriter.WriteHeader(http.StatusNotModified)
		return
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *conditionalWriter) Write(b []byte) (int, error) {
	if !c.wrote {
		c.WriteHeader(http.StatusOK)
	}
	if c.discard {
		return len(b), nil
	}
	return c.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (c *conditionalWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// etagMatches applies If-None-Match's weak comparison (RFC 9110 13.1.2):
// "*" or any listed tag equal to etag once W/ is set aside.
func etagMatches(ifNoneMatch, etag string) bool {
	if etag == "" {
		return false
	}
	etag = strings.TrimPrefix(etag, "W/")
	for tag := range strings.SplitSeq(ifNoneMatch, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
			return true
		}
	}
	return false
}
