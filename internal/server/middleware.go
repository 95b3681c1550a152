package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"
	"github.com/klauspost/compress/gzhttp"

	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
	"expodesk/web"
)

// statusWriter remembers the status and size of a response for the access log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
		// Middleware and handlers each add what their answer varies on
		// (language, htmx, compression); clients and caches get one header.
		mergeVary(w.Header())
		// The last look at the headers, after the session's cookie is in.
		keepPrivate(w.Header())
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe gives the request an id, logs it when done (the route pattern, never
// the raw URL, so that tokens in paths stay out of logs), counts it in the
// request metrics by the same pattern, and turns a panic into the 500 page.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		note := &requestNote{}
		ctx := context.WithValue(context.WithValue(r.Context(), requestIDKey{}, id), requestNoteKey{}, note)
		r = r.WithContext(ctx)
		w.Header().Set("X-Request-Id", id)
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(ctx, "panic", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if sw.status == 0 {
					// The panic unwound past the language middleware: choose again.
					lang, _ := s.requestLang(r)
					s.renderError(sw, r.WithContext(s.withLang(r, lang)), fmt.Errorf("panic: %v", v))
				}
			}
			pattern := ""
			if rc := chi.RouteContext(r.Context()); rc != nil {
				pattern = rc.RoutePattern()
			}
			took := time.Since(start)
			// By route pattern, like the log line: an unmatched path counts as one label.
			s.requests.Observe(pattern, r.Method, sw.status, took)
			// A 503 is the database being away (or not ready), which the
			// operator hears of as a warning with its cause, once per
			// request; any other 5xx is a bug.
			level := slog.LevelInfo
			switch {
			case sw.status == http.StatusServiceUnavailable:
				level = slog.LevelWarn
			case sw.status >= 500:
				level = slog.LevelError
			case sw.status == http.StatusOK && (pattern == "/readyz" || pattern == "/livez"):
				// A load balancer or supervisor asks every second; only a
				// red answer is news.
				level = slog.LevelDebug
			}
			// Below the configured level (LOG_LEVEL=warn) the line costs
			// nothing: not even its arguments are made.
			if !s.log.Enabled(ctx, level) {
				return
			}
			attrs := []any{"method", r.Method, "route", pattern, "status", sw.status,
				"bytes", sw.bytes, "duration_ms", float64(took.Microseconds()) / 1000,
				"client", s.clientIP(r)}
			if note.unavailable != nil {
				attrs = append(attrs, "db_unavailable", note.unavailable.Error())
			}
			s.log.Log(ctx, level, "request", attrs...)
		}()
		next.ServeHTTP(sw, r)
	})
}

// requestNote is what a request's log line says beyond its status and
// timing; handlers and middleware fill it in as they go.
type requestNote struct {
	// unavailable is the database error a 503 answered.
	unavailable error
	// sessionLoaded is set once the session middleware has loaded the
	// session (authenticate runs just inside it).
	sessionLoaded bool
}

type requestNoteKey struct{}

// noteUnavailable records on the request's log line the outage err that it
// was answered with (the first one, when several were).
func noteUnavailable(ctx context.Context, err error) {
	if n, ok := ctx.Value(requestNoteKey{}).(*requestNote); ok && n.unavailable == nil {
		n.unavailable = err
	}
}

// addVary adds request headers the response depends on to its Vary header;
// statusWriter folds the lines into one when the header is written.
func addVary(h http.Header, names ...string) {
	h["Vary"] = append(h["Vary"], names...)
}

// mergeVary folds every Vary line into one, each name once. A header that
// is one line already is left as it is, without allocating: it is what the
// page cache stores and every hit writes.
func mergeVary(h http.Header) {
	lines := h["Vary"]
	if len(lines) == 0 {
		return
	}
	var seen [16]string
	names := seen[:0]
	changed := len(lines) > 1
	for _, line := range lines {
		for rest := line; rest != ""; {
			var n string
			n, rest, _ = strings.Cut(rest, ",")
			if n = strings.TrimSpace(n); n == "" || containsFold(names, n) {
				changed = true
				continue
			}
			names = append(names, n)
		}
	}
	if changed {
		h["Vary"] = []string{strings.Join(names, ", ")}
	}
}

// containsFold reports whether names holds name, case aside.
func containsFold(names []string, name string) bool {
	for _, n := range names {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

// compressMinSize is the smallest body compress() compresses.
const compressMinSize = 512

// compress gzip- or zstd-encodes responses for clients that accept it:
// pages, feeds and static files alike (images already compressed are left
// alone). Cached pages are stored compressed and bypass it (see cached). A
// compressed response's ETag gets the coding's suffix (codedETag).
func compress() func(http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(gzhttp.MinSize(compressMinSize), gzhttp.SuffixETag(etagSuffix),
		gzhttp.ContentTypeFilter(compressible))
	if err != nil {
		panic(err) // the options are constants
	}
	return func(next http.Handler) http.Handler { return wrap(next) }
}

// transportSecurity sends HSTS when served over TLS (SECURE_COOKIES): on
// every response, 304s answered early included.
func (s *Server) transportSecurity(h http.Header) {
	if s.cfg.SecureCookies {
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
}

// documentHeaders are the policies securityHeaders sets for the document a
// response carries, canonical (a 304 leaves them out: writeNotModified).
var documentHeaders = []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options",
	"Cross-Origin-Opener-Policy", "Permissions-Policy"}

// compressible is gzhttp's choice of content types (not audio, video or
// JPEG) without the other compressed images logos and the favicon come in:
// compressing them again costs CPU and saves nothing.
func compressible(contentType string) bool {
	ct := strings.ToLower(strings.TrimSpace(contentType))
	for _, t := range []string{"image/png", "image/gif", "image/webp", "image/avif"} {
		if strings.HasPrefix(ct, t) {
			return false
		}
	}
	return gzhttp.DefaultContentTypeFilter(ct)
}

// securityHeaders sets the headers every response carries, including a
// Content-Security-Policy whose script nonce is new for each request.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		nonce := base64.RawStdEncoding.EncodeToString(b)
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self' 'nonce-"+nonce+"'; "+
			"style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; "+
			"form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		s.transportSecurity(h)
		next.ServeHTTP(w, r.WithContext(templ.WithNonce(r.Context(), nonce)))
	})
}

const langCookie = "lang"

// locale picks the interface language: ?lang= (remembered in a cookie), then
// the cookie, then Accept-Language, then English.
func (s *Server) locale(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang, fromQuery := s.requestLang(r)
		// The API's and a feed's ?lang= asks for one response, not a
		// remembered choice (a calendar app keeps no cookie; the feed's URL
		// names its language). The cookie is set when it changes only: a
		// response setting one is private (keepPrivate), and the page of a
		// visitor who chose the same language before may be shared with
		// others who did.
		if fromQuery && !isAPI(r.URL.Path) && !strings.HasSuffix(r.URL.Path, ".ics") && !hasCookie(r, langCookie, string(lang)) {
			http.SetCookie(w, &http.Cookie{Name: langCookie, Value: string(lang), Path: "/",
				MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies})
		}
		addVary(w.Header(), "Accept-Language", "Cookie")
		next.ServeHTTP(w, r.WithContext(s.withLang(r, lang)))
	})
}

// hasCookie reports whether r carries the cookie name with value.
func hasCookie(r *http.Request, name, value string) bool {
	c, err := r.Cookie(name)
	return err == nil && c.Value == value
}

// requestLang is the language a request asks for: ?lang= (reported, so that
// it can be remembered), then the cookie, then Accept-Language.
func (s *Server) requestLang(r *http.Request) (lang expodesk.Lang, fromQuery bool) {
	if l, ok := i18n.ParseLang(r.URL.Query().Get("lang")); ok {
		return l, true
	}
	if c, err := r.Cookie(langCookie); err == nil {
		if l, ok := i18n.ParseLang(c.Value); ok {
			return l, false
		}
	}
	return s.catalog.Match(r.Header.Get("Accept-Language")), false
}

// withLang returns r's context carrying what pages need to render in lang.
func (s *Server) withLang(r *http.Request, lang expodesk.Lang) context.Context {
	return web.WithRequest(r.Context(), web.Request{
		Lang:      lang,
		Loc:       s.catalog.Localizer(lang),
		URL:       r.URL,
		Principal: principal(r),
		RequestID: RequestID(r.Context()),
		BaseURL:   s.cfg.BaseURL,
	})
}

// clientIP is the address throttling and the audit log record.
func (s *Server) clientIP(r *http.Request) string {
	if s.cfg.TrustProxy {
		// The right-most entry is the one the trusted proxy added; anything to
		// its left came from the client and could be made up to dodge limits.
		if xffs := r.Header.Values("X-Forwarded-For"); len(xffs) > 0 {
			xff := xffs[len(xffs)-1]
			last := xff[strings.LastIndexByte(xff, ',')+1:]
			if ip := net.ParseIP(strings.TrimSpace(last)); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
