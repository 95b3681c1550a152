package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"

	"expodesk/internal/backup"
	"expodesk/internal/postgres"
)

// backupOptions are the flags of backup (--out) and restore (--in, --force).
type backupOptions struct {
	file  string
	force bool
}

// backupFlags defines the flags of backup or restore, writing errors and help to out.
func backupFlags(cmd string, out io.Writer) (*flag.FlagSet, *backupOptions) {
	o := &backupOptions{}
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(out)
	if cmd == "backup" {
		fs.StringVar(&o.file, "out", "", "the file to write (required; it must not exist)")
		return fs, o
	}
	fs.StringVar(&o.file, "in", "", "the backup file to restore (required)")
	fs.BoolVar(&o.force, "force", false, "restore into a database that is not empty, dropping and making again every object the backup holds")
	return fs, o
}

func runBackup(ctx context.Context, cfg config, o backupOptions, stdout io.Writer) error {
	sum, err := backup.Dump(ctx, cfg.DatabaseURL, o.file)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(stdout, "Backup written to %s: %d tables, %s, in %s.\n", sum.File, sum.Tables, byteSize(sum.Bytes), sum.Took.Round(100_000_000))
	fmt.Fprintf(stdout, "Restore it with: make restore FILE=%s (or expodesk restore --in %s)\n", sum.File, sum.File)
	return nil
}

func runRestore(ctx context.Context, cfg config, o backupOptions, stdout io.Writer) error {
	sum, err := backup.Restore(ctx, cfg.DatabaseURL, o.file, o.force)
	if errors.Is(err, backup.ErrNotEmpty) {
		return fmt.Errorf("restore refused: %w", err)
	}
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	fmt.Fprintf(stdout, "Restored %s: %d tables, %d rows, in %s.\n", sum.File, sum.Tables, sum.Rows, sum.Took.Round(100_000_000))
	// A backup of an older release is at an older migration; serve brings
	// it up to date when it starts, and says so here first.
	latest, err := postgres.LatestMigration()
	if err != nil {
		return err
	}
	conn, err := pgx.Connect(ctx, cfg.DatabaseURL)
	if err != nil {
		return fmt.Errorf("connect to the restored database: %w", err)
	}
	defer conn.Close(ctx)
	version, dirty, err := postgres.New(conn, nil).MigrationState(ctx)
	switch {
	case err != nil:
		return fmt.Errorf("read the restored database's migration version: %w", err)
	case dirty:
		fmt.Fprintf(stdout, "Its schema is at migration %d, marked dirty (a migration failed halfway before the backup): see expodesk migrate.\n", version)
	case uint(version) < latest:
		fmt.Fprintf(stdout, "Its schema is at migration %d, older than this release's %d: expodesk serve (make run) migrates it on start.\n", version, latest)
	default:
		fmt.Fprintf(stdout, "Its schema is at migration %d, this release's.\n", version)
	}
	return nil
}

// byteSize writes n bytes for people: 512 B, 3.4 MB.
func byteSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f kB", float64(n)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}
