package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"expodesk/internal/pgcluster"
)

// pgbench's built-in TPC-B-like script on a database of its own in the
// benchmark's cluster: a yardstick of what the cluster itself does on this
// machine, beside which the burst's bookings per second can be read.
const (
	pgbenchDB       = "pgbench"
	pgbenchScale    = 10
	pgbenchClients  = 10 // one per branch at scale 10, so clients do not queue on a branch row
	pgbenchThreads  = 2
	pgbenchDuration = 5 * time.Second
)

// pgbenchResult is what one pgbench run reports.
type pgbenchResult struct {
	Version      string
	Init         time.Duration
	Args         []string
	Transactions int64
	Failed       int64
	LatencyAvg   time.Duration
	TPS          float64
}

// pgbenchArgs are the measured run's arguments (the database URL last).
func pgbenchArgs() []string {
	return []string{"-c", strconv.Itoa(pgbenchClients), "-j", strconv.Itoa(pgbenchThreads),
		"-T", strconv.Itoa(int(pgbenchDuration / time.Second))}
}

// findPgbench returns pgbench of the cluster's PostgreSQL: Debian ships it
// in the server's package (postgresql-15 on bookworm), beside initdb; when
// it is missing there, that package is installed.
func findPgbench(ctx context.Context, log io.Writer) (string, error) {
	bin, err := pgcluster.FindBinaries(ctx, log)
	if err != nil {
		return "", err
	}
	path := filepath.Join(bin, "pgbench")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	major := filepath.Base(filepath.Dir(bin))
	if _, err := strconv.Atoi(major); err != nil {
		return "", fmt.Errorf("pgbench not found beside %s, and no Debian package to install it from is known", bin)
	}
	logf(log, "pgbench not found; installing Debian's postgresql-%s", major)
	if err := pgcluster.AptInstall(ctx, log, "postgresql-"+major); err != nil {
		return "", err
	}
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("pgbench still not found at %s after installing postgresql-%s", path, major)
	}
	return path, nil
}

// runPgbench initializes pgbench's tables at pgbenchScale in a database of
// their own and runs the default (TPC-B-like) script.
func runPgbench(ctx context.Context, cluster *pgcluster.Cluster, log io.Writer) (pgbenchResult, error) {
	var r pgbenchResult
	bin, err := findPgbench(ctx, log)
	if err != nil {
		return r, err
	}
	if err := cluster.CreateDatabase(ctx, pgbenchDB); err != nil {
		return r, err
	}
	dbURL := cluster.URL(pgbenchDB)
	run := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, bin, append(args, dbURL)...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			return out.String(), fmt.Errorf("pgbench %s: %w\n%s", strings.Join(args, " "), err, out.String())
		}
		return out.String(), nil
	}
	start := time.Now()
	if _, err := run("-i", "-q", "-s", strconv.Itoa(pgbenchScale)); err != nil {
		return r, err
	}
	r.Init = time.Since(start)
	r.Args = pgbenchArgs()
	logf(log, "pgbench %s <pgbench database>", strings.Join(r.Args, " "))
	out, err := run(r.Args...)
	if err != nil {
		return r, err
	}
	parsed, err := parsePgbench(out)
	if err != nil {
		return r, fmt.Errorf("pgbench: %w\n%s", err, out)
	}
	parsed.Init, parsed.Args = r.Init, r.Args
	return parsed, nil
}

var (
	pgbVersion      = regexp.MustCompile(`(?m)^pgbench \((.+)\)\s*$`)
	pgbTransactions = regexp.MustCompile(`(?m)^number of transactions actually processed: ([0-9]+)`)
	pgbFailed       = regexp.MustCompile(`(?m)^number of failed transactions: ([0-9]+)`)
	pgbLatency      = regexp.MustCompile(`(?m)^latency average = ([0-9.]+) ms`)
	pgbTPS          = regexp.MustCompile(`(?m)^tps = ([0-9.]+) \(without initial connection time\)`)
)

// parsePgbench reads the summary pgbench prints at the end of a run.
func parsePgbench(out string) (pgbenchResult, error) {
	group := func(re *regexp.Regexp) string {
		if m := re.FindStringSubmatch(out); m != nil {
			return m[1]
		}
		return ""
	}
	tps := group(pgbTPS)
	if tps == "" {
		return pgbenchResult{}, errors.New("no tps line")
	}
	r := pgbenchResult{Version: group(pgbVersion)}
	r.TPS, _ = strconv.ParseFloat(tps, 64)
	r.Transactions, _ = strconv.ParseInt(group(pgbTransactions), 10, 64)
	r.Failed, _ = strconv.ParseInt(group(pgbFailed), 10, 64)
	latency, _ := strconv.ParseFloat(group(pgbLatency), 64)
	r.LatencyAvg = time.Duration(latency * float64(time.Millisecond))
	return r, nil
}
