package postgres

import (
	"context"
	"time"

	"expodesk/internal/expodesk"
)

// OutboxDepths reports the mail and webhook outboxes' pending rows and the
// age of the oldest, by PostgreSQL's clock (the rows' own). Both counts
// read the partial indexes the workers claim from (mail_message_pending,
// webhook_delivery_due), so the query stays cheap while the outboxes are
// short, which is when they are healthy.
func (s *Store) OutboxDepths(ctx context.Context) ([]expodesk.OutboxDepth, error) {
	type row struct {
		Outbox     string
		Pending    int64
		OldestSecs float64
	}
	rows, err := collect[row](ctx, s.db, "outbox depths",
		`SELECT $2::text AS outbox, count(*) AS pending,
			coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS oldest_secs
		FROM mail_message WHERE sent_at IS NULL AND attempts < $1
		UNION ALL
		SELECT $3::text, count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8
		FROM webhook_delivery WHERE status = 'pending'`,
		expodesk.MailMaxAttempts, expodesk.OutboxMail, expodesk.OutboxWebhook)
	if err != nil {
		return nil, err
	}
	out := make([]expodesk.OutboxDepth, len(rows))
	for i, r := range rows {
		out[i] = expodesk.OutboxDepth{Outbox: r.Outbox, Pending: r.Pending,
			OldestAge: time.Duration(max(r.OldestSecs, 0) * float64(time.Second))}
	}
	return out, nil
}
