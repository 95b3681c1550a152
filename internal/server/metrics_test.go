package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"expodesk/internal/expodesk"
	"expodesk/internal/mail"
	"expodesk/internal/metrics"
	"expodesk/internal/metrics/metricstest"
	"expodesk/internal/urls"
)

const testMetricsToken = "metrics-test-token-0123456789abcdef"

// scrapeMetrics reads /metrics on the app port as a scraper holding the token does.
func scrapeMetrics(t *testing.T, base string) metricstest.Families {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+urls.Metrics(), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testMetricsToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics with the token = %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type %q, want the Prometheus text format", ct)
	}
	fams, err := metricstest.Parse(resp.Body)
	if err != nil {
		t.Fatalf("the scrape does not parse: %v", err)
	}
	return fams
}

// metricValue is one series' value in a fresh scrape.
func metricValue(t *testing.T, base, name string, labels map[string]string) float64 {
	t.Helper()
	v, ok := scrapeMetrics(t, base).Value(name, labels)
	if !ok {
		t.Fatalf("no series %s%v", name, labels)
	}
	return v
}

// newMetricsEnv is the account tests' environment with metrics and the
// app port's /metrics behind testMetricsToken.
func newMetricsEnv(t *testing.T) *testEnv {
	t.Helper()
	return newEnvWith(t, envOptions{Clock: newTestClock(), KeepLogs: true, Metrics: true,
		Config: Config{TrustProxy: true, MetricsToken: testMetricsToken}})
}

// TestMetricsEndpointOnAppPort: /metrics on the app port answers the holder
// of METRICS_TOKEN only; anyone else gets the page of an unknown path.
func TestMetricsEndpointOnAppPort(t *testing.T) {
	t.Parallel()
	e := newMetricsEnv(t)
	unknown, unknownBody := e.get("/no-such-page")
	if unknown.StatusCode != s404 {
		t.Fatalf("unknown path = %d", unknown.StatusCode)
	}
	for _, c := range []struct{ name, auth string }{
		{"NoToken", ""},
		{"WrongToken", "Bearer not-the-token-0123456789abcdef"},
		{"TokenPrefix", "Bearer " + testMetricsToken[:10]},
		{"TokenLonger", "Bearer " + testMetricsToken + "x"},
		{"BasicScheme", "Basic " + testMetricsToken},
		{"BareToken", testMetricsToken},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, method := range []string{http.MethodGet, http.MethodHead} {
				req, err := http.NewRequest(method, e.ts.URL+"/metrics", nil)
				if err != nil {
					t.Fatal(err)
				}
				if c.auth != "" {
					req.Header.Set("Authorization", c.auth)
				}
				resp, body := e.do(req)
				if resp.StatusCode != s404 {
					t.Errorf("%s /metrics = %d, want 404", method, resp.StatusCode)
				}
				if strings.Contains(body, "expodesk_") || strings.Contains(body, "go_goroutines") {
					t.Errorf("%s /metrics without the token shows metrics", method)
				}
				if method == http.MethodGet && resp.Header.Get("Content-Type") != unknown.Header.Get("Content-Type") {
					t.Errorf("Content-Type %q, an unknown path's is %q", resp.Header.Get("Content-Type"), unknown.Header.Get("Content-Type"))
				}
			}
		})
	}
	if !strings.Contains(unknownBody, "</html>") {
		t.Errorf("the unknown path's page is not a page:\n%s", excerpt(unknownBody))
	}
	t.Run("WithToken", func(t *testing.T) {
		fams := scrapeMetrics(t, e.ts.URL)
		for _, name := range []string{"go_goroutines", "process_cpu_seconds_total", "expodesk_http_requests_total",
			"expodesk_db_pool_acquired_conns", "expodesk_db_pool_idle_conns", "expodesk_db_pool_total_conns",
			"expodesk_db_pool_acquires_total", "expodesk_db_pool_acquire_duration_seconds_total",
			"expodesk_db_pool_empty_acquires_total", "expodesk_outbox_pending", "expodesk_outbox_oldest_pending_age_seconds",
			"expodesk_auth_signin_failures_total", "expodesk_bookings_total"} {
			if fams[name] == nil {
				t.Errorf("no %s in the scrape", name)
			}
		}
		if v, _ := fams.Value("expodesk_db_pool_max_conns", nil); v != float64(e.pool.Config().MaxConns) {
			t.Errorf("max_conns = %v, the pool's is %d", v, e.pool.Config().MaxConns)
		}
		if v, _ := fams.Value("expodesk_outbox_scrape_error", nil); v != 0 {
			t.Errorf("outbox scrape_error = %v", v)
		}
	})
}

// TestMetricsWithoutToken: metrics without METRICS_TOKEN (METRICS_ADDR
// only) are not on the app port at all, whatever the request carries.
func TestMetricsWithoutToken(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, envOptions{Metrics: true})
	for _, auth := range []string{"", "Bearer", "Bearer ", "Bearer x"} {
		req, err := http.NewRequest(http.MethodGet, e.ts.URL+"/metrics", nil)
		if err != nil {
			t.Fatal(err)
		}
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		if resp, _ := e.do(req); resp.StatusCode != s404 {
			t.Errorf("Authorization %q: /metrics = %d, want 404", auth, resp.StatusCode)
		}
	}
}

// TestMetricsRoutePatterns: requests through the router count under their
// route pattern, never their path; paths no route matches share one label.
func TestMetricsRoutePatterns(t *testing.T) {
	t.Parallel()
	e := newMetricsEnv(t)
	w := e.world()
	for _, p := range []string{"/expos/" + w.Barcelona.Slug, "/expos/" + w.Barcelona.Slug, "/expos/no-such-expo",
		"/exhibitors/" + w.Sensing.Slug, "/no/such/page", "/expos/" + w.Barcelona.Slug + "/", "/d/" + strings.Repeat("A", 43)} {
		e.get(p)
	}
	fams := scrapeMetrics(t, e.ts.URL)
	const name = "expodesk_http_requests_total"
	for _, c := range []struct {
		route, status string
		atLeast       float64
	}{
		{"/expos/{expo}", "2xx", 2},
		{"/expos/{expo}", "4xx", 1},
		{"/exhibitors/{exhibitor}", "2xx", 1},
		{"/d/{token}", "4xx", 1},
		{metrics.Unmatched, "4xx", 1}, // /no/such/page
		{metrics.Unmatched, "3xx", 1}, // the trailing slash's redirect
	} {
		labels := map[string]string{"route": c.route, "method": "GET", "status": c.status}
		if v, _ := fams.Value(name, labels); v < c.atLeast {
			t.Errorf("%s%v = %v, want at least %v", name, labels, v, c.atLeast)
		}
		if v, _ := fams.Value("expodesk_http_request_duration_seconds", labels); v < c.atLeast {
			t.Errorf("latency samples%v = %v, want at least %v", labels, v, c.atLeast)
		}
	}
	routes := e.server.Routes()
	for _, route := range fams.LabelValues(name, "route") {
		if route == metrics.Unmatched {
			continue
		}
		if _, ok := routes["GET "+route]; !ok {
			t.Errorf("route label %q is not a route pattern", route)
		}
		for _, raw := range []string{w.Barcelona.Slug, "no-such", w.Sensing.Slug, "AAAA"} {
			if strings.Contains(route, raw) {
				t.Errorf("route label %q carries the raw path", route)
			}
		}
	}
}

// TestMetricsSignInFailures: each kind of failed sign-in through HTTP
// moves its counter, where the failure is audited (or throttled).
func TestMetricsSignInFailures(t *testing.T) {
	t.Parallel()
	e := newMetricsEnv(t)
	w := e.world()
	failures := func(reason string) float64 {
		return metricValue(t, e.ts.URL, "expodesk_auth_signin_failures_total", map[string]string{"reason": reason})
	}
	want := func(reason string, before float64) {
		t.Helper()
		if got := failures(reason); got != before+1 {
			t.Errorf("signin_failures{reason=%q} = %v, want %v", reason, got, before+1)
		}
	}

	t.Run("WrongPassword", func(t *testing.T) {
		before, audited := failures("password"), e.audits(t, expodesk.ActionSignInFailed)
		resp, _ := e.newClient(t).signInStep(w.ExhibitorA.Email, "not the password at all")
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("sign-in = %d, want 401", resp.StatusCode)
		}
		want("password", before)
		if e.audits(t, expodesk.ActionSignInFailed) != audited+1 {
			t.Error("the failure counted is not the one audited")
		}
	})
	t.Run("UnknownAccountCountsAlike", func(t *testing.T) {
		before := failures("password")
		e.newClient(t).signInStep("nobody@example.org", "not the password at all")
		want("password", before)
	})
	t.Run("WrongTOTPCode", func(t *testing.T) {
		c := e.newClient(t)
		if resp, _ := c.signInStep(w.Organizer.Email, w.Organizer.Password); resp.Header.Get("Location") != "/signin/totp" {
			t.Fatalf("no second step: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		before := failures("totp")
		code, _ := strconv.Atoi(e.totpCode(w.Organizer.ID, w.Organizer.TOTPSecret))
		wrong := strconv.Itoa(100000 + (code+500000)%900000) // six digits, not the current code
		if resp, _ := c.post("/signin/totp", url.Values{"code": {wrong}}); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong code = %d, want 401", resp.StatusCode)
		}
		want("totp", before)
		before = failures("recovery_code")
		if resp, _ := c.post("/signin/totp", url.Values{"mode": {"recovery"}, "recovery_code": {"AAAA-BBBB-CCCC"}}); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong recovery code = %d, want 401", resp.StatusCode)
		}
		want("recovery_code", before)
	})
	t.Run("TOTPLocked", func(t *testing.T) {
		if _, err := e.pool.Exec(context.Background(), `UPDATE app_user SET totp_failures = $2 WHERE id = $1`,
			w.Coordinator.ID, expodesk.TOTPMaxFailures); err != nil {
			t.Fatal(err)
		}
		c := e.newClient(t)
		c.signInStep(w.Coordinator.Email, w.Coordinator.Password)
		before := failures("totp_locked")
		resp, _ := c.post("/signin/totp", url.Values{"code": {e.totpCode(w.Coordinator.ID, w.Coordinator.TOTPSecret)}})
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("code while locked = %d, want 401", resp.StatusCode)
		}
		want("totp_locked", before)
	})
	t.Run("Throttled", func(t *testing.T) {
		c := e.newClient(t)
		before := failures("throttled")
		for range signInAccountLimit("").max {
			c.signInStep(w.ExhibitorB.Email, "not the password at all")
		}
		if resp, _ := c.signInStep(w.ExhibitorB.Email, "not the password at all"); resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("attempt past the limit = %d, want 429", resp.StatusCode)
		}
		want("throttled", before)
	})
}

// TestMetricsBookings: a booking and a cancellation through HTTP count once
// each, after they commit; a lost race counts nothing.
func TestMetricsBookings(t *testing.T) {
	t.Parallel()
	e := newMetricsEnv(t)
	w := e.world()
	openBooking(t, e, w, 2)
	bookings := func(event string) float64 {
		return metricValue(t, e.ts.URL, "expodesk_bookings_total", map[string]string{"event": event})
	}
	jordi, ana := e.signedIn(t, w.ExhibitorB), e.signedIn(t, w.ExhibitorA)
	free := w.Slots[1]
	booked, cancelled := bookings("booked"), bookings("cancelled")
	resp, body := jordi.post(urls.ExhibitorSlotBook(w.Barcelona.Slug, free.ID), nil)
	if resp.StatusCode != s303 {
		t.Fatalf("book = %d\n%s", resp.StatusCode, excerpt(body))
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(resp.Header.Get("Location"), "/exhibitor/bookings/"), 10, 64)
	if got := bookings("booked"); got != booked+1 {
		t.Errorf("booked = %v after a booking, want %v", got, booked+1)
	}
	if resp, _ := ana.post(urls.ExhibitorSlotBook(w.Barcelona.Slug, free.ID), nil); resp.StatusCode != http.StatusConflict {
		t.Fatalf("the same slot again = %d, want 409", resp.StatusCode)
	}
	if got := bookings("booked"); got != booked+1 {
		t.Errorf("booked = %v after a lost race, want %v still", got, booked+1)
	}
	if resp, body := jordi.post(urls.ExhibitorBookingCancel(id), nil); resp.StatusCode != s303 {
		t.Fatalf("cancel = %d\n%s", resp.StatusCode, excerpt(body))
	}
	if got := bookings("cancelled"); got != cancelled+1 {
		t.Errorf("cancelled = %v after a cancellation, want %v", got, cancelled+1)
	}
}

// TestMetricsOutboxDepths: the outbox gauges are the rows waiting in
// PostgreSQL at the moment of the scrape.
func TestMetricsOutboxDepths(t *testing.T) {
	t.Parallel()
	e := newMetricsEnv(t)
	ctx := context.Background()
	pending := func(outbox string) float64 {
		return metricValue(t, e.ts.URL, "expodesk_outbox_pending", map[string]string{"outbox": outbox})
	}
	if pending("mail") != 0 || pending("webhook") != 0 {
		t.Fatalf("an empty database has pending rows: mail %v, webhook %v", pending("mail"), pending("webhook"))
	}
	for i := range 3 {
		m := e.server.mail.Message("someone"+strconv.Itoa(i)+"@example.com", expodesk.EN, mail.Invitation{Role: mail.InviteTeamMember,
			Link: e.ts.URL + "/invitations/x", Inviter: "Metrics", Company: "Taihu Sensing"})
		if _, err := e.store.MailEnqueue(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.pool.Exec(ctx, `UPDATE mail_message SET created_at = now() - interval '90 seconds' WHERE id = (SELECT min(id) FROM mail_message)`); err != nil {
		t.Fatal(err)
	}
	// A sent message and one given up on are not waiting.
	if _, err := e.pool.Exec(ctx, `INSERT INTO mail_message (to_addr, subject, body_text, sent_at) VALUES ('a@example.com', 's', 'b', now())`); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(ctx, `INSERT INTO mail_message (to_addr, subject, body_text, attempts) VALUES ('a@example.com', 's', 'b', $1)`,
		expodesk.MailMaxAttempts); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.WebhookEndpointCreate(ctx, expodesk.WebhookEndpointInput{URL: "https://partner.example.org/hooks",
		Events: []expodesk.WebhookEventType{expodesk.EventSlotBooked}}, "whsec_test", nil); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if _, err := e.store.WebhookEventAdd(ctx, expodesk.WebhookEvent{MessageID: "msg_metricstest000000" + strconv.Itoa(i),
			Type: expodesk.EventSlotBooked, Body: `{}`}, 0); err != nil {
			t.Fatal(err)
		}
	}
	fams := scrapeMetrics(t, e.ts.URL)
	for outbox, n := range map[string]float64{"mail": 3, "webhook": 2} {
		if v, _ := fams.Value("expodesk_outbox_pending", map[string]string{"outbox": outbox}); v != n {
			t.Errorf("pending{%s} = %v, want %v", outbox, v, n)
		}
	}
	if v, _ := fams.Value("expodesk_outbox_oldest_pending_age_seconds", map[string]string{"outbox": "mail"}); v < 90 || v > 3600 {
		t.Errorf("the oldest mail waited %v s, want about 90", v)
	}
	if v, ok := fams.Value("expodesk_outbox_oldest_pending_age_seconds", map[string]string{"outbox": "webhook"}); !ok || v < 0 {
		t.Errorf("oldest webhook age = %v, %v", v, ok)
	}
}

// TestMetricsPageCacheAndDirectory: the page cache's hits, misses, stores
// and invalidations and the directory model's answers move with real
// requests and a real change notification.
func TestMetricsPageCacheAndDirectory(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.seed()
	cfg := e.cfg
	cfg.PageCache, cfg.DirectoryModel, cfg.MetricsToken = true, true, testMetricsToken
	deps := e.deps
	deps.Metrics = metrics.New(deps.Log)
	srv := New(cfg, deps)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.ListenForChanges(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	eventually(t, "the change listener starts", srv.pages.listening.Load)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)

	value := func(name string, labels map[string]string) float64 {
		return metricValue(t, ts.URL, name, labels)
	}
	result := func(r string) map[string]string { return map[string]string{"result": r} }
	page := "/exhibitors/" + w.Cloud.Slug + "?lang=en"
	if r, _ := fetch(t, ts, page); r.Header.Get("X-Cache") == "hit" {
		t.Fatal("the first request was a hit")
	}
	if r, _ := fetch(t, ts, page); r.Header.Get("X-Cache") != "hit" {
		t.Fatal("the second request was not a hit")
	}
	if v := value("expodesk_page_cache_requests_total", result("miss")); v != 1 {
		t.Errorf("misses = %v, want 1", v)
	}
	if v := value("expodesk_page_cache_requests_total", result("hit")); v != 1 {
		t.Errorf("hits = %v, want 1", v)
	}
	if v := value("expodesk_page_cache_stores_total", nil); v != 1 {
		t.Errorf("stores = %v, want 1", v)
	}
	if v := value("expodesk_page_cache_bytes", nil); v <= 0 {
		t.Errorf("bytes = %v, want the stored page's", v)
	}
	if v := value("expodesk_page_cache_entries", nil); v != 1 {
		t.Errorf("entries = %v, want 1", v)
	}
	if v := value("expodesk_page_cache_listening", nil); v != 1 {
		t.Errorf("listening = %v, want 1", v)
	}
	// A page with a parameter pages do not read is rendered, not cached.
	fetch(t, ts, page+"&utm_source=mail")
	if v := value("expodesk_page_cache_requests_total", result("bypass")); v < 1 {
		t.Errorf("bypasses = %v, want at least 1", v)
	}
	// A booking of the company notifies every instance; its page is dropped.
	if _, err := e.store.BookingCreate(context.Background(), expodesk.Booking{SlotID: w.Slots[1].ID, ExhibitorID: w.Cloud.ID}, nil); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the booking's notification drops the company's page", func() bool {
		return value("expodesk_page_cache_invalidations_total", nil) >= 1
	})

	// The directory model answers once it has loaded the expo; until then PostgreSQL does.
	directory := "/expos/" + w.Barcelona.Slug + "/exhibitors?lang=en&q="
	fetch(t, ts, directory+"a")
	if v := value("expodesk_directory_model_answers_total", result("fallback")); v < 1 {
		t.Errorf("fallbacks = %v, want at least 1 before the expo is loaded", v)
	}
	n := 0
	eventually(t, "the model answers", func() bool {
		n++
		fetch(t, ts, directory+"x"+strconv.Itoa(n)) // a new search each time: a miss the model can answer
		return value("expodesk_directory_model_answers_total", result("hit")) >= 1
	})
	if v := value("expodesk_directory_model_expos", nil); v != 1 {
		t.Errorf("expos held = %v, want 1", v)
	}
	if v := value("expodesk_directory_model_rows", nil); v < 1 {
		t.Errorf("rows held = %v", v)
	}
}
