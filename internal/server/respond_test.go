package server

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
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

// TestServerTimeoutIsInternal: a deadline the server hit while the client
// still waits is an internal error, answered with the 500 page.
func TestServerTimeoutIsInternal(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	w := httptest.NewRecorder()
	e.server.renderError(w, r, context.DeadlineExceeded)
	if w.Code != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", w.Code)
	}
}
