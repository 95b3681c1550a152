package postgres

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"expodesk/internal/expodesk"
)

const mailColumns = `id, to_addr, lang, subject, body_text, kind, expo_id, pavilion_id,
	attempts, next_try_at, last_error, sent_at, created_at`

// maxMailError bounds the stored text of a failed send, enough for an SMTP
// reply and short enough for the outbox page.
const maxMailError = 500

// MailEnqueue writes m to the outbox, due now. Call it inside Tx with the
// change that causes the message, so that the message exists if and only if
// the change was committed.
func (s *Store) MailEnqueue(ctx context.Context, m expodesk.MailMessage) (expodesk.MailMessage, error) {
	if err := m.Validate(); err != nil {
		return m, err
	}
	now := s.now()
	return one[expodesk.MailMessage](ctx, s.db, "enqueue mail",
		`INSERT INTO mail_message (to_addr, lang, subject, body_text, kind, expo_id, pavilion_id, next_try_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING `+mailColumns,
		m.ToAddr, m.Lang, m.Subject, m.BodyText, m.Kind, m.ExpoID, m.PavilionID, now)
}

// MailClaimDue claims up to limit unsent messages that are due at now and
// have not been given up on, oldest due first, by moving their next try to
// now+lease. Rows another instance is claiming at the same moment are
// skipped (FOR UPDATE SKIP LOCKED), so two workers never claim one message
// in the same round; a worker that dies before marking its messages loses
// its claim when the lease ends and another worker sends them again, which
// makes delivery at least once. The lease must outlast sending the batch.
func (s *Store) MailClaimDue(ctx context.Context, limit int, now time.Time, lease time.Duration) ([]expodesk.MailMessage, error) {
	if limit <= 0 {
		return nil, nil
	}
	return collect[expodesk.MailMessage](ctx, s.db, "claim due mail",
		`WITH due AS (
			SELECT id FROM mail_message
			WHERE sent_at IS NULL AND next_try_at <= $1 AND attempts < $4
			ORDER BY next_try_at, id
			LIMIT $2
			FOR UPDATE SKIP LOCKED
		), claimed AS (
			UPDATE mail_message m SET next_try_at = $3
			FROM due WHERE m.id = due.id
			RETURNING m.*
		)
		SELECT `+mailColumns+` FROM claimed ORDER BY created_at, id`,
		now, limit, now.Add(lease), expodesk.MailMaxAttempts)
}

// MailMarkSent records that the message with the given id went out at now.
// Marking a message that is already sent keeps the first time.
func (s *Store) MailMarkSent(ctx context.Context, id int64, now time.Time) error {
	tag, err := s.db.Exec(ctx,
		`UPDATE mail_message SET sent_at = coalesce(sent_at, $2), last_error = '' WHERE id = $1`, id, now)
	if err != nil {
		return translate(err, "mark mail sent")
	}
	if tag.RowsAffected() == 0 {
		return expodesk.ErrNotFound
	}
	return nil
}

// MailMarkFailed records a failed try: one more attempt, why it failed, and
// when to try again. errText is shown on the outbox page, so the caller must
// keep secrets out of it; it is cut to a few hundred characters here. A
// message another worker has sent meanwhile is left as it is.
func (s *Store) MailMarkFailed(ctx context.Context, id int64, errText string, nextTry time.Time) error {
	_, err := s.db.Exec(ctx,
		`UPDATE mail_message SET attempts = attempts + 1, last_error = $2, next_try_at = $3
		WHERE id = $1 AND sent_at IS NULL`, id, cleanMailError(errText), nextTry)
	return translate(err, "mark mail failed")
}

// cleanMailError puts errText on one line and cuts it to maxMailError runes.
func cleanMailError(errText string) string {
	errText = strings.ToValidUTF8(errText, "?")
	errText = strings.Join(strings.FieldsFunc(errText, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
	if utf8.RuneCountInString(errText) > maxMailError {
		errText = string([]rune(errText)[:maxMailError-1]) + "…"
	}
	return errText
}

// mailFilterSQL is the WHERE clause of MailList and MailCount; its
// parameters are mailFilterArgs.
const mailFilterSQL = `
	WHERE ($1::bigint IS NULL OR expo_id = $1)
	AND ($2::bigint IS NULL OR pavilion_id = $2)
	AND ($3 = '' OR kind = $3)
	AND ($4 = '' OR $4 = CASE WHEN sent_at IS NOT NULL THEN 'sent'
		WHEN attempts >= $5 THEN 'failed' ELSE 'pending' END)`

func mailFilterArgs(f expodesk.MailFilter) []any {
	return []any{f.ExpoID, f.PavilionID, string(f.Kind), string(f.Status), expodesk.MailMaxAttempts}
}

// MailList returns one page of the outbox, newest first, within the
// filter's scope.
func (s *Store) MailList(ctx context.Context, f expodesk.MailFilter) ([]expodesk.MailMessage, error) {
	f = f.Normalize()
	args := append(mailFilterArgs(f), f.PerPage, (f.Page-1)*f.PerPage)
	return collect[expodesk.MailMessage](ctx, s.db, "list mail",
		`SELECT `+mailColumns+` FROM mail_message`+mailFilterSQL+`
		ORDER BY created_at DESC, id DESC LIMIT $6 OFFSET $7`, args...)
}

// MailCount returns how many messages MailList would list over all pages.
func (s *Store) MailCount(ctx context.Context, f expodesk.MailFilter) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT count(*) FROM mail_message`+mailFilterSQL, mailFilterArgs(f)...).Scan(&n)
	return n, translate(err, "count mail")
}

// MailGet returns the message with the given id. The caller checks that the
// organizer may see its scope (expo, pavilion) and, for a private message,
// its body.
func (s *Store) MailGet(ctx context.Context, id int64) (expodesk.MailMessage, error) {
	return one[expodesk.MailMessage](ctx, s.db, "get mail",
		`SELECT `+mailColumns+` FROM mail_message WHERE id = $1`, id)
}
