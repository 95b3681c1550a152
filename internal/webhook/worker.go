package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"expodesk/internal/expodesk"
	"expodesk/internal/worker"
)

// Outbox is what the worker needs of the store (postgres.Store).
type Outbox interface {
	WebhookClaimDue(ctx context.Context, limit int, now time.Time, lease time.Duration) ([]expodesk.WebhookDelivery, error)
	// WebhookRecordAttempt records a try; next is when to try again (nil:
	// no more tries: delivered if the try was OK, failed otherwise).
	WebhookRecordAttempt(ctx context.Context, id int64, a expodesk.WebhookAttempt, next *time.Time) error
}

// Worker sends the webhook outbox. Every server instance runs one: a claim
// takes due deliveries with FOR UPDATE SKIP LOCKED and leases them, so
// instances share the work and one event reaches one endpoint once per
// try; a worker that dies mid-round loses its lease and another tries
// again (delivery is at least once, and receivers deduplicate by
// webhook-id).
type Worker struct {
	outbox Outbox
	client *http.Client
	log    *slog.Logger
	now    func() time.Time

	// Interval is how long an idle worker waits before it looks again.
	Interval time.Duration
	// Batch is how many deliveries one round claims; Parallel how many are sent at once.
	Batch, Parallel int
	// Timeout bounds one delivery (the client's own timeout too).
	Timeout time.Duration
	// Lease is how long a claim lasts; it must outlast the round.
	Lease time.Duration
	// Jitter spreads a retry delay (d/2 to d by default); tests make it exact.
	Jitter func(d time.Duration) time.Duration
	// UserAgent names the sender to receivers.
	UserAgent string
}

// NewWorker returns a worker sending through client (NewClient), with
// defaults: a look every 5 s, 20 deliveries a round, 4 at once, 10 s each.
func NewWorker(outbox Outbox, client *http.Client, log *slog.Logger, now func() time.Time) *Worker {
	if log == nil {
		log = slog.Default()
	}
	if now == nil {
		now = time.Now
	}
	return &Worker{outbox: outbox, client: client, log: log, now: now,
		Interval: 5 * time.Second, Batch: 20, Parallel: 4, Timeout: 10 * time.Second, Lease: 5 * time.Minute,
		Jitter:    func(d time.Duration) time.Duration { return d/2 + time.Duration(mrand.Int64N(int64(d/2)+1)) },
		UserAgent: "expodesk-webhooks/1"}
}

// Backoff is the delay before the next try of a delivery that has now
// failed attempts times: 30 s doubling each time, at most two hours, so a
// day's window holds about twenty tries.
func Backoff(attempts int) time.Duration {
	const first, most = 30 * time.Second, 2 * time.Hour
	if attempts < 1 {
		attempts = 1
	}
	if attempts > 9 { // 30 s · 2^8 is already past two hours
		return most
	}
	return min(first<<(attempts-1), most)
}

// Run sends due deliveries until ctx ends: a full round is followed by
// another at once, otherwise the worker waits Interval. A round that
// fails (the database away) is logged and the loop goes on, waiting
// longer after each failure in a row (worker.RetryDelay): the
// outbox keeps every delivery, and the pool reconnects by itself.
func (w *Worker) Run(ctx context.Context) {
	worker.Loop{Name: "webhook worker", Interval: w.Interval, Batch: w.Batch,
		Log: w.log, Round: w.RunOnce}.Run(ctx)
}

// RunOnce claims one batch of due deliveries, sends them (Parallel at a
// time) and records each outcome. It returns how many it claimed.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	lease := max(w.Lease, 2*w.Timeout)
	batch, err := w.outbox.WebhookClaimDue(ctx, w.Batch, w.now(), lease)
	if err != nil {
		return 0, err
	}
	sem := make(chan struct{}, max(w.Parallel, 1))
	var wg sync.WaitGroup
	for _, d := range batch {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			w.deliver(ctx, d)
		}()
	}
	wg.Wait()
	return len(batch), nil
}

// deliver sends d once and records the try: delivered, retried after the
// backoff, or failed when the next try would fall after the retry window.
func (w *Worker) deliver(ctx context.Context, d expodesk.WebhookDelivery) {
	a := w.Send(ctx, d)
	attrs := []any{"delivery_id", d.ID, "event", d.EventType, "message_id", d.MessageID, "endpoint_id", d.EndpointID,
		"attempt", d.Attempts + 1, "status_code", a.StatusCode, "ms", a.Duration.Milliseconds()}
	if !a.OK() && ctx.Err() != nil {
		// Shutting down: not the receiver's failure; the lease ends and another try follows.
		w.log.InfoContext(ctx, "webhook delivery interrupted by shutdown", attrs...)
		return
	}
	var next *time.Time
	if !a.OK() {
		t := a.At.Add(w.Jitter(Backoff(d.Attempts + 1)))
		if t.Before(d.GiveUpAt) {
			next = &t
		}
	}
	markCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := w.outbox.WebhookRecordAttempt(markCtx, d.ID, a, next); err != nil {
		w.log.ErrorContext(ctx, "webhook try not recorded", append(attrs, "err", err)...)
		return
	}
	switch {
	case a.OK():
		w.log.InfoContext(ctx, "webhook delivered", attrs...)
	case next != nil:
		w.log.WarnContext(ctx, "webhook delivery failed; will retry", append(attrs, "err", a.Err, "next_try_at", *next)...)
	default:
		w.log.ErrorContext(ctx, "webhook delivery given up after its retry window", append(attrs, "err", a.Err)...)
	}
}

// maxBodyRead bounds how much of a receiver's answer is read (and the
// excerpt of it kept for the delivery log).
const (
	maxBodyRead = 64 << 10
	maxExcerpt  = 200
)

// Send makes one try of d: the Standard Webhooks headers signed now, the
// event's body as stored, Timeout for the whole exchange, the answer's
// body read up to a bound. It never follows a redirect.
func (w *Worker) Send(ctx context.Context, d expodesk.WebhookDelivery) (a expodesk.WebhookAttempt) {
	at := w.now()
	a.At = at
	started := time.Now()
	defer func() { a.Duration = time.Since(started) }()
	if err := CheckScheme(d.URL); err != nil {
		a.Err = "refused: " + err.Error()
		return a
	}
	body := []byte(d.Body)
	sig, err := Sign(d.Secret, d.MessageID, at, body)
	if err != nil {
		a.Err = err.Error()
		return a
	}
	ctx, cancel := context.WithTimeout(ctx, w.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(body))
	if err != nil {
		a.Err = "bad URL: " + err.Error()
		return a
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", w.UserAgent)
	req.Header.Set(HeaderID, d.MessageID)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(at.Unix(), 10))
	req.Header.Set(HeaderSignature, sig)
	resp, err := w.client.Do(req)
	if err != nil {
		a.Err = describe(err, w.Timeout)
		return a
	}
	defer resp.Body.Close()
	excerpt, readErr := io.ReadAll(io.LimitReader(resp.Body, maxBodyRead))
	a.StatusCode = resp.StatusCode
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		a.Err = fmt.Sprintf("HTTP %d: redirect to %q not followed", resp.StatusCode, clip(resp.Header.Get("Location")))
	case resp.StatusCode < 200 || resp.StatusCode >= 300:
		a.Err = fmt.Sprintf("HTTP %d: %s", resp.StatusCode, clip(string(excerpt)))
	case readErr != nil:
		a.Err = "reading the answer: " + describe(readErr, w.Timeout)
	}
	return a
}

// describe says why a request failed, for the log and the delivery log.
func describe(err error, timeout time.Duration) string {
	switch {
	case errors.Is(err, ErrForbiddenAddress):
		var msg string
		for e := err; e != nil; e = errors.Unwrap(e) {
			if strings.HasPrefix(e.Error(), ErrForbiddenAddress.Error()) {
				msg = e.Error() // the outermost one names the address
				break
			}
		}
		if msg == "" {
			msg = ErrForbiddenAddress.Error()
		}
		return "refused: " + msg
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return "timed out after " + timeout.String()
	}
	return clip(err.Error())
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// clip puts s on one line, valid UTF-8, at most maxExcerpt runes.
func clip(s string) string {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "?")), " ")
	if utf8.RuneCountInString(s) > maxExcerpt {
		s = string([]rune(s)[:maxExcerpt-1]) + "…"
	}
	return s
}
