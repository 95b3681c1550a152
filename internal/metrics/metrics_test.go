package metrics

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/metrics/metricstest"
)

// scrape gathers m through its handler, as Prometheus would, and parses it.
func scrape(t *testing.T, h http.Handler) metricstest.Families {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, Path, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape = %d\n%s", rec.Code, rec.Body.String())
	}
	fams, err := metricstest.Parse(rec.Body)
	if err != nil {
		t.Fatalf("the scrape does not parse: %v", err)
	}
	return fams
}

func TestRegistryHasRuntimeAndProcessCollectors(t *testing.T) {
	t.Parallel()
	fams := scrape(t, New(nil).Handler())
	for _, name := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "process_cpu_seconds_total", "process_resident_memory_bytes"} {
		if fams[name] == nil {
			t.Errorf("no %s in the scrape", name)
		}
	}
	// The counters exist at zero before anything happens, so that rate() has a start.
	for _, reason := range []string{"password", "totp", "totp_locked", "recovery_code", "throttled"} {
		if v, ok := fams.Value("expodesk_auth_signin_failures_total", map[string]string{"reason": reason}); !ok || v != 0 {
			t.Errorf("signin failures{reason=%q} = %v, %v; want 0, present", reason, v, ok)
		}
	}
	for _, ev := range []string{"booked", "cancelled"} {
		if _, ok := fams.Value("expodesk_bookings_total", map[string]string{"event": ev}); !ok {
			t.Errorf("no expodesk_bookings_total{event=%q}", ev)
		}
	}
}

func TestRequestsByRoutePattern(t *testing.T) {
	t.Parallel()
	m := New(nil)
	q := m.Requests([]string{"/expos/{expo}", "/"})
	q.Observe("/expos/{expo}", "GET", 200, 3*time.Millisecond)
	q.Observe("/expos/{expo}", "GET", 404, time.Millisecond)
	q.Observe("/expos/{expo}", "HEAD", 0, time.Millisecond) // nothing written: net/http answers 200
	q.Observe("", "GET", 404, time.Millisecond)
	q.Observe("/made/up/{pattern}", "BREW", 418, time.Millisecond)
	fams := scrape(t, m.Handler())
	cases := []struct {
		route, method, status string
		want                  float64
	}{
		{"/expos/{expo}", "GET", "2xx", 1},
		{"/expos/{expo}", "GET", "4xx", 1},
		{"/expos/{expo}", "HEAD", "2xx", 1},
		{Unmatched, "GET", "4xx", 1},
		{Unmatched, "OTHER", "4xx", 1},
	}
	for _, c := range cases {
		labels := map[string]string{"route": c.route, "method": c.method, "status": c.status}
		if v, _ := fams.Value("expodesk_http_requests_total", labels); v != c.want {
			t.Errorf("requests%v = %v, want %v", labels, v, c.want)
		}
		if v, _ := fams.Value("expodesk_http_request_duration_seconds", labels); v != c.want {
			t.Errorf("duration count%v = %v, want %v", labels, v, c.want)
		}
	}
	if got := fams.LabelValues("expodesk_http_requests_total", "route"); len(got) != 2 {
		t.Errorf("routes %v, want /expos/{expo} and %s only", got, Unmatched)
	}
}

// TestObserveAllocatesNothing: once a route's series exist, recording a
// request is a map lookup and atomic adds.
func TestObserveAllocatesNothing(t *testing.T) {
	q := New(nil).Requests([]string{"/expos/{expo}"})
	q.Observe("/expos/{expo}", "GET", 200, time.Millisecond)
	q.Observe("", "POST", 500, time.Millisecond)
	if n := testing.AllocsPerRun(1000, func() {
		q.Observe("/expos/{expo}", "GET", 200, time.Millisecond)
		q.Observe("", "POST", 500, time.Millisecond)
	}); n != 0 {
		t.Errorf("Observe allocates %v times per call", n)
	}
}

func BenchmarkObserve(b *testing.B) {
	q := New(nil).Requests([]string{"/expos/{expo}"})
	b.ReportAllocs()
	for b.Loop() {
		q.Observe("/expos/{expo}", "GET", 200, time.Millisecond)
	}
}

func TestNilMetricsRecordNothing(t *testing.T) {
	t.Parallel()
	var m *Metrics
	m.SignInFailed(FailPassword)
	m.BookingsCommitted(1, 1)
	m.Requests([]string{"/"}).Observe("/", "GET", 200, time.Millisecond)
	m.RegisterPool(nil)
	m.RegisterOutbox(nil)
	m.RegisterPageCache(nil)
	m.RegisterDirectory(nil)
}

// TestOutboxFailureKeepsTheScrape: a database that cannot answer costs the
// outbox series, not the scrape.
func TestOutboxFailureKeepsTheScrape(t *testing.T) {
	t.Parallel()
	m := New(nil)
	fail := true
	m.RegisterOutbox(func(ctx context.Context) ([]expodesk.OutboxDepth, error) {
		if fail {
			return nil, errors.New("connection refused")
		}
		return []expodesk.OutboxDepth{{Outbox: expodesk.OutboxMail, Pending: 3, OldestAge: 90 * time.Second},
			{Outbox: expodesk.OutboxWebhook}}, nil
	})
	fams := scrape(t, m.Handler())
	if v, ok := fams.Value("expodesk_outbox_scrape_error", nil); !ok || v != 1 {
		t.Errorf("outbox scrape_error = %v, %v; want 1", v, ok)
	}
	if fams["expodesk_outbox_pending"] != nil {
		t.Error("pending reported although the query failed")
	}
	if fams["go_goroutines"] == nil {
		t.Error("the rest of the scrape is missing")
	}
	fail = false
	fams = scrape(t, m.Handler())
	want := map[string]float64{"mail": 3, "webhook": 0}
	for outbox, n := range want {
		if v, _ := fams.Value("expodesk_outbox_pending", map[string]string{"outbox": outbox}); v != n {
			t.Errorf("pending{%s} = %v, want %v", outbox, v, n)
		}
	}
	if v, _ := fams.Value("expodesk_outbox_oldest_pending_age_seconds", map[string]string{"outbox": "mail"}); v != 90 {
		t.Errorf("oldest mail age = %v, want 90", v)
	}
	if v, _ := fams.Value("expodesk_outbox_scrape_error", nil); v != 0 {
		t.Errorf("scrape_error = %v after a good read", v)
	}
}

func TestPageCacheAndDirectoryCollectors(t *testing.T) {
	t.Parallel()
	m := New(nil)
	m.RegisterPageCache(func() PageCacheStats {
		return PageCacheStats{Hits: 5, Misses: 2, Bypasses: 1, Stores: 2, Evictions: 1, Invalidations: 4, Bytes: 1234, Entries: 1, Listening: true}
	})
	m.RegisterDirectory(func() DirectoryStats { return DirectoryStats{Hits: 7, Fallbacks: 3, Expos: 1, Rows: 40} })
	fams := scrape(t, m.Handler())
	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"expodesk_page_cache_requests_total", map[string]string{"result": "hit"}, 5},
		{"expodesk_page_cache_requests_total", map[string]string{"result": "miss"}, 2},
		{"expodesk_page_cache_requests_total", map[string]string{"result": "bypass"}, 1},
		{"expodesk_page_cache_stores_total", nil, 2},
		{"expodesk_page_cache_evictions_total", nil, 1},
		{"expodesk_page_cache_invalidations_total", nil, 4},
		{"expodesk_page_cache_bytes", nil, 1234},
		{"expodesk_page_cache_entries", nil, 1},
		{"expodesk_page_cache_listening", nil, 1},
		{"expodesk_directory_model_answers_total", map[string]string{"result": "hit"}, 7},
		{"expodesk_directory_model_answers_total", map[string]string{"result": "fallback"}, 3},
		{"expodesk_directory_model_expos", nil, 1},
		{"expodesk_directory_model_rows", nil, 40},
	} {
		if v, ok := fams.Value(c.name, c.labels); !ok || v != c.want {
			t.Errorf("%s%v = %v (%v), want %v", c.name, c.labels, v, ok, c.want)
		}
	}
}

// TestServeOnlyMetrics: the METRICS_ADDR listener answers /metrics and
// nothing else, and stops when its context ends.
func TestServeOnlyMetrics(t *testing.T) {
	t.Parallel()
	m := New(nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()
	resp, err := http.Get(base + Path)
	if err != nil {
		t.Fatal(err)
	}
	fams, err := metricstest.Parse(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || fams["go_goroutines"] == nil {
		t.Fatalf("GET %s = %d, parse error %v", Path, resp.StatusCode, err)
	}
	for _, p := range []string{"/", "/livez", "/metrics/x", "/expos/iotswc-2027"} {
		resp, err := http.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s on the metrics listener = %d, want 404", p, resp.StatusCode)
		}
	}
	resp, err = http.Post(base+Path, "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST %s = %d, want 405", Path, resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve = %v after its context ended", err)
	}
	if _, err := http.Get(base + Path); err == nil {
		t.Error("the metrics listener still answers after shutdown")
	}
}
