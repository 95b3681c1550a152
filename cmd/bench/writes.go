package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The data changing under the visitors: a loop that commits writes at a
// fixed rate straight to the database, half of them profile edits of
// companies approved at the measured expo, half booking creations and
// cancellations on its stages. The statements are shaped as the service's
// (a profile's description, a booking's row and its cancellation), each in
// a transaction of its own; they fire the same triggers and change
// notifications as a write through the site, without the service's audit
// rows and mail, and without costing the server the write itself: what the
// server pays for them is what a change costs the pages.

// writeKind is one kind of write the loop makes.
type writeKind int

const (
	writeProfile writeKind = iota
	writeBook
	writeCancel
	writeKinds
)

func (k writeKind) String() string {
	return [...]string{"profile edits", "bookings made", "bookings cancelled"}[k]
}

// writeStats is what the loop did.
type writeStats struct {
	Rate      int // asked for, per second
	Took      time.Duration
	Done      [writeKinds]int
	Errors    int
	Late      int // ticks dropped because every worker was busy
	ErrSample []string
	P50, P99  time.Duration
}

func (w writeStats) total() int {
	n := 0
	for _, d := range w.Done {
		n += d
	}
	return n
}

func (w writeStats) perSecond() float64 {
	if w.Took <= 0 {
		return 0
	}
	return float64(w.total()) / w.Took.Seconds()
}

// bookingLane is a slot and a company that take turns: booked, cancelled,
// booked again. Lanes have different companies, so no two collide.
type bookingLane struct {
	mu        sync.Mutex
	slot      int64
	company   int64
	bookingID int64 // the active booking, 0 when none
}

// writeWorkers is how many connections commit the writes: enough that the
// rate holds while a commit takes up to half a second on a busy machine.
const writeWorkers = 48

// writer is the loop's state.
type writer struct {
	pool      *pgxpool.Pool
	companies []int64
	lanes     []*bookingLane
}

// newWriter finds the expo's approved companies and, for the bookings,
// its free slots each paired with an approved company that has no booking.
func newWriter(ctx context.Context, dbURL string, expoID int64) (*writer, error) {
	pc, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, err
	}
	pc.MaxConns = writeWorkers // pgxpool's default is 4 (or one per CPU)
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, err
	}
	w := &writer{pool: pool}
	rows, err := pool.Query(ctx, `SELECT exhibitor_id FROM participation WHERE expo_id = $1 AND status = 'approved' ORDER BY exhibitor_id`, expoID)
	if err == nil {
		w.companies, err = pgx.CollectRows(rows, pgx.RowTo[int64])
	}
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("the expo's companies: %w", err)
	}
	rows, err = pool.Query(ctx, `
		WITH free AS (
			SELECT sl.id, row_number() OVER (ORDER BY sl.starts_at, sl.id) AS n FROM slot sl JOIN stage st ON st.id = sl.stage_id
			WHERE st.expo_id = $1 AND NOT EXISTS (SELECT 1 FROM booking b WHERE b.slot_id = sl.id AND b.status = 'active')),
		idle AS (
			SELECT p.exhibitor_id, row_number() OVER (ORDER BY p.exhibitor_id DESC) AS n FROM participation p
			WHERE p.expo_id = $1 AND p.status = 'approved'
			  AND NOT EXISTS (SELECT 1 FROM booking b WHERE b.exhibitor_id = p.exhibitor_id))
		SELECT free.id, idle.exhibitor_id FROM free JOIN idle USING (n) ORDER BY n LIMIT 16`, expoID)
	if err != nil {
		pool.Close()
		return nil, err
	}
	var slot, company int64
	_, err = pgx.ForEachRow(rows, []any{&slot, &company}, func() error {
		w.lanes = append(w.lanes, &bookingLane{slot: slot, company: company})
		return nil
	})
	if err == nil && (len(w.lanes) == 0 || len(w.companies) == 0) {
		err = errors.New("the expo has no free slot or no approved company")
	}
	if err != nil {
		pool.Close()
		return nil, err
	}
	return w, nil
}

func (w *writer) close() { w.pool.Close() }

// do makes write n: even ones edit a profile, odd ones book or cancel in
// the next lane.
func (w *writer) do(ctx context.Context, n int, rng *rand.Rand) (writeKind, error) {
	if n%2 == 0 {
		id := w.companies[rng.IntN(len(w.companies))]
		_, err := w.pool.Exec(ctx, `UPDATE exhibitor SET description = jsonb_set(description, '{en}',
				to_jsonb(regexp_replace(coalesce(description->>'en', ''), ' Revision [0-9]+\.$', '') || ' Revision ' || $2::text || '.')),
				updated_at = now() WHERE id = $1`, id, fmt.Sprint(n))
		return writeProfile, err
	}
	lane := w.lanes[(n/2)%len(w.lanes)]
	lane.mu.Lock()
	defer lane.mu.Unlock()
	if lane.bookingID == 0 {
		err := w.pool.QueryRow(ctx, `INSERT INTO booking (slot_id, exhibitor_id, titles, abstracts)
			VALUES ($1, $2, '{"en": "Live demo"}', '{}') RETURNING id`, lane.slot, lane.company).Scan(&lane.bookingID)
		return writeBook, err
	}
	_, err := w.pool.Exec(ctx, `UPDATE booking SET status = 'cancelled', cancelled_at = now(), updated_at = now() WHERE id = $1`, lane.bookingID)
	if err == nil {
		lane.bookingID = 0
	}
	return writeCancel, err
}

// run makes rate writes a second, evenly spaced, from writeWorkers
// connections, until stop is closed, and returns what it did. A tick that
// finds a backlog of a second's writes waiting is dropped (and counted).
func (w *writer) run(ctx context.Context, rate int, stop <-chan struct{}) writeStats {
	st := writeStats{Rate: rate}
	ticks := make(chan int, rate)
	type done struct {
		kind writeKind
		lat  time.Duration
		err  error
	}
	results := make(chan done, 1024)
	var wg sync.WaitGroup
	for i := range writeWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 77))
			for n := range ticks {
				start := time.Now()
				k, err := w.do(ctx, n, rng)
				results <- done{k, time.Since(start), err}
			}
		}()
	}
	var lats []time.Duration
	collected := make(chan struct{})
	go func() {
		for d := range results {
			if d.err != nil {
				st.Errors++
				if len(st.ErrSample) < 3 {
					st.ErrSample = append(st.ErrSample, fmt.Sprintf("%s: %v", d.kind, d.err))
				}
				continue
			}
			st.Done[d.kind]++
			lats = append(lats, d.lat)
		}
		close(collected)
	}()
	start := time.Now()
	ticker := time.NewTicker(time.Second / time.Duration(rate))
	n := 0
loop:
	for {
		select {
		case <-stop:
			break loop
		case <-ctx.Done():
			break loop
		case <-ticker.C:
			select {
			case ticks <- n:
			default:
				st.Late++
			}
			n++
		}
	}
	ticker.Stop()
	close(ticks)
	wg.Wait()
	st.Took = time.Since(start)
	close(results)
	<-collected
	st.P50, st.P99 = percentile(lats, 0.5), percentile(lats, 0.99)
	return st
}
