// Package pgcluster creates, starts and stops a project-local PostgreSQL
// cluster from the machine's server binaries, installing Debian's postgresql
// package when they are missing. `make run` and the tests use it; the server
// itself never does.
//
// PostgreSQL refuses to run as root, so when the caller is root the cluster
// belongs to the postgres system user and every server command runs through
// runuser.
package pgcluster

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// Cluster is a PostgreSQL data directory and the port its server listens on.
type Cluster struct {
	Dir  string // the data directory
	Port int    // 0 picks a free port when the server is started
	// Fast turns off durability (fsync, synchronous commit): for throwaway test clusters only.
	Fast bool
	Log  io.Writer

	bin      string // folder of initdb, pg_ctl, postgres
	password string
}

// User is the cluster's superuser.
const User = "app"

// Ensure makes the cluster ready: binaries present (installed if need be),
// data directory initialized, server started. It is safe to call when the
// cluster already runs.
func (c *Cluster) Ensure(ctx context.Context) error {
	if c.Log == nil {
		c.Log = io.Discard
	}
	bin, err := FindBinaries(ctx, c.Log)
	if err != nil {
		return err
	}
	c.bin = bin
	if c.Dir, err = filepath.Abs(c.Dir); err != nil {
		return fmt.Errorf("resolve data directory: %w", err)
	}
	if err := c.initdb(ctx); err != nil {
		return err
	}
	pw, err := os.ReadFile(c.passwordFile())
	if err != nil {
		return fmt.Errorf("read cluster password: %w", err)
	}
	c.password = strings.TrimSpace(string(pw))
	if c.running(ctx) {
		// A running server keeps the port it was started with.
		port, err := c.runningPort()
		if err != nil {
			return err
		}
		c.Port = port
		return nil
	}
	if c.Port == 0 {
		if c.Port, err = FreePort(); err != nil {
			return err
		}
	}
	return c.start(ctx)
}

// runningPort reads the port from the server's postmaster.pid (its fourth line).
func (c *Cluster) runningPort() (int, error) {
	b, err := os.ReadFile(filepath.Join(c.dataDir(), "postmaster.pid"))
	if err != nil {
		return 0, fmt.Errorf("read postmaster.pid: %w", err)
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 4 {
		return 0, errors.New("postmaster.pid is too short")
	}
	port, err := strconv.Atoi(strings.TrimSpace(lines[3]))
	if err != nil {
		return 0, fmt.Errorf("postmaster.pid port: %w", err)
	}
	return port, nil
}

// URL returns a connection URL for database db over the local TCP port.
func (c *Cluster) URL(db string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(User, c.password),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(c.Port)),
		Path:     "/" + db,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// Stop stops the server, waiting for connections to finish briefly.
func (c *Cluster) Stop(ctx context.Context) error {
	if c.bin == "" {
		bin, err := FindBinaries(ctx, io.Discard)
		if err != nil {
			return err
		}
		c.bin = bin
	}
	if !c.running(ctx) {
		return nil
	}
	return c.run(ctx, "pg_ctl", "-D", c.dataDir(), "-w", "-t", "30", "-m", "fast", "stop")
}

// CreateDatabase creates db unless it exists.
func (c *Cluster) CreateDatabase(ctx context.Context, db string) error {
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return fmt.Errorf("connect to cluster: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", db).Scan(&exists); err != nil {
		return fmt.Errorf("look up database %s: %w", db, err)
	}
	if exists {
		return nil
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{db}.Sanitize()); err != nil {
		return fmt.Errorf("create database %s: %w", db, err)
	}
	return nil
}

// The data lives one level down so that the folder the caller names can hold
// the password file and log beside it, all owned by the server's user.
func (c *Cluster) dataDir() string      { return filepath.Join(c.Dir, "data") }
func (c *Cluster) passwordFile() string { return filepath.Join(c.Dir, "password") }
func (c *Cluster) logFile() string      { return filepath.Join(c.Dir, "server.log") }

func (c *Cluster) initdb(ctx context.Context) error {
	if _, err := os.Stat(filepath.Join(c.dataDir(), "PG_VERSION")); err == nil {
		return nil
	}
	fmt.Fprintf(c.Log, "pgcluster: creating a PostgreSQL cluster in %s\n", c.Dir)
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return fmt.Errorf("create cluster folder: %w", err)
	}
	pw := make([]byte, 16)
	if _, err := rand.Read(pw); err != nil {
		return fmt.Errorf("generate password: %w", err)
	}
	if err := os.WriteFile(c.passwordFile(), []byte(hex.EncodeToString(pw)+"\n"), 0o600); err != nil {
		return fmt.Errorf("write password file: %w", err)
	}
	if err := c.handOver(); err != nil {
		return err
	}
	return c.run(ctx, "initdb", "-D", c.dataDir(), "-U", User, "--pwfile", c.passwordFile(),
		"--auth-local=peer", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "-N")
}

// handOver gives the cluster folder to the postgres user when running as
// root, and makes sure that user can reach it through every parent folder.
func (c *Cluster) handOver() error {
	if os.Geteuid() != 0 {
		return nil
	}
	pg, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("running as root needs the postgres system user: %w", err)
	}
	uid, _ := strconv.Atoi(pg.Uid)
	gid, _ := strconv.Atoi(pg.Gid)
	err = filepath.Walk(c.Dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
	if err != nil {
		return fmt.Errorf("give cluster folder to postgres: %w", err)
	}
	for dir := filepath.Dir(c.Dir); ; dir = filepath.Dir(dir) {
		fi, err := os.Stat(dir)
		if err != nil {
			return fmt.Errorf("check %s: %w", dir, err)
		}
		if fi.Mode().Perm()&0o001 == 0 {
			// Traverse only (no listing), so the postgres user can reach its own folder.
			fmt.Fprintf(c.Log, "pgcluster: letting the postgres user traverse %s (chmod o+x)\n", dir)
			if err := os.Chmod(dir, fi.Mode().Perm()|0o001); err != nil {
				return fmt.Errorf("make %s traversable: %w", dir, err)
			}
		}
		if dir == "/" || dir == "." {
			return nil
		}
	}
}

func (c *Cluster) start(ctx context.Context) error {
	opts := []string{
		"-p", strconv.Itoa(c.Port),
		"-c", "listen_addresses=127.0.0.1",
		"-k", c.Dir,
		"-c", "max_connections=200",
	}
	if c.Fast {
		opts = append(opts, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	fmt.Fprintf(c.Log, "pgcluster: starting PostgreSQL on 127.0.0.1:%d\n", c.Port)
	err := c.run(ctx, "pg_ctl", "-D", c.dataDir(), "-w", "-t", "60", "-l", c.logFile(), "start", "-o", strings.Join(opts, " "))
	if err != nil {
		if log, rerr := os.ReadFile(c.logFile()); rerr == nil {
			lines := strings.Split(strings.TrimSpace(string(log)), "\n")
			if len(lines) > 10 {
				lines = lines[len(lines)-10:]
			}
			return fmt.Errorf("%w\nserver log:\n%s", err, strings.Join(lines, "\n"))
		}
	}
	return err
}

func (c *Cluster) running(ctx context.Context) bool {
	return c.run(ctx, "pg_ctl", "-D", c.dataDir(), "status") == nil
}

// command builds a server command, run as the postgres user when we are root.
func (c *Cluster) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	path := filepath.Join(c.bin, name)
	var cmd *exec.Cmd
	if os.Geteuid() == 0 {
		cmd = exec.CommandContext(ctx, "runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, path, args...)
	}
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	// The server must outlive a Ctrl-C sent to `make run`'s process group.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return cmd
}

func (c *Cluster) run(ctx context.Context, name string, args ...string) error {
	_, err := c.output(ctx, name, args...)
	return err
}

func (c *Cluster) output(ctx context.Context, name string, args ...string) (string, error) {
	cmd := c.command(ctx, name, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	// pg_ctl start leaves the server holding stdout; do not wait for it to close.
	cmd.WaitDelay = time.Second
	if err := cmd.Run(); err != nil && !errors.Is(err, exec.ErrWaitDelay) {
		return out.String(), fmt.Errorf("%s: %w: %s", name, err, strings.TrimSpace(errOut.String()))
	}
	return out.String(), nil
}

// FindBinaries returns the folder holding initdb, pg_ctl and postgres,
// installing Debian's postgresql package when none is found.
func FindBinaries(ctx context.Context, log io.Writer) (string, error) {
	if dir := findBinaries(); dir != "" {
		return dir, nil
	}
	fmt.Fprintln(log, "pgcluster: PostgreSQL server binaries not found; installing Debian's postgresql")
	if err := AptInstall(ctx, log, "postgresql", "postgresql-contrib"); err != nil {
		return "", err
	}
	if dir := findBinaries(); dir != "" {
		return dir, nil
	}
	return "", errors.New("PostgreSQL server binaries not found after installing postgresql")
}

func findBinaries() string {
	if p, err := exec.LookPath("pg_config"); err == nil {
		if out, err := exec.Command(p, "--bindir").Output(); err == nil {
			dir := strings.TrimSpace(string(out))
			if _, err := os.Stat(filepath.Join(dir, "initdb")); err == nil {
				return dir
			}
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p)
	}
	return ""
}

func version(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// AptInstall installs Debian packages; it needs root (or sudo without a password).
func AptInstall(ctx context.Context, log io.Writer, pkgs ...string) error {
	prefix := []string{}
	if os.Geteuid() != 0 {
		if _, err := exec.LookPath("sudo"); err != nil {
			return fmt.Errorf("installing %s needs root: run as root or install them yourself", strings.Join(pkgs, " "))
		}
		prefix = []string{"sudo", "-n"}
	}
	run := func(args ...string) error {
		args = append(prefix, args...)
		cmd := exec.CommandContext(ctx, args[0], args[1:]...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		cmd.Stdout, cmd.Stderr = log, log
		return cmd.Run()
	}
	if err := run(append([]string{"apt-get", "install", "-y", "--no-install-recommends"}, pkgs...)...); err == nil {
		return nil
	}
	if err := run("apt-get", "update"); err != nil {
		return fmt.Errorf("apt-get update: %w", err)
	}
	if err := run(append([]string{"apt-get", "install", "-y", "--no-install-recommends"}, pkgs...)...); err != nil {
		return fmt.Errorf("apt-get install %s: %w", strings.Join(pkgs, " "), err)
	}
	return nil
}

// FreePort returns a TCP port on 127.0.0.1 that nothing listens on now.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
