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
// the raw URL, so that tokens in paths stay out of logs), and turns a panic
// into the 500 page.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		ctx := context.WithValue(r.Context(), requestIDKey{}, id)
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
			level := slog.LevelInfo
			switch {
			case sw.status >= 500:
				level = slog.LevelError
			case sw.status == http.StatusOK && (pattern == "/readyz" || pattern == "/livez"):
				// A load balancer or supervisor asks every second; only a
				// red answer is news.
				level = slog.LevelDebug
			}
			s.log.Log(ctx, level, "request", "method", r.Method, "route", pattern, "status", sw.status,
				"bytes", sw.bytes, "duration_ms", float64(time.Since(start).Microseconds())/1000,
				"client", s.clientIP(r))
		}()
		next.ServeHTTP(sw, r)
	})
}

// addVary adds request headers the response depends on to its Vary header,
// keeping one header line.
func addVary(h http.Header, names ...string) {
	h["Vary"] = append(h["Vary"], names...)
	mergeVary(h)
}

// mergeVary folds every Vary line into one, each name once.
func mergeVary(h http.Header) {
	lines := h["Vary"]
	if len(lines) == 0 {
		return
	}
	var names []string
	seen := map[string]bool{}
	for _, line := range lines {
		for _, n := range strings.Split(line, ",") {
			n = strings.TrimSpace(n)
			if k := strings.ToLower(n); n != "" && !seen[k] {
				seen[k] = true
				names = append(names, n)
			}
		}
	}
	h["Vary"] = []string{strings.Join(names, ", ")}
}

// compress gzip- or zstd-encodes responses for clients that accept it:
// pages, feeds and static files alike (images already compressed are left
// alone). Cached pages are stored compressed and bypass it (see cached).
func compress() func(http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(gzhttp.MinSize(512))
	if err != nil {
		panic(err) // the options are constants
	}
	return func(next http.Handler) http.Handler { return wrap(next) }
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
		if s.cfg.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r.WithContext(templ.WithNonce(r.Context(), nonce)))
	})
}

const langCookie = "lang"

// locale picks the interface language: ?lang= (remembered in a cookie), then
// the cookie, then Accept-Language, then English.
func (s *Server) locale(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang, fromQuery := s.requestLang(r)
		// The API's ?lang= asks for one response, not a remembered choice.
		if fromQuery && !isAPI(r.URL.Path) {
			http.SetCookie(w, &http.Cookie{Name: langCookie, Value: string(lang), Path: "/",
				MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies})
		}
		addVary(w.Header(), "Accept-Language", "Cookie")
		next.ServeHTTP(w, r.WithContext(s.withLang(r, lang)))
	})
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
