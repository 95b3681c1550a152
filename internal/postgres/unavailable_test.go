package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"expodesk/internal/expodesk"
	"expodesk/internal/pgcluster"
	"expodesk/internal/postgres"
	"expodesk/internal/testdb"
)

// TestIsUnavailable classifies real errors of a real server (and of no
// server at all): the outages are unavailable, the bugs and the
// misconfigurations are not.
func TestIsUnavailable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dbURL := testdb.URL(t)
	connect := func(t *testing.T, raw string) *pgx.Conn {
		t.Helper()
		conn, err := pgx.Connect(ctx, raw)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = conn.Close(context.Background()) })
		return conn
	}
	withURL := func(change func(u *url.URL)) string {
		u, err := url.Parse(dbURL)
		if err != nil {
			t.Fatal(err)
		}
		change(u)
		return u.String()
	}
	port, err := pgcluster.FreePort()
	if err != nil {
		t.Fatal(err)
	}

	unavailable := map[string]func(t *testing.T) error{
		"ConnectionRefused": func(t *testing.T) error {
			_, err := pgx.Connect(ctx, withURL(func(u *url.URL) { u.Host = net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }))
			return err
		},
		"AdminShutdown57P01": func(t *testing.T) error {
			victim, killer := connect(t, dbURL), connect(t, dbURL)
			if _, err := killer.Exec(ctx, "SELECT pg_terminate_backend($1)", victim.PgConn().PID()); err != nil {
				t.Fatal(err)
			}
			var one int
			return victim.QueryRow(ctx, "SELECT 1").Scan(&one)
		},
		"ClosedConnection": func(t *testing.T) error {
			conn := connect(t, dbURL)
			_ = conn.Close(ctx)
			_, err := conn.Exec(ctx, "SELECT 1")
			return err
		},
		"DeadlineWhileConnecting": func(t *testing.T) error {
			// A listener that never answers the startup message.
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = ln.Close() })
			go func() {
				for {
					c, err := ln.Accept()
					if err != nil {
						return
					}
					t.Cleanup(func() { _ = c.Close() })
				}
			}()
			cctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
			defer cancel()
			_, err = pgx.Connect(cctx, withURL(func(u *url.URL) { u.Host = ln.Addr().String() }))
			return err
		},
		"PoolAcquireDeadline": func(t *testing.T) error {
			pool, err := postgres.Open(ctx, dbURL, 1)
			if err != nil {
				t.Fatal(err)
			}
			defer pool.Close()
			held, err := pool.Acquire(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer held.Release()
			actx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
			defer cancel()
			_, err = pool.Acquire(actx)
			return err
		},
		"CannotConnectNow57P03": func(t *testing.T) error {
			return fmt.Errorf("store: %w", &pgconn.PgError{Severity: "FATAL", Code: "57P03", Message: "the database system is starting up"})
		},
		"TooManyConnections53300": func(t *testing.T) error {
			return &pgconn.PgError{Severity: "FATAL", Code: "53300"}
		},
		"ConnectionReset": func(t *testing.T) error {
			return fmt.Errorf("query: %w", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET})
		},
	}
	for name, cause := range unavailable {
		t.Run(name, func(t *testing.T) {
			err := cause(t)
			if err == nil {
				t.Fatal("no error")
			}
			if !postgres.IsUnavailable(err) {
				t.Errorf("IsUnavailable(%v) = false, want true", err)
			}
		})
	}

	available := map[string]func(t *testing.T) error{
		"Nil": func(*testing.T) error { return nil },
		"NoRows": func(t *testing.T) error {
			return connect(t, dbURL).QueryRow(ctx, "SELECT 1 WHERE false").Scan(new(int))
		},
		"Syntax":    func(t *testing.T) error { _, err := connect(t, dbURL).Exec(ctx, "SELEKT 1"); return err },
		"NotFound":  func(*testing.T) error { return expodesk.ErrNotFound },
		"Arbitrary": func(*testing.T) error { return errors.New("template: no such field") },
		"StatementTimeout57014": func(t *testing.T) error {
			_, err := connect(t, dbURL).Exec(ctx, "SET statement_timeout = 10; SELECT pg_sleep(1)")
			return err
		},
		"UniqueViolation": func(t *testing.T) error {
			c := connect(t, dbURL)
			_, err := c.Exec(ctx, "CREATE TEMP TABLE u (k int PRIMARY KEY); INSERT INTO u VALUES (1), (1)")
			return err
		},
		"WrongPassword": func(t *testing.T) error {
			_, err := pgx.Connect(ctx, withURL(func(u *url.URL) { u.User = url.UserPassword(pgcluster.User, "wrong") }))
			return err
		},
		"UnknownDatabase": func(t *testing.T) error {
			_, err := pgx.Connect(ctx, withURL(func(u *url.URL) { u.Path = "/no_such_database" }))
			return err
		},
		"CallerGaveUp": func(t *testing.T) error {
			cctx, cancel := context.WithCancel(ctx)
			cancel()
			_, err := connect(t, dbURL).Exec(cctx, "SELECT 1")
			return err
		},
	}
	for name, cause := range available {
		t.Run(name, func(t *testing.T) {
			if err := cause(t); postgres.IsUnavailable(err) {
				t.Errorf("IsUnavailable(%v) = true, want false", err)
			}
		})
	}
}
