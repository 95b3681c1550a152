package cluster

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/template"
	"time"

	"expodesk/internal/pgcluster"
)

//go:embed nginx.conf.tmpl
var nginxTemplate string

var nginxConf = template.Must(template.New("nginx.conf").Parse(nginxTemplate))

// Upstream is one instance in nginx's upstream block.
type Upstream struct {
	Addr string // host:port
	Down bool   // marked down: nginx sends it nothing
}

// Nginx is an nginx master process in the foreground, with its
// configuration, pid file and logs in Dir and its temporary files in a
// folder of its own.
type Nginx struct {
	Dir       string // configuration, pid file, error (and access) log
	Listen    string // host:port it listens on
	Upstreams []Upstream
	Workers   string // worker_processes; "" is auto
	AccessLog bool   // write access.log (off under load: it is disk work per request)
	Log       io.Writer

	bin  string
	temp string // client body and proxy buffers, writable by the workers
	user string // the workers' user when started as root
	cmd  *exec.Cmd
	done chan struct{}
	err  error
	mu   sync.Mutex // guards Upstreams once started
}

// FindNginx returns the path of the nginx binary, installing Debian's nginx
// package (or, where that is not available, nginx-light) when there is none.
func FindNginx(ctx context.Context, log io.Writer) (string, error) {
	if p := findNginx(); p != "" {
		return p, nil
	}
	fmt.Fprintln(log, "cluster: nginx not found; installing Debian's nginx")
	if err := pgcluster.AptInstall(ctx, log, "nginx"); err != nil {
		fmt.Fprintln(log, "cluster: installing nginx failed; trying nginx-light")
		if err2 := pgcluster.AptInstall(ctx, log, "nginx-light"); err2 != nil {
			return "", errors.Join(err, err2)
		}
	}
	if p := findNginx(); p != "" {
		return p, nil
	}
	return "", errors.New("nginx not found after installing it")
}

func findNginx() string {
	if p, err := exec.LookPath("nginx"); err == nil {
		return p
	}
	// Debian puts it in /usr/sbin, which is not on every user's PATH.
	if _, err := os.Stat("/usr/sbin/nginx"); err == nil {
		return "/usr/sbin/nginx"
	}
	return ""
}

// configFile is where the rendered configuration goes.
func (n *Nginx) configFile() string { return filepath.Join(n.Dir, "nginx.conf") }

// ErrorLog is the path of nginx's error log.
func (n *Nginx) ErrorLog() string { return filepath.Join(n.Dir, "nginx-error.log") }

// Config renders the configuration for the current upstreams.
func (n *Nginx) Config() ([]byte, error) {
	workers := n.Workers
	if workers == "" {
		workers = "auto"
	}
	var buf bytes.Buffer
	err := nginxConf.Execute(&buf, struct {
		Dir, Temp, User, Listen, Workers string
		AccessLog                        bool
		Upstreams                        []Upstream
	}{n.Dir, n.temp, n.user, n.Listen, workers, n.AccessLog, n.Upstreams})
	if err != nil {
		return nil, fmt.Errorf("render nginx.conf: %w", err)
	}
	return buf.Bytes(), nil
}

func (n *Nginx) writeConfig() error {
	b, err := n.Config()
	if err != nil {
		return err
	}
	// Written beside and renamed, so that a reload never reads half a file.
	tmp := n.configFile() + ".new"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("write nginx.conf: %w", err)
	}
	if err := os.Rename(tmp, n.configFile()); err != nil {
		return fmt.Errorf("write nginx.conf: %w", err)
	}
	return nil
}

// Start writes the configuration, checks it with `nginx -t`, starts the
// master process and waits until it accepts connections. As root, the
// workers run as www-data (nobody where there is no such user), and their
// temporary folder belongs to that user.
func (n *Nginx) Start(ctx context.Context) error {
	if n.Log == nil {
		n.Log = io.Discard
	}
	bin, err := FindNginx(ctx, n.Log)
	if err != nil {
		return err
	}
	n.bin = bin
	if n.Dir, err = filepath.Abs(n.Dir); err != nil {
		return err
	}
	if err := os.MkdirAll(n.Dir, 0o755); err != nil {
		return fmt.Errorf("create nginx folder: %w", err)
	}
	// The workers write request bodies and large answers here; as root
	// they are another user, who may not reach Dir (a 0700 parent), so the
	// folder is a fresh one in the temporary folder, given to that user.
	if n.temp, err = os.MkdirTemp("", "expodesk-nginx-"); err != nil {
		return fmt.Errorf("create nginx temporary folder: %w", err)
	}
	if os.Geteuid() == 0 {
		u, err := workerUser()
		if err != nil {
			return err
		}
		n.user = u.Username
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(n.temp, uid, gid); err != nil {
			return fmt.Errorf("give nginx's temporary folder to %s: %w", u.Username, err)
		}
	}
	if err := n.writeConfig(); err != nil {
		return err
	}
	if out, err := exec.CommandContext(ctx, n.bin, n.args("-t", "-q")...).CombinedOutput(); err != nil {
		return fmt.Errorf("nginx -t: %w: %s", err, strings.TrimSpace(string(out)))
	}
	n.cmd = exec.Command(n.bin, n.args()...)
	n.cmd.Stdout, n.cmd.Stderr = n.Log, n.Log
	// Its own process group, so that a Ctrl-C reaches only the supervisor,
	// which stops nginx after the instances' traffic; and it dies with the
	// supervisor if that is killed.
	n.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := n.cmd.Start(); err != nil {
		return fmt.Errorf("start nginx: %w", err)
	}
	n.done = make(chan struct{})
	go func() {
		n.err = n.cmd.Wait()
		close(n.done)
	}()
	return n.waitListening(ctx)
}

// args are the command-line arguments naming the configuration: -p (the
// prefix relative paths resolve against) and -e (the log used before the
// configuration is read, which would otherwise be /var/log/nginx's).
func (n *Nginx) args(extra ...string) []string {
	return append([]string{"-p", n.Dir + "/", "-c", n.configFile(), "-e", n.ErrorLog()}, extra...)
}

func workerUser() (*user.User, error) {
	for _, name := range []string{"www-data", "nobody"} {
		if u, err := user.Lookup(name); err == nil {
			return u, nil
		}
	}
	return nil, errors.New("running nginx as root needs an unprivileged user for its workers (www-data or nobody)")
}

func (n *Nginx) waitListening(ctx context.Context) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case <-n.done:
			return fmt.Errorf("nginx exited at start (%v): %s", n.err, n.errorLogTail())
		default:
		}
		if c, err := net.DialTimeout("tcp", n.Listen, time.Second); err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("nginx does not accept connections on %s after 30 s: %s", n.Listen, n.errorLogTail())
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (n *Nginx) errorLogTail() string {
	b, err := os.ReadFile(n.ErrorLog())
	if err != nil {
		return "(no error log)"
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > 10 {
		lines = lines[len(lines)-10:]
	}
	return strings.Join(lines, "\n")
}

// SetDown marks the upstreams whose address is in down as down, the others
// up, and reloads nginx when that changes anything. It reports whether it
// reloaded.
func (n *Nginx) SetDown(down map[string]bool) (bool, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	changed := false
	for i, u := range n.Upstreams {
		if u.Down != down[u.Addr] {
			n.Upstreams[i].Down = down[u.Addr]
			changed = true
		}
	}
	if !changed {
		return false, nil
	}
	if err := n.writeConfig(); err != nil {
		return false, err
	}
	// SIGHUP: the master reads the file again and replaces its workers
	// gracefully; requests in flight finish on the old ones.
	if err := n.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		return false, fmt.Errorf("reload nginx: %w", err)
	}
	return true, nil
}

// Down returns the addresses currently marked down.
func (n *Nginx) Down() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []string
	for _, u := range n.Upstreams {
		if u.Down {
			out = append(out, u.Addr)
		}
	}
	return out
}

// Stop shuts nginx down gracefully (SIGQUIT: requests in flight finish),
// killing it after timeout, and removes its temporary folder.
func (n *Nginx) Stop(timeout time.Duration) error {
	defer func() {
		if n.temp != "" {
			_ = os.RemoveAll(n.temp)
		}
	}()
	if n.cmd == nil || n.cmd.Process == nil {
		return nil
	}
	select {
	case <-n.done:
		return nil
	default:
	}
	_ = n.cmd.Process.Signal(syscall.SIGQUIT)
	select {
	case <-n.done:
		return nil
	case <-time.After(timeout):
		_ = syscall.Kill(-n.cmd.Process.Pid, syscall.SIGKILL)
		<-n.done
		return fmt.Errorf("nginx did not stop within %s; killed", timeout)
	}
}
