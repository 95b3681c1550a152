package mail

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/worker"
)

// Outbox is what the worker needs of the store (postgres.Store).
type Outbox interface {
	MailClaimDue(ctx context.Context, limit int, now time.Time, lease time.Duration) ([]expodesk.MailMessage, error)
	MailMarkSent(ctx context.Context, id int64, now time.Time) error
	MailMarkFailed(ctx context.Context, id int64, errText string, nextTry time.Time) error
}

// Worker sends the outbox. Every server instance may run one: claims are
// leased, so instances share the work without sending a message twice in a
// round, and a message whose worker died is sent by another after the lease.
type Worker struct {
	outbox Outbox
	sender Sender
	log    *slog.Logger
	now    func() time.Time
	wake   chan struct{}

	// Interval is how long an idle worker waits before it looks again.
	Interval time.Duration
	// Batch is how many messages one round claims.
	Batch int
	// SendTimeout bounds one message's SMTP conversation.
	SendTimeout time.Duration
	// Lease is how long a claim lasts; it must outlast a round's sending, or
	// another worker sends the same messages again.
	Lease time.Duration
}

// NewWorker returns a worker that sends outbox's messages through sender,
// with defaults: a look every 5 s, 10 messages a round, 30 s per message,
// and a lease long enough for the whole round.
func NewWorker(outbox Outbox, sender Sender, log *slog.Logger, now func() time.Time) *Worker {
	if log == nil {
		log = slog.Default()
	}
	if now == nil {
		now = time.Now
	}
	return &Worker{
		outbox: outbox, sender: sender, log: log, now: now,
		wake:        make(chan struct{}, 1),
		Interval:    5 * time.Second,
		Batch:       10,
		SendTimeout: 30 * time.Second,
		Lease:       6 * time.Minute,
	}
}

// Backoff is how long to wait after a message's failed try when it had
// already failed attempts times: 30 s, doubling each time, at most an hour.
func Backoff(attempts int) time.Duration {
	const first, most = 30 * time.Second, time.Hour
	if attempts < 0 {
		attempts = 0
	}
	if attempts >= 7 { // 30 s · 2^7 is already past an hour
		return most
	}
	return min(first<<attempts, most)
}

// Wake makes a waiting worker look at the outbox now, for example right
// after a transaction that queued a message has committed. It never blocks.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run sends due messages until ctx ends. A round that fills its batch is
// followed by another at once; otherwise the worker waits for Interval or
// Wake. A round that fails (the database away) is logged and the loop goes
// on, waiting longer after each failure in a row (worker.RetryDelay): the outbox
// keeps every message until it is sent, and the pool reconnects by itself.
func (w *Worker) Run(ctx context.Context) {
	worker.Loop{Name: "mail worker", Interval: w.Interval, Batch: w.Batch, Wake: w.wake,
		Log: w.log, Round: w.RunOnce}.Run(ctx)
}

// RunOnce claims one batch of due messages, sends them, and marks each sent
// or failed. It returns how many it claimed. Messages it could not get to
// (ctx ended, or the lease is running out) are left to the next claim.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	start := w.now()
	// A lease shorter than one send would leave no time to send anything.
	lease := max(w.Lease, 2*w.SendTimeout)
	batch, err := w.outbox.MailClaimDue(ctx, w.Batch, start, lease)
	if err != nil {
		return 0, err
	}
	// Past this point a send could end after the lease, when another worker
	// may already have claimed the same message.
	lastStart := start.Add(lease - w.SendTimeout)
	for _, m := range batch {
		if ctx.Err() != nil || w.now().After(lastStart) {
			break
		}
		w.send(ctx, m)
	}
	return len(batch), nil
}

// send delivers m and records the outcome. Marks are written even when ctx
// ends meanwhile: a message that went out must not stay unmarked.
func (w *Worker) send(ctx context.Context, m expodesk.MailMessage) {
	attrs := []any{"mail_id", m.ID, "kind", m.Kind, "to_domain", m.RecipientDomain(), "attempt", m.Attempts + 1}
	sendCtx, cancel := context.WithTimeout(ctx, w.SendTimeout)
	err := w.sender.Send(sendCtx, m.ToAddr, m.Subject, m.BodyText)
	cancel()
	markCtx, cancelMark := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancelMark()
	if err == nil {
		if err := w.outbox.MailMarkSent(markCtx, m.ID, w.now()); err != nil {
			w.log.ErrorContext(ctx, "mail sent but not marked; it will be sent again", append(attrs, "err", err)...)
			return
		}
		w.log.InfoContext(ctx, "mail sent", attrs...)
		return
	}
	if ctx.Err() != nil {
		// Shutting down, not a failure of the message: the next claim after
		// the lease tries it again without counting an attempt.
		w.log.InfoContext(ctx, "mail send interrupted by shutdown", attrs...)
		return
	}
	// The error text goes to the log and to the outbox page: keep the
	// recipient's address out of it (the sender already removed secrets).
	errText := strings.ReplaceAll(err.Error(), m.ToAddr, "<recipient>")
	next := w.now().Add(Backoff(m.Attempts))
	if err := w.outbox.MailMarkFailed(markCtx, m.ID, errText, next); err != nil {
		w.log.ErrorContext(ctx, "mail failed and not marked", append(attrs, "err", err)...)
		return
	}
	attrs = append(attrs, "err", errText, "temporary", Temporary(err))
	if m.Attempts+1 >= expodesk.MailMaxAttempts {
		w.log.ErrorContext(ctx, "mail given up after too many attempts", attrs...)
		return
	}
	w.log.WarnContext(ctx, "mail send failed; will retry", append(attrs, "next_try_at", next)...)
}
