package server

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/a-h/templ"
)

// TestClientGoneEndsQuietly: a request whose client has gone must not be
// answered with an error page rendered over and over (it once recursed until
// the process ran out of memory) nor logged as an internal error.
func TestClientGoneEndsQuietly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx)
	w := httptest.NewRecorder()
	failing := templ.ComponentFunc(func(ctx context.Context, _ io.Writer) error { return ctx.Err() })
	e.server.render(w, r, http.StatusOK, failing)
	if w.Body.Len() != 0 || w.Code != http.StatusOK {
		t.Errorf("wrote %d bytes with status %d for a gone client, want nothing", w.Body.Len(), w.Code)
	}
}

// TestServerTimeoutIsUnavailable: a deadline the server hit while the
// client still waits (no connection from the pool in time, a database that
// does not answer) is the service unavailable for now: the 503 page with
// Retry-After, not the 500 of a bug.
func TestServerTimeoutIsUnavailable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	w := httptest.NewRecorder()
	e.server.renderError(w, r, context.DeadlineExceeded)
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
		t.Errorf("status %d, Retry-After %q; want 503 with Retry-After", w.Code, w.Header().Get("Retry-After"))
	}
}

// TestPanicBecomesThe500Page: a handler that panics answers with the
// translated 500 page carrying the request id, the panic is logged with it,
// and the server goes on serving.
func TestPanicBecomesThe500Page(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, envOptions{KeepLogs: true})
	h := e.server.observe(e.server.locale(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom: secret internal detail")
	})))
	r := httptest.NewRequest(http.MethodGet, "/anything?lang=es", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	id := w.Header().Get("X-Request-Id")
	body := w.Body.String()
	if w.Code != http.StatusInternalServerError || id == "" || !strings.Contains(body, id) {
		t.Fatalf("status %d, request id %q in body: %v", w.Code, id, strings.Contains(body, id))
	}
	if strings.Contains(body, "boom") || strings.Contains(body, "goroutine") {
		t.Error("the 500 page shows the panic")
	}
	if !strings.Contains(body, "Algo ha fallado") {
		t.Error("the 500 page is not in the request's language")
	}
	if logs := e.logs.String(); !strings.Contains(logs, "boom") || !strings.Contains(logs, id) {
		t.Error("the panic is not logged with the request id")
	}
	if resp, _ := e.get("/livez"); resp.StatusCode != http.StatusOK {
		t.Error("the server stopped serving after a panic")
	}
}
