//go:build faults

package cluster_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"expodesk/internal/cluster"
	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
	"expodesk/internal/postgres"
	"expodesk/internal/testdb"
	"expodesk/internal/urls"
	"expodesk/internal/webhook"
)

// publicPages are what the visitors of the load read.
func publicPages(w world) []string {
	return []string{urls.Home(), urls.Expo(w.Expo.Slug), urls.Exhibitor(w.Companies[0].Slug),
		urls.ExpoDirectory("iotswc-2027"), urls.Expo("iotswc-2027")}
}

// TestKillInstanceUnderBookingLoad kills one instance (SIGKILL, as a crash)
// while companies book through nginx: no booking confirmed to a company is
// lost, none is double, and the other instance keeps serving through nginx.
func TestKillInstanceUnderBookingLoad(t *testing.T) {
	dbURL := testdb.URL(t)
	w := newWorld(t, dbURL, 12, 4, 24)
	c := startCluster(t, dbURL)
	bookers := signedIn(t, c.URL(), w, len(w.Companies), "en")
	visitors := []*browser{newBrowser(t, c.URL(), "en"), newBrowser(t, c.URL(), "zh")}
	l := startLoad(t, w.Expo.Slug, bookers, visitors, publicPages(w))

	start := time.Now()
	waitFor(t, "15 bookings confirmed before the kill", func() bool { return l.confirmedSince(start) >= 15 })
	killed := time.Now()
	c.Instances[0].Kill()
	waitFor(t, "15 bookings confirmed after the kill", func() bool { return l.confirmedSince(killed) >= 15 })
	waitFor(t, "the supervisor marks A down in nginx", func() bool {
		return slices.Contains(c.Nginx.Down(), c.Instances[0].Addr)
	})
	l.end()

	answers, confirmed := l.all()
	failedPosts := 0
	for _, a := range answers {
		switch {
		case a.Method == http.MethodGet && a.Status != http.StatusOK:
			// nginx passes a GET that fails on the dead instance to the other.
			t.Errorf("a page read through nginx failed: %s", a)
		case a.Method == http.MethodPost && a.Status != http.StatusSeeOther && a.Status != http.StatusConflict:
			// A press that reached the instance as it died: nginx does not
			// send a POST twice, and answers its own 503.
			failedPosts++
			if a.At.Before(killed) || a.Status != http.StatusServiceUnavailable || a.Header.Get("Retry-After") == "" {
				t.Errorf("a press answered %s at %s (the kill was at %s); want 303, 409, or, in flight at the kill, 503 with Retry-After",
					a, a.At.Format("15:04:05.000"), killed.Format("15:04:05.000"))
			}
		}
	}
	if failedPosts > len(bookers) {
		t.Errorf("%d presses failed; at most the %d in flight at the kill may", failedPosts, len(bookers))
	}
	v := checkBookings(t, dbURL, w.Expo.ID)
	confirmedKept(t, confirmed, v.IDs)
	if extra := len(v.IDs) - len(confirmed); extra < 0 || extra > failedPosts {
		t.Errorf("%d active bookings, %d confirmed, %d presses without an answer: a booking nobody pressed for?", len(v.IDs), len(confirmed), failedPosts)
	}
	checkAudited(t, dbURL, w.Expo.ID)
	select {
	case <-c.Instances[1].Done():
		t.Errorf("instance B exited: %v", c.Instances[1].ExitErr())
	default:
	}
	t.Logf("%d answers, %d bookings confirmed (%d after the kill), %d presses in flight at the kill, %d requests sent again on a new connection",
		len(answers), len(confirmed), l.confirmedSince(killed), failedPosts, resent(bookers, visitors))
}

// TestPostgresRestartUnderLoad stops PostgreSQL while people use the site
// through nginx and starts it again: /readyz goes red then green; every
// answer meanwhile is a 503 with Retry-After and a page in the reader's
// language, never a 500; nothing is half-written; afterwards bookings
// succeed and the page cache is fresh again, without restarting anything.
func TestPostgresRestartUnderLoad(t *testing.T) {
	ctx := context.Background()
	pg, dbURL := ownCluster(t)
	w := newWorld(t, dbURL, 6, 2, 24)
	c := startCluster(t, dbURL)
	bookers := signedIn(t, c.URL(), w, len(w.Companies), "en", "zh", "es")
	visitors := []*browser{newBrowser(t, c.URL(), "en"), newBrowser(t, c.URL(), "zh"), newBrowser(t, c.URL(), "es")}
	l := startLoad(t, w.Expo.Slug, bookers, visitors, publicPages(w))

	start := time.Now()
	waitFor(t, "bookings confirmed before the outage", func() bool { return l.confirmedSince(start) >= 5 })
	stopped := time.Now()
	if err := pg.Stop(ctx); err != nil {
		t.Fatalf("stop PostgreSQL: %v", err)
	}
	down := time.Now()
	for _, in := range c.Instances {
		waitFor(t, in.Name+"'s /readyz red", func() bool { return !in.Ready(ctx) })
	}
	waitFor(t, "answers during the outage", func() bool {
		return l.answered(stopped, func(a answer) bool { return a.Status == http.StatusServiceUnavailable }) >= 30
	})
	// Every instance red: once it has seen each red twice, the supervisor
	// leaves them all in nginx's upstream, so that readers get expodesk's page.
	waitFor(t, "no instance marked down while all are red", func() bool { return len(c.Nginx.Down()) == 0 })
	restarted := time.Now()
	if err := pg.Ensure(ctx); err != nil {
		t.Fatalf("start PostgreSQL again: %v", err)
	}
	for _, in := range c.Instances {
		waitFor(t, in.Name+"'s /readyz green again", func() bool { return in.Ready(ctx) })
	}
	green := time.Now()
	waitFor(t, "bookings confirmed after the outage", func() bool { return l.confirmedSince(green) >= 5 })
	waitFor(t, "pages read after the outage", func() bool {
		return l.answered(green, func(a answer) bool { return a.Method == http.MethodGet && a.Status == http.StatusOK }) >= 20
	})
	l.end()

	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]string{}
	for _, lang := range []expodesk.Lang{expodesk.EN, expodesk.ZH, expodesk.ES} {
		titles[string(lang)] = catalog.Localizer(lang).T("error.unavailable_title")
	}
	answers, confirmed := l.all()
	outage := 0
	for _, a := range answers {
		switch a.Status {
		case http.StatusOK, http.StatusSeeOther, http.StatusConflict:
			if a.Method == http.MethodPost && a.Sent.After(down) && a.At.Before(restarted) {
				t.Errorf("a press succeeded while PostgreSQL was stopped: %s", a)
			}
		case http.StatusServiceUnavailable:
			outage++
			lang, _, _ := strings.Cut(langOf(a.Body), "-")
			switch {
			case a.Header.Get("Retry-After") == "":
				t.Errorf("a 503 without Retry-After: %s", a)
			case a.Header.Get("X-Request-Id") == "":
				t.Errorf("a 503 that expodesk did not write (nginx's own?): %s", a)
			case titles[lang] == "" || !contains(a.Body, titles[lang]):
				t.Errorf("a 503 page without its translated title (%q, language %q): %s", titles[lang], lang, a)
			}
		default:
			t.Errorf("during the PostgreSQL restart: %s (want 200, 303, 409 or 503)", a)
		}
	}
	// Every reader's language was answered.
	for _, b := range append(bookers, visitors...) {
		if l.answered(stopped, func(a answer) bool {
			return a.Status == http.StatusServiceUnavailable && langOf(a.Body) == langTag(b.lang)
		}) == 0 {
			t.Errorf("no 503 page in %s during the outage", b.lang)
		}
	}
	v := checkBookings(t, dbURL, w.Expo.ID)
	confirmedKept(t, confirmed, v.IDs)
	checkAudited(t, dbURL, w.Expo.ID)
	for _, in := range c.Instances {
		select {
		case <-in.Done():
			t.Errorf("instance %s exited: %v", in.Name, in.ExitErr())
		default:
		}
	}

	// The cache listens again: each instance serves the page from its
	// cache, and a change made in PostgreSQL reaches both.
	co := w.Companies[0]
	page := urls.Exhibitor(co.Slug)
	for _, in := range c.Instances {
		br := newBrowser(t, in.URL(), "en")
		waitFor(t, in.Name+" serves the exhibitor page from its cache again", func() bool {
			return br.get(page).Header.Get("X-Cache") == "hit"
		})
	}
	name := fmt.Sprintf("Renamed After The Outage %d", time.Now().UnixNano())
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `UPDATE exhibitor SET name = name || jsonb_build_object('en', $2::text) WHERE id = $1`, co.ID, name); err != nil {
		t.Fatal(err)
	}
	for _, in := range c.Instances {
		br := newBrowser(t, in.URL(), "en")
		waitFor(t, in.Name+"'s cached page shows the change", func() bool {
			got := br.get(page)
			return got.Header.Get("X-Cache") == "hit" && contains(got.Body, name)
		})
	}
	t.Logf("%d answers, %d of them 503 during the outage; %d bookings confirmed, %d after it", len(answers), outage, len(confirmed), l.confirmedSince(green))
}

// resent counts the requests the browsers sent again (see browser.do).
func resent(groups ...[]*browser) int64 {
	var n int64
	for _, g := range groups {
		for _, b := range g {
			n += b.resent.Load()
		}
	}
	return n
}

// langOf reads a page's lang attribute.
func langOf(page string) string {
	i := strings.Index(page, `<html lang="`)
	if i < 0 {
		return ""
	}
	rest := page[i+len(`<html lang="`):]
	if j := strings.IndexByte(rest, '"'); j >= 0 {
		return rest[:j]
	}
	return ""
}

// langTag is the lang attribute of the pages in lang.
func langTag(lang string) string {
	if lang == "zh" {
		return "zh-Hans"
	}
	return lang
}

// TestSIGTERMFinishesSlowRequest sends SIGTERM to an instance while a slow
// client is still sending a sign-in form: the instance stops taking new
// connections, reads the rest, answers it, and exits with status 0.
func TestSIGTERMFinishesSlowRequest(t *testing.T) {
	dbURL := testdb.URL(t)
	w := newWorld(t, dbURL, 1, 1, 1)
	addr := "127.0.0.1:" + strconv.Itoa(freePorts(t, 1)[0])
	logf, err := os.Create(filepath.Join(t.TempDir(), "A.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	t.Cleanup(func() {
		if t.Failed() {
			b, _ := os.ReadFile(logf.Name())
			t.Logf("the end of the instance's output:\n%s", tail(string(b), 30))
		}
	})
	env := append(os.Environ(), "DATABASE_URL="+dbURL, "BASE_URL=http://"+addr, "LOG_LEVEL=warn")
	in, err := cluster.StartInstance(bin, "A", addr, env, logf)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Stop(30 * time.Second)
	if err := in.WaitReady(context.Background(), time.Minute); err != nil {
		t.Fatal(err)
	}

	body := url.Values{"email": {w.Companies[0].Email}, "password": {worldPassword}}.Encode()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Expect: 100-continue, as curl sends for a large body: the instance
	// answers 100 once the handler reads the body, so the request is known
	// to be in its hands (not in the kernel's accept queue, which closing
	// the listener empties) before the SIGTERM.
	head := "POST " + urls.SignIn("") + " HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\nSec-Fetch-Site: same-origin\r\nAccept-Language: en\r\nExpect: 100-continue\r\n\r\n"
	if _, err := conn.Write([]byte(head)); err != nil {
		t.Fatal(err)
	}
	replies := bufio.NewReader(conn)
	cont, err := http.ReadResponse(replies, nil)
	if err != nil || cont.StatusCode != http.StatusContinue {
		t.Fatalf("the instance did not ask for the body (100 Continue): %v %v", cont, err)
	}
	half := len(body) / 2
	if _, err := conn.Write([]byte(body[:half])); err != nil {
		t.Fatal(err)
	}
	if err := in.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Shutting down, it takes no new connection.
	waitFor(t, "the instance stops listening", func() bool {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
		}
		return err != nil
	})
	select {
	case <-in.Done():
		t.Fatalf("the instance exited with a request half-sent: %v", in.ExitErr())
	default:
	}
	// The rest, a few bytes at a time, as a slow client sends it.
	for rest := body[half:]; rest != ""; {
		n := min(4, len(rest))
		if _, err := conn.Write([]byte(rest[:n])); err != nil {
			// What the instance answered before the form was complete, if anything.
			resp, rerr := http.ReadResponse(replies, nil)
			if rerr == nil {
				resp.Body.Close()
				t.Fatalf("send the rest of the form: %v; the instance had answered %d", err, resp.StatusCode)
			}
			t.Fatalf("send the rest of the form: %v", err)
		}
		rest = rest[n:]
		time.Sleep(50 * time.Millisecond)
	}
	resp, err := http.ReadResponse(replies, nil)
	if err != nil {
		t.Fatalf("read the answer: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || strings.HasPrefix(resp.Header.Get("Location"), urls.SignIn("")) {
		t.Errorf("the slow sign-in answered %d to %q, want a 303 into the site", resp.StatusCode, resp.Header.Get("Location"))
	}
	select {
	case <-in.Done():
	case <-time.After(patience):
		t.Fatalf("the instance has not exited %s after its last request", patience)
	}
	if err := in.ExitErr(); err != nil {
		t.Errorf("the instance exited with %v, want status 0", err)
	}
}

// TestHangingWebhookReceiverDoesNotHoldBookings has a webhook receiver that
// never answers: bookings through nginx complete while the receiver holds
// the deliveries of earlier ones, so they do not wait for a delivery at all.
func TestHangingWebhookReceiverDoesNotHoldBookings(t *testing.T) {
	ctx := context.Background()
	dbURL := testdb.URL(t)
	w := newWorld(t, dbURL, 4, 2, 24)

	var held atomic.Int64 // deliveries the receiver holds now
	var received atomic.Int64
	release := make(chan struct{})
	receiver := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		received.Add(1)
		held.Add(1)
		defer held.Add(-1)
		select {
		case <-release:
		case <-r.Context().Done(): // the worker gave up (its 10 s timeout)
		}
	}))
	var once sync.Once
	stopReceiver := func() { once.Do(func() { close(release); receiver.Close() }) }
	defer stopReceiver()

	pool, err := postgres.Open(ctx, dbURL, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	secret, err := webhook.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	// Disabled at first: the first bookings queue no delivery, for a baseline.
	ep, err := postgres.New(pool, time.Now).WebhookEndpointCreate(ctx, expodesk.WebhookEndpointInput{
		URL: receiver.URL + "/hooks", Events: []expodesk.WebhookEventType{expodesk.EventSlotBooked}, Disabled: true}, secret, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := startCluster(t, dbURL, "WEBHOOK_ALLOW_PRIVATE=true")
	bookers := signedIn(t, c.URL(), w, len(w.Companies), "en")

	book := func(k int) time.Duration {
		t.Helper()
		b := bookers[k%len(bookers)]
		startedAt := time.Now()
		page := b.get(urls.ExhibitorSlots(w.Expo.Slug, nil))
		actions := bookActions(page.Body)
		if page.Status != http.StatusOK || len(actions) == 0 {
			t.Fatalf("the booking page: %s", page)
		}
		if got := b.post(actions[0], nil); got.Status != http.StatusSeeOther {
			t.Fatalf("book: %s", got)
		}
		return time.Since(startedAt)
	}
	var quiet, hanging []time.Duration
	for k := range 8 {
		quiet = append(quiet, book(k))
	}
	if _, err := pool.Exec(ctx, `UPDATE webhook_endpoint SET disabled = false WHERE id = $1`, ep.ID); err != nil {
		t.Fatal(err)
	}
	book(0)
	waitFor(t, "the receiver holds a delivery", func() bool { return held.Load() > 0 })
	for k := range 8 {
		if held.Load() == 0 {
			waitFor(t, "the receiver holds a delivery again", func() bool { return held.Load() > 0 })
		}
		before := received.Load()
		hanging = append(hanging, book(k))
		// The booking began while a delivery was held and ended while one
		// still was, or after the worker gave up on it (its 10 s timeout)
		// and went on to the next: either way it did not wait for one.
		if held.Load() == 0 && received.Load() == before {
			t.Fatalf("booking %d: the receiver no longer holds the delivery it held when the booking began, and got no other (%d received)",
				k, received.Load())
		}
	}
	var queued int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM webhook_delivery WHERE endpoint_id = $1`, ep.ID).Scan(&queued); err != nil {
		t.Fatal(err)
	}
	if queued != 9 {
		t.Errorf("%d deliveries queued for the 9 bookings made while the endpoint was enabled", queued)
	}
	stopReceiver()
	t.Logf("booking (page and press) median %s with no delivery, %s while the receiver held %d of them",
		median(quiet), median(hanging), received.Load())
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
