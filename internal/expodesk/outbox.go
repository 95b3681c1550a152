package expodesk

import "time"

// Outboxes whose depth the metrics report: the mail outbox (mail_message)
// and the webhook outbox (webhook_delivery).
const (
	OutboxMail    = "mail"
	OutboxWebhook = "webhook"
)

// OutboxDepth is how much waits in one outbox: the rows not yet sent
// that have not been given up on, and how long the oldest of them has
// waited (zero when none waits).
type OutboxDepth struct {
	Outbox    string
	Pending   int64
	OldestAge time.Duration
}
