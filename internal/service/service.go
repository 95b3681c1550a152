// Package service is expodesk's write path. Every state-changing operation
// is one method here that takes the acting Caller, applies the domain's
// permission rule, validates its input, and then, in one transaction, makes
// the change, records the audit entry and queues the messages the change
// causes. HTML handlers (and the JSON API to come) only read input, call an
// operation and render what it returns, so they cannot disagree about a rule.
//
// It sits between the HTTP layer and the store, rather than inside the
// store, because an operation needs more than SQL: password hashing (slow,
// done before the transaction opens), single-use tokens, and mail composed
// in the recipient's language.
package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"log/slog"
	mrand "math/rand/v2"
	"strconv"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/mail"
	"expodesk/internal/metrics"
	"expodesk/internal/password"
	"expodesk/internal/postgres"
	"expodesk/internal/urls"
)

// Config is what the operations need to know about the deployment.
type Config struct {
	// BaseURL is the public origin for links in mail (https://expo.example.org).
	BaseURL string
	// SMTP reports whether a worker sends the outbox.
	SMTP bool
	// LogMailLinks logs the links of unsent mail (make run without SMTP);
	// they hold single-use tokens, so never where logs are kept.
	LogMailLinks bool
}

// Deps are the service's collaborators.
type Deps struct {
	Store     *postgres.Store
	Mail      *mail.Composer
	Passwords *password.Hasher
	Log       *slog.Logger
	// Now is the one clock of the application (time.Now in production).
	Now func() time.Time
	// Metrics counts sign-in failures and committed bookings; nil counts nothing.
	Metrics *metrics.Metrics
}

// Service runs expodesk's state-changing operations.
type Service struct {
	cfg       Config
	store     *postgres.Store
	mail      *mail.Composer
	passwords *password.Hasher
	log       *slog.Logger
	now       func() time.Time
	metrics   *metrics.Metrics
}

// New returns a service.
func New(cfg Config, d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{cfg: cfg, store: d.Store, mail: d.Mail, passwords: d.Passwords, log: d.Log, now: d.Now, metrics: d.Metrics}
}

// Caller is who acts, and from where, for the permission rule and the audit
// entry. Principal is nil for a visitor (signing in, following a link).
type Caller struct {
	Principal *expodesk.Principal
	// User is the signed-in user behind Principal (zero for a visitor).
	User      expodesk.User
	ClientIP  string
	RequestID string
}

// scope ties an audit entry or a message to the part of an expo it
// concerns, so that a pavilion coordinator sees their part.
type scope struct {
	ExpoID      *int64
	PavilionID  *int64
	ExhibitorID *int64
}

// userScope is the scope of a change to u's account.
func userScope(u expodesk.User) scope {
	return scope{PavilionID: u.PavilionID, ExhibitorID: u.ExhibitorID}
}

// tx is one operation's transaction: the store bound to it and the mail it
// queued, which is logged only once the transaction has committed.
type tx struct {
	*postgres.Store
	svc    *Service
	c      Caller
	queued []expodesk.MailMessage
	// booked and cancelled count the bookings this transaction makes and
	// cancels (from its audit actions), for the metrics once it commits.
	booked, cancelled int
}

// write runs fn in one transaction. Everything fn writes through t (the
// change, its audit entry, its messages) commits together or not at all.
//
// A transaction PostgreSQL ends to break a deadlock (two freed slots whose
// waitlists hold each other's company, service/waitlist.go) is run again
// from the start, a few times, with the mail it had queued dropped.
func (s *Service) write(ctx context.Context, c Caller, fn func(t *tx) error) error {
	var t *tx
	var err error
	for attempt := 1; ; attempt++ {
		err = s.store.Tx(ctx, func(st *postgres.Store) error {
			t = &tx{Store: st, svc: s, c: c}
			return fn(t)
		})
		if err == nil || attempt == writeAttempts || !postgres.Retryable(err) || ctx.Err() != nil {
			break
		}
		s.log.InfoContext(ctx, "transaction run again", "attempt", attempt, "err", err)
		time.Sleep(time.Duration(attempt) * time.Duration(5+mrand.IntN(20)) * time.Millisecond)
	}
	if err != nil {
		return err
	}
	for _, m := range t.queued {
		s.logQueued(ctx, m)
	}
	// Counted after the commit: a rolled-back or retried attempt counts nothing.
	s.metrics.BookingsCommitted(t.booked, t.cancelled)
	return nil
}

// writeAttempts is how many times write runs a transaction that keeps
// meeting deadlocks before it gives up.
const writeAttempts = 4

// audit appends the entry for this change, by the caller unless actor says
// otherwise (a visitor who has just proved who they are). before and after
// are marshalled as JSON; they never hold a password, hash, token or secret.
func (t *tx) audit(ctx context.Context, action expodesk.AuditAction, objectType string, objectID int64, sc scope,
	before, after any) error {
	if err := t.AuditAdd(ctx, t.svc.entry(t.c, action, objectType, objectID, sc, before, after)); err != nil {
		return err
	}
	t.countBooking(action)
	// The change's webhook event, derived from the action in one place (webhooks.go).
	return t.publish(ctx, action, objectID)
}

// countBooking counts a booking made or cancelled by an audited action.
// Like the webhook events, the count follows from the action in one place,
// so every write path that books (a company, an organizer for it, the
// waitlist, a draw) or cancels is counted.
func (t *tx) countBooking(action expodesk.AuditAction) {
	switch action {
	case expodesk.ActionBookingCreate, expodesk.ActionWaitlistPromote, expodesk.ActionWaitlistAccept:
		t.booked++
	case expodesk.ActionBookingCancel, expodesk.ActionBookingOrganizerCancel:
		t.cancelled++
	}
}

// auditAs is audit with actor as the one acting.
func (t *tx) auditAs(ctx context.Context, actor expodesk.User, action expodesk.AuditAction, after any) error {
	e := t.svc.entry(t.c, action, "user", actor.ID, userScope(actor), nil, after)
	e.ActorID, e.ActorLabel = &actor.ID, actor.Email
	return t.AuditAdd(ctx, e)
}

func (s *Service) entry(c Caller, action expodesk.AuditAction, objectType string, objectID int64, sc scope,
	before, after any) expodesk.AuditEntry {
	e := expodesk.AuditEntry{Action: action, ObjectType: objectType, Before: before, After: after,
		ExpoID: sc.ExpoID, PavilionID: sc.PavilionID, ExhibitorID: sc.ExhibitorID,
		ClientIP: c.ClientIP, RequestID: c.RequestID}
	if objectID != 0 {
		e.ObjectID = strconv.FormatInt(objectID, 10)
	}
	if p := c.Principal; p != nil {
		e.ActorID, e.ActorLabel = &p.UserID, p.Email
	}
	return e
}

// mail composes content in the recipient's language and writes it to the
// outbox in this transaction: it is sent only if the change commits.
func (t *tx) mail(ctx context.Context, to string, lang expodesk.Lang, content mail.Content, sc scope) error {
	m := t.svc.mail.Message(to, lang, content)
	m.ExpoID, m.PavilionID = sc.ExpoID, sc.PavilionID
	m, err := t.MailEnqueue(ctx, m)
	if err != nil {
		return err
	}
	t.queued = append(t.queued, m)
	return nil
}

// logQueued says where committed mail waits when no SMTP server sends it.
func (s *Service) logQueued(ctx context.Context, m expodesk.MailMessage) {
	switch {
	case s.cfg.SMTP:
	case s.cfg.LogMailLinks:
		// make run: the developer follows invitation and reset links from the terminal.
		mail.LogUnsent(ctx, s.log, m)
	default:
		// Without SMTP the outbox page is where mail is read; the log says where, never the link.
		s.log.InfoContext(ctx, "mail queued in the outbox (no SMTP configured)", "kind", m.Kind, "lang", m.Lang,
			"outbox", urls.OrganizerOutboxMessage(m.ID))
	}
}

// link is an absolute URL on this site, for mail.
func (s *Service) link(path string) string { return urls.Absolute(s.cfg.BaseURL, path) }

// RecordRefusal records a refused request in the audit log, which the
// promises count among the security events organizers review. The entry is
// scoped to the actor's company or pavilion, so that a coordinator sees
// their own people's attempts.
func (s *Service) RecordRefusal(ctx context.Context, c Caller, objectType, objectID string) {
	e := s.entry(c, expodesk.ActionForbidden, objectType, 0, scope{}, nil, nil)
	e.ObjectID = objectID
	if p := c.Principal; p != nil {
		if p.ExhibitorID != 0 {
			e.ExhibitorID = &p.ExhibitorID
		}
		if p.PavilionID != 0 {
			e.PavilionID = &p.PavilionID
		}
	}
	attrs := []any{"object_type", objectType, "object_id", objectID}
	if c.Principal != nil {
		attrs = append(attrs, "user_id", c.Principal.UserID)
	}
	s.log.WarnContext(ctx, "authorization failed", attrs...)
	if err := s.store.AuditAdd(ctx, e); err != nil {
		s.log.ErrorContext(ctx, "audit", "action", e.Action, "err", err)
	}
}

// refuse records a refusal and returns the error the caller sees: another
// company's or pavilion's object is simply not found.
func (s *Service) refuse(ctx context.Context, c Caller, objectType string, objectID int64, err error) error {
	s.RecordRefusal(ctx, c, objectType, strconv.FormatInt(objectID, 10))
	return err
}

// NewToken returns a random 256-bit token for a link and the SHA-256 hash
// that is all the database keeps of it.
func NewToken() (string, []byte, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	tok := base64.RawURLEncoding.EncodeToString(b)
	return tok, HashToken(tok), nil
}

// HashToken hashes a token from a link; malformed tokens hash too and simply match nothing.
func HashToken(tok string) []byte {
	sum := sha256.Sum256([]byte(tok))
	return sum[:]
}

// ValidTokenShape rejects obviously malformed tokens before touching the database.
func ValidTokenShape(tok string) bool {
	if len(tok) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(tok)
	return err == nil
}

// PeekToken returns the user a valid link token belongs to, without spending
// it (to show the form the link leads to); ErrTokenGone otherwise.
func (s *Service) PeekToken(ctx context.Context, kind expodesk.TokenKind, tok string) (expodesk.User, error) {
	if !ValidTokenShape(tok) {
		return expodesk.User{}, expodesk.ErrTokenGone
	}
	return s.store.TokenPeek(ctx, kind, HashToken(tok))
}

// UserAudit is what the audit log records of a user: never the hash or secrets.
func UserAudit(u expodesk.User) map[string]any {
	return map[string]any{
		"email": u.Email, "family_name": u.FamilyName, "given_name": u.GivenName, "lang": u.Lang,
		"role": u.Role, "pavilion_id": u.PavilionID, "exhibitor_id": u.ExhibitorID,
		"disabled": u.DisabledAt != nil, "totp": u.TOTPEnabledAt != nil,
	}
}
