package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"expodesk/internal/demo"
	"expodesk/internal/i18n"
	"expodesk/internal/mail"
	"expodesk/internal/metrics"
	"expodesk/internal/password"
	"expodesk/internal/postgres"
	"expodesk/internal/server"
	"expodesk/internal/webhook"
)

// config is everything read from the environment.
type config struct {
	DatabaseURL   string
	Port          string
	Host          string // interface to listen on; empty: all, or loopback for the demo
	Addr          string // the whole listen address, overriding Host and Port
	BaseURL       string
	SecureCookies bool
	TrustProxy    bool
	LogFormat     string
	LogLevel      slog.Level
	DBMaxConns    int32
	PageCache     bool
	// WebhookAllowPrivate lets webhook deliveries reach private and loopback addresses.
	WebhookAllowPrivate bool
	// DirectoryModel answers directory pages from memory (DIRECTORY_MODEL, default true).
	DirectoryModel bool
	// MetricsAddr is the listen address of the metrics listener (METRICS_ADDR);
	// MetricsToken lets a scraper read /metrics on the app port (METRICS_TOKEN).
	// Neither set: no metrics at all.
	MetricsAddr  string
	MetricsToken string
}

func loadConfig(getenv func(string) string) (config, error) {
	c := config{
		DatabaseURL: getenv("DATABASE_URL"),
		Port:        getenv("PORT"),
		Host:        getenv("HOST"),
		Addr:        getenv("ADDR"),
		BaseURL:     strings.TrimRight(getenv("BASE_URL"), "/"),
		LogFormat:   getenv("LOG_FORMAT"),
		MetricsAddr: getenv("METRICS_ADDR"),
		// A token is compared whole; stray spaces from a secrets file are not part of it.
		MetricsToken: strings.TrimSpace(getenv("METRICS_TOKEN")),
	}
	if c.Port == "" {
		c.Port = "8080"
	}
	if _, err := strconv.ParseUint(c.Port, 10, 16); err != nil {
		return c, fmt.Errorf("PORT %q is not a port number", c.Port)
	}
	var err error
	if c.SecureCookies, err = boolEnv(getenv, "SECURE_COOKIES", strings.HasPrefix(c.BaseURL, "https://")); err != nil {
		return c, err
	}
	if c.TrustProxy, err = boolEnv(getenv, "TRUST_PROXY", false); err != nil {
		return c, err
	}
	if c.PageCache, err = boolEnv(getenv, "PAGE_CACHE", true); err != nil {
		return c, err
	}
	if c.WebhookAllowPrivate, err = boolEnv(getenv, "WEBHOOK_ALLOW_PRIVATE", false); err != nil {
		return c, err
	}
	if c.DirectoryModel, err = boolEnv(getenv, "DIRECTORY_MODEL", true); err != nil {
		return c, err
	}
	if lvl := getenv("LOG_LEVEL"); lvl != "" {
		if err := c.LogLevel.UnmarshalText([]byte(lvl)); err != nil {
			return c, fmt.Errorf("LOG_LEVEL: %w", err)
		}
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			return c, fmt.Errorf("METRICS_ADDR %q is not host:port: %w", c.MetricsAddr, err)
		}
	}
	if v := getenv("METRICS_TOKEN"); v != "" && len(c.MetricsToken) < 16 {
		return c, errors.New("METRICS_TOKEN is shorter than 16 characters: use a random one (openssl rand -hex 32)")
	}
	c.DBMaxConns = 20
	if v := getenv("DB_MAX_CONNS"); v != "" {
		n, err := strconv.ParseInt(v, 10, 32)
		if err != nil || n < 1 {
			return c, fmt.Errorf("DB_MAX_CONNS %q is not a positive number", v)
		}
		c.DBMaxConns = int32(n)
	}
	return c, nil
}

func boolEnv(getenv func(string) string, name string, def bool) (bool, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s %q is not true or false", name, v)
	}
	return b, nil
}

func newLogger(c config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	var h slog.Handler
	if c.LogFormat == "text" {
		h = slog.NewTextHandler(w, opts)
	} else {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(server.ContextHandler{Handler: h})
}

// usage is what `expodesk help` prints: every command, and where the
// configuration is described.
const usage = `Usage:
  expodesk [serve] [--demo] [--addr HOST:PORT]   migrate, optionally load the demo data, and serve
  expodesk migrate up|down                      apply or revert every migration
  expodesk demo                                 load the demo data (once; running again changes nothing)
  expodesk organizer create --email ADDRESS --family-name NAME [--given-name NAME]
                            [--lang en|zh|es] [--pavilion EXPO/PAVILION] [--password-stdin]
                                                create an organizer, or a pavilion coordinator
  expodesk backup --out FILE                    dump the database (pg_dump's custom format) to a new file
  expodesk restore --in FILE [--force]          restore a backup into an empty (or, with --force, any) database
  expodesk help                                 this text; "expodesk COMMAND --help" describes one command

Every command but help needs DATABASE_URL; serve needs BASE_URL unless --demo.
The environment variables are listed in the README (Configuration).
`

const (
	migrateUsage   = "Usage: expodesk migrate up|down\n\nApplies (up) or reverts (down) every migration of the database at DATABASE_URL.\n"
	demoUsage      = "Usage: expodesk demo\n\nLoads the demo data into the database at DATABASE_URL (once; running again changes nothing) and prints the demo logins.\n"
	organizerUsage = "Usage: expodesk organizer create --email ADDRESS --family-name NAME [flags]\n\nCreates an organizer account in the database at DATABASE_URL (the first one, or a pavilion coordinator with --pavilion).\n"
	backupUsage    = "Usage: expodesk backup --out FILE\n\nDumps the database at DATABASE_URL with pg_dump in its custom format (schema, every row, logos included) to FILE, a new file readable by its owner only.\n"
	restoreUsage   = "Usage: expodesk restore --in FILE [--force]\n\nRestores a backup made by expodesk backup into the database at DATABASE_URL (created when the server has none of that name), in one transaction. The database must be empty unless --force, which replaces every object the backup holds.\n"
)

// usageError is a command line that names no known command or misuses one:
// main exits with status 2 for it, as command-line tools do, and 1 for
// everything else.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// exitCode is the process status for run's error.
func exitCode(err error) int {
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		return 2
	}
	return 1
}

// wantsHelp reports whether args ask for help (-h, -help, --help) before any
// "--" that ends the flags.
func wantsHelp(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if isHelpFlag(a) {
			return true
		}
	}
	return false
}

func isHelpFlag(a string) bool { return a == "-h" || a == "-help" || a == "--help" }

// run is the whole program; main only supplies the process's environment.
// Help is answered before anything else, so that a newcomer without a
// database can read what the commands are.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	switch {
	case len(args) > 0 && isHelpFlag(args[0]):
		cmd = "help" // expodesk --help
	case len(args) > 0 && !strings.HasPrefix(args[0], "-"):
		cmd, args = args[0], args[1:]
	}
	help := wantsHelp(args)
	var serveOpts *serveOptions
	var organizerOpts *organizerOptions
	var backupOpts *backupOptions
	switch cmd {
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	case "serve":
		if help {
			fs, _ := serveFlags(stdout, getenv("PORT"))
			fmt.Fprintln(stdout, "Usage: expodesk serve [flags]\n\nMigrates the database at DATABASE_URL and serves the web application.\n\nFlags:")
			fs.PrintDefaults()
			return nil
		}
		fs, opts := serveFlags(stderr, getenv("PORT"))
		if err := fs.Parse(args); err != nil {
			return usageError{"serve: " + err.Error()}
		}
		if fs.NArg() > 0 {
			return usageError{fmt.Sprintf("serve: unexpected argument %q", fs.Arg(0))}
		}
		serveOpts = opts
	case "migrate":
		if help {
			fmt.Fprint(stdout, migrateUsage)
			return nil
		}
		if len(args) != 1 || (args[0] != "up" && args[0] != "down") {
			fmt.Fprint(stderr, migrateUsage)
			return usageError{"usage: expodesk migrate up|down"}
		}
	case "demo":
		if help {
			fmt.Fprint(stdout, demoUsage)
			return nil
		}
	case "organizer":
		if len(args) == 0 || args[0] != "create" {
			if help {
				fmt.Fprint(stdout, organizerUsage)
				return nil
			}
			fmt.Fprint(stderr, organizerUsage)
			return usageError{"usage: expodesk organizer create --email ADDRESS --family-name NAME [--given-name NAME] [--lang en|zh|es] [--pavilion EXPO/PAVILION] [--password-stdin]"}
		}
		if help {
			fs, _ := organizerFlags(stdout)
			fmt.Fprintln(stdout, organizerUsage+"\nFlags:")
			fs.PrintDefaults()
			return nil
		}
		fs, opts := organizerFlags(stderr)
		if err := fs.Parse(args[1:]); err != nil {
			return usageError{"organizer create: " + err.Error()}
		}
		if fs.NArg() > 0 {
			return usageError{fmt.Sprintf("organizer create: unexpected argument %q", fs.Arg(0))}
		}
		organizerOpts = opts
	case "backup", "restore":
		text, fileFlag := backupUsage, "--out"
		if cmd == "restore" {
			text, fileFlag = restoreUsage, "--in"
		}
		fs, opts := backupFlags(cmd, stderr)
		if help {
			fs.SetOutput(stdout)
			fmt.Fprintln(stdout, text+"\nFlags:")
			fs.PrintDefaults()
			return nil
		}
		if err := fs.Parse(args); err != nil {
			return usageError{cmd + ": " + err.Error()}
		}
		switch {
		case fs.NArg() > 0:
			fmt.Fprint(stderr, text)
			return usageError{fmt.Sprintf("%s: unexpected argument %q", cmd, fs.Arg(0))}
		case opts.file == "":
			fmt.Fprint(stderr, text)
			return usageError{fmt.Sprintf("%s: %s FILE is required", cmd, fileFlag)}
		}
		backupOpts = opts
	default:
		fmt.Fprint(stderr, usage)
		return usageError{fmt.Sprintf("unknown command %q (want serve, migrate, demo, organizer, backup, restore or help)", cmd)}
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	slog.SetDefault(log)
	if cfg.DatabaseURL == "" {
		return errors.New("DATABASE_URL is not set (expodesk help lists the commands; make run and make organizer set it for the project-local cluster)")
	}
	switch cmd {
	case "serve":
		return serve(ctx, cfg, log, *serveOpts, getenv, stdout)
	case "migrate":
		if args[0] == "down" {
			return postgres.MigrateDown(cfg.DatabaseURL)
		}
		return postgres.MigrateUp(cfg.DatabaseURL)
	case "demo":
		return loadDemo(ctx, cfg, stdout)
	case "backup":
		return runBackup(ctx, cfg, *backupOpts, stdout)
	case "restore":
		return runRestore(ctx, cfg, *backupOpts, stdout)
	default: // organizer create
		return createOrganizer(ctx, cfg, *organizerOpts, stdin, stdout)
	}
}

// serveOptions are serve's flags.
type serveOptions struct {
	demo bool
	addr string
}

// serveFlags defines serve's flags, writing errors and help to out; port is
// PORT, shown in the help.
func serveFlags(out io.Writer, port string) (*flag.FlagSet, *serveOptions) {
	if port == "" {
		port = "8080"
	}
	o := &serveOptions{}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.BoolVar(&o.demo, "demo", false, "load the demo data (once), print its logins, and listen on 127.0.0.1 unless told otherwise")
	fs.StringVar(&o.addr, "addr", "", "address to listen on, host:port (default: ADDR, else HOST:PORT; HOST is 127.0.0.1 with --demo, all interfaces without; PORT is "+port+")")
	return fs, o
}

// listenAddr is where serve listens: --addr, else ADDR, else HOST and PORT.
// The demo is for trying expodesk on one's own machine, with well-known
// passwords, so without HOST it listens on the loopback interface only, as
// the banner's localhost URL says; a deployment listens on every interface.
func listenAddr(cfg config, flagAddr string, demo bool) string {
	switch {
	case flagAddr != "":
		return flagAddr
	case cfg.Addr != "":
		return cfg.Addr
	}
	host := cfg.Host
	if host == "" && demo {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, cfg.Port)
}

func serve(ctx context.Context, cfg config, log *slog.Logger, opts serveOptions, getenv func(string) string, stdout io.Writer) error {
	withDemo := opts.demo
	addr := listenAddr(cfg, opts.addr, opts.demo)
	// Mail links (invitations, password resets) are built from BASE_URL. Taking
	// them from the request's Host header would let anyone have a victim's reset
	// link point at their own site, so a real deployment must say where it lives.
	if cfg.BaseURL == "" {
		if !withDemo {
			return errors.New("BASE_URL is not set: the public address (https://expo.example.org) is needed for links in mail")
		}
		_, port, err := net.SplitHostPort(addr)
		if err != nil || port == "0" {
			port = cfg.Port
		}
		cfg.BaseURL = "http://localhost:" + port
	}
	if err := postgres.MigrateUp(cfg.DatabaseURL); err != nil {
		return err
	}
	if withDemo {
		if err := loadDemo(ctx, cfg, stdout); err != nil {
			return err
		}
	}
	pool, err := postgres.Open(ctx, cfg.DatabaseURL, cfg.DBMaxConns)
	if err != nil {
		return err
	}
	defer pool.Close()
	catalog, err := i18n.Load()
	if err != nil {
		return err
	}
	smtp, err := mail.ConfigFromEnv(getenv)
	if err != nil {
		return err
	}
	store := postgres.New(pool, time.Now)
	// Metrics only where asked for: without METRICS_ADDR or METRICS_TOKEN
	// nothing is counted and no endpoint exists.
	var m *metrics.Metrics
	var metricsLn net.Listener
	if cfg.MetricsAddr != "" || cfg.MetricsToken != "" {
		m = metrics.New(log)
	}
	if cfg.MetricsAddr != "" {
		// Bound before anything is served, so that a taken or wrong address stops the start.
		if metricsLn, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
			return fmt.Errorf("listen for metrics on METRICS_ADDR %s: %w", cfg.MetricsAddr, err)
		}
		defer metricsLn.Close() // for a return before it serves; serving closes it itself
	}
	srv := server.New(server.Config{
		Addr:           addr,
		BaseURL:        cfg.BaseURL,
		SecureCookies:  cfg.SecureCookies,
		TrustProxy:     cfg.TrustProxy,
		SMTP:           smtp != nil,
		LogMailLinks:   smtp == nil && withDemo,
		PageCache:      cfg.PageCache,
		DirectoryModel: cfg.DirectoryModel,
		MetricsToken:   cfg.MetricsToken,
	}, server.Deps{
		Store: store, Pool: pool, Catalog: catalog, Log: log, Now: time.Now,
		Passwords: password.NewHasher(password.Config{}),
		Mail:      mail.NewComposer(catalog),
		Metrics:   m,
	})
	// Background work stops with the server, and is waited for before the
	// pool closes under it.
	bg, stopBackground := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() { stopBackground(); wg.Wait() }()
	background := func(run func(context.Context)) {
		wg.Add(1)
		go func() { defer wg.Done(); run(bg) }()
	}
	if smtp != nil {
		sender, err := mail.NewSMTPSender(*smtp)
		if err != nil {
			return err
		}
		log.Info("sending mail through SMTP", "smtp", smtp)
		background(mail.NewWorker(store, sender, log, time.Now).Run)
	} else {
		log.Info("no SMTP configured: mail waits in the organizer outbox (/organizer/outbox)")
	}
	if metricsLn != nil {
		// Stops with the server's background work, before the pool it reads closes.
		log.Info("serving metrics", "addr", metricsLn.Addr().String(), "path", metrics.Path)
		background(func(ctx context.Context) {
			if err := m.Serve(ctx, metricsLn); err != nil {
				log.Error("metrics listener", "err", err)
			}
		})
	}
	if cfg.MetricsToken != "" {
		log.Info("serving metrics on the app port to the holder of METRICS_TOKEN", "path", metrics.Path)
	}
	background(func(ctx context.Context) { srv.RunJanitor(ctx, 10*time.Minute) })
	background(srv.ListenForChanges)
	background(func(ctx context.Context) { srv.RunOfferSweeper(ctx, time.Minute) })
	// Webhook deliveries from the outbox; every instance runs a worker (claims skip each other's rows).
	hooks := webhook.NewClient(webhook.ClientConfig{AllowPrivate: cfg.WebhookAllowPrivate})
	background(webhook.NewWorker(store, hooks, log, time.Now).Run)
	return srv.ListenAndServe(ctx, func(bound string) {
		url := cfg.BaseURL
		if withDemo {
			// The demo listens where it was asked to, which may be a port chosen at random.
			if _, port, err := net.SplitHostPort(bound); err == nil {
				url = "http://localhost:" + port
			}
		}
		log.Info("serving", "addr", bound, "url", url)
		fmt.Fprintf(stdout, "\nexpodesk is serving on %s (Ctrl-C stops it)\n", url)
	})
}

func loadDemo(ctx context.Context, cfg config, stdout io.Writer) error {
	if err := postgres.MigrateUp(cfg.DatabaseURL); err != nil {
		return err
	}
	pool, err := postgres.Open(ctx, cfg.DatabaseURL, 4)
	if err != nil {
		return err
	}
	defer pool.Close()
	res, err := demo.Load(ctx, postgres.New(pool, time.Now), time.Now())
	if err != nil {
		return fmt.Errorf("load demo data: %w", err)
	}
	if res.Loaded {
		fmt.Fprintln(stdout, "Demo data loaded.")
	} else {
		fmt.Fprintln(stdout, "Demo data already present; nothing changed.")
	}
	fmt.Fprintln(stdout, "Demo logins (they exist only in demo data):")
	for _, l := range res.Logins {
		fmt.Fprintf(stdout, "  %-12s %-40s password: %s\n", l.Role, l.Email, l.Password)
	}
	fmt.Fprintf(stdout, "Organizer and coordinator sign in with a second factor: add the key %s\n", demo.DemoTOTPSecret)
	fmt.Fprintf(stdout, "to an authenticator app (or: oathtool --totp -b %s), or use a one-time recovery code.\n", demo.DemoTOTPSecret)
	// Only the codes that still work: a spent one would only be refused.
	accounts, err := demo.UnusedRecoveryCodes(ctx, postgres.New(pool, time.Now))
	if err != nil {
		return err
	}
	for _, a := range accounts {
		if len(a.Unused) == 0 {
			fmt.Fprintf(stdout, "  %s: no demo recovery codes left (the authenticator key above still works)\n", a.Login.Email)
			continue
		}
		fmt.Fprintf(stdout, "  %s, %d of %d left:\n", a.Login.Email, len(a.Unused), len(demo.RecoveryCodes()))
		for i := 0; i < len(a.Unused); i += 5 {
			fmt.Fprintf(stdout, "    %s\n", strings.Join(a.Unused[i:min(i+5, len(a.Unused))], "  "))
		}
	}
	return nil
}
