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
	"expodesk/internal/i18n"
	"expodesk/internal/password"
	"expodesk/internal/postgres"
)

// organizerOptions are the flags of `organizer create`.
type organizerOptions struct {
	email, family, given, lang, pavilion string
	passwordStdin                        bool
}

// organizerFlags defines the flags of `organizer create`, writing errors
// and help to out.
func organizerFlags(out io.Writer) (*flag.FlagSet, *organizerOptions) {
	o := &organizerOptions{}
	fs := flag.NewFlagSet("organizer create", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.email, "email", "", "the organizer's email address (required)")
	fs.StringVar(&o.family, "family-name", "", "family name (required)")
	fs.StringVar(&o.given, "given-name", "", "given name")
	fs.StringVar(&o.lang, "lang", "en", "language of the interface and mails: en, zh or es")
	fs.StringVar(&o.pavilion, "pavilion", "", "EXPO/PAVILION slugs to make a pavilion coordinator instead of an expo-wide organizer")
	fs.BoolVar(&o.passwordStdin, "password-stdin", false, "read the password from the first line of standard input")
	return fs, o
}

// createOrganizer creates an organizer account from the command line: the
// only way to make the first one, since no account exists by default. The
// password is read from standard input (--password-stdin) or typed twice at
// a prompt that does not echo.
func createOrganizer(ctx context.Context, cfg config, o organizerOptions, stdin io.Reader, stdout io.Writer) error {
	u := expodesk.User{Email: strings.TrimSpace(o.email), Role: expodesk.RoleOrganizer,
		PersonName: expodesk.PersonName{FamilyName: strings.TrimSpace(o.family), GivenName: strings.TrimSpace(o.given)}}
	u.NameOrder = expodesk.GuessNameOrder(u.FamilyName)
	lang, ok := expodesk.ParseLang(o.lang)
	if !ok {
		return fmt.Errorf("--lang %q: want en, zh or es", o.lang)
	}
	u.Lang = lang
	if !expodesk.ValidEmail(u.Email) {
		return errors.New("--email: a valid email address is required")
	}
	if u.FamilyName == "" {
		return errors.New("--family-name is required")
	}
	pw, err := readNewPassword(stdin, stdout, o.passwordStdin)
	if err != nil {
		return err
	}
	if key := password.Check(pw, u.Email, u.FamilyName, u.GivenName); key != "" {
		return fmt.Errorf("password refused: %s", passwordProblem(key))
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
	var pavilionName string
	if o.pavilion != "" {
		expoSlug, pvSlug, ok := strings.Cut(o.pavilion, "/")
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
		pavilionName = pv.Name.In(expodesk.EN) + " (" + o.pavilion + ")"
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
	if pavilionName != "" {
		fmt.Fprintf(stdout, "Pavilion coordinator %s of %s created. At first sign-in they enrol an authenticator app (TOTP).\n", u.Email, pavilionName)
	} else {
		fmt.Fprintf(stdout, "Organizer %s created. At first sign-in they enrol an authenticator app (TOTP).\n", u.Email)
	}
	return nil
}

// passwordProblem is the English sentence for a password policy key, the
// one the sign-up forms show in English, so that the command line says what
// is wrong rather than printing a translation key.
func passwordProblem(key string) string {
	catalog, err := i18n.Load()
	if err != nil {
		return key
	}
	return catalog.Localizer(expodesk.EN).T(key, map[string]any{"Min": password.MinLength, "Max": password.MaxLength})
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
