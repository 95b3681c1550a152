package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5/pgxpool"

	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
	"expodesk/internal/mail"
	"expodesk/internal/metrics"
	"expodesk/internal/postgres"
	"expodesk/internal/testdb"
)

// testEnv is a real server over a fresh database, reachable through httptest.
type testEnv struct {
	t      *testing.T
	store  *postgres.Store
	pool   *pgxpool.Pool
	server *Server
	ts     *httptest.Server
	client *http.Client
	// cfg and deps built the server; secondInstance builds another from them.
	cfg   Config
	deps  Deps
	clock *testClock // nil unless newEnvWith was given one
	logs  *logBuffer // the server's log, when newEnvWith was asked to keep it
}

// newEnv starts a server over a new, migrated, empty database.
func newEnv(t *testing.T) *testEnv {
	t.Helper()
	return newEnvWith(t, envOptions{})
}

// envOptions changes what newEnvWith builds; the zero value is newEnv's server.
type envOptions struct {
	// Clock, when set, is the server's and the store's clock, so that a test
	// can move time past a throttling window or a token's expiry.
	Clock *testClock
	// Config is the server's configuration (Addr is filled in).
	Config Config
	// KeepLogs collects the server's log in testEnv.logs, for tests that read it.
	KeepLogs bool
	// Metrics gives the server metrics of its own (Deps.Metrics).
	Metrics bool
}

// newEnvWith starts a server over a new, migrated, empty database, built as opts say.
func newEnvWith(t *testing.T, opts envOptions) *testEnv {
	t.Helper()
	now := time.Now
	if opts.Clock != nil {
		now = opts.Clock.Now
	}
	store, pool := testdb.Store(t, now)
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	var out io.Writer = io.Discard
	if testing.Verbose() {
		out = &testWriter{t}
	}
	var logs *logBuffer
	if opts.KeepLogs {
		logs = &logBuffer{}
		out = io.MultiWriter(out, logs)
	}
	log := slog.New(ContextHandler{slog.NewTextHandler(out, nil)})
	cfg := opts.Config
	cfg.Addr = "127.0.0.1:0"
	deps := Deps{Store: store, Pool: pool, Catalog: catalog, Log: log, Now: now,
		Passwords: testHasher(), Mail: mail.NewComposer(catalog)}
	if opts.Metrics {
		deps.Metrics = metrics.New(log)
	}
	// Links in mail come from BASE_URL, never from a request's Host: the
	// test server's own address is the public origin here.
	ts := httptest.NewUnstartedServer(nil)
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://" + ts.Listener.Addr().String()
	}
	srv := New(cfg, deps)
	ts.Config.Handler = srv
	ts.Start()
	t.Cleanup(ts.Close)
	client := ts.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &testEnv{t: t, store: store, pool: pool, server: srv, ts: ts, client: client,
		cfg: cfg, deps: deps, clock: opts.Clock, logs: logs}
}

// secondInstance starts another server over the same database, as a second
// instance behind a load balancer would run; it shares the first one's clock
// and log.
func (e *testEnv) secondInstance() *httptest.Server {
	e.t.Helper()
	ts := httptest.NewServer(New(e.cfg, e.deps))
	e.t.Cleanup(ts.Close)
	return ts
}

// testClock is a clock that stands still until a test moves it.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

// newTestClock returns a clock a minute past the start of the current hour,
// so that throttling windows (15 minutes, an hour) start just before it and
// a test does not cross one by accident.
func newTestClock() *testClock {
	return &testClock{now: time.Now().Truncate(time.Hour).Add(time.Minute)}
}

// Now returns the clock's time.
func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// logBuffer collects log output; it is safe for concurrent writes.
type logBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String returns everything written so far.
func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

type testWriter struct{ t *testing.T }

func (w *testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// get requests path with optional header pairs ("Accept-Language", "zh")
// and returns the response with its body read.
func (e *testEnv) get(path string, headers ...string) (*http.Response, string) {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.ts.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return e.do(req)
}

func (e *testEnv) do(req *http.Request) (*http.Response, string) {
	e.t.Helper()
	resp, err := e.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, string(b)
}

// doc parses an HTML body for goquery assertions.
func doc(t *testing.T, body string) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// fixture is a small, known world for handler tests.
type fixture struct {
	Barcelona, Wuxi        expodesk.Expo
	WuxiPavilion           expodesk.Pavilion
	EuroPavilion           expodesk.Pavilion
	Sensing, Cloud, Hidden expodesk.Exhibitor
	Stage                  expodesk.Stage
	Slots                  []expodesk.Slot
	Booking                expodesk.Booking
}

// seed creates the fixture: two sister expos; a Wuxi Pavilion in Barcelona
// with two approved exhibitors (one named only in Chinese and English) and
// one that only applied (not public); a stage with four slots, one booked.
func (e *testEnv) seed() fixture {
	e.t.Helper()
	ctx := context.Background()
	s := e.store
	must := func(err error) {
		e.t.Helper()
		if err != nil {
			e.t.Fatal(err)
		}
	}
	var f fixture
	var err error
	f.Barcelona, err = s.ExpoCreate(ctx, expodesk.Expo{Slug: "iotswc-test",
		Name: expodesk.Text{EN: "IoT Solutions World Congress", ZH: "物联网解决方案世界大会", ES: "IoT Solutions World Congress"},
		City: expodesk.Text{EN: "Barcelona", ZH: "巴塞罗那"}, Country: "ES", TimeZone: "Europe/Madrid",
		FirstDay: time.Date(2027, 5, 11, 0, 0, 0, 0, time.UTC), LastDay: time.Date(2027, 5, 13, 0, 0, 0, 0, time.UTC),
		SlotQuota: 2, CancelHoursBefore: 48})
	must(err)
	f.Wuxi, err = s.ExpoCreate(ctx, expodesk.Expo{Slug: "wiot-test",
		Name: expodesk.Text{EN: "World IoT Expo", ZH: "世界物联网博览会", ES: "Exposición Mundial del IoT"},
		City: expodesk.Text{EN: "Wuxi", ZH: "无锡"}, Country: "CN", TimeZone: "Asia/Shanghai",
		FirstDay: time.Date(2027, 10, 26, 0, 0, 0, 0, time.UTC), LastDay: time.Date(2027, 10, 28, 0, 0, 0, 0, time.UTC),
		SlotQuota: 2, CancelHoursBefore: 48})
	must(err)
	must(s.ExpoLinkSisters(ctx, f.Barcelona.ID, f.Wuxi.ID))
	f.WuxiPavilion, err = s.PavilionCreate(ctx, expodesk.Pavilion{ExpoID: f.Barcelona.ID, Slug: "wuxi-pavilion",
		Name: expodesk.Text{EN: "Wuxi Pavilion", ZH: "无锡馆", ES: "Pabellón de Wuxi"}, Hall: "2"})
	must(err)
	f.EuroPavilion, err = s.PavilionCreate(ctx, expodesk.Pavilion{ExpoID: f.Wuxi.ID, Slug: "european-pavilion",
		Name: expodesk.Text{EN: "European Pavilion", ZH: "欧洲馆", ES: "Pabellón Europeo"}})
	must(err)
	known := map[string]bool{"sensors": true, "cloud": true, "smart-city": true, "energy": true}
	f.Sensing, err = s.ExhibitorCreate(ctx, expodesk.Exhibitor{Slug: "taihu-sensing", LegalName: "无锡太湖传感科技有限公司",
		Name:        expodesk.Text{EN: "Taihu Sensing", ZH: "太湖传感"},
		Description: expodesk.Text{EN: "MEMS sensors made in Wuxi.", ZH: "无锡制造的MEMS传感器。"},
		Country:     "CN", City: "Wuxi", Sectors: []string{"sensors", "smart-city"}}, known)
	must(err)
	f.Cloud, err = s.ExhibitorCreate(ctx, expodesk.Exhibitor{Slug: "nube-catalana", LegalName: "Nube Catalana SL",
		Name:        expodesk.Text{ES: "Nube Catalana"},
		Description: expodesk.Text{ES: "Plataforma de energía en la nube."},
		Country:     "ES", City: "Barcelona", Website: "https://nube.example.es", Sectors: []string{"cloud", "energy"}}, known)
	must(err)
	f.Hidden, err = s.ExhibitorCreate(ctx, expodesk.Exhibitor{Slug: "applied-only", LegalName: "Applied Only Ltd",
		Name: expodesk.Text{EN: "Applied Only"}, Country: "GB"}, known)
	must(err)
	for _, p := range []expodesk.Participation{
		{ExpoID: f.Barcelona.ID, ExhibitorID: f.Sensing.ID, PavilionID: &f.WuxiPavilion.ID, Booth: "2-A01", Status: expodesk.StatusApproved},
		{ExpoID: f.Barcelona.ID, ExhibitorID: f.Cloud.ID, Booth: "3-B10", Status: expodesk.StatusApproved},
		{ExpoID: f.Barcelona.ID, ExhibitorID: f.Hidden.ID, PavilionID: &f.WuxiPavilion.ID, Status: expodesk.StatusApplied},
	} {
		_, err := s.ParticipationCreate(ctx, p)
		must(err)
	}
	f.Stage, err = s.StageCreate(ctx, expodesk.Stage{ExpoID: f.Barcelona.ID, PavilionID: &f.WuxiPavilion.ID, Slug: "wuxi-stage",
		Name: expodesk.Text{EN: "Wuxi Stage", ZH: "无锡路演台"}})
	must(err)
	madrid := f.Barcelona.Location()
	for i := 0; i < 4; i++ {
		start := time.Date(2027, 5, 11, 10, 30, 0, 0, madrid).Add(time.Duration(i) * 30 * time.Minute)
		sl, err := s.SlotCreate(ctx, expodesk.Slot{StageID: f.Stage.ID, StartsAt: start, EndsAt: start.Add(30 * time.Minute)})
		must(err)
		f.Slots = append(f.Slots, sl)
	}
	f.Booking, err = s.BookingCreate(ctx, expodesk.Booking{SlotID: f.Slots[0].ID, ExhibitorID: f.Sensing.ID,
		Title: "传感器赋能智慧城市", Abstract: "How MEMS sensors feed city platforms.", Lang: expodesk.ZH}, nil)
	must(err)
	return f
}
