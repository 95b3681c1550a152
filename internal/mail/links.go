package mail

import (
	"context"
	"log/slog"
	"regexp"
	"strings"

	"expodesk/internal/expodesk"
)

var linkPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// LinksIn returns the http(s) links in a message body, in order.
func LinksIn(body string) []string {
	links := linkPattern.FindAllString(body, -1)
	for i, l := range links {
		links[i] = strings.TrimRight(l, ".,;:)")
	}
	return links
}

// LogUnsent logs a queued message's recipient and links, so that someone
// running expodesk without SMTP (make run) can follow an invitation or reset
// link from the terminal. The links hold single-use tokens: call it only in
// development, never where logs are kept or shared.
func LogUnsent(ctx context.Context, log *slog.Logger, m expodesk.MailMessage) {
	log.InfoContext(ctx, "mail not sent (no SMTP configured); it waits in the outbox",
		"mail_id", m.ID, "kind", m.Kind, "to", m.ToAddr, "lang", m.Lang, "links", LinksIn(m.BodyText))
}
