package mail

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
)

// Composer writes messages in their recipient's language from the mail.*
// catalog keys (locales/mail.<lang>.json).
type Composer struct {
	catalog *i18n.Catalog
}

// NewComposer returns a composer over catalog.
func NewComposer(catalog *i18n.Catalog) *Composer {
	return &Composer{catalog: catalog}
}

// Content is what a message says: one of Invitation, PasswordReset and
// PasswordChanged.
type Content interface {
	// Kind is the outbox kind of the message.
	Kind() expodesk.MailKind
	// render returns the subject and the body's paragraphs in l's language.
	render(l *i18n.Localizer) (subject string, paragraphs []string)
}

// Compose returns the subject and plain-text body of content in lang
// (English for an unknown language).
func (c *Composer) Compose(lang expodesk.Lang, content Content) (subject, body string) {
	l := c.catalog.Localizer(lang)
	subject, paragraphs := content.render(l)
	parts := append([]string{l.T("mail.greeting")}, paragraphs...)
	parts = append(parts, l.T("mail.signature")+"\n"+l.T("mail.automatic"))
	return cleanSubject(subject), strings.Join(parts, "\n\n") + "\n"
}

// Message returns content composed for to in lang, ready for
// Store.MailEnqueue; the caller sets its scope (ExpoID, PavilionID).
func (c *Composer) Message(to string, lang expodesk.Lang, content Content) expodesk.MailMessage {
	if _, ok := expodesk.ParseLang(string(lang)); !ok {
		lang = expodesk.EN
	}
	subject, body := c.Compose(lang, content)
	return expodesk.MailMessage{ToAddr: to, Lang: lang, Subject: subject, BodyText: body, Kind: content.Kind()}
}

// cleanSubject puts a subject on one line (names typed by people end up in
// it) and cuts it to the outbox's 300 characters.
func cleanSubject(s string) string {
	s = strings.Join(strings.FieldsFunc(strings.ToValidUTF8(s, ""), func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
	if utf8.RuneCountInString(s) > 300 {
		s = string([]rune(s)[:299]) + "…"
	}
	return s
}

// formatTime writes t in zone (UTC when nil) the way lang writes dates:
// "12 November 2027, 10:30 (CET)", "2027年11月12日 10:30（CST）".
func formatTime(l *i18n.Localizer, t time.Time, zone *time.Location) string {
	if zone == nil {
		zone = time.UTC
	}
	t = t.In(zone)
	return l.T("mail.date", map[string]any{
		"Day":   t.Day(),
		"Month": l.T("mail.month." + strconv.Itoa(int(t.Month()))),
		"Year":  t.Year(),
		"Time":  t.Format("15:04"),
		"Zone":  expodesk.ZoneAbbr(t, zone), // "CST", "CEST", or "UTC+4" where the zone has no letters
	})
}

// InvitationRole is what an invitation asks the recipient to become.
type InvitationRole string

// Invitation roles.
const (
	// InviteTeamMember asks the recipient to join an exhibitor's team.
	InviteTeamMember InvitationRole = "team_member"
	// InviteOrganizer asks the recipient to organize an expo, or one of its
	// pavilions when Pavilion is set.
	InviteOrganizer InvitationRole = "organizer"
)

// Invitation asks someone to accept an account: to join an exhibitor's team,
// or to organize an expo or one of its pavilions. Names are given in the
// recipient's language.
type Invitation struct {
	Role      InvitationRole
	Link      string // the absolute accept URL, holding the single-use token
	Inviter   string // the inviting person's display name
	Company   string // the exhibitor's name (team members)
	Expo      string // the expo's name; optional for team members
	Pavilion  string // the pavilion's name for a pavilion coordinator, else ""
	ExpiresAt time.Time
	Zone      *time.Location // the zone ExpiresAt is shown in (the expo's); UTC when nil
}

// Kind implements Content.
func (Invitation) Kind() expodesk.MailKind { return expodesk.MailInvitation }

func (inv Invitation) render(l *i18n.Localizer) (string, []string) {
	data := map[string]any{"Inviter": inv.Inviter, "Company": inv.Company, "Expo": inv.Expo, "Pavilion": inv.Pavilion}
	var subject, intro string
	switch {
	case inv.Role == InviteOrganizer && inv.Pavilion != "":
		subject, intro = l.T("mail.invitation.pavilion.subject", data), l.T("mail.invitation.pavilion.intro", data)
	case inv.Role == InviteOrganizer:
		subject, intro = l.T("mail.invitation.organizer.subject", data), l.T("mail.invitation.organizer.intro", data)
	case inv.Expo != "":
		subject, intro = l.T("mail.invitation.team.subject", data), l.T("mail.invitation.team.intro_expo", data)
	default:
		subject, intro = l.T("mail.invitation.team.subject", data), l.T("mail.invitation.team.intro", data)
	}
	return subject, []string{
		intro,
		l.T("mail.invitation.accept") + "\n" + inv.Link,
		l.T("mail.link_expiry", map[string]any{"Expires": formatTime(l, inv.ExpiresAt, inv.Zone)}),
		l.T("mail.invitation.ignore"),
	}
}

// PasswordReset carries the link that lets the recipient choose a new password.
type PasswordReset struct {
	Link      string // the absolute reset URL, holding the single-use token
	ExpiresAt time.Time
	Zone      *time.Location // UTC when nil
}

// Kind implements Content.
func (PasswordReset) Kind() expodesk.MailKind { return expodesk.MailPasswordReset }

func (r PasswordReset) render(l *i18n.Localizer) (string, []string) {
	return l.T("mail.password_reset.subject"), []string{
		l.T("mail.password_reset.intro"),
		l.T("mail.password_reset.action") + "\n" + r.Link,
		l.T("mail.link_expiry", map[string]any{"Expires": formatTime(l, r.ExpiresAt, r.Zone)}),
		l.T("mail.password_reset.ignore"),
	}
}

// PasswordChanged tells the recipient that their password was changed, so
// that someone who did not change it notices.
type PasswordChanged struct {
	At        time.Time
	Zone      *time.Location // UTC when nil
	ResetLink string         // the forgotten-password page (no token); optional
}

// Kind implements Content.
func (PasswordChanged) Kind() expodesk.MailKind { return expodesk.MailPasswordChanged }

func (c PasswordChanged) render(l *i18n.Localizer) (string, []string) {
	notYou := l.T("mail.password_changed.not_you")
	if c.ResetLink != "" {
		notYou = l.T("mail.password_changed.not_you_reset") + "\n" + c.ResetLink
	}
	return l.T("mail.password_changed.subject"), []string{
		l.T("mail.password_changed.intro", map[string]any{"When": formatTime(l, c.At, c.Zone)}),
		notYou,
	}
}

// AccountExists tells the holder of an account that someone tried to invite
// their address again. The inviter is answered as for any invitation, so
// that an invitation form does not tell who has an account; the holder
// learns of it here, with no link that signs anyone in.
type AccountExists struct {
	Inviter    string // the inviting person's display name
	Company    string // the company they were invited to join, if any
	SignInLink string // the sign-in page (no token)
	ResetLink  string // the forgotten-password page (no token)
}

// Kind implements Content.
func (AccountExists) Kind() expodesk.MailKind { return expodesk.MailAccountExists }

func (a AccountExists) render(l *i18n.Localizer) (string, []string) {
	data := map[string]any{"Inviter": a.Inviter, "Company": a.Company}
	intro := l.T("mail.account_exists.intro", data)
	if a.Company != "" {
		intro = l.T("mail.account_exists.intro_company", data)
	}
	return l.T("mail.account_exists.subject"), []string{
		intro,
		l.T("mail.account_exists.signin") + "\n" + a.SignInLink,
		l.T("mail.account_exists.forgot") + "\n" + a.ResetLink,
		l.T("mail.account_exists.not_you"),
	}
}

// TOTPChanged tells the recipient that the second factor of their account
// was turned on or off, so that someone who did not do it notices.
type TOTPChanged struct {
	Enabled bool
	At      time.Time
	Zone    *time.Location // UTC when nil
}

// Kind implements Content.
func (TOTPChanged) Kind() expodesk.MailKind { return expodesk.MailTOTPChanged }

func (c TOTPChanged) render(l *i18n.Localizer) (string, []string) {
	when := map[string]any{"When": formatTime(l, c.At, c.Zone)}
	if c.Enabled {
		return l.T("mail.totp_enabled.subject"), []string{l.T("mail.totp_enabled.intro", when), l.T("mail.totp_changed.not_you")}
	}
	return l.T("mail.totp_disabled.subject"), []string{l.T("mail.totp_disabled.intro", when), l.T("mail.totp_changed.not_you")}
}

// TOTPLocked tells the recipient that so many wrong codes were typed in a
// row that only a recovery code signs them in now: someone may know their
// password.
type TOTPLocked struct {
	Failures  int
	At        time.Time
	Zone      *time.Location // UTC when nil
	ResetLink string         // the forgotten-password page (no token)
}

// Kind implements Content.
func (TOTPLocked) Kind() expodesk.MailKind { return expodesk.MailTOTPLocked }

func (c TOTPLocked) render(l *i18n.Localizer) (string, []string) {
	return l.T("mail.totp_locked.subject"), []string{
		l.T("mail.totp_locked.intro", map[string]any{"Failures": c.Failures, "When": formatTime(l, c.At, c.Zone)}),
		l.T("mail.totp_locked.recovery"),
		l.T("mail.totp_locked.password") + "\n" + c.ResetLink,
	}
}
