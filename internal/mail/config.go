// Package mail composes expodesk's messages in their recipient's language and
// sends the outbox through SMTP. Messages are written to the outbox
// (postgres.Store.MailEnqueue) in the transaction that causes them; a Worker
// on each server instance claims due ones, sends them, and marks them sent or
// schedules a retry with backoff. Without SMTP configured no worker runs and
// the messages wait in the outbox, where organizers can read them.
package mail

import (
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strconv"
	"strings"
)

// TLS modes of an SMTP connection.
const (
	TLSStartTLS = "starttls" // plain connection upgraded with STARTTLS, which is required
	TLSImplicit = "tls"      // TLS from the first byte (SMTPS, usually port 465)
	TLSNone     = "none"     // no encryption: only for a relay on the same host or network
)

// SMTPConfig is how to reach the SMTP server that sends the outbox.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string // empty for a relay that needs no authentication
	Password string
	From     string // the From header: "expodesk <noreply@expo.example>" or a bare address
	TLS      string // TLSStartTLS, TLSImplicit or TLSNone
}

// ConfigFromEnv reads the SMTP configuration from the environment. It
// returns nil, and no error, when SMTP_HOST is empty: mail then stays in the
// outbox and no worker sends it.
//
//   - SMTP_HOST: the SMTP server's host name; empty (the default) disables sending.
//   - SMTP_PORT: its port; 587 by default, 465 when SMTP_TLS is "tls".
//   - SMTP_USERNAME: the user to authenticate as; empty for no authentication.
//   - SMTP_PASSWORD: that user's password; required with SMTP_USERNAME. It is
//     never logged nor stored with a failed message's error.
//   - SMTP_FROM: the sender, "expodesk <noreply@expo.example>" or a bare
//     address; required when SMTP_HOST is set.
//   - SMTP_TLS: "starttls" (the default: STARTTLS is required), "tls"
//     (implicit TLS) or "none" (no encryption; credentials are then only
//     sent to localhost).
func ConfigFromEnv(getenv func(string) string) (*SMTPConfig, error) {
	host := strings.TrimSpace(getenv("SMTP_HOST"))
	if host == "" {
		return nil, nil
	}
	c := &SMTPConfig{
		Host:     host,
		Username: getenv("SMTP_USERNAME"),
		Password: getenv("SMTP_PASSWORD"),
		From:     strings.TrimSpace(getenv("SMTP_FROM")),
		TLS:      strings.ToLower(strings.TrimSpace(getenv("SMTP_TLS"))),
	}
	if c.TLS == "" {
		c.TLS = TLSStartTLS
	}
	if p := strings.TrimSpace(getenv("SMTP_PORT")); p != "" {
		port, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("SMTP_PORT: %q is not a port number", p)
		}
		c.Port = port
	} else if c.TLS == TLSImplicit {
		c.Port = 465
	} else {
		c.Port = 587
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// Validate reports what is wrong with c, naming the environment variable.
func (c *SMTPConfig) Validate() error {
	var errs []error
	if c.Host == "" {
		errs = append(errs, errors.New("SMTP_HOST: missing"))
	}
	if c.Port < 1 || c.Port > 65535 {
		errs = append(errs, fmt.Errorf("SMTP_PORT: %d is not between 1 and 65535", c.Port))
	}
	switch c.TLS {
	case TLSStartTLS, TLSImplicit, TLSNone:
	default:
		errs = append(errs, fmt.Errorf("SMTP_TLS: %q is not starttls, tls or none", c.TLS))
	}
	if c.From == "" {
		errs = append(errs, errors.New("SMTP_FROM: required when SMTP_HOST is set"))
	} else if _, err := mail.ParseAddress(c.From); err != nil {
		errs = append(errs, fmt.Errorf("SMTP_FROM: %q is not an email address", c.From))
	}
	if c.Username != "" && c.Password == "" {
		errs = append(errs, errors.New("SMTP_PASSWORD: required with SMTP_USERNAME"))
	}
	if c.Username == "" && c.Password != "" {
		errs = append(errs, errors.New("SMTP_USERNAME: required with SMTP_PASSWORD"))
	}
	return errors.Join(errs...)
}

// LogValue shows c in logs without its password.
func (c *SMTPConfig) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("host", c.Host),
		slog.Int("port", c.Port),
		slog.String("tls", c.TLS),
		slog.String("from", c.From),
		slog.Bool("auth", c.Username != ""),
	)
}

// String describes c without its password.
func (c *SMTPConfig) String() string {
	return fmt.Sprintf("smtp://%s:%d (tls=%s, from=%s, auth=%t)", c.Host, c.Port, c.TLS, c.From, c.Username != "")
}
