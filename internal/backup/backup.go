// Package backup dumps expodesk's database to a file and restores it, with
// PostgreSQL's own pg_dump and pg_restore in their custom format: one
// compressed file holding the schema, every row (logos included, since
// they live in the database) and the migration version, restored in one
// transaction.
package backup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Summary describes a dump file or a restored database.
type Summary struct {
	File   string
	Bytes  int64
	Tables int // tables whose rows the dump holds
	Rows   int64
	Took   time.Duration
}

// ErrNotEmpty is a restore refused because its target already holds
// tables; Force replaces what the dump holds instead.
var ErrNotEmpty = errors.New("the database is not empty")

// prepare finds the client tools and reads databaseURL as they take it,
// what a dump and a restore both start with.
func prepare(databaseURL string) (tools, conn, error) {
	t, err := findTools()
	if err != nil {
		return t, conn{}, err
	}
	c, err := libpqConn(databaseURL)
	return t, c, err
}

// Dump writes the database at databaseURL to the file out in pg_dump's
// custom format. The file is written beside out and renamed into place
// once complete, readable by its owner only (it holds password hashes,
// sessions and webhook secrets); an existing out is never overwritten.
func Dump(ctx context.Context, databaseURL, out string) (Summary, error) {
	start := time.Now()
	tools, conn, err := prepare(databaseURL)
	if err != nil {
		return Summary{}, err
	}
	if _, err := os.Stat(out); err == nil {
		return Summary{}, fmt.Errorf("%s exists: a backup never replaces another, name a new file", out)
	}
	dir := filepath.Dir(out)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Summary{}, fmt.Errorf("create %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(out)+".partial-*")
	if err != nil {
		return Summary{}, fmt.Errorf("create backup file: %w", err)
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName) // gone after the rename; left only by a failure
	if err := tmp.Close(); err != nil {
		return Summary{}, fmt.Errorf("create backup file: %w", err)
	}
	// --no-password: never wait for a prompt; the password comes from the URL
	// (through the environment) or its passfile.
	if _, err := conn.run(ctx, tools.dump, "--format=custom", "--no-password", "--lock-wait-timeout=30s",
		"--file="+tmpName, "--dbname="+conn.url); err != nil {
		return Summary{}, err
	}
	if err := syncFile(tmpName); err != nil {
		return Summary{}, err
	}
	sum, err := inspect(ctx, tools, tmpName)
	if err != nil {
		return Summary{}, fmt.Errorf("the dump does not read back: %w", err)
	}
	if err := os.Rename(tmpName, out); err != nil {
		return Summary{}, fmt.Errorf("move the backup into place: %w", err)
	}
	sum.File, sum.Took = out, time.Since(start)
	return sum, nil
}

// Restore loads the dump in file into the database at databaseURL,
// creating that database when the server has none of its name. The target
// must be empty (no tables, views or sequences outside PostgreSQL's own
// schemas): a restore over live data is refused with ErrNotEmpty unless
// force is set, in which case every object the dump holds is dropped and
// made again. Either way it is one transaction: a restore that fails
// leaves the target as it was.
func Restore(ctx context.Context, databaseURL, file string, force bool) (Summary, error) {
	start := time.Now()
	tools, conn, err := prepare(databaseURL)
	if err != nil {
		return Summary{}, err
	}
	if _, err := inspect(ctx, tools, file); err != nil {
		return Summary{}, fmt.Errorf("%s is not a backup pg_restore can read: %w", file, err)
	}
	db, err := connectOrCreate(ctx, databaseURL)
	if err != nil {
		return Summary{}, err
	}
	objects, err := userObjects(ctx, db)
	_ = db.Close(ctx)
	if err != nil {
		return Summary{}, err
	}
	args := []string{"--no-password", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"}
	if objects > 0 {
		if !force {
			return Summary{}, fmt.Errorf("%w: database %q holds %d tables, views or sequences; restore into an empty database, or pass --force (make restore CLEAN=1) to replace what the backup holds",
				ErrNotEmpty, conn.database, objects)
		}
		args = append(args, "--clean", "--if-exists")
	}
	if _, err := conn.run(ctx, tools.restore, append(args, "--dbname="+conn.url, file)...); err != nil {
		return Summary{}, err
	}
	db, err = pgx.Connect(ctx, databaseURL)
	if err != nil {
		return Summary{}, fmt.Errorf("connect to the restored database: %w", err)
	}
	defer db.Close(ctx)
	tables, err := TableRows(ctx, db)
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{File: file, Tables: len(tables), Took: time.Since(start)}
	for _, t := range tables {
		sum.Rows += t.Rows
	}
	return sum, nil
}

// Table is one table of the public schema and how many rows it has.
type Table struct {
	Name string
	Rows int64
}

// TableRows counts the rows of every table of the public schema, by name.
func TableRows(ctx context.Context, db *pgx.Conn) ([]Table, error) {
	names, err := publicTables(ctx, db)
	if err != nil {
		return nil, err
	}
	out := make([]Table, 0, len(names))
	for _, name := range names {
		var n int64
		if err := db.QueryRow(ctx, "SELECT count(*) FROM public."+pgx.Identifier{name}.Sanitize()).Scan(&n); err != nil {
			return nil, fmt.Errorf("count rows of %s: %w", name, err)
		}
		out = append(out, Table{Name: name, Rows: n})
	}
	return out, nil
}

// publicTables names the ordinary and partitioned tables of the public schema, sorted.
func publicTables(ctx context.Context, db *pgx.Conn) ([]string, error) {
	rows, err := db.Query(ctx, `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname`)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	return names, nil
}

// userObjects counts the relations (tables, views, sequences, indexes…)
// outside PostgreSQL's own schemas: a database fresh from CREATE DATABASE
// has none.
func userObjects(ctx context.Context, db *pgx.Conn) (int, error) {
	var n int
	err := db.QueryRow(ctx, `SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
		AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
		AND n.nspname NOT LIKE 'pg\_temp\_%'`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("check that the database is empty: %w", err)
	}
	return n, nil
}

// connectOrCreate connects to the database at databaseURL, creating it
// (from template0, as a restore wants) when the server says it does not exist.
func connectOrCreate(ctx context.Context, databaseURL string) (*pgx.Conn, error) {
	db, err := pgx.Connect(ctx, databaseURL)
	var pgErr *pgconn.PgError
	if err == nil || !errors.As(err, &pgErr) || pgErr.Code != "3D000" { // invalid_catalog_name
		if err != nil {
			return nil, fmt.Errorf("connect to the target database: %w", err)
		}
		return db, nil
	}
	cfg, err := pgx.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("parse DATABASE_URL: %w", err)
	}
	name := cfg.Database
	cfg.Database = "postgres"
	admin, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("database %q does not exist, and the server's postgres database to create it from is out of reach: %w", name, err)
	}
	_, err = admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" TEMPLATE template0 ENCODING 'UTF8'")
	_ = admin.Close(ctx)
	if err != nil {
		return nil, fmt.Errorf("create database %q: %w", name, err)
	}
	db, err = pgx.Connect(ctx, databaseURL)
	if err != nil {
		return nil, fmt.Errorf("connect to the new database: %w", err)
	}
	return db, nil
}

// inspect lists a dump's table of contents (pg_restore --list), which
// reads the whole archive's header and entries: a truncated or foreign
// file fails here. It counts the tables whose data the dump holds.
func inspect(ctx context.Context, t tools, file string) (Summary, error) {
	fi, err := os.Stat(file)
	if err != nil {
		return Summary{}, err
	}
	out, err := runTool(ctx, nil, t.restore, "--list", file)
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{File: file, Bytes: fi.Size()}
	for line := range strings.SplitSeq(out, "\n") {
		if !strings.HasPrefix(line, ";") && strings.Contains(line, " TABLE DATA ") {
			sum.Tables++
		}
	}
	return sum, nil
}

// syncFile flushes a written file to disk before it is renamed into place.
func syncFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("sync backup file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync backup file: %w", err)
	}
	return f.Close()
}

// conn is how the PostgreSQL client tools reach the database: the URL
// without its password, which goes in their environment instead, so that
// it never shows in the process list.
type conn struct {
	url, database string
	env           []string
}

// pgxOnly are parameters of expodesk's URLs that pgx reads and libpq refuses.
var pgxOnly = []string{"pool_", "statement_cache_capacity", "description_cache_capacity", "default_query_exec_mode",
	"min_read_buffer_size", "prefer_simple_protocol"}

// libpqConn turns DATABASE_URL (postgres://user:pass@host:port/db?…) into
// what pg_dump and pg_restore take.
func libpqConn(databaseURL string) (conn, error) {
	u, err := url.Parse(databaseURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return conn{}, errors.New("DATABASE_URL must be a postgres:// URL (postgres://user:pass@host:5432/db) for pg_dump and pg_restore")
	}
	c := conn{database: strings.TrimPrefix(u.Path, "/")}
	if pw, ok := u.User.Password(); ok {
		c.env = append(c.env, "PGPASSWORD="+pw)
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	for k := range q {
		for _, p := range pgxOnly {
			if strings.HasPrefix(k, p) {
				q.Del(k)
			}
		}
	}
	u.RawQuery = q.Encode()
	c.url = u.String()
	return c, nil
}

func (c conn) run(ctx context.Context, tool string, args ...string) (string, error) {
	return runTool(ctx, c.env, tool, args...)
}

// runTool runs a client tool, its error carrying what the tool said.
func runTool(ctx context.Context, env []string, tool string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, tool, args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("%s: %w: %s", filepath.Base(tool), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// tools are the paths of pg_dump and pg_restore.
type tools struct{ dump, restore string }

// findTools picks pg_dump and pg_restore of the newest PostgreSQL installed
// (Debian keeps each major version in /usr/lib/postgresql/N/bin; a newer
// pg_dump reads an older server, never the reverse), else those on PATH.
func findTools() (tools, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return major(dirs[i]) > major(dirs[j]) })
	for _, d := range dirs {
		t := tools{dump: filepath.Join(d, "pg_dump"), restore: filepath.Join(d, "pg_restore")}
		if executable(t.dump) && executable(t.restore) {
			return t, nil
		}
	}
	dump, err1 := exec.LookPath("pg_dump")
	restore, err2 := exec.LookPath("pg_restore")
	if err1 != nil || err2 != nil {
		return tools{}, errors.New("pg_dump and pg_restore not found: install PostgreSQL's client tools (Debian: postgresql-client)")
	}
	return tools{dump: dump, restore: restore}, nil
}

func major(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

func executable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}
