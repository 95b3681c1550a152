package server

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
	"expodesk/internal/postgres"
	"expodesk/web"
)

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render writes an HTML component with the given status. It renders into a
// buffer first, so that a failure halfway becomes a clean 500 page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	if err := write(w, r, status, c); err != nil {
		s.renderError(w, r, err)
	}
}

// renderPage answers a GET's page: c with 200, or the error page for err
// (the view could not be read: not found, forbidden, the database).
func (s *Server) renderPage(w http.ResponseWriter, r *http.Request, c templ.Component, err error) {
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, c)
}

// write renders c into a buffer and sends it; nothing is sent on error.
func write(w http.ResponseWriter, r *http.Request, status int, c templ.Component) error {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := c.Render(r.Context(), buf); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
	return nil
}

// clientGone reports whether the request ended because the client went
// away: nothing can be sent, and it is not the server's error.
func clientGone(r *http.Request, err error) bool {
	return r.Context().Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, r.Context().Err()))
}

// HTTP-level error codes the domain has no word for.
const (
	eMethod      = "method_not_allowed" // a known URL called with the wrong method
	eTooLarge    = "too_large"          // a request body over its cap
	eUnavailable = "unavailable"        // the database cannot be reached (postgres.IsUnavailable)
)

// retryAfter is what a 503 asks clients to wait, in seconds: about as long
// as PostgreSQL takes to restart, and the pool to reconnect.
const retryAfter = "5"

// errorCode is err's code for the one error path: the domain's, or
// eUnavailable for an internal error that is a database outage.
func errorCode(err error) string {
	code := expodesk.ErrorCode(err)
	if code == expodesk.EINTERNAL && postgres.IsUnavailable(err) {
		return eUnavailable
	}
	return code
}

// statusOf maps a domain error code to an HTTP status.
func statusOf(code string) int {
	switch code {
	case expodesk.ENOTFOUND:
		return http.StatusNotFound
	case expodesk.EINVALID:
		return http.StatusUnprocessableEntity
	case expodesk.ECONFLICT:
		return http.StatusConflict
	case expodesk.EFORBIDDEN:
		return http.StatusForbidden
	case expodesk.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case expodesk.ETOOMANYREQUEST:
		return http.StatusTooManyRequests
	case expodesk.EGONE:
		return http.StatusGone
	case eMethod:
		return http.StatusMethodNotAllowed
	case eTooLarge:
		return http.StatusRequestEntityTooLarge
	case eUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// renderError is the one error path: a domain error becomes its status and a
// translated page; a database outage is a 503 asking to come back in a few
// seconds, noted on the request's log line (a warning, not an error);
// anything else is logged with the request id and shown as a plain
// sentence with that id, never the error's text.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	if clientGone(r, err) {
		s.log.DebugContext(r.Context(), "client gone", "err", err)
		return
	}
	// An error before the language middleware (loading the session) is
	// answered in the language the request asks for all the same.
	if _, ok := web.RequestOf(r.Context()); !ok {
		lang, _ := s.requestLang(r)
		r = r.WithContext(s.withLang(r, lang))
	}
	code := errorCode(err)
	status := statusOf(code)
	loc := i18n.From(r.Context())
	v := web.ErrorView{Status: status}
	e := expodesk.ErrorOf(err)
	switch status {
	case http.StatusServiceUnavailable:
		noteUnavailable(r.Context(), err)
		w.Header().Set("Retry-After", retryAfter)
		v.Title, v.Message = loc.T("error.unavailable_title"), loc.T("error.unavailable")
		v.RequestID = RequestID(r.Context())
	case http.StatusInternalServerError:
		s.log.ErrorContext(r.Context(), "internal error", "err", err)
		v.Title, v.Message = loc.T("error.internal_title"), loc.T("error.internal")
		v.RequestID = RequestID(r.Context())
	case http.StatusNotFound:
		v.Title, v.Message = loc.T("error.not_found_title"), loc.T("error.not_found")
	case http.StatusForbidden:
		v.Title, v.Message = loc.T("error.forbidden_title"), loc.T("error.forbidden")
	case http.StatusTooManyRequests:
		v.Title = loc.T("error.too_many_title")
	default:
		v.Title = loc.T("error.generic_title")
	}
	// A specific message (a cross-site form, an expired link) says more than the default.
	if e != nil && e.Message != "" && status != http.StatusInternalServerError && status != http.StatusNotFound &&
		status != http.StatusServiceUnavailable {
		v.Message = loc.T(e.Message, e.Data)
	}
	w.Header().Set("Cache-Control", "no-store")
	// The error page is written once; if even that fails, a plain answer
	// goes out rather than another attempt.
	if err := write(w, r, status, web.ErrorPage(web.Page{Title: v.Title}, v)); err != nil && !clientGone(r, err) {
		s.log.ErrorContext(r.Context(), "render error page", "err", err)
		http.Error(w, http.StatusText(status), status)
	}
}

// notFound is the router's answer for unknown URLs. A known URL with a
// trailing slash (/expos/iotswc-2027/) is sent to the URL without it.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if to, ok := s.withoutSlash(r); ok {
		status := http.StatusPermanentRedirect // keeps the method and body
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			status = http.StatusMovedPermanently
		}
		http.Redirect(w, r, to, status)
		return
	}
	if isAPI(r.URL.Path) {
		s.apiError(w, r, expodesk.ErrNotFound)
		return
	}
	s.renderError(w, r, expodesk.ErrNotFound)
}

// withoutSlash returns r's URL without its trailing slashes when the router
// serves that path. The target is always a path on this site: leading
// slashes and backslashes collapse to one slash, so //evil.example/ cannot
// become a redirect to another host.
func (s *Server) withoutSlash(r *http.Request) (string, bool) {
	p := r.URL.EscapedPath()
	if len(p) < 2 || !strings.HasSuffix(p, "/") {
		return "", false
	}
	p = "/" + strings.TrimLeft(strings.TrimRight(p, "/"), "/\\")
	if p == "/" {
		return "", false
	}
	path, err := url.PathUnescape(p)
	if err != nil {
		return "", false
	}
	// Only a page's own path: under a wildcard (/static/*) the path without
	// its slash is no more there than with it.
	rc := chi.NewRouteContext()
	if !s.router.(chi.Routes).Match(rc, r.Method, path) || strings.HasSuffix(rc.RoutePattern(), "*") {
		return "", false
	}
	if r.URL.RawQuery != "" {
		p += "?" + r.URL.RawQuery
	}
	return p, true
}

// routeMethods are the methods a route may serve, in the order Allow lists them.
var routeMethods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// methodNotAllowed answers a known URL called with the wrong method, with
// the methods it does serve in Allow (RFC 9110, 15.5.6).
func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	routes := s.router.(chi.Routes)
	path := r.URL.Path
	if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePath != "" {
		path = rc.RoutePath
	}
	var allow []string
	for _, m := range routeMethods {
		// HEAD is answered wherever GET is (middleware.GetHead).
		if routes.Match(chi.NewRouteContext(), m, path) || (m == http.MethodHead && slices.Contains(allow, http.MethodGet)) {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
	}
	// Under the API, a path that only the CORS preflight route matches is unknown.
	if isAPI(r.URL.Path) {
		if len(allow) == 0 {
			s.apiError(w, r, expodesk.ErrNotFound)
			return
		}
		s.apiError(w, r, &expodesk.Error{Code: eMethod})
		return
	}
	s.renderError(w, r, &expodesk.Error{Code: eMethod, Message: "error.method"})
}
