package expodesk

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MailKind names what a message is about, so that the outbox page can
// filter and label it and the composer knows which texts to use.
type MailKind string

// The kinds of mail expodesk sends.
const (
	MailInvitation       MailKind = "invitation"
	MailPasswordReset    MailKind = "password_reset"
	MailPasswordChanged  MailKind = "password_changed"
	MailAccountExists    MailKind = "account_exists"    // an invitation to an address that has an account
	MailTOTPChanged      MailKind = "totp_changed"      // a second factor turned on or off
	MailTOTPLocked       MailKind = "totp_locked"       // too many wrong codes in a row
	MailBookingCancelled MailKind = "booking_cancelled" // an organizer cancelled a company's booking
	MailBookingMoved     MailKind = "booking_moved"     // an organizer moved a company's booking
	MailBookingMadeFor   MailKind = "booking_made_for"  // an organizer booked a slot for a company
	MailDrawResult       MailKind = "draw_result"       // what a company got in a fair draw
)

// MailMaxAttempts is how many times the worker tries to send a message before
// it gives up. The row stays in the outbox, marked failed, so that an
// organizer can see what did not go out and why.
const MailMaxAttempts = 12

// MailMessage is one outgoing email in the outbox. It is written in the same
// transaction as the change that causes it and sent later by a worker, at
// least once.
type MailMessage struct {
	ID         int64
	ToAddr     string // a bare address, "name@example.com"
	Lang       Lang   // the language the message is written in
	Subject    string
	BodyText   string // plain text; may hold single-use links, so never logged
	Kind       MailKind
	ExpoID     *int64 // scope, so that a pavilion coordinator sees their own mail
	PavilionID *int64
	Attempts   int // failed tries so far
	NextTryAt  time.Time
	LastError  string
	SentAt     *time.Time
	CreatedAt  time.Time
}

// MailStatus is where a message stands.
type MailStatus string

// Mail statuses. A message is pending until it is sent or has failed
// MailMaxAttempts times.
const (
	MailPending MailStatus = "pending"
	MailSent    MailStatus = "sent"
	MailFailed  MailStatus = "failed"
)

// ParseMailStatus returns the status named by s and whether s names one.
func ParseMailStatus(s string) (MailStatus, bool) {
	switch MailStatus(s) {
	case MailPending, MailSent, MailFailed:
		return MailStatus(s), true
	}
	return "", false
}

// Status reports whether m is pending, sent, or given up on.
func (m MailMessage) Status() MailStatus {
	switch {
	case m.SentAt != nil:
		return MailSent
	case m.Attempts >= MailMaxAttempts:
		return MailFailed
	}
	return MailPending
}

// Private reports whether m's body holds a credential meant for its recipient
// alone (a password reset link), which the outbox page must not show to
// other people: reading it would let an organizer take over the account.
func (m MailMessage) Private() bool { return m.Kind == MailPasswordReset }

// RecipientDomain returns the part of the address after the @, which is what
// logs may carry instead of the whole address.
func (m MailMessage) RecipientDomain() string {
	if i := strings.LastIndexByte(m.ToAddr, '@'); i >= 0 {
		return m.ToAddr[i+1:]
	}
	return ""
}

// Validate reports what is wrong with m before it is queued. Messages are
// built by code, not typed by people, so a problem is a bug: the error is
// EINVALID with the cause for the log rather than field problems.
func (m MailMessage) Validate() error {
	invalid := func(format string, args ...any) error {
		return Wrap(EINVALID, "error.invalid", fmt.Errorf("mail message: "+format, args...))
	}
	if !ValidMailAddress(m.ToAddr) {
		return invalid("recipient is not a bare email address")
	}
	if _, ok := ParseLang(string(m.Lang)); !ok {
		return invalid("unknown language %q", m.Lang)
	}
	if strings.TrimSpace(m.Subject) == "" || !utf8.ValidString(m.Subject) || utf8.RuneCountInString(m.Subject) > 300 {
		return invalid("subject is empty, not UTF-8 or longer than 300 characters")
	}
	// A line break in a subject is how header injection starts.
	if strings.ContainsFunc(m.Subject, unicode.IsControl) {
		return invalid("subject holds control characters")
	}
	if strings.TrimSpace(m.BodyText) == "" || !utf8.ValidString(m.BodyText) {
		return invalid("body is empty or not UTF-8")
	}
	if m.Kind == "" {
		return invalid("kind is empty")
	}
	return nil
}

// ValidMailAddress reports whether s is a single bare email address
// ("name@example.com", no display name, no line breaks), 3 to 254 bytes long.
func ValidMailAddress(s string) bool {
	if len(s) < 3 || len(s) > 254 || strings.ContainsFunc(s, unicode.IsControl) {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s
}

// MailFilter selects the messages an organizer's outbox page lists. A nil
// scope means every message; a pavilion coordinator's pages set PavilionID.
type MailFilter struct {
	ExpoID     *int64
	PavilionID *int64
	Kind       MailKind   // "" for any
	Status     MailStatus // "" for any
	Page       int        // 1-based
	PerPage    int
}

// Normalize returns f with its page and page size within bounds.
func (f MailFilter) Normalize() MailFilter {
	if f.PerPage <= 0 || f.PerPage > 100 {
		f.PerPage = 50
	}
	if f.Page < 1 {
		f.Page = 1
	}
	if f.Page > 10000 {
		f.Page = 10000
	}
	return f
}
