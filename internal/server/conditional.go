package server

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"
)

// HTTP caching of the visitors' pages (issue 12): every public page a
// visitor reads carries a strong ETag, the hash of its identity body, and a
// short public Cache-Control, so that a CDN or a reverse proxy can answer
// the peak; If-None-Match with a current tag answers 304. A page served
// from the page cache has its tag from when it was stored, so that a 304
// costs no rendering; any other public page is rendered, hashed and
// compared (PAGE_CACHE=false, a URL the cache does not keep).

// pageCacheControl lets browsers and shared caches keep a visitor's page
// 30 seconds, and serve it up to a minute longer while they ask again. The
// page cache in each instance hears of a commit within milliseconds; a CDN
// hears nothing, so max-age bounds how late a booking or a profile edit
// shows at the peak, when every page is asked for many times a second and
// the revalidation (a 304 from the page cache) runs behind the copy served
// at once. At a quiet hour a page at most 90 seconds old is shown once.
const pageCacheControl = "public, max-age=30, stale-while-revalidate=60"

// Cache-Control of the pages no shared cache may keep.
const (
	// signedInCacheControl: a signed-in user's page shows who they are.
	signedInCacheControl = "private, no-store"
	// nonceCacheControl: a page with an inline script carries the
	// request's own CSP nonce, which another response must not replay.
	nonceCacheControl = "private, no-cache"
)

// Content codings of a page's representations besides identity, with the
// ETag suffix of each: RFC 9110 8.8.3 makes a gzip or zstd body another
// representation, which needs a strong tag of its own. The suffixes are the
// compression middleware's (gzhttp.SuffixETag), so that a page compressed
// there and one stored compressed by the page cache are named alike.
const (
	codingGzip = "gzip"
	codingZstd = "zstd"
	// etagSuffix is what compress() passes to gzhttp.SuffixETag; gzhttp
	// turns it into "-zstd" for zstd.
	etagSuffix = "-" + codingGzip
)

// codedETag is the tag of etag's representation in coding ("" is identity):
// "abc" becomes "abc-gzip".
func codedETag(etag, coding string) string {
	if coding == "" || len(etag) < 2 {
		return etag
	}
	return etag[:len(etag)-1] + "-" + coding + `"`
}

// sharedCacheControl is the Cache-Control of a visitor's 200 as its handler
// left it: its own public policy (the API's, the feeds'), else
// pageCacheControl in place of write()'s default; false when the handler
// said the page is not to be shared (no-store, private), which gets no tag.
func sharedCacheControl(handlers string) (string, bool) {
	switch {
	case handlers == "" || handlers == "no-cache":
		return pageCacheControl, true
	case strings.HasPrefix(handlers, "public"):
		return handlers, true
	}
	return handlers, false
}

// matchingTag returns the first of tags that If-None-Match names, by the
// weak comparison RFC 9110 13.1.2 prescribes for it (W/ set aside), or ""
// when none does. "*" names tags[0], the tag this request's 200 would
// carry. header is every If-None-Match line joined; a malformed entry ends
// the list there.
func matchingTag(header string, tags ...string) string {
	if header == "" || len(tags) == 0 {
		return ""
	}
	for _, tag := range tags {
		for s := header; ; {
			s = strings.TrimLeft(s, " \t,")
			if s == "" {
				break
			}
			if s[0] == '*' {
				return tags[0]
			}
			s = strings.TrimPrefix(s, "W/")
			if s == "" || s[0] != '"' {
				break
			}
			end := strings.IndexByte(s[1:], '"')
			if end < 0 {
				break
			}
			if s[:end+2] == tag {
				return tag
			}
			s = s[end+2:]
		}
	}
	return ""
}

// ifNoneMatch is the request's If-None-Match, every line of it.
func ifNoneMatch(r *http.Request) string {
	v := r.Header.Values("If-None-Match")
	if len(v) == 1 {
		return v[0]
	}
	return strings.Join(v, ",")
}

// notModifiedBy reports whether a GET or HEAD's If-None-Match names the
// representation etag (in any coding), and if so answers 304.
func notModifiedBy(w http.ResponseWriter, r *http.Request, etag string) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	inm := ifNoneMatch(r)
	if inm == "" {
		return false
	}
	tag := matchingTag(inm, etag, codedETag(etag, codingGzip), codedETag(etag, codingZstd))
	if tag == "" {
		return false
	}
	writeNotModified(w, tag)
	return true
}

// writeNotModified answers 304 for the representation tagged etag: with the
// headers a cache freshens its copy with (ETag, Cache-Control, Vary), none
// of the body's (RFC 9110 15.4.5), nor the policies of the document
// (securityHeaders): a 304 has no document, and a cache or a browser keeps
// the stored response's fields that a 304 does not carry (RFC 9111 4.3.4),
// the policies among them. Early or late (notModifiedEarly, answer), a 304
// has the same headers.
func writeNotModified(w http.ResponseWriter, etag string) {
	h := w.Header()
	h.Set("ETag", etag)
	for _, k := range notModifiedDrops {
		delete(h, k)
	}
	w.WriteHeader(http.StatusNotModified)
}

// notModifiedDrops are the fields a 304 leaves out, canonical.
var notModifiedDrops = append([]string{"Content-Type", "Content-Length", "Content-Encoding", "Content-Disposition"}, documentHeaders...)

// notModifiedEarly answers a visitor's conditional GET or HEAD for a page
// the page cache holds, ahead of the session, language, routing and access
// middleware: a CDN or a browser revalidating a public page sends no
// cookie, so none of them could change the answer (no session to load, no
// one signed in, no remembered language or zone, no cookie to set), and
// these 304s are what the visitor peak is made of. Anything else, the API
// (its CORS headers) and a URL whose ?lang= or ?tz= sets a cookie among it,
// goes on to the full chain, where cached answers the same 304.
func (s *Server) notModifiedEarly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, tag, ok := s.earlyNotModified(r); ok {
			if rc := chi.RouteContext(r.Context()); rc != nil {
				rc.RoutePatterns = append(rc.RoutePatterns, p.route)
			}
			h := w.Header()
			h["Vary"] = p.vary
			h.Set("Cache-Control", p.cacheCtl)
			h.Set("X-Cache", "hit")
			s.transportSecurity(h)
			writeNotModified(w, tag)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// earlyNotModified finds the stored page r revalidates and the tag that
// matched, when notModifiedEarly may answer it.
func (s *Server) earlyNotModified(r *http.Request) (*cachedPage, string, bool) {
	c := s.pages
	if c == nil || len(r.Header["If-None-Match"]) == 0 || len(r.Header["Cookie"]) != 0 || isAPI(r.URL.Path) ||
		choosesPreference(r.URL.RawQuery) {
		return nil, "", false
	}
	// Without a cookie or ?lang=, the language is the one Accept-Language
	// asks for (requestLang, without parsing the query again).
	lang := s.catalog.Match(r.Header.Get("Accept-Language"))
	page, classes, ok := pageKeyIn(r, c, lang)
	if !ok {
		return nil, "", false
	}
	p, ok := c.pages.Get(c.stamp(classes) + "|" + page)
	if !ok {
		return nil, "", false
	}
	tag := p.notModifiedTag(r, p.coding(r.Header.Get("Accept-Encoding")))
	if tag != "" {
		c.counts.hits.Add(1)
	}
	return p, tag, tag != ""
}

// choosesPreference reports whether the query raw has a lang or tz
// parameter (or cannot be read), which the full chain remembers in a
// cookie. A query that holds neither word and no escape cannot have one and
// is not parsed: a search for "language" is still answered early.
func choosesPreference(raw string) bool {
	if !strings.Contains(raw, "lang") && !strings.Contains(raw, "tz") && !strings.Contains(raw, "%") {
		return false
	}
	q, err := url.ParseQuery(raw)
	return err != nil || q.Has("lang") || q.Has("tz")
}

// revalidated serves a public page the page cache does not keep with the
// same ETag, Cache-Control and 304s as the pages it does.
func (s *Server) revalidated(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.pages.answer(capturePage(w, r, h, nil), w, r)
	}
}

// capturePage runs h for r and returns what it wrote as a page, its body
// (appended to buf) rendered with the placeholder nonce (cacheNonce) that
// answer swaps for the request's own. Nothing is sent: the ETag of the
// whole body goes out before the body does.
func capturePage(w http.ResponseWriter, r *http.Request, h http.HandlerFunc, buf []byte) *cachedPage {
	cw := &capture{ResponseWriter: w, body: buf}
	// templ keeps the nonce in a value of the context that WithNonce
	// changes in place: the request's own is put back once h is done.
	nonce := templ.GetNonce(r.Context())
	h(cw, r.WithContext(templ.WithNonce(r.Context(), cacheNonce)))
	templ.WithNonce(r.Context(), nonce)
	if cw.status == 0 {
		cw.status = http.StatusOK
	}
	p := newPage(w.Header(), cw.status, cw.body)
	if rc := chi.RouteContext(r.Context()); rc != nil {
		p.route = rc.RoutePattern()
	}
	return p
}

// newPage is a response a handler wrote, with its shared caching decided: a
// 200 without a nonce that the handler did not keep private gets the strong
// ETag of its body and a public Cache-Control.
func newPage(hdr http.Header, status int, body []byte) *cachedPage {
	p := &cachedPage{status: status, contentType: hdr.Get("Content-Type"), cacheCtl: hdr.Get("Cache-Control"),
		disposition: hdr.Get("Content-Disposition"), vary: mergedVary(hdr), body: body,
		hasNonce: bytes.Contains(body, []byte(cacheNonce))}
	switch {
	case status != http.StatusOK:
		// Errors and redirects are answers to this request only.
		if !strings.Contains(p.cacheCtl, "no-store") {
			p.cacheCtl = "no-store"
		}
	case p.hasNonce:
		p.cacheCtl = nonceCacheControl
	default:
		if cc, ok := sharedCacheControl(p.cacheCtl); ok {
			p.cacheCtl, p.etag = cc, strongETag(body)
			p.etagGzip, p.etagZstd = codedETag(p.etag, codingGzip), codedETag(p.etag, codingZstd)
		}
	}
	return p
}

// mergedVary is hdr's Vary as one line, a copy.
func mergedVary(hdr http.Header) []string {
	v := http.Header{"Vary": append([]string(nil), hdr["Vary"]...)}
	mergeVary(v)
	return v["Vary"]
}

// capture keeps a handler's status and body instead of sending them.
type capture struct {
	http.ResponseWriter
	status int
	body   []byte
}

func (c *capture) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
}

func (c *capture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	c.body = append(c.body, b...)
	return len(b), nil
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (c *capture) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// keepPrivate makes a response that sets a cookie the browser's alone: a
// shared cache storing it would hand the cookie to the next visitor. Its
// freshness and validator stay, for the browser. The cookies are the
// session's (set on any request with a session, whose idle timeout each
// request extends), the language chosen with ?lang= and the viewer's zone.
func keepPrivate(h http.Header) {
	if len(h["Set-Cookie"]) == 0 {
		return
	}
	for i, line := range h["Cache-Control"] {
		if strings.Contains(line, "public") {
			h["Cache-Control"][i] = strings.Replace(line, "public", "private", 1)
		}
	}
}
