// Package testdb gives each test its own freshly migrated PostgreSQL
// database, cloned from a template migrated once per test binary, when the
// first test asks for one: a run that needs no database (a fuzz target, a
// -run of pure tests) starts and migrates nothing. The server is the one
// TEST_DATABASE_URL names (`make test` starts a throwaway cluster and sets
// it); without it, the package starts a cluster of its own.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"expodesk/internal/pgcluster"
	"expodesk/internal/postgres"
)

var (
	mu       sync.Mutex
	adminURL string // a URL of the server's maintenance database
	template string // the migrated template database's name
	cluster  *pgcluster.Cluster

	inMain   bool      // Main runs the tests, and removes what setUp made
	setUpErr error     // setUp's outcome, once it has run
	once     sync.Once // setUp runs at the first URL
)

// Main wraps testing.M.Run: the server and template are prepared when the
// first test asks for a database, and removed after the tests. Use it as
// `os.Exit(testdb.Main(m))`.
func Main(m *testing.M) int {
	inMain = true
	code := m.Run()
	if template != "" || cluster != nil {
		tearDown(context.Background())
	}
	return code
}

// ready prepares the server and template once, reporting why it could not.
func ready() error {
	once.Do(func() {
		if err := setUp(context.Background()); err != nil {
			setUpErr = fmt.Errorf("testdb: %w", err)
		}
	})
	return setUpErr
}

func setUp(ctx context.Context) error {
	adminURL = os.Getenv("TEST_DATABASE_URL")
	if adminURL == "" {
		dir, err := os.MkdirTemp("", "expodesk-testdb-")
		if err != nil {
			return err
		}
		cluster = &pgcluster.Cluster{Dir: dir, Fast: true, Log: os.Stderr}
		if err := cluster.Ensure(ctx); err != nil {
			return err
		}
		adminURL = cluster.URL("postgres")
	}
	template = "tpl_" + randomName()
	if err := exec(ctx, "CREATE DATABASE "+pgx.Identifier{template}.Sanitize()); err != nil {
		return err
	}
	if err := postgres.MigrateUp(withDatabase(adminURL, template)); err != nil {
		return fmt.Errorf("migrate template: %w", err)
	}
	return nil
}

func tearDown(ctx context.Context) {
	_ = exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{template}.Sanitize()+" WITH (FORCE)")
	if cluster != nil {
		_ = cluster.Stop(ctx)
		_ = os.RemoveAll(cluster.Dir)
	}
}

// URL returns the URL of a new, migrated, empty database that is dropped when
// the test ends.
func URL(t testing.TB) string {
	t.Helper()
	if !inMain {
		t.Fatal("testdb: call testdb.Main from TestMain")
	}
	if err := ready(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	name := "t_" + randomName()
	// Cloning needs the template to have no other connections; clone one at a time.
	mu.Lock()
	err := exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+
		" TEMPLATE "+pgx.Identifier{template}.Sanitize()+" STRATEGY FILE_COPY")
	mu.Unlock()
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	t.Cleanup(func() {
		if err := exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Logf("testdb: %v", err)
		}
	})
	return withDatabase(adminURL, name)
}

// Pool returns a pool over a new database (see URL), closed when the test ends.
func Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, err := postgres.Open(context.Background(), URL(t), 20)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// Store returns a store over a new database whose clock is now.
func Store(t testing.TB, now func() time.Time) (*postgres.Store, *pgxpool.Pool) {
	t.Helper()
	pool := Pool(t)
	return postgres.New(pool, now), pool
}

func exec(ctx context.Context, sql string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("connect to test server: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}

func withDatabase(raw, db string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Path = "/" + db
	return u.String()
}

func randomName() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
