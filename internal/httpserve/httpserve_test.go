package httpserve

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// serve starts Until on a loopback listener with h and returns its address
// and where Until's result arrives.
func serve(t *testing.T, ctx context.Context, h http.HandlerFunc, grace time.Duration, log *slog.Logger) (string, <-chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- Until(ctx, &http.Server{Handler: h}, ln, grace, log) }()
	return "http://" + ln.Addr().String(), done
}

// TestUntilFinishesRequestsInFlight: when ctx ends with a slow request
// under way, the shutdown is logged, the request still gets its whole
// answer and Until returns nil.
func TestUntilFinishesRequestsInFlight(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var logs bytes.Buffer
	started := make(chan struct{})
	url, done := serve(t, ctx, func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(300 * time.Millisecond)
		io.WriteString(w, "finished")
	}, 10*time.Second, slog.New(slog.NewTextHandler(&logs, nil)))
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get(url)
		if err != nil {
			got <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got <- string(b)
	}()
	<-started
	cancel()
	if b := <-got; b != "finished" {
		t.Errorf("the request in flight got %q", b)
	}
	if err := <-done; err != nil {
		t.Errorf("Until: %v", err)
	}
	if _, err := http.Get(url); err == nil {
		t.Error("the listener still answers after shutdown")
	}
	if !strings.Contains(logs.String(), `msg="shutting down"`) || !strings.Contains(logs.String(), "timeout=10s") {
		t.Errorf("the shutdown is not logged with its grace period:\n%s", logs.String())
	}
}

// TestUntilGraceRunsOut: a request that outlasts the grace period makes
// Until return an error instead of waiting for it.
func TestUntilGraceRunsOut(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	started, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	url, done := serve(t, ctx, func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
	}, 50*time.Millisecond, nil)
	go http.Get(url)
	<-started
	cancel()
	if err := <-done; !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Until: %v, want the grace period's deadline", err)
	}
}

// TestUntilListenerError: serving that fails before ctx ends is returned.
func TestUntilListenerError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	if err := Until(context.Background(), &http.Server{}, ln, time.Second, nil); err == nil {
		t.Error("Until on a closed listener returned nil")
	}
}
