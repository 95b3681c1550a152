package directory_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"expodesk/internal/directory"
	"expodesk/internal/expodesk"
)

// TestModelFreshAfterNotification: a profile edit, an approval and a
// withdrawal show on the very next request once their notification has
// been handed to the model (as the listener does after the commit), and
// a notification naming another expo or a booking leaves the snapshot
// as it is.
func TestModelFreshAfterNotification(t *testing.T) {
	w := newWorld(t, 40)
	ctx := context.Background()
	m := loadedModel(t, w)
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := w.pool.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	// answer is the model's page once it answers again: after a
	// notification the store answers until the reload is in, and the
	// model never answers from the snapshot before it.
	answer := func(q expodesk.DirectoryQuery) []string {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			if p, ok := m.Directory(ctx, w.expo, q); ok {
				return slugs(p)
			}
			if time.Now().After(deadline) {
				t.Fatal("the model did not answer")
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	all := func() []string {
		t.Helper()
		return answer(expodesk.DirectoryQuery{ExpoID: w.expo.ID, Lang: expodesk.EN, PerPage: 100})
	}
	search := func(text string) []string {
		t.Helper()
		return answer(expodesk.DirectoryQuery{ExpoID: w.expo.ID, Text: text, Lang: expodesk.EN, PerPage: 100})
	}
	// A company approved at the expo, and one that is not there yet.
	var shown, absent string
	if err := w.pool.QueryRow(ctx, `SELECT e.slug FROM exhibitor e JOIN participation p ON p.exhibitor_id = e.id
		WHERE p.expo_id = $1 AND p.status = 'approved' ORDER BY e.id LIMIT 1`, w.expo.ID).Scan(&shown); err != nil {
		t.Fatal(err)
	}
	if err := w.pool.QueryRow(ctx, `SELECT e.slug FROM exhibitor e JOIN participation p ON p.exhibitor_id = e.id
		WHERE p.expo_id = $1 AND p.status = 'applied' ORDER BY e.id LIMIT 1`, w.expo.ID).Scan(&absent); err != nil {
		t.Fatal(err)
	}

	t.Run("ProfileEdit", func(t *testing.T) {
		exec(`UPDATE exhibitor SET name = name || '{"en":"Zyxwv Renamed"}' WHERE slug = $1`, shown)
		m.Notified("exhibitor " + shown + " " + w.expo.Slug)
		if got := search("zyxwv"); !slices.Equal(got, []string{shown}) {
			t.Errorf("search after the edit: %v, want [%s]", got, shown)
		}
	})
	t.Run("DescriptionOnly", func(t *testing.T) {
		// Loaded and fresh before the edit.
		before := all()
		exec(`UPDATE exhibitor SET description = jsonb_set(description, '{en}', '"Qwzyx gateways"') WHERE slug = $1`, shown)
		m.Notified("exhibitor-text " + shown + " " + w.expo.Slug)
		// A listing without a search shows no description: the snapshot
		// answers it at once, reload or not.
		p, ok := m.Directory(ctx, w.expo, expodesk.DirectoryQuery{ExpoID: w.expo.ID, Lang: expodesk.EN, PerPage: 100})
		if !ok || !slices.Equal(slugs(p), before) {
			t.Errorf("the listing after a description edit: %v (answered %v), want %v", slugs(p), ok, before)
		}
		// A search never reads the snapshot from before the edit.
		if p, ok := m.Directory(ctx, w.expo, expodesk.DirectoryQuery{ExpoID: w.expo.ID, Text: "qwzyx", Lang: expodesk.EN}); ok && !slices.Equal(slugs(p), []string{shown}) {
			t.Errorf("a search answered from before the edit: %v", slugs(p))
		}
		if got := search("qwzyx"); !slices.Equal(got, []string{shown}) {
			t.Errorf("search after the edit: %v, want [%s]", got, shown)
		}
	})
	t.Run("Approval", func(t *testing.T) {
		exec(`UPDATE participation SET status = 'approved' WHERE exhibitor_id = (SELECT id FROM exhibitor WHERE slug = $1)`, absent)
		m.Notified("participation " + absent + " " + w.expo.Slug)
		if !slices.Contains(all(), absent) {
			t.Errorf("%s not listed after its approval", absent)
		}
	})
	t.Run("Withdrawal", func(t *testing.T) {
		exec(`UPDATE participation SET status = 'withdrawn' WHERE exhibitor_id = (SELECT id FROM exhibitor WHERE slug = $1)`, shown)
		m.Notified("participation " + shown + " " + w.expo.Slug)
		if slices.Contains(all(), shown) {
			t.Errorf("%s still listed after its withdrawal", shown)
		}
	})
	t.Run("Everything", func(t *testing.T) {
		exec(`UPDATE participation SET status = 'approved' WHERE exhibitor_id = (SELECT id FROM exhibitor WHERE slug = $1)`, shown)
		m.Notified("")
		if !slices.Contains(all(), shown) {
			t.Errorf("%s not listed again after a change of anything", shown)
		}
	})
	t.Run("RenameReorders", func(t *testing.T) {
		// A rename moves the company in every language's order: the model
		// reads the orders again and lists as the store does.
		exec(`UPDATE exhibitor SET name = '{"en":"Aaaa First","zh":"阿","es":"Zzzz Última"}' WHERE slug = $1`, shown)
		if err := w.store.ExhibitorSortKeysFill(ctx); err != nil {
			t.Fatal(err)
		}
		m.Notified("exhibitor " + shown + " " + w.expo.Slug)
		for _, lang := range expodesk.Langs {
			q := expodesk.DirectoryQuery{ExpoID: w.expo.ID, Lang: lang, PerPage: 100}
			want, err := w.store.Directory(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if got := answer(q); !slices.Equal(got, slugs(want)) {
				t.Errorf("%s after the rename: model %v, store %v", lang, got, slugs(want))
			}
		}
	})
	t.Run("OtherExpoOrBooking", func(t *testing.T) {
		exec(`UPDATE participation SET status = 'withdrawn' WHERE exhibitor_id = (SELECT id FROM exhibitor WHERE slug = $1)`, shown)
		// Not this expo's change: the snapshot stays (and so shows the
		// company the database no longer lists, which only a
		// notification naming this expo may change).
		m.Notified("participation " + shown + " " + w.other.Slug)
		m.Notified("booking " + shown)
		if !slices.Contains(all(), shown) {
			t.Errorf("a notification naming another expo or a booking reloaded the expo")
		}
		m.Notified("participation " + shown + " " + w.other.Slug + "," + w.expo.Slug)
		if slices.Contains(all(), shown) {
			t.Errorf("%s still listed after a notification naming the expo among others", shown)
		}
	})
}

// TestModelServesNothingStale: while a reload after a notification is
// under way, requests wait for it rather than read the older snapshot;
// a reload that fails or takes too long leaves the request to the store;
// without notifications the model answers nothing.
func TestModelServesNothingStale(t *testing.T) {
	w := newWorld(t, 20)
	ctx := context.Background()
	gate := make(chan struct{})
	blocked := make(chan struct{}, 1)
	var fail atomic.Bool
	load := func(ctx context.Context, expoID int64) ([]directory.Row, error) {
		select {
		case blocked <- struct{}{}:
		default:
		}
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if fail.Load() {
			return nil, errors.New("load failed")
		}
		return w.store.DirectoryRows(ctx, expoID)
	}
	m := directory.New(load, w.store.DirectoryOrders, slog.New(slog.NewTextHandler(io.Discard, nil)))
	t.Cleanup(m.Close)
	q := expodesk.DirectoryQuery{ExpoID: w.expo.ID, Lang: expodesk.EN, PerPage: 100}
	if _, ok := m.Directory(ctx, w.expo, q); ok {
		t.Fatal("the model answered before any notification listener")
	}
	m.Listening(true)
	// The first request of an expo is the store's; the load goes on behind it.
	if _, ok := m.Directory(ctx, w.expo, q); ok {
		t.Fatal("the model answered before its first load")
	}
	<-blocked
	gate <- struct{}{}
	waitLoaded(t, m, w.expo)
	before, _ := m.Directory(ctx, w.expo, q)

	if _, err := w.pool.Exec(ctx, `UPDATE participation SET status = 'withdrawn' WHERE expo_id = $1`, w.expo.ID); err != nil {
		t.Fatal(err)
	}
	m.Notified("")
	<-blocked // the reload has started and waits at the gate
	// While the reload is under way the store answers (ok false): never
	// the snapshot from before the notification.
	if p, ok := m.Directory(ctx, w.expo, q); ok {
		t.Fatalf("answered %d companies from before the notification (before: %d)", p.Total, before.Total)
	}
	gate <- struct{}{}
	waitLoaded(t, m, w.expo)
	if p, _ := m.Directory(ctx, w.expo, q); p.Total != 0 || before.Total == 0 {
		t.Errorf("after every withdrawal: %d companies (before: %d)", p.Total, before.Total)
	}

	t.Run("FailedReload", func(t *testing.T) {
		fail.Store(true)
		m.Notified("")
		<-blocked
		if _, ok := m.Directory(ctx, w.expo, q); ok {
			t.Error("the model answered from a snapshot older than a notification, its reload under way")
		}
		gate <- struct{}{} // the reload fails
		if _, ok := m.Directory(ctx, w.expo, q); ok {
			t.Error("the model answered from a snapshot older than a notification whose reload failed")
		}
		fail.Store(false)
	})
	t.Run("ListenerDown", func(t *testing.T) {
		close(gate)
		m.Listening(false)
		if _, ok := m.Directory(ctx, w.expo, q); ok {
			t.Error("the model answered while notifications did not arrive")
		}
	})
}
