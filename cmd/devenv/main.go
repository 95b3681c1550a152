// Command devenv prepares a developer's or CI machine for expodesk: it
// manages the project-local PostgreSQL cluster behind `make run` and the
// throwaway one behind `make test`, and installs the Debian packages the
// tests and benchmark need. It is not part of the server binary.
//
//	devenv db start --dir DIR [--port N] [--db NAME] [--fast] [--passfile]
//	                                                             prints the database URL
//	devenv db stop  --dir DIR
//	devenv install PACKAGE...                                    apt-get install what is missing
//	devenv cluster --bin BIN [--port N] [--instances N] [--dir DIR]
//	                             DATABASE_URL's demo data, N instances and nginx in front (make cluster)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"

	"expodesk/internal/cluster"
	"expodesk/internal/pgcluster"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "devenv:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) >= 2 && args[0] == "db" {
		fs := flag.NewFlagSet("devenv db", flag.ContinueOnError)
		dir := fs.String("dir", ".local/pg", "cluster folder")
		port := fs.Int("port", 54329, "TCP port on 127.0.0.1 (0 picks a free one)")
		db := fs.String("db", "expodesk", "database to create")
		fast := fs.Bool("fast", false, "turn off durability (throwaway test clusters only)")
		passfile := fs.Bool("passfile", false, "print a URL without the password, which names the cluster's password file instead (for printing)")
		if err := fs.Parse(args[2:]); err != nil {
			return err
		}
		c := &pgcluster.Cluster{Dir: *dir, Port: *port, Fast: *fast, Log: stderr}
		switch args[1] {
		case "start":
			if err := c.Ensure(ctx); err != nil {
				return err
			}
			if err := c.CreateDatabase(ctx, *db); err != nil {
				return err
			}
			if *passfile {
				fmt.Fprintln(stdout, c.PassfileURL(*db))
			} else {
				fmt.Fprintln(stdout, c.URL(*db))
			}
			return nil
		case "stop":
			return c.Stop(ctx)
		}
	}
	if len(args) >= 2 && args[0] == "install" {
		return install(ctx, stderr, args[1:])
	}
	if len(args) >= 1 && args[0] == "cluster" {
		return runCluster(ctx, args[1:], os.Getenv, stdout, stderr)
	}
	return errors.New("usage: devenv db start|stop [flags], devenv install PACKAGE [PACKAGE], or devenv cluster [flags]")
}

// install runs apt-get for the packages whose command is not on PATH.
// A package is named as package or package:command (chromium, wrk, hey).
// nginx is looked for in /usr/sbin too, and is Debian's nginx or, where
// that cannot be installed, nginx-light.
func install(ctx context.Context, log io.Writer, specs []string) error {
	var missing []string
	for _, s := range specs {
		if s == "nginx" {
			if _, err := cluster.FindNginx(ctx, log); err != nil {
				return err
			}
			continue
		}
		pkg, cmd, ok := strings.Cut(s, ":")
		if !ok {
			cmd = pkg
		}
		if _, err := exec.LookPath(cmd); err != nil {
			missing = append(missing, pkg)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	fmt.Fprintf(log, "devenv: installing %s\n", strings.Join(missing, " "))
	return pgcluster.AptInstall(ctx, log, missing...)
}
