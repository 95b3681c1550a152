package server

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"expodesk/internal/expodesk"
)

// unsnapshotted are the tables whose rows may change when a request is
// refused or only reads: sessions and throttling counters are how the server
// works, and the audit log records refusals and sign-ins. schema_migrations
// is golang-migrate's bookkeeping, not state a request could touch.
var unsnapshotted = map[string]bool{"sessions": true, "rate_counter": true, "audit_entry": true, "schema_migrations": true}

// snapshotQueries holds, by database, the statement that digests its state
// tables. The tables are fixed by the migrations before a test starts, so
// they are looked up once per database rather than around every request.
var snapshotQueries sync.Map // database name → string

// queryer is what a snapshot reads through: the pool, or a transaction in
// the snapshot's own test.
type queryer interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// snapshot returns a digest of every state table's rows, by table. It is one
// round trip of one statement, prepared once per connection, so that it is
// cheap enough to take around every request of the route × role matrix.
func (e *testEnv) snapshot() map[string]string {
	e.t.Helper()
	ctx := context.Background()
	db := e.pool.Config().ConnConfig.Database
	q, ok := snapshotQueries.Load(db)
	if !ok {
		q, _ = snapshotQueries.LoadOrStore(db, snapshotQuery(e.t, e.pool))
	}
	out, err := snapshotOf(ctx, e.pool, q.(string))
	if err != nil {
		e.t.Fatalf("snapshot: %v", err)
	}
	return out
}

// snapshotQuery builds the statement that digests every base table of the
// public schema but the unsnapshotted ones: its row count and the md5 of its
// rows' text, ordered by that text. Ordering by content rather than ctid
// keeps the digest of a table the same when an UPDATE rewrites a row to the
// same values (it moves the row), so only a real change counts.
func snapshotQuery(t testing.TB, db queryer) string {
	t.Helper()
	rows, err := db.Query(context.Background(), `SELECT c.relname::text FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, name := range names {
		if !unsnapshotted[name] {
			parts = append(parts, fmt.Sprintf(`SELECT %s AS t, count(*)::text || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') FROM %s x`,
				quoteLiteral(name), pgx.Identifier{name}.Sanitize()))
		}
	}
	if len(parts) < 10 {
		t.Fatalf("snapshot found only %d state tables", len(parts))
	}
	return strings.Join(parts, " UNION ALL ")
}

// snapshotOf runs a snapshot statement and returns the digests by table.
func snapshotOf(ctx context.Context, db queryer, query string) (map[string]string, error) {
	rows, err := db.Query(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, digest string
		if err := rows.Scan(&name, &digest); err != nil {
			return nil, err
		}
		out[name] = digest
	}
	return out, rows.Err()
}

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// changedTables lists the tables whose digests differ, sorted.
func changedTables(before, after map[string]string) []string {
	var out []string
	for name, d := range before {
		if after[name] != d {
			out = append(out, name)
		}
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// TestSnapshot proves the snapshot the matrix and the CSRF, bad-input and
// token tests rely on: it covers every state table, and a change to any of
// them — a row added, removed or edited in place — shows, while a change to
// an unsnapshotted table or a rolled-back one does not. Were the snapshot to
// miss a table, a refused request writing to it would pass unnoticed.
func TestSnapshot(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	ctx := context.Background()
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := e.pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	wantChanged := func(t *testing.T, before map[string]string, want ...string) {
		t.Helper()
		got := changedTables(before, e.snapshot())
		if !slices.Equal(got, want) {
			t.Errorf("changed tables = %v, want %v", got, want)
		}
	}

	t.Run("CoversEveryStateTable", func(t *testing.T) {
		rows, _ := e.pool.Query(ctx, `SELECT table_name::text FROM information_schema.tables
			WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`)
		all, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, name := range all {
			if !unsnapshotted[name] {
				want = append(want, name)
			}
		}
		got := sortedKeys(e.snapshot())
		if !slices.Equal(got, want) {
			t.Errorf("snapshot covers %v, want every state table %v", got, want)
		}
		// Every exclusion weakens every refusal check: adding one takes a reason here too.
		if got, want := sortedKeys(unsnapshotted), []string{"audit_entry", "rate_counter", "schema_migrations", "sessions"}; !slices.Equal(got, want) {
			t.Errorf("unsnapshotted = %v, want %v", got, want)
		}
		// A stale exclusion (a renamed table) would hide nothing, but it would mislead.
		for name := range unsnapshotted {
			if !slices.Contains(all, name) {
				t.Errorf("unsnapshotted lists %s, which is no table", name)
			}
		}
	})
	t.Run("Unchanged", func(t *testing.T) {
		before := e.snapshot()
		if _, err := e.store.UserGet(ctx, w.ExhibitorA.ID); err != nil {
			t.Fatal(err)
		}
		wantChanged(t, before)
	})
	t.Run("RowEditedInPlace", func(t *testing.T) {
		before := e.snapshot()
		exec(`UPDATE app_user SET given_name = given_name || '!' WHERE id = $1`, w.ExhibitorA.ID)
		wantChanged(t, before, "app_user")
	})
	t.Run("RowRewrittenToSameValues", func(t *testing.T) {
		// An UPDATE writes a new row version at the end of the table, even
		// with the same values; the digest follows content, not place.
		before := e.snapshot()
		exec(`UPDATE app_user SET given_name = given_name WHERE ctid = (SELECT min(ctid) FROM app_user)`)
		exec(`UPDATE participation SET status = status WHERE ctid = (SELECT min(ctid) FROM participation)`)
		wantChanged(t, before)
	})
	t.Run("RowAdded", func(t *testing.T) {
		before := e.snapshot()
		e.createAccount(expodesk.User{Email: "added@example.com", Role: expodesk.RoleExhibitor, ExhibitorID: &w.Sensing.ID,
			PersonName: expodesk.PersonName{FamilyName: "Added"}})
		wantChanged(t, before, "app_user")
	})
	t.Run("UnsnapshottedTables", func(t *testing.T) {
		before := e.snapshot()
		exec(`INSERT INTO rate_counter (key, window_start, hits) VALUES ('snapshot-test', now(), 1)`)
		exec(`INSERT INTO audit_entry (at, actor_label, action, object_type, object_id, client_ip, request_id)
			VALUES (now(), 'test', 'test.snapshot', 'user', '1', '', '')`)
		exec(`INSERT INTO sessions (token, data, expiry) VALUES ('snapshot-test', '\x00', now() + interval '1 hour')`)
		wantChanged(t, before)
	})
	t.Run("RolledBack", func(t *testing.T) {
		before := e.snapshot()
		tx, err := e.pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM user_token`); err != nil {
			t.Fatal(err)
		}
		if err := tx.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
		wantChanged(t, before)
	})
	// Every table the fixture fills: deleting one of its rows shows in that
	// table's digest (and in those of rows the deletion cascades to). Each
	// deletion runs in a transaction the snapshot reads through, undone
	// after, so that every table meets the whole fixture.
	t.Run("EveryTableRowRemoved", func(t *testing.T) {
		q, _ := snapshotQueries.Load(e.pool.Config().ConnConfig.Database)
		tx, err := e.pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		before, err := snapshotOf(ctx, tx, q.(string))
		if err != nil {
			t.Fatal(err)
		}
		var proven, empty, restricted []string
		for _, name := range sortedKeys(before) {
			if strings.HasPrefix(before[name], "0:") {
				empty = append(empty, name)
				continue
			}
			if _, err := tx.Exec(ctx, "SAVEPOINT row_removed"); err != nil {
				t.Fatal(err)
			}
			id := pgx.Identifier{name}.Sanitize()
			if _, err := tx.Exec(ctx, `DELETE FROM `+id+` WHERE ctid = (SELECT ctid FROM `+id+` LIMIT 1)`); err != nil {
				// Other rows refer to it (ON DELETE RESTRICT); the savepoint undoes the failure.
				restricted = append(restricted, name)
			} else {
				after, err := snapshotOf(ctx, tx, q.(string))
				if err != nil {
					t.Fatal(err)
				}
				if changed := changedTables(before, after); !slices.Contains(changed, name) {
					t.Errorf("removing a row of %s changed %v, not %s", name, changed, name)
				}
				proven = append(proven, name)
			}
			if _, err := tx.Exec(ctx, "ROLLBACK TO SAVEPOINT row_removed"); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("a removed row shows in %v; restricted %v; empty in the fixture %v", proven, restricted, empty)
		// Every digest comes from the one template above; CoversEveryStateTable
		// proves that each table has one, this that the template sees rows.
		if len(proven) < 5 {
			t.Errorf("only %d tables proven: the fixture has thinned out", len(proven))
		}
	})
}
