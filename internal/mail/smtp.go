package mail

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Sender delivers one plain-text message.
type Sender interface {
	Send(ctx context.Context, to, subject, body string) error
}

// SMTPSender sends through an SMTP server with go-mail, which encodes UTF-8
// subjects and bodies (quoted-printable, RFC 2047 words) so that Chinese and
// Spanish text arrives intact, and speaks STARTTLS, implicit TLS and the
// usual authentication mechanisms.
type SMTPSender struct {
	cfg     SMTPConfig
	from    *netmail.Address
	domain  string // the From address's domain, for Message-IDs
	timeout time.Duration
	now     func() time.Time
	// tlsConfig replaces go-mail's default (verify the server's certificate
	// for Host); tests set it to trust their own certificate.
	tlsConfig *tls.Config
}

// NewSMTPSender returns a sender for cfg, which must be valid.
func NewSMTPSender(cfg SMTPConfig) (*SMTPSender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	from, err := netmail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("SMTP_FROM: %w", err)
	}
	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	return &SMTPSender{cfg: cfg, from: from, domain: domain, timeout: 30 * time.Second, now: time.Now}, nil
}

// Send delivers one message to to over a new connection. Its error never
// holds the SMTP password.
func (s *SMTPSender) Send(ctx context.Context, to, subject, body string) error {
	// No User-Agent: the library's name and version are nobody's business.
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP),
		gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(s.from)
	if err := msg.To(to); err != nil {
		return fmt.Errorf("recipient: %w", err)
	}
	msg.Subject(subject)
	msg.SetMessageIDWithValue(s.messageID())
	msg.SetDateWithValue(s.now())
	// Ask vacation responders and the like not to answer (RFC 3834).
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, body)

	client, err := gomail.NewClient(s.cfg.Host, s.options()...)
	if err != nil {
		return s.redact(fmt.Errorf("smtp client: %w", err))
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return s.redact(err)
	}
	return nil
}

func (s *SMTPSender) options() []gomail.Option {
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(s.timeout)}
	switch s.cfg.TLS {
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
		if s.cfg.Username != "" {
			// Without encryption go-mail's PLAIN sends credentials to
			// localhost only, and autodiscovery would refuse it outright.
			return append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain),
				gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
		}
		return opts
	default:
		// STARTTLS is required: a server (or a man in the middle) that does
		// not offer it gets no credentials and no message.
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.tlsConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(s.tlsConfig))
	}
	if s.cfg.Username != "" {
		// Autodiscovery picks the strongest mechanism the server offers.
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	return opts
}

// messageID returns a new Message-ID in the sender's domain.
func (s *SMTPSender) messageID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b) + "@" + s.domain
}

// redact returns err with the password taken out of its text, keeping the
// chain for errors.As.
func (s *SMTPSender) redact(err error) error {
	if err == nil || s.cfg.Password == "" || !strings.Contains(err.Error(), s.cfg.Password) {
		return err
	}
	return &redactedError{text: strings.ReplaceAll(err.Error(), s.cfg.Password, "[redacted]"), err: err}
}

type redactedError struct {
	text string
	err  error
}

func (e *redactedError) Error() string { return e.text }
func (e *redactedError) Unwrap() error { return e.err }

// Temporary reports whether err is an SMTP error the server calls temporary
// (4xx), for logs; the worker retries every failure, because a permanent
// one such as a rejected login usually gets fixed by the operator.
func Temporary(err error) bool {
	var se *gomail.SendError
	return errors.As(err, &se) && se.IsTemp()
}
