package web

import (
	"expodesk/internal/expodesk"
)

// OutboxView lists outgoing mail.
type OutboxView struct {
	Messages []expodesk.MailMessage
	SMTP     bool
}

// OutboxMessageView shows one message as sent (or to be sent).
type OutboxMessageView struct {
	Message expodesk.MailMessage
}
