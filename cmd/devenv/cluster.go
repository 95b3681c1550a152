package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"expodesk/internal/cluster"
)

// runCluster is `make cluster`: the demo data loaded once into the database
// DATABASE_URL names, then several `expodesk serve` instances on loopback
// ports behind nginx, until Ctrl-C stops nginx and then the instances.
func runCluster(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("devenv cluster", flag.ContinueOnError)
	fs.SetOutput(stderr)
	bin := fs.String("bin", ".local/bin/expodesk", "the expodesk binary")
	port := fs.Int("port", 8080, "nginx's port on 127.0.0.1; the instances listen on the next ones")
	n := fs.Int("instances", 2, "how many instances of expodesk serve")
	dir := fs.String("dir", ".local/cluster", "folder for nginx's configuration, pid file and logs")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 || *n > 26 {
		return errors.New("cluster: --instances between 1 and 26")
	}
	if *port < 1 || *port+*n > 65535 {
		return fmt.Errorf("cluster: --port %d leaves no room for %d instances", *port, *n)
	}
	dbURL := getenv("DATABASE_URL")
	if dbURL == "" {
		return errors.New("cluster: DATABASE_URL is not set (make cluster sets it for the project-local PostgreSQL)")
	}
	binPath, err := filepath.Abs(*bin)
	if err != nil {
		return err
	}
	if _, err := cluster.FindNginx(ctx, stderr); err != nil {
		return err
	}

	listen := net.JoinHostPort("127.0.0.1", strconv.Itoa(*port))
	baseURL := "http://localhost:" + strconv.Itoa(*port)
	env := append(os.Environ(), "BASE_URL="+baseURL)
	// Migrations and the demo data once, before any instance starts.
	demo := exec.CommandContext(ctx, binPath, "demo")
	demo.Env, demo.Stdout, demo.Stderr = env, stdout, stderr
	if err := demo.Run(); err != nil {
		return fmt.Errorf("cluster: expodesk demo: %w", err)
	}

	var addrs []string
	for k := range *n {
		addrs = append(addrs, net.JoinHostPort("127.0.0.1", strconv.Itoa(*port+1+k)))
	}
	out := &lineMux{w: stderr}
	log := slog.New(slog.NewTextHandler(out.prefixed("devenv"), nil))
	c, err := cluster.Start(ctx, cluster.Config{
		Bin: binPath, Instances: addrs, Listen: listen, Env: env, Dir: *dir,
		Out: out.prefixed, Log: log,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nexpodesk is serving on %s through nginx (Ctrl-C stops nginx, then the instances):\n", baseURL)
	for _, in := range c.Instances {
		fmt.Fprintf(stdout, "  instance %s  %s  (pid %d)\n", in.Name, in.URL(), in.Pid())
	}
	fmt.Fprintf(stdout, "  nginx      %s  configuration %s, log %s\n", c.URL(), filepath.Join(c.Nginx.Dir, "nginx.conf"), c.Nginx.ErrorLog())
	fmt.Fprintln(stdout, "An instance that is red on /readyz is marked down in nginx's upstream until it is green again.")

	select {
	case <-ctx.Done():
	case <-firstExit(c.Instances):
		fmt.Fprintln(stderr, "devenv: an instance exited; stopping the cluster")
	}
	fmt.Fprintln(stderr, "devenv: stopping nginx, then the instances")
	if err := c.Stop(); err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	return nil
}

// firstExit is closed when any instance has exited.
func firstExit(ins []*cluster.Instance) <-chan struct{} {
	ch := make(chan struct{})
	var once sync.Once
	for _, in := range ins {
		go func() {
			<-in.Done()
			once.Do(func() { close(ch) })
		}()
	}
	return ch
}

// lineMux writes whole lines of several processes to one writer, each line
// prefixed with the name of the process it came from.
type lineMux struct {
	mu sync.Mutex
	w  io.Writer
}

func (m *lineMux) prefixed(name string) io.Writer {
	return &prefixWriter{mux: m, prefix: fmt.Sprintf("%-6s| ", name)}
}

type prefixWriter struct {
	mux     *lineMux
	prefix  string
	partial []byte
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	n := len(b)
	p.partial = append(p.partial, b...)
	for {
		i := bytes.IndexByte(p.partial, '\n')
		if i < 0 {
			break
		}
		line := strings.TrimRight(string(p.partial[:i]), "\r")
		p.partial = p.partial[i+1:]
		p.mux.mu.Lock()
		_, err := fmt.Fprintln(p.mux.w, p.prefix+line)
		p.mux.mu.Unlock()
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
