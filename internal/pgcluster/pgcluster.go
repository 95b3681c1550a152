// Package pgcluster creates, starts and stops a project-local PostgreSQL
// cluster from the machine's server binaries, installing Debian's postgresql
// package when they are missing. `make run` and the tests use it; the server
// itself never does.
//
// PostgreSQL refuses to run as root, so when the caller is root the cluster
// belongs to the postgres system user and every server command runs through
// runuser. That user must reach the cluster's folder; when a parent folder
// of the one asked for is closed to it (a home directory of mode 0700), the
// data goes to a folder of the postgres user's own instead, and the folder
// asked for becomes a symbolic link to it. No folder outside the cluster's
// own is ever changed.
package pgcluster

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
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
	root     string // where the cluster's files are: Dir, or where its symbolic link points
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
	if err := c.place(ctx); err != nil {
		return err
	}
	if err := c.initdb(ctx); err != nil {
		return err
	}
	pw, err := os.ReadFile(c.passwordFile())
	if err != nil {
		return fmt.Errorf("read cluster password: %w", err)
	}
	c.password = strings.TrimSpace(string(pw))
	if err := c.writePassfile(); err != nil {
		return err
	}
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

// Location is the folder that holds the cluster's files once Ensure or Stop
// has run: Dir, or the postgres user's folder that Dir links to.
func (c *Cluster) Location() string {
	if c.root == "" {
		return c.Dir
	}
	return c.root
}

// Relocated reports whether the cluster's files are not under Dir itself
// but in a folder of the postgres user's that Dir links to.
func (c *Cluster) Relocated() bool { return c.root != "" && c.root != c.Dir }

// place decides where the cluster's files live (c.root). As a user other
// than root, or when the postgres user can reach Dir, they live in Dir. As
// root, when a parent of Dir is closed to the postgres user, they live in
// RelocatedDir(Dir), and Dir becomes a symbolic link to it, so that the
// next run finds them without changing any folder's permissions.
func (c *Cluster) place(ctx context.Context) error {
	c.root = c.Dir
	fi, err := os.Lstat(c.Dir)
	switch {
	case err == nil && fi.Mode()&os.ModeSymlink != 0:
		target, err := filepath.EvalSymlinks(c.Dir)
		if err != nil {
			return fmt.Errorf("follow %s: %w", c.Dir, err)
		}
		c.root = target
		fmt.Fprintf(c.Log, "pgcluster: the cluster's data is in %s (%s links to it), where the postgres user can reach it\n", c.root, c.Dir)
		return nil
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("check cluster folder: %w", err)
	}
	if os.Geteuid() != 0 {
		return nil
	}
	parent := filepath.Dir(c.Dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", parent, err)
	}
	if c.postgresCanReach(ctx, parent) {
		return nil
	}
	if err == nil { // Dir exists as a real folder the postgres user cannot reach
		if _, serr := os.Stat(filepath.Join(c.Dir, "data", "PG_VERSION")); serr == nil {
			return fmt.Errorf("the postgres user cannot reach the cluster in %s (a parent folder is not traversable): move it, or make the parents traversable yourself", c.Dir)
		}
		if rerr := os.Remove(c.Dir); rerr != nil {
			return fmt.Errorf("the postgres user cannot reach %s, which is not empty: %w", c.Dir, rerr)
		}
	}
	target, err := RelocatedDir(c.Dir)
	if err != nil {
		return err
	}
	if err := os.Mkdir(target, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("create %s: %w", target, err)
	}
	if err := os.Symlink(target, c.Dir); err != nil {
		return fmt.Errorf("link %s to %s: %w", c.Dir, target, err)
	}
	c.root = target
	fmt.Fprintf(c.Log, "pgcluster: the postgres user cannot reach %s (a parent folder is not traversable, and pgcluster changes no folder outside its own); the cluster's data goes to %s, and %s links to it\n", parent, target, c.Dir)
	return nil
}

// RelocatedDir is where the files of a cluster asked for in dir go when the
// postgres user cannot reach dir: a folder in that user's home
// (/var/lib/postgresql on Debian), or in the temporary folder when the home
// is unusable, named after a hash of dir so that two checkouts never share
// one.
func RelocatedDir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", dir, err)
	}
	sum := sha256.Sum256([]byte(abs))
	name := "expodesk-" + hex.EncodeToString(sum[:8])
	base := os.TempDir()
	if pg, err := user.Lookup("postgres"); err == nil && pg.HomeDir != "" {
		if fi, err := os.Stat(pg.HomeDir); err == nil && fi.IsDir() && owner(fi) == pg.Uid {
			base = pg.HomeDir
		}
	}
	return filepath.Join(base, name), nil
}

// owner is the uid owning fi's file, as a string like user.User.Uid.
func owner(fi os.FileInfo) string {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return strconv.FormatUint(uint64(st.Uid), 10)
	}
	return ""
}

// postgresCanReach reports whether the postgres user can traverse to dir,
// asking the kernel (so ACLs and group membership count), not the mode bits.
func (c *Cluster) postgresCanReach(ctx context.Context, dir string) bool {
	return exec.CommandContext(ctx, "runuser", "-u", "postgres", "--", "test", "-x", dir).Run() == nil
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

// PassfileURL is URL without the password in it: the client reads it from
// a password file in the cluster's folder (passfile, as libpq and pgx
// understand it), so that the URL can be printed and copied.
func (c *Cluster) PassfileURL(db string) string {
	u := url.URL{
		Scheme: "postgres",
		User:   url.User(User),
		Host:   net.JoinHostPort("127.0.0.1", strconv.Itoa(c.Port)),
		Path:   "/" + db,
		// A path reads better with its slashes; they need no escaping in a query.
		RawQuery: "passfile=" + strings.ReplaceAll(url.QueryEscape(c.passfile()), "%2F", "/") + "&sslmode=disable",
	}
	return u.String()
}

// writePassfile writes the password in the .pgpass format PassfileURL
// points at, readable by the caller alone.
func (c *Cluster) writePassfile() error {
	line := "*:*:*:" + User + ":" + c.password + "\n"
	if b, err := os.ReadFile(c.passfile()); err == nil && string(b) == line {
		return nil
	}
	if err := os.WriteFile(c.passfile(), []byte(line), 0o600); err != nil {
		return fmt.Errorf("write password file: %w", err)
	}
	return nil
}

// Stop stops the server, waiting for connections to finish briefly.
func (c *Cluster) Stop(ctx context.Context) error {
	if c.root == "" {
		c.root = c.Dir
		if target, err := filepath.EvalSymlinks(c.Dir); err == nil {
			c.root = target
		}
	}
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
func (c *Cluster) dataDir() string      { return filepath.Join(c.Location(), "data") }
func (c *Cluster) passwordFile() string { return filepath.Join(c.Location(), "password") }
func (c *Cluster) passfile() string     { return filepath.Join(c.Location(), "pgpass") }
func (c *Cluster) logFile() string      { return filepath.Join(c.Location(), "server.log") }

func (c *Cluster) initdb(ctx context.Context) error {
	if _, err := os.Stat(filepath.Join(c.dataDir(), "PG_VERSION")); err == nil {
		return nil
	}
	fmt.Fprintf(c.Log, "pgcluster: creating a PostgreSQL cluster in %s\n", c.Location())
	if err := os.MkdirAll(c.Location(), 0o700); err != nil {
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
// root. place has made sure that user can reach it; no other folder changes.
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
	err = filepath.Walk(c.Location(), func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
	if err != nil {
		return fmt.Errorf("give cluster folder to postgres: %w", err)
	}
	return nil
}

func (c *Cluster) start(ctx context.Context) error {
	opts := []string{
		"-p", strconv.Itoa(c.Port),
		"-c", "listen_addresses=127.0.0.1",
		"-k", c.Location(),
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
