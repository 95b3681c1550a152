// Command expodesk serves the expodesk web application and runs its
// administrative tasks:
//
//	expodesk [serve] [--demo]     migrate, optionally load demo data, and serve
//	expodesk migrate up|down      apply or revert every migration
//	expodesk demo                 load the demo data (once; running again changes nothing)
//	expodesk organizer create …   create an organizer account (the first one, or a pavilion coordinator)
//	expodesk backup --out FILE    dump the database to a file (pg_dump's custom format)
//	expodesk restore --in FILE    restore such a file into an empty database
//	expodesk help                 the usage; any command takes --help
//
// Configuration comes from the environment; see the README.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // the agenda must know every expo's zone, whatever the host has
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "expodesk:", err)
		os.Exit(exitCode(err))
	}
}
