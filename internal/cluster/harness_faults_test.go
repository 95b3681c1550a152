//go:build faults

package cluster_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptrace"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"

	"expodesk/internal/cluster"
	"expodesk/internal/demo"
	"expodesk/internal/expodesk"
	"expodesk/internal/password"
	"expodesk/internal/pgcluster"
	"expodesk/internal/postgres"
	"expodesk/internal/testdb"
	"expodesk/internal/urls"
)

// The fault tests start real processes: the expodesk binary built once per
// run, nginx, and (for the PostgreSQL outage) a PostgreSQL cluster of their
// own. They are behind the faults build tag: `make test-faults`.

var bin string // the expodesk binary under test

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "expodesk-faults-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	bin = filepath.Join(dir, "expodesk")
	build := exec.Command("go", "build", "-o", bin, "expodesk/cmd/expodesk")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build expodesk:", err)
		return 1
	}
	if _, err := cluster.FindNginx(context.Background(), os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return testdb.Main(m)
}

// startCluster starts two instances of the binary on dbURL behind nginx,
// stopped when the test ends; their logs are printed if it fails.
func startCluster(t *testing.T, dbURL string, env ...string) *cluster.Cluster {
	t.Helper()
	ports := freePorts(t, 3)
	listen := "127.0.0.1:" + strconv.Itoa(ports[0])
	dir := t.TempDir()
	logs := map[string]*os.File{}
	var logMu sync.Mutex
	out := func(name string) io.Writer {
		logMu.Lock()
		defer logMu.Unlock()
		f, err := os.Create(filepath.Join(dir, name+".log"))
		if err != nil {
			t.Fatalf("create log: %v", err)
		}
		logs[name] = f
		return f
	}
	base := append(os.Environ(), "DATABASE_URL="+dbURL, "BASE_URL=http://"+listen, "LOG_LEVEL=warn", "DB_MAX_CONNS=10")
	t.Cleanup(func() {
		for name, f := range logs {
			if t.Failed() {
				b, _ := os.ReadFile(f.Name())
				t.Logf("the end of %s's output:\n%s", name, tail(string(b), 30))
			}
			f.Close()
		}
	})
	c, err := cluster.Start(context.Background(), cluster.Config{
		Bin: bin, Listen: listen, Dir: dir, Out: out, Workers: "1", Interval: 500 * time.Millisecond,
		Instances: []string{"127.0.0.1:" + strconv.Itoa(ports[1]), "127.0.0.1:" + strconv.Itoa(ports[2])},
		Env:       append(base, env...),
	})
	if err != nil {
		t.Fatalf("start the cluster: %v", err)
	}
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Logf("stop the cluster: %v", err)
		}
	})
	return c
}

func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	var ls []net.Listener
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// world is the data the tests work on: the demo data, and an expo of their
// own whose booking window is open, with free slots on a few stages and
// companies approved at it, each with an account that signs in with
// worldPassword.
type world struct {
	Expo      expodesk.Expo
	Companies []company
	Slots     int
}

type company struct {
	ID    int64
	Slug  string
	Email string
}

const (
	worldExpo     = "faults-2027"
	worldPassword = "faults-test-password"
)

func newWorld(t *testing.T, dbURL string, companies, stages, slotsPerStage int) world {
	t.Helper()
	ctx := context.Background()
	pool, err := postgres.Open(ctx, dbURL, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := demo.Load(ctx, postgres.New(pool, time.Now), time.Now()); err != nil {
		t.Fatalf("demo data: %v", err)
	}
	hash, err := password.NewHasher(password.Config{}).Hash(ctx, worldPassword)
	if err != nil {
		t.Fatal(err)
	}
	var w world
	opened := time.Now().Add(-time.Hour)
	first := time.Now().AddDate(0, 2, 0)
	first = time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, time.UTC)
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		store := postgres.New(tx, time.Now)
		expo, err := store.ExpoCreate(ctx, expodesk.Expo{Slug: worldExpo,
			Name: expodesk.Text{EN: "Fault Test Expo", ZH: "故障测试展", ES: "Expo de Pruebas"},
			City: expodesk.Text{EN: "Barcelona"}, Country: "ES", TimeZone: "Europe/Madrid",
			FirstDay: first, LastDay: first, SlotQuota: slotsPerStage, CancelHoursBefore: 48, BookingOpensAt: &opened})
		if err != nil {
			return fmt.Errorf("create expo: %w", err)
		}
		w.Expo = expo
		loc := expo.Location()
		for s := range stages {
			stage, err := store.StageCreate(ctx, expodesk.Stage{ExpoID: expo.ID, Slug: fmt.Sprintf("stage-%c", 'a'+s),
				Name: expodesk.Text{EN: fmt.Sprintf("Stage %c", 'A'+s)}, Position: s})
			if err != nil {
				return fmt.Errorf("create stage: %w", err)
			}
			var batch []expodesk.Slot
			for k := range slotsPerStage {
				at := time.Date(first.Year(), first.Month(), first.Day(), 9, 0, 0, 0, loc).Add(time.Duration(k) * 15 * time.Minute)
				batch = append(batch, expodesk.Slot{StartsAt: at, EndsAt: at.Add(10 * time.Minute)})
			}
			if _, err := store.SlotCreateMany(ctx, stage.ID, batch); err != nil {
				return fmt.Errorf("create slots: %w", err)
			}
			w.Slots += len(batch)
		}
		rows, err := tx.Query(ctx, `SELECT id, slug FROM exhibitor ORDER BY id LIMIT $1`, companies)
		if err != nil {
			return err
		}
		found, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (company, error) {
			var c company
			return c, r.Scan(&c.ID, &c.Slug)
		})
		if err != nil {
			return err
		}
		if len(found) < companies {
			return fmt.Errorf("the demo data has %d companies, the test wants %d", len(found), companies)
		}
		var parts, users [][]any
		for i := range found {
			found[i].Email = fmt.Sprintf("faults%02d@example.com", i)
			parts = append(parts, []any{expo.ID, found[i].ID, string(expodesk.StatusApproved)})
			users = append(users, []any{found[i].Email, "Faults", string(expodesk.RoleExhibitor), found[i].ID, hash, "en"})
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"participation"}, []string{"expo_id", "exhibitor_id", "status"},
			pgx.CopyFromRows(parts)); err != nil {
			return fmt.Errorf("copy participations: %w", err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"app_user"},
			[]string{"email", "family_name", "role", "exhibitor_id", "password_hash", "lang"}, pgx.CopyFromRows(users)); err != nil {
			return fmt.Errorf("copy users: %w", err)
		}
		w.Companies = found
		return nil
	})
	if err != nil {
		t.Fatalf("the test's expo: %v", err)
	}
	return w
}

// browser is one person's browser: its own cookies and connections, and a
// language. It follows no redirect, so that a test reads each answer.
type browser struct {
	base string
	lang string
	jar  http.CookieJar
	http *http.Client
	// forwardedFor, when set, is sent as X-Forwarded-For: what a client
	// may claim to dodge a per-address limit.
	forwardedFor string
	// resent counts the requests sent again because a kept-alive
	// connection closed under them unanswered (see do).
	resent *atomic.Int64
}

func newBrowser(t *testing.T, base, lang string) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return newBrowserWith(base, lang, jar)
}

func newBrowserWith(base, lang string, jar http.CookieJar) *browser {
	tr := &http.Transport{MaxIdleConnsPerHost: 2, IdleConnTimeout: time.Minute}
	return &browser{base: base, lang: lang, jar: jar, resent: new(atomic.Int64), http: &http.Client{Jar: jar, Transport: tr, Timeout: patience,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// at is the same browser (its cookies: a cookie does not depend on the
// port) talking to another origin: an instance directly, or nginx.
func (b *browser) at(base string) *browser {
	o := newBrowserWith(base, b.lang, b.jar)
	o.forwardedFor = b.forwardedFor
	return o
}

// answer is one response, read whole.
type answer struct {
	Method, Path string
	Status       int
	Header       http.Header
	Body         string
	Err          error
	Sent         time.Time // when the request went out
	At           time.Time // when the answer came
}

func (a answer) String() string {
	if a.Err != nil {
		return fmt.Sprintf("%s %s: %v", a.Method, a.Path, a.Err)
	}
	return fmt.Sprintf("%s %s: %d %s", a.Method, a.Path, a.Status, excerpt(a.Body))
}

func (b *browser) do(method, path string, form url.Values) answer {
	a := answer{Method: method, Path: path, Sent: time.Now()}
	for try := 1; ; try++ {
		reused := false
		resp, err := b.send(method, path, form, &reused)
		// A kept-alive connection the server closed as the request went
		// out (nginx's old workers close their idle connections on a
		// reload) answers nothing: the request was never read, and a
		// browser sends it again on a new connection, a POST included.
		// Go's client does so only for GETs.
		if err != nil && reused && try == 1 && (errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET)) {
			b.resent.Add(1)
			continue
		}
		if err != nil {
			a.Err, a.At = err, time.Now()
			return a
		}
		raw, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		a.Status, a.Header, a.Body, a.Err, a.At = resp.StatusCode, resp.Header, string(raw), err, time.Now()
		return a
	}
}

// send sends one request, reporting whether it went on a reused connection.
func (b *browser) send(method, path string, form url.Values, reused *bool) (*http.Response, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		return nil, err
	}
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) { *reused = info.Reused },
	}))
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", b.base)
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Accept-Language", b.lang)
	if b.forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", b.forwardedFor)
	}
	return b.http.Do(req)
}

func (b *browser) get(path string) answer { return b.do(http.MethodGet, path, nil) }

func (b *browser) post(path string, form url.Values) answer {
	if form == nil {
		form = url.Values{}
	}
	return b.do(http.MethodPost, path, form)
}

// signIn signs in on the form and expects to be let in (303).
func (b *browser) signIn(email string) error {
	a := b.post(urls.SignIn(""), url.Values{"email": {email}, "password": {worldPassword}})
	if a.Err != nil || a.Status != http.StatusSeeOther || strings.HasPrefix(a.Header.Get("Location"), "/signin") {
		return fmt.Errorf("sign in %s on %s: %s", email, b.base, a)
	}
	return nil
}

// bookAction is the action of one free slot's booking form.
var bookAction = regexp.MustCompile(`<form\b[^>]*\baction="([^"]*/slots/[0-9]+/book)"`)

// bookActions returns the booking forms of the free slots on a page.
func bookActions(page string) []string {
	var out []string
	for _, m := range bookAction.FindAllStringSubmatch(page, -1) {
		out = append(out, strings.ReplaceAll(m[1], "&amp;", "&"))
	}
	return out
}

// bookingID reads the booking's id from a 303 to its page.
func bookingID(a answer) (int64, bool) {
	loc := a.Header.Get("Location")
	prefix := urls.ExhibitorBookings() + "/"
	if a.Status != http.StatusSeeOther || !strings.HasPrefix(loc, prefix) {
		return 0, false
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, prefix), 10, 64)
	return id, err == nil
}

// bookRandom opens the booking page and presses one of its free slots.
// It returns the page's answer and, when a slot was pressed, the press's.
func (b *browser) bookRandom(expo string, rng *rand.Rand) (page answer, press *answer) {
	page = b.get(urls.ExhibitorSlots(expo, nil))
	if page.Err != nil || page.Status != http.StatusOK {
		return page, nil
	}
	actions := bookActions(page.Body)
	if len(actions) == 0 {
		return page, nil
	}
	a := b.post(actions[rng.IntN(len(actions))], nil)
	return page, &a
}

// formValues reads the fields of the form whose action is action, as a
// browser would submit them unchanged.
func formValues(page, action string) (url.Values, error) {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		return nil, err
	}
	form := doc.Find(`form[action="` + action + `"]`).First()
	if form.Length() == 0 {
		return nil, fmt.Errorf("no form with action %s", action)
	}
	v := url.Values{}
	form.Find("input, textarea, select").Each(func(_ int, s *goquery.Selection) {
		name, ok := s.Attr("name")
		if !ok || name == "" {
			return
		}
		switch goquery.NodeName(s) {
		case "textarea":
			v.Add(name, s.Text())
		case "select":
			s.Find("option[selected]").Each(func(_ int, o *goquery.Selection) {
				val, _ := o.Attr("value")
				v.Add(name, val)
			})
		default:
			typ, _ := s.Attr("type")
			val, _ := s.Attr("value")
			switch typ {
			case "checkbox", "radio":
				if _, checked := s.Attr("checked"); checked {
					v.Add(name, val)
				}
			case "submit", "button", "file":
			default:
				v.Add(name, val)
			}
		}
	})
	return v, nil
}

func excerpt(page string) string {
	if i := strings.Index(page, "<main"); i >= 0 {
		page = page[i:]
	}
	page = strings.Join(strings.Fields(page), " ")
	if len(page) > 300 {
		page = page[:300]
	}
	return page
}

// bookingCheck is what the invariant query finds over the test's expo.
type bookingCheck struct {
	expodesk.BookingViolations         // each must be 0
	IDs                        []int64 // the active bookings
}

// checkBookings reads the slots' own times rather than the column the
// exclusion constraint uses, so that it does not trust what it checks: no
// slot booked twice, no company at two slots at once, none over the quota.
func checkBookings(t *testing.T, dbURL string, expoID int64) bookingCheck {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var v bookingCheck
	if v.BookingViolations, err = postgres.New(conn, time.Now).BookingViolations(ctx, expoID); err != nil {
		t.Fatalf("invariant query: %v", err)
	}
	err = conn.QueryRow(ctx, `SELECT coalesce(array_agg(b.id ORDER BY b.id), '{}') FROM booking b
		JOIN slot sl ON sl.id = b.slot_id JOIN stage st ON st.id = sl.stage_id
		WHERE st.expo_id = $1 AND b.status = 'active'`, expoID).Scan(&v.IDs)
	if err != nil {
		t.Fatalf("active bookings: %v", err)
	}
	if v.Double+v.Overlap+v.OverQuota > 0 {
		t.Errorf("bookings break the invariants: %d slots booked twice, %d overlapping pairs of one company, %d companies over the quota",
			v.Double, v.Overlap, v.OverQuota)
	}
	return v
}

// checkAudited asserts that every active booking of the expo has its one
// booking.create audit entry and every such entry its booking: the booking
// and its audit entry are one transaction, never half of it.
func checkAudited(t *testing.T, dbURL string, expoID int64) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var unaudited, orphans int
	err = conn.QueryRow(ctx, `WITH b AS (
			SELECT b.id FROM booking b JOIN slot sl ON sl.id = b.slot_id JOIN stage st ON st.id = sl.stage_id
			WHERE st.expo_id = $1),
		a AS (SELECT object_id FROM audit_entry WHERE action = 'booking.create' AND expo_id = $1)
		SELECT
			(SELECT count(*) FROM b WHERE (SELECT count(*) FROM a WHERE a.object_id = b.id::text) <> 1),
			(SELECT count(*) FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.id::text = a.object_id))`, expoID).
		Scan(&unaudited, &orphans)
	if err != nil {
		t.Fatalf("audit query: %v", err)
	}
	if unaudited+orphans > 0 {
		t.Errorf("half-written bookings: %d without exactly one booking.create entry, %d entries without their booking", unaudited, orphans)
	}
}

// patience bounds every wait for something a working system does: long
// enough that a loaded machine (two CPUs shared with other work) never
// reaches it, so that it tells a broken system from a slow one and is not
// a measure of speed.
const patience = 2 * time.Minute

// waitFor polls cond every 50 ms until it holds, failing the test with
// what after patience.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	end := time.Now().Add(patience)
	for !cond() {
		if time.Now().After(end) {
			t.Fatalf("%s: not within %s", what, patience)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// contains reports whether the page holds text as the server writes it
// (HTML-escaped).
func contains(page, text string) bool {
	var buf bytes.Buffer
	for _, r := range text {
		switch r {
		case '&':
			buf.WriteString("&amp;")
		case '<':
			buf.WriteString("&lt;")
		case '>':
			buf.WriteString("&gt;")
		case '"':
			buf.WriteString("&#34;")
		case '\'':
			buf.WriteString("&#39;")
		default:
			buf.WriteRune(r)
		}
	}
	return strings.Contains(page, buf.String())
}

// ownCluster is a PostgreSQL cluster of the test's own (to be stopped and
// started under load) with a database migrated for it.
func ownCluster(t *testing.T) (*pgcluster.Cluster, string) {
	t.Helper()
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "expodesk-faults-pg-")
	if err != nil {
		t.Fatal(err)
	}
	pg := &pgcluster.Cluster{Dir: dir, Fast: true}
	t.Cleanup(func() {
		_ = pg.Stop(context.Background())
		if pg.Relocated() {
			_ = os.RemoveAll(pg.Location())
		}
		_ = os.RemoveAll(dir)
	})
	if err := pg.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	if err := pg.CreateDatabase(ctx, "faults"); err != nil {
		t.Fatal(err)
	}
	dbURL := pg.URL("faults")
	if err := postgres.MigrateUp(dbURL); err != nil {
		t.Fatal(err)
	}
	return pg, dbURL
}
