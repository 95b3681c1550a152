package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"expodesk/internal/expodesk"
	"expodesk/internal/password"
	"expodesk/internal/postgres"
)

// createOrganizer creates an organizer account from the command line: the
// only way to make the first one, since no account exists by default. The
// password is read from standard input (--password-stdin) or typed twice at
// a prompt that does not echo.
func createOrganizer(ctx context.Context, cfg config, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("organizer create", flag.ContinueOnError)
	fs.SetOutput(stdout)
	email := fs.String("email", "", "the organizer's email address (required)")
	family := fs.String("family-name", "", "family name (required)")
	given := fs.String("given-name", "", "given name")
	langFlag := fs.String("lang", "en", "language of the interface and mails: en, zh or es")
	pavilionRef := fs.String("pavilion", "", "EXPO/PAVILION slugs to make a pavilion coordinator instead of an expo-wide organizer")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if err := fs.Parse(args); err != nil {
		return err
	}
	u := expodesk.User{Email: strings.TrimSpace(*email), Role: expodesk.RoleOrganizer,
		PersonName: expodesk.PersonName{FamilyName: strings.TrimSpace(*family), GivenName: strings.TrimSpace(*given)}}
	u.NameOrder = expodesk.GuessNameOrder(u.FamilyName)
	lang, ok := expodesk.ParseLang(*langFlag)
	if !ok {
		return fmt.Errorf("--lang %q: want en, zh or es", *langFlag)
	}
	u.Lang = lang
	if !expodesk.ValidEmail(u.Email) {
		return errors.New("--email: a valid email address is required")
	}
	if u.FamilyName == "" {
		return errors.New("--family-name is required")
	}
	pw, err := readNewPassword(stdin, stdout, *fromStdin)
	if err != nil {
		return err
	}
	if key := password.Check(pw, u.Email, u.FamilyName, u.GivenName); key != "" {
		return fmt.Errorf("password refused: %s", strings.TrimPrefix(key, "password."))
	}
	if err := postgres.MigrateUp(cfg.DatabaseURL); err != nil {
		return err
	}
	pool, err := postgres.Open(ctx, cfg.DatabaseURL, 2)
	if err != nil {
		return err
	}
	defer pool.Close()
	store := postgres.New(pool, time.Now)
	if *pavilionRef != "" {
		expoSlug, pvSlug, ok := strings.Cut(*pavilionRef, "/")
		if !ok {
			return errors.New("--pavilion: want EXPO/PAVILION, e.g. iotswc-2027/wuxi-pavilion")
		}
		expo, err := store.ExpoGet(ctx, expoSlug)
		if err != nil {
			return fmt.Errorf("--pavilion: expo %q: %w", expoSlug, err)
		}
		pv, err := store.PavilionGet(ctx, expo.ID, pvSlug)
		if err != nil {
			return fmt.Errorf("--pavilion: pavilion %q: %w", pvSlug, err)
		}
		u.PavilionID = &pv.ID
	}
	if u.PasswordHash, err = password.NewHasher(password.Config{}).Hash(ctx, pw); err != nil {
		return err
	}
	err = store.Tx(ctx, func(tx *postgres.Store) error {
		created, err := tx.UserCreate(ctx, u)
		if err != nil {
			return err
		}
		u = created
		return tx.AuditAdd(ctx, expodesk.AuditEntry{ActorLabel: "cli", Action: "user.create", ObjectType: "user",
			ObjectID: fmt.Sprint(u.ID), PavilionID: u.PavilionID,
			After: map[string]any{"email": u.Email, "role": u.Role, "pavilion_id": u.PavilionID}})
	})
	if expodesk.ErrorCode(err) == expodesk.ECONFLICT {
		return fmt.Errorf("an account with email %s already exists", u.Email)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Organizer %s created. At first sign-in they enrol an authenticator app (TOTP).\n", u.Email)
	return nil
}

// readNewPassword reads the password from stdin's first line, or prompts
// twice without echo when stdin is a terminal.
func readNewPassword(stdin io.Reader, stdout io.Writer, fromStdin bool) (string, error) {
	if f, ok := stdin.(*os.File); ok && !fromStdin && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stdout, "Password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stdout)
		if err != nil {
			return "", err
		}
		fmt.Fprint(stdout, "Password again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stdout)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the two passwords differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
