package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"expodesk/internal/api"
	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
	"expodesk/internal/mail"
	"expodesk/internal/pgcluster"
	"expodesk/internal/postgres"
	"expodesk/internal/webhook"
)

// outageEnv is a server over a PostgreSQL cluster of the test's own, which
// the test stops and starts again, with every background worker the binary
// runs.
type outageEnv struct {
	*testEnv
	cluster *pgcluster.Cluster
	sent    *recordingSender
	hooks   *recordingReceiver
	// stopped reports each background worker that returned before the end.
	stopped chan string
}

// newOutageEnv starts a cluster, migrates a database on it and serves it
// with the page cache, the directory model, the change listener, the offer
// sweeper and the mail and webhook workers.
func newOutageEnv(t *testing.T) *outageEnv {
	t.Helper()
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "expodesk-outage-")
	if err != nil {
		t.Fatal(err)
	}
	cluster := &pgcluster.Cluster{Dir: dir, Fast: true}
	t.Cleanup(func() {
		_ = cluster.Stop(context.Background())
		_ = os.RemoveAll(dir)
	})
	if err := cluster.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	if err := cluster.CreateDatabase(ctx, "expodesk"); err != nil {
		t.Fatal(err)
	}
	dbURL := cluster.URL("expodesk")
	if err := postgres.MigrateUp(dbURL); err != nil {
		t.Fatal(err)
	}
	pool, err := postgres.Open(ctx, dbURL, 8)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	store := postgres.New(pool, time.Now)
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	var out io.Writer = logs
	if testing.Verbose() {
		out = io.MultiWriter(logs, &testWriter{t})
	}
	log := slog.New(ContextHandler{slog.NewTextHandler(out, nil)})
	ts := httptest.NewUnstartedServer(nil)
	cfg := Config{Addr: "127.0.0.1:0", BaseURL: "http://" + ts.Listener.Addr().String(), PageCache: true, DirectoryModel: true}
	deps := Deps{Store: store, Pool: pool, Catalog: catalog, Log: log, Now: time.Now,
		Passwords: testHasher(), Mail: mail.NewComposer(catalog)}
	srv := New(cfg, deps)
	ts.Config.Handler = srv
	ts.Start()
	t.Cleanup(ts.Close)
	client := ts.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	e := &outageEnv{
		testEnv: &testEnv{t: t, store: store, pool: pool, server: srv, ts: ts, client: client, cfg: cfg, deps: deps, logs: logs},
		cluster: cluster, sent: &recordingSender{}, hooks: &recordingReceiver{}, stopped: make(chan string, 8),
	}

	// The background work of `expodesk serve`, polling often so that the
	// test need not wait long for a round after the restart.
	mailer := mail.NewWorker(store, e.sent, log, time.Now)
	mailer.Interval = 50 * time.Millisecond
	hooker := webhook.NewWorker(store, webhook.NewClient(webhook.ClientConfig{AllowPrivate: true}), log, time.Now)
	hooker.Interval = 50 * time.Millisecond
	bg, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	run := func(name string, fn func(context.Context)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(bg)
			if bg.Err() == nil {
				e.stopped <- name
			}
		}()
	}
	run("change listener", srv.ListenForChanges)
	run("offer sweeper", func(ctx context.Context) { srv.RunOfferSweeper(ctx, 50*time.Millisecond) })
	run("mail worker", mailer.Run)
	run("webhook worker", hooker.Run)
	t.Cleanup(func() { stop(); wg.Wait() })
	e.waitListening(true)
	return e
}

// waitListening waits until the page cache knows whether notifications
// arrive (the listener's own account of its connection).
func (e *outageEnv) waitListening(want bool) {
	e.t.Helper()
	waitUntil(e.t, fmt.Sprintf("the change listener to be listening=%v", want), func() bool {
		return e.server.pages.listening.Load() == want
	})
}

// waitUntil polls cond until it holds, failing the test after 15 s.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// recordingSender is a mail.Sender that keeps what it is given.
type recordingSender struct {
	mu  sync.Mutex
	got []string
}

func (s *recordingSender) Send(_ context.Context, to, subject, _ string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, to+": "+subject)
	return nil
}

func (s *recordingSender) sent() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.got...)
}

// recordingReceiver is a webhook endpoint that takes every delivery.
type recordingReceiver struct {
	mu  sync.Mutex
	ids []string
}

func (h *recordingReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.ids = append(h.ids, r.Header.Get("webhook-id"))
	h.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (h *recordingReceiver) received() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.ids...)
}

// TestDatabaseOutage stops PostgreSQL under a serving instance and starts
// it again on the same port. Meanwhile every answer that needs the
// database is a 503 with Retry-After and a page (or, under the API, a
// problem) in the reader's language, never a 500; each is logged once, as
// a warning; readiness is red. After the restart readiness is green
// without restarting the app, the signed-in session still works, a change
// committed after the restart reaches a cached page (the listener is back),
// and the mail and webhook workers deliver what is queued after it.
func TestDatabaseOutage(t *testing.T) {
	t.Parallel()
	e := newOutageEnv(t)
	ctx := context.Background()
	f := e.seed()
	ana := e.createAccount(expodesk.User{Email: "ana@taihu.example.com", Role: expodesk.RoleExhibitor,
		ExhibitorID: &f.Sensing.ID, PersonName: expodesk.PersonName{FamilyName: "王", GivenName: "安娜"}, Lang: expodesk.ZH})
	browser := e.signedIn(t, ana)
	const page = "/exhibitors/taihu-sensing?lang=en"
	e.get(page)
	if resp, _ := e.get(page); resp.Header.Get("X-Cache") != "hit" {
		t.Fatal("the exhibitor page was not cached before the outage")
	}
	if resp, _ := e.get("/readyz"); resp.StatusCode != http.StatusOK {
		t.Fatalf("/readyz before the outage: %d", resp.StatusCode)
	}

	if err := e.cluster.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	// The listener hears its connection end; until then a cached page may
	// still be served, and it is as fresh as ever: nothing commits while
	// the server is down.
	e.waitListening(false)
	logStart := len(e.logs.String())

	type ask struct {
		name, method, path string
		headers            []string
		signedIn           bool
		title              string // the translated title the page must carry
	}
	asks := []ask{
		{name: "HomeEnglish", path: "/", headers: []string{"Accept-Language", "en"}, title: "Back in a moment"},
		{name: "CachedPageChinese", path: "/exhibitors/taihu-sensing?lang=zh", title: "请稍候"},
		{name: "CachedPageEnglish", path: page, title: "Back in a moment"},
		{name: "ExpoSpanish", path: "/expos/iotswc-test", headers: []string{"Accept-Language", "es-ES,es;q=0.9"}, title: "Volvemos enseguida"},
		{name: "DirectorySearchChinese", path: "/expos/iotswc-test/exhibitors?q=taihu", headers: []string{"Accept-Language", "zh-CN"}, title: "请稍候"},
		{name: "AgendaSpanish", path: "/expos/iotswc-test/agenda?lang=es", title: "Volvemos enseguida"},
		{name: "FeedEnglish", path: "/expos/iotswc-test/agenda.ics", title: "Back in a moment"},
		{name: "SignInFormPost", method: http.MethodPost, path: "/signin?lang=zh", title: "请稍候"},
		{name: "SignedInSpanish", path: "/account", headers: []string{"Accept-Language", "es"}, signedIn: true, title: "Volvemos enseguida"},
		{name: "SignedInPostChinese", method: http.MethodPost, path: "/account/profile", headers: []string{"Accept-Language", "zh"}, signedIn: true, title: "请稍候"},
		{name: "API", path: "/api/v1/expos/iotswc-test?lang=es"},
		{name: "APIDirectory", path: "/api/v1/expos/iotswc-test/exhibitors?q=taihu"},
	}
	var ids []string
	for _, a := range asks {
		t.Run("During/"+a.name, func(t *testing.T) {
			method := a.method
			if method == "" {
				method = http.MethodGet
			}
			var body io.Reader
			if method == http.MethodPost {
				body = strings.NewReader(url.Values{"email": {"ana@taihu.example.com"}, "password": {"whatever-it-is"}}.Encode())
			}
			req, err := http.NewRequest(method, e.ts.URL+a.path, body)
			if err != nil {
				t.Fatal(err)
			}
			if method == http.MethodPost {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Origin", e.ts.URL)
				req.Header.Set("Sec-Fetch-Site", "same-origin")
			}
			for i := 0; i+1 < len(a.headers); i += 2 {
				req.Header.Set(a.headers[i], a.headers[i+1])
			}
			var resp *http.Response
			var text string
			if a.signedIn {
				resp, text = browser.do(req)
			} else {
				resp, text = e.do(req)
			}
			if resp.StatusCode != http.StatusServiceUnavailable {
				t.Fatalf("%s %s during the outage: %d, want 503\n%s", method, a.path, resp.StatusCode, excerpt(text))
			}
			if got := resp.Header.Get("Retry-After"); got != retryAfter {
				t.Errorf("Retry-After %q, want %q", got, retryAfter)
			}
			if resp.Header.Get("X-Cache") == "hit" {
				t.Error("served from the page cache while the listener is away")
			}
			ids = append(ids, resp.Header.Get("X-Request-Id"))
			if isAPI(req.URL.Path) {
				var p api.Problem
				if err := json.Unmarshal([]byte(text), &p); err != nil || p.Code != api.CodeUnavailable || p.Status != 503 ||
					resp.Header.Get("Content-Type") != "application/problem+json" {
					t.Errorf("problem %q (%s), want code %q and status 503", text, resp.Header.Get("Content-Type"), api.CodeUnavailable)
				}
				validateAPI(t, req, resp, text, true)
				return
			}
			d := doc(t, text)
			if got := strings.TrimSpace(d.Find("h1").First().Text()); got != a.title {
				t.Errorf("heading %q, want %q", got, a.title)
			}
			if strings.Contains(text, "SQLSTATE") || strings.Contains(text, "failed to connect") || strings.Contains(text, "dial tcp") {
				t.Error("the page shows the database error")
			}
		})
	}
	t.Run("During/LivezStaysGreen", func(t *testing.T) {
		if resp, _ := e.get("/livez"); resp.StatusCode != http.StatusOK {
			t.Errorf("/livez during the outage: %d, want 200 (the process is alive)", resp.StatusCode)
		}
	})
	t.Run("During/ReadyzIsRed", func(t *testing.T) {
		resp, _ := e.get("/readyz")
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("/readyz during the outage: %d (Retry-After %q), want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		ids = append(ids, resp.Header.Get("X-Request-Id"))
	})
	t.Run("During/LoggedOnceAsWarning", func(t *testing.T) {
		logs := e.logs.String()[logStart:]
		for line := range strings.SplitSeq(logs, "\n") {
			if strings.Contains(line, "level=ERROR") {
				t.Errorf("an error logged during the outage: %s", line)
			}
		}
		for _, id := range ids {
			var lines []string
			for line := range strings.SplitSeq(logs, "\n") {
				if strings.Contains(line, "request_id="+id) {
					lines = append(lines, line)
				}
			}
			if len(lines) != 1 || !strings.Contains(lines[0], "level=WARN") || !strings.Contains(lines[0], "db_unavailable=") {
				t.Errorf("request %s logged %d lines, want one warning naming the database error:\n%s", id, len(lines), strings.Join(lines, "\n"))
			}
		}
	})

	// The same port, the same data: what a restart of PostgreSQL is.
	if err := e.cluster.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "/readyz to be green again", func() bool {
		resp, _ := e.get("/readyz")
		return resp.StatusCode == http.StatusOK
	})
	e.waitListening(true)

	t.Run("After/PagesAnswer", func(t *testing.T) {
		for _, path := range []string{"/", "/expos/iotswc-test", "/expos/iotswc-test/exhibitors?q=taihu", page, "/api/v1/expos/iotswc-test"} {
			if resp, body := e.get(path); resp.StatusCode != http.StatusOK {
				t.Errorf("GET %s after the restart: %d\n%s", path, resp.StatusCode, excerpt(body))
			}
		}
	})
	t.Run("After/TheSessionSurvived", func(t *testing.T) {
		browser.wantSignedIn("after the restart")
	})
	t.Run("After/ACommittedChangeReachesACachedPage", func(t *testing.T) {
		e.get(page)
		if resp, _ := e.get(page); resp.Header.Get("X-Cache") != "hit" {
			t.Fatal("the page is not cached after the restart")
		}
		if _, err := e.pool.Exec(ctx,
			`UPDATE exhibitor SET name = jsonb_set(name, '{en}', '"Taihu Sensing After The Outage"') WHERE id = $1`, f.Sensing.ID); err != nil {
			t.Fatal(err)
		}
		waitUntil(t, "the cached page to show the change committed after the restart", func() bool {
			_, body := e.get(page)
			return strings.Contains(body, "Taihu Sensing After The Outage")
		})
	})
	t.Run("After/WorkersDeliver", func(t *testing.T) {
		receiver := httptest.NewServer(e.hooks)
		defer receiver.Close()
		endpoint, err := e.store.WebhookEndpointCreate(ctx, expodesk.WebhookEndpointInput{URL: receiver.URL,
			Events: []expodesk.WebhookEventType{expodesk.WebhookEventType("slot.booked")}}, "whsec_"+strings.Repeat("A", 43)+"=", nil)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := e.store.WebhookEventAdd(ctx, expodesk.WebhookEvent{MessageID: "msg_after_the_outage", Type: "webhook.test",
			Body: `{"type":"webhook.test","timestamp":"2027-05-11T10:30:00Z","data":{}}`}, endpoint.ID); err != nil || n != 1 {
			t.Fatalf("queue a delivery: %d, %v", n, err)
		}
		if _, err := e.store.MailEnqueue(ctx, expodesk.MailMessage{ToAddr: "ana@taihu.example.com", Lang: expodesk.ZH,
			Subject: "after the outage", BodyText: "sent once PostgreSQL was back", Kind: expodesk.MailPasswordChanged}); err != nil {
			t.Fatal(err)
		}
		waitUntil(t, "the webhook worker to deliver", func() bool { return len(e.hooks.received()) > 0 })
		waitUntil(t, "the mail worker to send", func() bool { return len(e.sent.sent()) > 0 })
		if got := e.hooks.received(); got[0] != "msg_after_the_outage" {
			t.Errorf("webhook deliveries %v", got)
		}
	})
	select {
	case name := <-e.stopped:
		t.Errorf("the %s returned during the outage instead of waiting for the database", name)
	default:
	}
}
