// Package postgres is expodesk's store: every query the application makes,
// the migration runner, and the translation of database errors into the
// domain's error codes. It returns domain types only.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"expodesk/internal/expodesk"
)

// Querier is what the store needs of a connection: a pool in production, a
// transaction in tests that roll back.
type Querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Begin(ctx context.Context) (pgx.Tx, error)
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// Store runs expodesk's queries.
type Store struct {
	db  Querier
	now func() time.Time
}

// New returns a store over db. now is the clock (time.Now in production).
func New(db Querier, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now}
}

// Open connects a pool to the database at url and checks that it answers.
// The pool reconnects by itself when PostgreSQL restarts.
func Open(ctx context.Context, url string, maxConns int32) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	cfg.MaxConnIdleTime = 5 * time.Minute
	cfg.HealthCheckPeriod = 15 * time.Second
	// A server that does not answer (a host gone from the network) fails a
	// connection attempt in seconds, which is then answered as an outage
	// (IsUnavailable), rather than holding the request until its client
	// gives up. The URL's connect_timeout, if any, decides instead.
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = "expodesk"
	// A runaway query must not hold a connection forever.
	cfg.ConnConfig.RuntimeParams["statement_timeout"] = "30000"
	cfg.ConnConfig.RuntimeParams["idle_in_transaction_session_timeout"] = "60000"
	// The server's queries are short and many run at once: compiling one
	// with JIT (10-15 ms) or starting parallel workers for it (a directory
	// count's Gather took 100-250 ms on 2 busy CPUs) costs more than it
	// saves (docs/benchmarks.md, "Where a directory miss goes").
	cfg.ConnConfig.RuntimeParams["jit"] = "off"
	cfg.ConnConfig.RuntimeParams["max_parallel_workers_per_gather"] = "0"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database pool: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("ping database: %w", err)
	}
	return pool, nil
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.db.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	return nil
}

// inTx runs fn in a transaction (a savepoint when the store already runs in one).
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.db, fn)
}

// PostgreSQL error codes the store translates.
const (
	pgUniqueViolation     = "23505"
	pgForeignKeyViolation = "23503"
	pgCheckViolation      = "23514"
	pgExclusionViolation  = "23P01"
	pgSerialization       = "40001"
	pgDeadlock            = "40P01"
)

// constraintErrors names the domain error each constraint stands for, so
// that callers get ErrEmailTaken rather than a conflict to reinterpret.
var constraintErrors = map[string]*expodesk.Error{
	"app_user_email":            expodesk.ErrEmailTaken,
	"expo_slug_key":             expodesk.ErrExpoSlugTaken,
	"pavilion_expo_id_slug_key": expodesk.ErrPavilionSlugTaken,
	"participation_booth":       expodesk.ErrBoothTaken,
	// Registering a company (O2).
	"exhibitor_registration_id":              expodesk.ErrRegistrationIDTaken,
	"exhibitor_slug_key":                     expodesk.ErrExhibitorSlugTaken,
	"participation_expo_id_exhibitor_id_key": expodesk.ErrAlreadyParticipates,
	"participation_contact_email":            expodesk.ErrApplicationRepeat,
	"stage_expo_id_slug_key":                 expodesk.ErrStageSlugTaken,
	"slot_no_overlap":                        expodesk.ErrSlotOverlap,
	"booking_one_active_per_slot":            expodesk.ErrSlotTaken,
	"booking_exhibitor_no_overlap":           expodesk.ErrBookingOverlap,
	"slot_draw_run_pkey":                     expodesk.ErrDrawAlreadyRun,

	// Waitlists.
	"waitlist_entry_slot_id_exhibitor_id_key": expodesk.ErrWaitlistJoined,
}

// translate turns a database error into a domain error: no rows is not found,
// a broken unique or exclusion constraint is a conflict, a broken check or
// foreign key is invalid input. Anything else is wrapped with what.
func translate(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return expodesk.ErrNotFound
	}
	if e := expodesk.ErrorOf(err); e != nil {
		return err
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		if e, ok := constraintErrors[pgErr.ConstraintName]; ok {
			return e
		}
		switch pgErr.Code {
		case pgUniqueViolation, pgExclusionViolation:
			return &expodesk.Error{Code: expodesk.ECONFLICT, Message: "error.conflict",
				Data: map[string]any{"Constraint": pgErr.ConstraintName}}
		case pgCheckViolation, pgForeignKeyViolation:
			return expodesk.Wrap(expodesk.EINVALID, "error.invalid", fmt.Errorf("%s: %w", what, err))
		}
	}
	return fmt.Errorf("%s: %w", what, err)
}

// Retryable reports whether err is PostgreSQL giving up one of two
// transactions that waited on each other (a deadlock) or a serialization
// failure: the whole transaction may be run again.
func Retryable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == pgDeadlock || pgErr.Code == pgSerialization)
}

// ConstraintOf returns the name of the constraint behind a conflict, or "".
func ConstraintOf(err error) string {
	if e := expodesk.ErrorOf(err); e != nil && e.Data != nil {
		if c, ok := e.Data["Constraint"].(string); ok {
			return c
		}
	}
	return ""
}

// collect runs a query and scans every row into a T by column name.
func collect[T any](ctx context.Context, db Querier, what, sql string, args ...any) ([]T, error) {
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return nil, translate(err, what)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[T])
	if err != nil {
		return nil, translate(err, what)
	}
	return out, nil
}

// each runs a query and calls fn with each row scanned into a T, without
// holding the rows in memory; an error from fn stops it and is returned.
func each[T any](ctx context.Context, db Querier, what, sql string, args []any, fn func(T) error) error {
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return translate(err, what)
	}
	defer rows.Close()
	for rows.Next() {
		v, err := pgx.RowToStructByName[T](rows)
		if err != nil {
			return translate(err, what)
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return translate(rows.Err(), what)
}

// one runs a query expected to return exactly one row and scans it into a T.
func one[T any](ctx context.Context, db Querier, what, sql string, args ...any) (T, error) {
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		var zero T
		return zero, translate(err, what)
	}
	v, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[T])
	return v, translate(err, what)
}

// batchOne is one for the next query of a batch sent.
func batchOne[T any](br pgx.BatchResults, what string) (T, error) {
	rows, err := br.Query()
	if err != nil {
		var zero T
		return zero, translate(err, what)
	}
	v, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[T])
	return v, translate(err, what)
}

// batchCollect is collect for the next query of a batch sent.
func batchCollect[T any](br pgx.BatchResults, what string) ([]T, error) {
	rows, err := br.Query()
	if err != nil {
		return nil, translate(err, what)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[T])
	return out, translate(err, what)
}

// Tx runs fn with a store whose every query runs in one transaction, committed
// when fn returns nil and rolled back otherwise.
func (s *Store) Tx(ctx context.Context, fn func(*Store) error) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		return fn(&Store{db: tx, now: s.now})
	})
}

// Lock takes a transaction-scoped advisory lock, so that two instances doing
// the same one-off work (loading demo data) do it once. Call it inside Tx.
func (s *Store) Lock(ctx context.Context, key int64) error {
	_, err := s.db.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", key)
	return translate(err, "take advisory lock")
}
