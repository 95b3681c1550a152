package postgres_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"expodesk/internal/postgres"
	"expodesk/internal/testdb"
)

// schemaOf describes the public schema: every table column with its type,
// every constraint and index, every function and extension. Two databases
// with the same description have the same schema.
func schemaOf(t *testing.T, conn *pgx.Conn) []string {
	t.Helper()
	rows, err := conn.Query(context.Background(), `
		SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '')
		FROM information_schema.columns WHERE table_schema = 'public'
		UNION ALL
		SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
		FROM pg_constraint WHERE connamespace = 'public'::regnamespace
		UNION ALL
		SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
		UNION ALL
		SELECT 'function ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
		FROM pg_proc p LEFT JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
		WHERE p.pronamespace = 'public'::regnamespace AND d.objid IS NULL
		UNION ALL
		SELECT 'extension ' || extname FROM pg_extension WHERE extname <> 'plpgsql'
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func tablesOf(t *testing.T, conn *pgx.Conn) []string {
	t.Helper()
	rows, err := conn.Query(context.Background(),
		`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMigrateUpDownUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testdb.URL(t) // migrated up from the template
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)

	latest, err := postgres.LatestMigration()
	if err != nil {
		t.Fatal(err)
	}
	checkVersion := func(t *testing.T) {
		t.Helper()
		var version int64
		var dirty bool
		if err := conn.QueryRow(ctx, `SELECT version, dirty FROM schema_migrations`).Scan(&version, &dirty); err != nil {
			t.Fatal(err)
		}
		if uint(version) != latest || dirty {
			t.Fatalf("schema at version %d (dirty %v), want %d", version, dirty, latest)
		}
	}

	// Up again on a current database changes nothing.
	if err := postgres.MigrateUp(url); err != nil {
		t.Fatalf("MigrateUp on a current database: %v", err)
	}
	checkVersion(t)
	before := schemaOf(t, conn)
	if len(before) < 100 {
		t.Fatalf("schema description has %d entries; the query is broken", len(before))
	}
	tables := tablesOf(t, conn)
	for _, want := range []string{"expo", "pavilion", "exhibitor", "participation", "app_user", "slot", "booking",
		"delegation", "meeting", "audit_entry", "mail_message", "schema_migrations"} {
		if !slices.Contains(tables, want) {
			t.Errorf("table %s missing after migrating up; have %v", want, tables)
		}
	}

	t.Run("DownToZero", func(t *testing.T) {
		if err := postgres.MigrateDown(url); err != nil {
			t.Fatalf("MigrateDown: %v", err)
		}
		if got := tablesOf(t, conn); !slices.Equal(got, []string{"schema_migrations"}) {
			t.Errorf("tables left after migrating down: %v", got)
		}
		if got := schemaOf(t, conn); len(got) > 0 {
			var left []string
			for _, s := range got {
				if !strings.Contains(s, "schema_migrations") {
					left = append(left, s)
				}
			}
			if len(left) > 0 {
				t.Errorf("objects left after migrating down:\n%s", strings.Join(left, "\n"))
			}
		}
		// Down again on an empty database is not an error.
		if err := postgres.MigrateDown(url); err != nil {
			t.Errorf("MigrateDown on an empty database: %v", err)
		}
	})

	t.Run("UpAgainSameSchema", func(t *testing.T) {
		if err := postgres.MigrateUp(url); err != nil {
			t.Fatalf("MigrateUp after down: %v", err)
		}
		checkVersion(t)
		after := schemaOf(t, conn)
		if !slices.Equal(before, after) {
			t.Errorf("schema differs after up → down → up:\nonly before: %v\nonly after: %v",
				minus(before, after), minus(after, before))
		}
		var sectors int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM sector`).Scan(&sectors); err != nil || sectors == 0 {
			t.Errorf("sector list not reloaded: %d, %v", sectors, err)
		}
	})
}

// minus returns the elements of a not in b.
func minus(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}
