package service_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/postgres"
	"expodesk/internal/service"
	"expodesk/internal/webhook"
)

func endpointCount(t *testing.T, w world) int {
	t.Helper()
	var n int
	if err := w.pool.QueryRow(context.Background(), `SELECT count(*) FROM webhook_endpoint`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestWebhookEndpoints: the write path of endpoints — who may, what is
// refused at which field, and audit entries that never hold the secret.
func TestWebhookEndpoints(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	good := expodesk.WebhookEndpointInput{URL: " https://partner.example.org/hooks ", Description: "Partner CRM",
		Events: []expodesk.WebhookEventType{expodesk.EventSlotBooked}}

	for name, u := range map[string]expodesk.User{"ErrForbiddenCoordinator": w.coordinator, "ErrForbiddenExhibitor": w.exhibitorIn} {
		t.Run(name, func(t *testing.T) {
			if _, err := w.svc.CreateWebhookEndpoint(ctx, w.as(u), good); !errors.Is(err, expodesk.ErrForbidden) {
				t.Fatalf("err = %v", err)
			}
			if _, err := w.svc.WebhookEndpoints(ctx, w.as(u)); !errors.Is(err, expodesk.ErrForbidden) {
				t.Fatalf("list err = %v", err)
			}
		})
	}
	t.Run("ErrUnauthorizedVisitor", func(t *testing.T) {
		if _, err := w.svc.CreateWebhookEndpoint(ctx, service.Caller{}, good); expodesk.ErrorCode(err) != expodesk.EUNAUTHORIZED {
			t.Fatalf("err = %v", err)
		}
	})
	for _, tc := range []struct {
		name, field, key string
		in               expodesk.WebhookEndpointInput
	}{
		{"NotHTTP", "url", "webhooks.url_scheme", expodesk.WebhookEndpointInput{URL: "file:///etc/passwd", Events: good.Events}},
		{"FTP", "url", "webhooks.url_scheme", expodesk.WebhookEndpointInput{URL: "ftp://partner.example.org/", Events: good.Events}},
		{"BadURL", "url", "webhooks.url_invalid", expodesk.WebhookEndpointInput{URL: "partner dot org", Events: good.Events}},
		{"UserInfo", "url", "webhooks.url_userinfo", expodesk.WebhookEndpointInput{URL: "https://u:p@partner.example.org/", Events: good.Events}},
		{"NoEvents", "events", "webhooks.events_required", expodesk.WebhookEndpointInput{URL: "https://partner.example.org/"}},
		{"UnknownEvent", "events", "validation.choice", expodesk.WebhookEndpointInput{URL: "https://partner.example.org/",
			Events: []expodesk.WebhookEventType{"user.signin"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := w.svc.CreateWebhookEndpoint(ctx, w.as(w.organizer), tc.in)
			wantProblem(t, err, tc.field, tc.key)
			if n := endpointCount(t, w); n != 0 {
				t.Fatalf("a refused endpoint was written (%d)", n)
			}
		})
	}

	e, err := w.svc.CreateWebhookEndpoint(ctx, w.as(w.organizer), good)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(e.Secret, "whsec_") || e.URL != "https://partner.example.org/hooks" {
		t.Fatalf("endpoint %+v", e)
	}
	good.Events = append(good.Events, expodesk.EventBookingCancelled)
	if _, err := w.svc.UpdateWebhookEndpoint(ctx, w.as(w.organizer), e.ID, good); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.UpdateWebhookEndpoint(ctx, w.as(w.coordinator), e.ID, good); !errors.Is(err, expodesk.ErrForbidden) {
		t.Fatalf("a coordinator changed an endpoint: %v", err)
	}
	if err := w.svc.SendTestWebhook(ctx, w.as(w.organizer), e.ID); err != nil {
		t.Fatal(err)
	}
	_, log, err := w.svc.WebhookEndpoint(ctx, w.as(w.organizer), e.ID, 10)
	if err != nil || len(log) != 1 || log[0].EventType != expodesk.EventWebhookTest {
		t.Fatalf("after the test event: %v, %v", log, err)
	}
	if err := w.svc.RedeliverWebhook(ctx, w.as(w.organizer), e.ID+1000, log[0].ID); !errors.Is(err, expodesk.ErrNotFound) {
		t.Fatalf("redelivering through another endpoint: %v", err)
	}
	if err := w.svc.RedeliverWebhook(ctx, w.as(w.organizer), e.ID, log[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.DeleteWebhookEndpoint(ctx, w.as(w.organizer), e.ID); err != nil {
		t.Fatal(err)
	}
	rows, err := w.pool.Query(ctx, `SELECT action, coalesce(before::text, ''), coalesce(after::text, '') FROM audit_entry
		WHERE action LIKE 'webhook.%' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for rows.Next() {
		var action, before, after string
		if err := rows.Scan(&action, &before, &after); err != nil {
			t.Fatal(err)
		}
		actions = append(actions, action)
		if strings.Contains(before+after, "whsec_") || strings.Contains(before+after, strings.TrimPrefix(e.Secret, "whsec_")) {
			t.Errorf("%s audit entry holds the secret: %s %s", action, before, after)
		}
	}
	if got := strings.Join(actions, " "); got != "webhook.create webhook.update webhook.test webhook.redeliver webhook.delete" {
		t.Fatalf("audit actions %q", got)
	}
}

// TestWebhooksFromBookings books and cancels through the service: each
// queues its event for the subscribed endpoint, a refused booking none.
// Two workers (two instances) then deliver each event exactly once to an
// in-process receiver that verifies every signature.
func TestWebhooksFromBookings(t *testing.T) {
	w := newBookingWorld(t)
	ctx := context.Background()
	var mu sync.Mutex
	seen := map[string]int{}
	var e expodesk.WebhookEndpoint
	rc := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := webhook.Verify(e.Secret, r.Header, body, time.Now()); err != nil {
			t.Errorf("receiver: %v", err)
			http.Error(rw, "bad signature", http.StatusBadRequest)
			return
		}
		mu.Lock()
		seen[r.Header.Get(webhook.HeaderID)]++
		mu.Unlock()
		time.Sleep(5 * time.Millisecond)
	}))
	defer rc.Close()
	var err error
	e, err = w.svc.CreateWebhookEndpoint(ctx, w.as(w.organizer), expodesk.WebhookEndpointInput{URL: rc.URL + "/hooks",
		Events: []expodesk.WebhookEventType{expodesk.EventSlotBooked, expodesk.EventBookingCancelled}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := w.svc.BookSlot(ctx, w.as(w.exhibitorIn), w.expoID, w.main[0].ID, expodesk.BookingText{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.BookSlot(ctx, w.as(w.exhibitorIn), w.expoID, w.main[1].ID, expodesk.BookingText{}); err == nil {
		t.Fatal("a booking over the quota was taken")
	}
	if _, err := w.svc.CancelBooking(ctx, w.as(w.exhibitorIn), b.ID); err != nil {
		t.Fatal(err)
	}
	for range 18 {
		if err := w.svc.SendTestWebhook(ctx, w.as(w.organizer), e.ID); err != nil {
			t.Fatal(err)
		}
	}
	_, log, err := w.svc.WebhookEndpoint(ctx, w.as(w.organizer), e.ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 20 || log[19].EventType != expodesk.EventSlotBooked || log[18].EventType != expodesk.EventBookingCancelled {
		t.Fatalf("%d deliveries queued; the first two %v %v", len(log), log[19].EventType, log[18].EventType)
	}
	if !strings.Contains(log[18].Body, `"cancelled_by":"exhibitor"`) {
		t.Fatalf("cancellation body %s", log[18].Body)
	}

	// Two instances, each with its own store handle and worker, small batches.
	quiet := slog.New(slog.DiscardHandler)
	var wg sync.WaitGroup
	for range 2 {
		store := postgres.New(w.pool, time.Now)
		wk := webhook.NewWorker(store, webhook.NewClient(webhook.ClientConfig{AllowPrivate: true}), quiet, time.Now)
		wk.Batch, wk.Parallel = 3, 2
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n, err := wk.RunOnce(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				if n == 0 {
					return
				}
			}
		}()
	}
	wg.Wait()
	if len(seen) != 20 {
		t.Fatalf("the receiver saw %d distinct messages, want 20", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("message %s delivered %d times", id, n)
		}
	}
	_, log, _ = w.svc.WebhookEndpoint(ctx, w.as(w.organizer), e.ID, 100)
	for _, d := range log {
		if d.Status != expodesk.DeliveryDelivered || d.Attempts != 1 || d.LastStatusCode == nil || *d.LastStatusCode != 200 || d.LastResponseMS == nil {
			t.Fatalf("delivery %+v", d)
		}
	}
}

// TestWebhookRefusedAddressRecorded: without AllowPrivate, a delivery to the
// in-process receiver on loopback is refused, and the log says why.
func TestWebhookRefusedAddressRecorded(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	e, err := w.svc.CreateWebhookEndpoint(ctx, w.as(w.organizer), expodesk.WebhookEndpointInput{URL: "http://127.0.0.1:9/hooks",
		Events: []expodesk.WebhookEventType{expodesk.EventSlotBooked}})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.svc.SendTestWebhook(ctx, w.as(w.organizer), e.ID); err != nil {
		t.Fatal(err)
	}
	wk := webhook.NewWorker(w.store, webhook.NewClient(webhook.ClientConfig{}), slog.New(slog.DiscardHandler), time.Now)
	if n, err := wk.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("claimed %d, %v", n, err)
	}
	_, log, _ := w.svc.WebhookEndpoint(ctx, w.as(w.organizer), e.ID, 10)
	if len(log) != 1 || log[0].Status != expodesk.DeliveryPending || !strings.Contains(log[0].LastError, "refused") ||
		!strings.Contains(log[0].LastError, "127.0.0.1") {
		t.Fatalf("delivery %+v", log)
	}
}
