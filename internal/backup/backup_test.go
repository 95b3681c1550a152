package backup_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"expodesk/internal/backup"
	"expodesk/internal/demo"
	"expodesk/internal/postgres"
	"expodesk/internal/testdb"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

// TestRestoreDrill is the drill a backup is only as good as: the demo data
// and a logo in database A, a backup of A restored into a scratch database
// B that the restore creates, then every public table compared — its row
// count and a checksum of all its rows in primary-key order — and B found
// at the current migration, with nothing left to migrate.
func TestRestoreDrill(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	aURL := testdb.URL(t)
	pool, err := postgres.Open(ctx, aURL, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	store := postgres.New(pool, time.Now)
	if _, err := demo.Load(ctx, store, time.Now()); err != nil {
		t.Fatal(err)
	}
	var exhibitorID int64
	if err := pool.QueryRow(ctx, "SELECT min(id) FROM exhibitor").Scan(&exhibitorID); err != nil {
		t.Fatal(err)
	}
	logo := pngLogo(t)
	if err := store.LogoPut(ctx, exhibitorID, "image/png", logo, 64, 48, "logo-etag"); err != nil {
		t.Fatal(err)
	}
	a := connect(t, aURL)
	before := fingerprint(t, a)
	if before["logo"].rows != 1 || before["exhibitor"].rows < 40 {
		t.Fatalf("database A holds %d logos and %d exhibitors; the demo data and a logo were expected", before["logo"].rows, before["exhibitor"].rows)
	}

	file := filepath.Join(t.TempDir(), "backups", "expodesk.dump")
	dumped, err := backup.Dump(ctx, aURL, file)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 || fi.Size() != dumped.Bytes {
		t.Fatalf("backup file: %v, %v; want %d bytes readable by its owner only", fi, err, dumped.Bytes)
	}
	if dumped.Tables != len(before) {
		t.Errorf("the dump holds the rows of %d tables, database A has %d", dumped.Tables, len(before))
	}

	bURL := scratchDatabase(t, aURL)
	restored, err := backup.Restore(ctx, bURL, file, false)
	if err != nil {
		t.Fatal(err)
	}
	b := connect(t, bURL)
	t.Run("EveryTableTheSame", func(t *testing.T) {
		after := fingerprint(t, b)
		for name, want := range before {
			if got, ok := after[name]; !ok {
				t.Errorf("table %s is missing from the restored database", name)
			} else if got != want {
				t.Errorf("table %s: %d rows (checksum %s) restored, %d rows (checksum %s) backed up", name, got.rows, got.sum, want.rows, want.sum)
			}
		}
		if len(after) != len(before) {
			t.Errorf("%d tables restored, %d backed up", len(after), len(before))
		}
		var rows int64
		for _, s := range before {
			rows += s.rows
		}
		if restored.Tables != len(before) || restored.Rows != rows {
			t.Errorf("the restore reports %d tables and %d rows, want %d and %d", restored.Tables, restored.Rows, len(before), rows)
		}
	})
	t.Run("TheLogoCameBack", func(t *testing.T) {
		got, err := postgres.New(b, nil).LogoGetOwn(ctx, exhibitorID)
		if err != nil || !bytes.Equal(got.Data, logo) || got.ContentType != "image/png" {
			t.Errorf("logo after the restore: %d bytes, %q, %v; want the %d bytes stored", len(got.Data), got.ContentType, err, len(logo))
		}
	})
	t.Run("MigratesAsUpToDate", func(t *testing.T) {
		version, dirty, err := postgres.New(b, nil).MigrationState(ctx)
		latest, lerr := postgres.LatestMigration()
		if err != nil || lerr != nil || dirty || uint(version) != latest {
			t.Fatalf("restored schema at %d (dirty %v, %v), want %d (%v)", version, dirty, err, latest, lerr)
		}
		if err := postgres.MigrateUp(bURL); err != nil {
			t.Fatal(err)
		}
		if got := fingerprint(t, b); got["schema_migrations"] != before["schema_migrations"] {
			t.Error("migrating the restored database changed its migration state")
		}
	})
	t.Run("ErrNotEmptyWithoutForce", func(t *testing.T) {
		if _, err := backup.Restore(ctx, bURL, file, false); !errors.Is(err, backup.ErrNotEmpty) {
			t.Fatalf("a restore over data: %v, want ErrNotEmpty", err)
		}
		if _, err := b.Exec(ctx, "DELETE FROM logo"); err != nil {
			t.Fatal(err)
		}
		if _, err := backup.Restore(ctx, bURL, file, true); err != nil {
			t.Fatalf("a forced restore: %v", err)
		}
		if got := fingerprint(t, b); got["logo"] != before["logo"] || got["exhibitor"] != before["exhibitor"] {
			t.Error("a forced restore did not bring back what the backup holds")
		}
	})
	t.Run("ABackupNeverReplacesAnother", func(t *testing.T) {
		if _, err := backup.Dump(ctx, aURL, file); err == nil {
			t.Fatal("a second backup to the same file was written over the first")
		}
		if fi, err := os.Stat(file); err != nil || fi.Size() != dumped.Bytes {
			t.Errorf("the first backup changed: %v, %v", fi, err)
		}
	})
	t.Run("ATruncatedBackupIsRefused", func(t *testing.T) {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		truncated := filepath.Join(t.TempDir(), "truncated.dump")
		if err := os.WriteFile(truncated, raw[:len(raw)*2/3], 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := backup.Restore(ctx, scratchDatabase(t, aURL), truncated, false); err == nil {
			t.Fatal("a truncated backup was restored")
		}
	})
	t.Run("ARestoreThatFailsHalfwayLeavesNothing", func(t *testing.T) {
		// A type named like one of the backup's tables: the target counts
		// as empty, and the restore fails when it reaches that table, after
		// it has made others.
		cURL := scratchDatabase(t, aURL)
		admin := connect(t, adminOf(t, aURL))
		if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{databaseOf(t, cURL)}.Sanitize()); err != nil {
			t.Fatal(err)
		}
		c := connect(t, cURL)
		if _, err := c.Exec(ctx, "CREATE TYPE public.logo AS (x int)"); err != nil {
			t.Fatal(err)
		}
		if _, err := backup.Restore(ctx, cURL, file, false); err == nil {
			t.Fatal("the restore went through a clash")
		}
		var relations int
		if err := c.QueryRow(ctx, `SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = 'public' AND c.relkind <> 'c'`).Scan(&relations); err != nil {
			t.Fatal(err)
		}
		if relations != 0 {
			t.Errorf("the failed restore left %d tables, indexes or sequences in the target", relations)
		}
	})
}

// tableSum is one table's row count and the md5 of its rows as text, in
// primary-key order.
type tableSum struct {
	rows int64
	sum  string
}

// fingerprint sums every table of the public schema.
func fingerprint(t *testing.T, db *pgx.Conn) map[string]tableSum {
	t.Helper()
	ctx := context.Background()
	tables, err := backup.TableRows(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]tableSum{}
	for _, tbl := range tables {
		rows, err := db.Query(ctx, `SELECT a.attname FROM pg_index i
			JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
			WHERE i.indrelid = ('public.' || quote_ident($1))::regclass AND i.indisprimary
			ORDER BY array_position(i.indkey::int2[], a.attnum)`, tbl.Name)
		if err != nil {
			t.Fatal(err)
		}
		key, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		order := "t::text" // a table without a primary key: its rows in text order
		if len(key) > 0 {
			order = pgx.Identifier{key[0]}.Sanitize()
			for _, k := range key[1:] {
				order += ", " + pgx.Identifier{k}.Sanitize()
			}
		}
		var s tableSum
		if err := db.QueryRow(ctx, "SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY "+order+"), '')) FROM public."+
			pgx.Identifier{tbl.Name}.Sanitize()+" AS t").Scan(&s.rows, &s.sum); err != nil {
			t.Fatalf("sum %s: %v", tbl.Name, err)
		}
		out[tbl.Name] = s
	}
	return out
}

// scratchDatabase names a database that does not exist yet on the server
// of like (the restore creates it), dropped when the test ends.
func scratchDatabase(t *testing.T, like string) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "restore_" + hex.EncodeToString(b)
	u, err := url.Parse(like)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	t.Cleanup(func() {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, adminOf(t, like))
		if err != nil {
			t.Logf("drop %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Logf("drop %s: %v", name, err)
		}
	})
	return u.String()
}

// adminOf is the URL of the server's postgres database.
func adminOf(t *testing.T, dbURL string) string {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/postgres"
	return u.String()
}

// databaseOf is the name of the database a URL names.
func databaseOf(t *testing.T, dbURL string) string {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Path[1:]
}

func connect(t *testing.T, dbURL string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

// pngLogo is a small PNG with a gradient, so that its bytes are not all alike.
func pngLogo(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		for y := range 48 {
			img.Set(x, y, color.RGBA{R: uint8(4 * x), G: uint8(5 * y), B: 200, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
