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
	"expodesk/internal/password"
	"expodesk/internal/postgres"
	"expodesk/internal/server"
)

// config is everything read from the environment.
type config struct {
	DatabaseURL   string
	Port          string
	BaseURL       string
	SecureCookies bool
	TrustProxy    bool
	LogFormat     string
	LogLevel      slog.Level
	DBMaxConns    int32
	PageCache     bool
}

func loadConfig(getenv func(string) string) (config, error) {
	c := config{
		DatabaseURL: getenv("DATABASE_URL"),
		Port:        getenv("PORT"),
		BaseURL:     strings.TrimRight(getenv("BASE_URL"), "/"),
		LogFormat:   getenv("LOG_FORMAT"),
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
	if lvl := getenv("LOG_LEVEL"); lvl != "" {
		if err := c.LogLevel.UnmarshalText([]byte(lvl)); err != nil {
			return c, fmt.Errorf("LOG_LEVEL: %w", err)
		}
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

// run is the whole program; main only supplies the process's environment.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	slog.SetDefault(log)
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	if cfg.DatabaseURL == "" {
		return errors.New("DATABASE_URL is not set")
	}
	switch cmd {
	case "serve":
		return serve(ctx, cfg, log, args, getenv, stdout)
	case "migrate":
		if len(args) != 1 || (args[0] != "up" && args[0] != "down") {
			return errors.New("usage: expodesk migrate up|down")
		}
		if args[0] == "down" {
			return postgres.MigrateDown(cfg.DatabaseURL)
		}
		return postgres.MigrateUp(cfg.DatabaseURL)
	case "demo":
		return loadDemo(ctx, cfg, stdout)
	case "organizer":
		if len(args) == 0 || args[0] != "create" {
			return errors.New("usage: expodesk organizer create --email ADDRESS --family-name NAME [--given-name NAME] [--lang en|zh|es] [--pavilion EXPO/PAVILION] [--password-stdin]")
		}
		return createOrganizer(ctx, cfg, args[1:], stdin, stdout)
	}
	return fmt.Errorf("unknown command %q (want serve, migrate, demo or organizer)", cmd)
}

func serve(ctx context.Context, cfg config, log *slog.Logger, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	withDemo := fs.Bool("demo", false, "load the demo data (once) and print its logins")
	addr := fs.String("addr", ":"+cfg.Port, "address to listen on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	// Mail links (invitations, password resets) are built from BASE_URL. Taking
	// them from the request's Host header would let anyone have a victim's reset
	// link point at their own site, so a real deployment must say where it lives.
	if cfg.BaseURL == "" {
		if !*withDemo {
			return errors.New("BASE_URL is not set: the public address (https://expo.example.org) is needed for links in mail")
		}
		_, port, err := net.SplitHostPort(*addr)
		if err != nil || port == "0" {
			port = cfg.Port
		}
		cfg.BaseURL = "http://localhost:" + port
	}
	if err := postgres.MigrateUp(cfg.DatabaseURL); err != nil {
		return err
	}
	if *withDemo {
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
	srv := server.New(server.Config{
		Addr:          *addr,
		BaseURL:       cfg.BaseURL,
		SecureCookies: cfg.SecureCookies,
		TrustProxy:    cfg.TrustProxy,
		SMTP:          smtp != nil,
		LogMailLinks:  smtp == nil && *withDemo,
		PageCache:     cfg.PageCache,
	}, server.Deps{
		Store: store, Pool: pool, Catalog: catalog, Log: log, Now: time.Now,
		Passwords: password.NewHasher(password.Config{}),
		Mail:      mail.NewComposer(catalog),
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
	background(func(ctx context.Context) { srv.RunJanitor(ctx, 10*time.Minute) })
	background(srv.ListenForChanges)
	return srv.ListenAndServe(ctx, func(bound string) {
		url := cfg.BaseURL
		if *withDemo {
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
	fmt.Fprintf(stdout, "to an authenticator app (or: oathtool --totp -b %s), or use a one-time recovery code:\n", demo.DemoTOTPSecret)
	fmt.Fprintf(stdout, "  %s\n", strings.Join(demo.RecoveryCodes(), "  "))
	return nil
}
