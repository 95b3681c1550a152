package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/password"
	"expodesk/internal/postgres"
	"expodesk/internal/urls"
)

// The window-opening burst (issue 9, item 9): companies signed in on two
// server instances wait on their expo's booking page; when the window
// opens they all press "book" on the slot they want at the same moment,
// and whoever loses takes one of the nearest free slots the answer offers,
// a few times over, like a person. Meanwhile visitors read the pavilion
// directory on one of the instances; its rate is compared with its rate in
// the seconds just before.

const (
	burstExpo      = "burst-2027"
	burstStages    = 4
	burstAttempts  = 5 // a person's first press and up to four more
	burstDirConns  = 16
	burstQuiet     = 3 * time.Second // the directory's quiet window, just before the opening
	burstWarm      = time.Second     // the directory loop's warm-up before that
	burstPassword  = "burst-bench-password"
	burstEmailForm = "burst%04d@example.com"
)

// burstWorld is what prepareBurst made.
type burstWorld struct {
	Expo    expodesk.Expo
	Slots   int
	Users   []burstUser
	Took    time.Duration
	Cookies []*http.Cookie // one session cookie per user, in Users' order
}

type burstUser struct {
	ID, ExhibitorID int64
	Email           string
	SessionVersion  int
}

// prepareBurst adds an expo whose booking window is still closed, with
// slots free on a few stages, and companies of the data set approved at it,
// each with a team member's account and a signed-in session. The accounts
// share one password hash, made once with the production parameters, so
// each can also sign in on the real form; the sessions are written through
// the same session manager the server uses (scs over PostgreSQL, tokens
// hashed), which costs a row each instead of an argon2id check each.
func prepareBurst(ctx context.Context, dbURL string, companies, slots int) (burstWorld, error) {
	start := time.Now()
	var w burstWorld
	hash, err := password.NewHasher(password.Config{}).Hash(ctx, burstPassword)
	if err != nil {
		return w, err
	}
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return w, fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(ctx)
	// Opens in a year; the burst moves it to its own release instant.
	later := time.Now().AddDate(1, 0, 0)
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		store := postgres.New(tx, nil)
		expo, err := store.ExpoCreate(ctx, expodesk.Expo{Slug: burstExpo,
			Name: expodesk.Text{EN: "Window Opening Expo 2027", ZH: "2027开放预约展", ES: "Expo de Apertura 2027"},
			City: expodesk.Text{EN: "Barcelona", ZH: "巴塞罗那", ES: "Barcelona"}, Country: "ES", TimeZone: "Europe/Madrid",
			FirstDay: day(2027, 9, 14), LastDay: day(2027, 9, 15), SlotQuota: 1, CancelHoursBefore: 48, BookingOpensAt: &later})
		if err != nil {
			return fmt.Errorf("create expo: %w", err)
		}
		w.Expo = expo
		loc := expo.Location()
		perStage := (slots + burstStages - 1) / burstStages
		made := 0
		for s := range burstStages {
			stage, err := store.StageCreate(ctx, expodesk.Stage{ExpoID: expo.ID, Slug: fmt.Sprintf("stage-%c", 'a'+s),
				Name: expodesk.Text{EN: fmt.Sprintf("Stage %c", 'A'+s)}, Position: s})
			if err != nil {
				return fmt.Errorf("create stage: %w", err)
			}
			// Half the stage's slots on each day, every 30 minutes from 10:00.
			var batch []expodesk.Slot
			for k := 0; k < perStage && made < slots; k++ {
				half := (perStage + 1) / 2
				d, n := k/half, k%half
				first := expo.FirstDay.AddDate(0, 0, d)
				at := time.Date(first.Year(), first.Month(), first.Day(), 10, 0, 0, 0, loc).Add(time.Duration(n) * 30 * time.Minute)
				batch = append(batch, expodesk.Slot{StartsAt: at, EndsAt: at.Add(25 * time.Minute)})
				made++
			}
			if _, err := store.SlotCreateMany(ctx, stage.ID, batch); err != nil {
				return fmt.Errorf("create slots: %w", err)
			}
		}
		w.Slots = made

		rows, err := tx.Query(ctx, `SELECT id FROM exhibitor ORDER BY id LIMIT $1`, companies)
		if err != nil {
			return err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		if len(ids) < companies {
			return fmt.Errorf("the data set has %d exhibitors, the burst wants %d", len(ids), companies)
		}
		var parts, users [][]any
		for i, id := range ids {
			parts = append(parts, []any{expo.ID, id, string(expodesk.StatusApproved)})
			users = append(users, []any{fmt.Sprintf(burstEmailForm, i), "Burst", string(expodesk.RoleExhibitor), id, hash, "en"})
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"participation"}, []string{"expo_id", "exhibitor_id", "status"},
			pgx.CopyFromRows(parts)); err != nil {
			return fmt.Errorf("copy participations: %w", err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"app_user"},
			[]string{"email", "family_name", "role", "exhibitor_id", "password_hash", "lang"}, pgx.CopyFromRows(users)); err != nil {
			return fmt.Errorf("copy users: %w", err)
		}
		rows, err = tx.Query(ctx, `SELECT id, exhibitor_id, email, session_version FROM app_user
			WHERE email LIKE 'burst%@example.com' ORDER BY email`)
		if err != nil {
			return err
		}
		w.Users, err = pgx.CollectRows(rows, pgx.RowToStructByPos[burstUser])
		return err
	})
	if err != nil {
		return w, err
	}
	if _, err := conn.Exec(ctx, "ANALYZE"); err != nil {
		return w, err
	}
	if w.Cookies, err = burstSessions(ctx, dbURL, w.Users); err != nil {
		return w, fmt.Errorf("sessions: %w", err)
	}
	w.Took = time.Since(start)
	return w, nil
}

// burstSessions signs every user in as the server's sign-in does (its
// session keys and values, startSession in internal/server), and returns
// the session cookies.
func burstSessions(ctx context.Context, dbURL string, users []burstUser) ([]*http.Cookie, error) {
	pool, err := postgres.Open(ctx, dbURL, 4)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	sm := scs.New()
	sm.Store = pgxstore.NewWithCleanupInterval(pool, 0)
	sm.HashTokenInStore = true
	out := make([]*http.Cookie, len(users))
	for i, u := range users {
		sctx, err := sm.Load(ctx, "")
		if err != nil {
			return nil, err
		}
		sm.Put(sctx, "user_id", u.ID)
		sm.Put(sctx, "session_version", u.SessionVersion)
		token, _, err := sm.Commit(sctx)
		if err != nil {
			return nil, err
		}
		out[i] = &http.Cookie{Name: "expodesk_session", Value: token, Path: "/"}
	}
	return out, nil
}

// burstClient is one company's person at a browser: own cookies, own
// connection, on one instance.
type burstClient struct {
	base     string
	http     *http.Client
	rng      *rand.Rand
	prefer   string // the booking form of the slot it wants
	tries    []burstTry
	outcome  burstOutcome
	problem  string // what was wrong, for an error
	instance int
}

// burstTry is one press of a book button and its answer.
type burstTry struct {
	Start, End time.Duration // since the release
	Status     int
	Bytes      int // the answer's body, uncompressed
}

type burstOutcome int

const (
	outcomeError    burstOutcome = iota
	outcomeWon                   // 303 to the new booking
	outcomeNoneLeft              // told the slot was taken and no other is free
	outcomeGaveUp                // still offered slots after its last attempt
)

func newBurstClient(base string, cookie *http.Cookie, seed uint64, instance int) (*burstClient, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	jar.SetCookies(u, []*http.Cookie{cookie})
	// A browser of its own: one connection, kept alive from the page it
	// waits on to the press.
	tr := &http.Transport{MaxIdleConnsPerHost: 1, IdleConnTimeout: time.Minute}
	return &burstClient{base: base, instance: instance, rng: rand.New(rand.NewPCG(seed, 9)),
		http: &http.Client{Jar: jar, Transport: tr, Timeout: 60 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}, nil
}

// do sends a request as a browser on the site's own page does.
func (c *burstClient) do(method, path string) (int, string, error) {
	req, err := http.NewRequest(method, c.base+path, nil)
	if err != nil {
		return 0, "", err
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", c.base)
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Accept-Language", "en")
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// open loads the expo's booking page, as the person does before the
// window opens, and picks the slot to press: the page lists the slots in
// time order, and earlier ones are wanted more (the square of a uniform
// draw, so a tenth of the slots draw about a third of the companies).
func (c *burstClient) open(expo string) error {
	status, page, err := c.do(http.MethodGet, urls.ExhibitorSlots(expo, nil))
	if err != nil {
		return err
	}
	actions := bookActions(page)
	if status != http.StatusOK || len(actions) == 0 {
		return fmt.Errorf("the booking page answered %d with %d book buttons (is the session accepted?): %s",
			status, len(actions), excerptOf(page))
	}
	u := c.rng.Float64()
	c.prefer = actions[int(u*u*float64(len(actions)))]
	return nil
}

// book presses the preferred slot's button and, on losing it, one of the
// nearest free slots offered, up to burstAttempts presses.
func (c *burstClient) book(released time.Time, texts pageTexts) {
	path := c.prefer
	for try := 1; ; try++ {
		t := burstTry{Start: time.Since(released)}
		status, page, err := c.do(http.MethodPost, path)
		t.End, t.Status, t.Bytes = time.Since(released), status, len(page)
		c.tries = append(c.tries, t)
		switch {
		case err != nil:
			c.problem = err.Error()
			return
		case status == http.StatusSeeOther:
			c.outcome = outcomeWon
			return
		case status != http.StatusConflict:
			c.problem = fmt.Sprintf("%d %s", status, excerptOf(page))
			return
		}
		a := readLost(page, texts)
		switch {
		case !a.Taken:
			c.problem = "409 without 'just taken': " + excerptOf(page)
			return
		case a.NoneLeft:
			c.outcome = outcomeNoneLeft
			return
		case len(a.Nearest) == 0:
			c.problem = "409 offering neither slots nor 'no other slot is free'"
			return
		case try == burstAttempts:
			c.outcome = outcomeGaveUp
			return
		}
		path = a.Nearest[c.rng.IntN(len(a.Nearest))]
	}
}

// excerptOf is the start of a page's main content, for error messages.
func excerptOf(page string) string {
	if i := strings.Index(page, "<main"); i >= 0 {
		page = page[i:]
	}
	if len(page) > 300 {
		page = page[:300]
	}
	return strings.Join(strings.Fields(page), " ")
}

// dirSample is one directory request of the visitors' load loop.
type dirSample struct {
	End time.Time
	Lat time.Duration
	OK  bool
}

// directoryLoop GETs url over conns kept-alive connections until stop is
// closed, and returns every request's end and latency.
func directoryLoop(target string, conns int, stop <-chan struct{}) func() []dirSample {
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var wg sync.WaitGroup
	results := make([][]dirSample, conns)
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				start := time.Now()
				ok := false
				if resp, err := client.Get(target); err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					ok = err == nil && resp.StatusCode == http.StatusOK
				}
				end := time.Now()
				results[i] = append(results[i], dirSample{End: end, Lat: end.Sub(start), OK: ok})
			}
		}()
	}
	return func() []dirSample {
		wg.Wait()
		tr.CloseIdleConnections()
		var all []dirSample
		for _, r := range results {
			all = append(all, r...)
		}
		return all
	}
}

// dirWindow is the directory's figures over a window of time.
type dirWindow struct {
	Took      time.Duration
	Requests  int
	Errors    int
	PerSecond float64
	P50, P99  time.Duration
}

// window sums the samples that ended in [from, to).
func window(samples []dirSample, from, to time.Time) dirWindow {
	w := dirWindow{Took: to.Sub(from)}
	var lats []time.Duration
	for _, s := range samples {
		if s.End.Before(from) || !s.End.Before(to) {
			continue
		}
		w.Requests++
		if !s.OK {
			w.Errors++
		}
		lats = append(lats, s.Lat)
	}
	if w.Took > 0 {
		w.PerSecond = float64(w.Requests) / w.Took.Seconds()
	}
	w.P50, w.P99 = percentile(lats, 0.50), percentile(lats, 0.99)
	return w
}

// percentile is the nearest-rank percentile p (0..1) of ds.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(p*float64(len(s))+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}
