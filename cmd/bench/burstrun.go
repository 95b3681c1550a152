package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/pgcluster"
	"expodesk/internal/postgres"
	"expodesk/internal/urls"
)

// burstResult is one burst, for the report.
type burstResult struct {
	Started    time.Time
	Took       time.Duration
	Companies  int
	Slots      int
	Setup      time.Duration
	LoadBefore string
	LoadAfter  string

	Requests    int
	PerInstance [2]int
	Winners     int
	NoneLeft    int // told the slot was taken and no other is free
	GaveUp      int // still offered slots after burstAttempts presses
	Errors      int
	ErrorSample []string
	WonAtTry    []int // winners by the press that won (index 0: the first)
	P50, P99    time.Duration
	Max         time.Duration
	// The same for the answers that booked (303) and those that did not (409).
	WonP50, WonP99   time.Duration
	LostP50, LostP99 time.Duration
	LostBytes        int // mean size of a 409 page, uncompressed
	// Alone is a 409 answered with nothing else running on the instances:
	// a loser pressing its slot again, one press after the other.
	AloneP50    time.Duration
	AllAnswered time.Duration // from the release to the last answer
	LastWin     time.Duration // from the release to the last booking's answer

	Violations bookingCheck

	DirPath string
	Quiet   dirWindow // the directory just before the opening
	During  dirWindow // the directory from the release to the last answer

	PG pgbenchResult

	ServerLogLines int
	ServerLog      []string
}

// bookingCheck is what the invariant query finds after the burst.
type bookingCheck struct {
	expodesk.BookingViolations     // each should be 0
	Active, FreeLeft           int // the expo's active bookings and its slots still free
}

// runBurst prepares the burst's data, starts two instances of bin on the
// database, runs the burst with the directory loop beside it, checks the
// bookings, and runs pgbench on the same cluster.
func runBurst(ctx context.Context, cfg config, cluster *pgcluster.Cluster, bin, dbURL string, ds dataset, stderr io.Writer) (burstResult, error) {
	res := burstResult{Started: time.Now(), Companies: cfg.BurstCompanies, LoadBefore: loadAverage()}
	logf(stderr, "burst: %d companies, %d slots", cfg.BurstCompanies, cfg.BurstSlots)
	w, err := prepareBurst(ctx, dbURL, cfg.BurstCompanies, cfg.BurstSlots)
	if err != nil {
		return res, fmt.Errorf("prepare the burst: %w", err)
	}
	res.Slots, res.Setup = w.Slots, w.Took
	texts, err := loadPageTexts()
	if err != nil {
		return res, err
	}

	var bases [2]string
	var apps [2]*process
	for i := range apps {
		port, err := pgcluster.FreePort()
		if err != nil {
			return res, err
		}
		bases[i] = "http://127.0.0.1:" + strconv.Itoa(port)
		env := append(os.Environ(), "DATABASE_URL="+dbURL, "PORT="+strconv.Itoa(port), "LOG_LEVEL=warn", "BASE_URL="+bases[i])
		if apps[i], err = startProcess(fmt.Sprintf("expodesk %c", 'A'+i), env, bin, "serve", "--addr", bases[i][len("http://"):]); err != nil {
			return res, err
		}
		defer apps[i].stop()
	}
	for i := range apps {
		if err := waitReady(ctx, apps[i], bases[i]+"/readyz"); err != nil {
			return res, err
		}
	}

	// The accounts sign in on the real form too (one of them, to show it).
	if err := signInOnce(bases[0], fmt.Sprintf(burstEmailForm, len(w.Users)-1)); err != nil {
		return res, err
	}

	logf(stderr, "burst: %d people open the booking page, alternately on the two instances", len(w.Users))
	clients := make([]*burstClient, len(w.Users))
	for i := range clients {
		if clients[i], err = newBurstClient(bases[i%2], w.Cookies[i], uint64(i), i%2); err != nil {
			return res, err
		}
	}
	if err := eachAtOnce(clients, 8, func(c *burstClient) error { return c.open(w.Expo.Slug) }); err != nil {
		return res, err
	}

	res.DirPath = urls.Pavilion(ds.Expo.Slug, ds.Pavilion.Slug)
	dirURL := bases[1] + res.DirPath
	if _, err := fetch(dirURL, "exhibitor-card"); err != nil {
		return res, err
	}
	// The window opens at the release, a whole millisecond (PostgreSQL
	// keeps microseconds), after the directory's warm-up and quiet window.
	release := time.Now().Add(burstWarm + burstQuiet + 200*time.Millisecond).Truncate(time.Millisecond).Add(time.Millisecond)
	if err := setOpening(ctx, dbURL, w.Expo.ID, release); err != nil {
		return res, err
	}
	for _, a := range apps {
		a.log.mark()
	}

	stopDir := make(chan struct{})
	collectDir := directoryLoop(dirURL, burstDirConns, stopDir)
	var ready, done sync.WaitGroup
	gate := make(chan struct{})
	var released time.Time
	for _, c := range clients {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-gate
			c.book(released, texts)
		}()
	}
	ready.Wait()
	logf(stderr, "burst: all %d waiting; the window opens at %s", len(clients), release.Format("15:04:05.000"))
	time.Sleep(time.Until(release))
	released = time.Now()
	close(gate)
	done.Wait()
	for _, c := range clients {
		res.tally(c)
	}
	res.latencies(clients)
	time.Sleep(300 * time.Millisecond)
	close(stopDir)
	samples := collectDir()
	res.Quiet = window(samples, release.Add(-burstQuiet), release)
	res.During = window(samples, released, released.Add(res.AllAnswered))
	for _, a := range apps {
		n, lines := a.log.since()
		res.ServerLogLines += n
		res.ServerLog = append(res.ServerLog, lines...)
		if err := a.exited(); err != nil {
			return res, err
		}
	}
	logf(stderr, "burst: %d requests answered in %s; %d winners, %d told none is left, %d gave up, %d errors; p50 %s, p99 %s",
		res.Requests, res.AllAnswered.Round(time.Millisecond), res.Winners, res.NoneLeft, res.GaveUp, res.Errors, ms(res.P50), ms(res.P99))
	logf(stderr, "burst: directory %.0f req/s quiet, %.0f req/s during the burst", res.Quiet.PerSecond, res.During.PerSecond)

	if res.Violations, err = checkBookings(ctx, dbURL, w.Expo.ID); err != nil {
		return res, err
	}
	if res.AloneP50, err = aloneLost(clients, 20); err != nil {
		return res, err
	}
	for _, a := range apps {
		a.stop()
	}

	logf(stderr, "pgbench: scale %d in database %q of the same cluster", pgbenchScale, pgbenchDB)
	if res.PG, err = runPgbench(ctx, cluster, stderr); err != nil {
		return res, err
	}
	logf(stderr, "pgbench: %.0f tps, latency average %s", res.PG.TPS, ms(res.PG.LatencyAvg))
	res.LoadAfter = loadAverage()
	res.Took = time.Since(res.Started)
	return res, nil
}

// tally adds one client's presses and outcome.
func (r *burstResult) tally(c *burstClient) {
	for _, t := range c.tries {
		r.Requests++
		if t.Status == http.StatusConflict {
			r.LostBytes += t.Bytes
		}
		r.PerInstance[c.instance]++
		r.AllAnswered = max(r.AllAnswered, t.End)
	}
	switch c.outcome {
	case outcomeWon:
		r.Winners++
		for len(r.WonAtTry) < len(c.tries) {
			r.WonAtTry = append(r.WonAtTry, 0)
		}
		r.WonAtTry[len(c.tries)-1]++
		r.LastWin = max(r.LastWin, c.tries[len(c.tries)-1].End)
	case outcomeNoneLeft:
		r.NoneLeft++
	case outcomeGaveUp:
		r.GaveUp++
	default:
		r.Errors++
		if len(r.ErrorSample) < 5 {
			r.ErrorSample = append(r.ErrorSample, c.problem)
		}
	}
}

// latencies computes the latency percentiles over every press.
func (r *burstResult) latencies(clients []*burstClient) {
	var lats, won, lost []time.Duration
	for _, c := range clients {
		for _, t := range c.tries {
			d := t.End - t.Start
			lats = append(lats, d)
			switch t.Status {
			case http.StatusSeeOther:
				won = append(won, d)
			case http.StatusConflict:
				lost = append(lost, d)
			}
		}
	}
	r.P50, r.P99, r.Max = percentile(lats, 0.50), percentile(lats, 0.99), percentile(lats, 1)
	r.WonP50, r.WonP99 = percentile(won, 0.50), percentile(won, 0.99)
	r.LostP50, r.LostP99 = percentile(lost, 0.50), percentile(lost, 0.99)
	if len(lost) > 0 {
		r.LostBytes /= len(lost)
	}
}

// aloneLost presses a lost slot's button n times, one after the other,
// and returns the median time of the answers (409s).
func aloneLost(clients []*burstClient, n int) (time.Duration, error) {
	for _, c := range clients {
		if c.outcome != outcomeNoneLeft {
			continue
		}
		var lats []time.Duration
		for range n {
			start := time.Now()
			status, page, err := c.do(http.MethodPost, c.prefer)
			if err != nil {
				return 0, err
			}
			if status != http.StatusConflict {
				return 0, fmt.Errorf("a lost slot pressed again: %d, want 409: %s", status, excerptOf(page))
			}
			lats = append(lats, time.Since(start))
		}
		return percentile(lats, 0.5), nil
	}
	return 0, nil
}

// eachAtOnce runs f for every client, n at a time, and returns the first error.
func eachAtOnce(clients []*burstClient, n int, f func(*burstClient) error) error {
	sem := make(chan struct{}, n)
	errs := make(chan error, len(clients))
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := f(c); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// signInOnce signs an account in on the sign-in form and expects to be let in.
func signInOnce(base, email string) error {
	client := &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := url.Values{"email": {email}, "password": {burstPassword}}
	req, err := http.NewRequest(http.MethodPost, base+urls.SignIn(""), strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("sign in %s: %d, want 303: %s", email, resp.StatusCode, excerptOf(string(body)))
	}
	return nil
}

// setOpening opens the expo's booking window at t.
func setOpening(ctx context.Context, dbURL string, expoID int64, t time.Time) error {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `UPDATE expo SET booking_opens_at = $2 WHERE id = $1`, expoID, t)
	return err
}

// checkBookings is the invariant query over the expo's bookings, reading
// the slots' own times rather than the column the exclusion constraint
// uses, so that it does not trust what it checks: no slot booked twice, no
// company at two slots at once, no company over the expo's quota.
func checkBookings(ctx context.Context, dbURL string, expoID int64) (bookingCheck, error) {
	var v bookingCheck
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return v, err
	}
	defer conn.Close(ctx)
	if v.BookingViolations, err = postgres.New(conn, time.Now).BookingViolations(ctx, expoID); err != nil {
		return v, err
	}
	err = conn.QueryRow(ctx, `SELECT
			(SELECT count(*) FROM booking b JOIN slot sl ON sl.id = b.slot_id JOIN stage st ON st.id = sl.stage_id
				WHERE st.expo_id = $1 AND b.status = 'active'),
			(SELECT count(*) FROM slot sl JOIN stage st ON st.id = sl.stage_id
				WHERE st.expo_id = $1 AND NOT EXISTS (SELECT 1 FROM booking b WHERE b.slot_id = sl.id AND b.status = 'active'))`, expoID).
		Scan(&v.Active, &v.FreeLeft)
	return v, err
}
