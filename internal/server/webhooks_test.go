package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
)

// webhookFixture makes endpoints (and a delivery of each) straight in the
// store for the matrix and cross-site rows.
type webhookFixture struct {
	e *testEnv
	n atomic.Int64
}

var webhookForm = url.Values{"url": {"https://partner.example.org/hooks"}, "events": {"slot.booked", "booking.cancelled"}}

func (f *webhookFixture) endpoint() expodesk.WebhookEndpoint {
	f.e.t.Helper()
	ctx := context.Background()
	ep, err := f.e.store.WebhookEndpointCreate(ctx, expodesk.WebhookEndpointInput{URL: "https://partner.example.org/hooks/" + itoa(f.n.Add(1)),
		Events: []expodesk.WebhookEventType{expodesk.EventSlotBooked}}, "whsec_dGVzdA==", nil)
	if err != nil {
		f.e.t.Fatal(err)
	}
	if _, err := f.e.store.WebhookEventAdd(ctx, expodesk.WebhookEvent{MessageID: "msg_matrixmatrixmatrix" + itoa(ep.ID) + "x" + itoa(f.n.Add(1)),
		Type: expodesk.EventWebhookTest, Body: `{}`}, ep.ID); err != nil {
		f.e.t.Fatal(err)
	}
	return ep
}

func (f *webhookFixture) delivery(ep expodesk.WebhookEndpoint) int64 {
	f.e.t.Helper()
	list, err := f.e.store.WebhookDeliveries(context.Background(), ep.ID, 1)
	if err != nil || len(list) != 1 {
		f.e.t.Fatalf("deliveries %v, %v", list, err)
	}
	return list[0].ID
}

// failed is the delivery of ep, given up on after one try.
func (f *webhookFixture) failed(ep expodesk.WebhookEndpoint) int64 {
	f.e.t.Helper()
	id := f.delivery(ep)
	if err := f.e.store.WebhookRecordAttempt(context.Background(), id, expodesk.WebhookAttempt{At: f.e.clock.Now(),
		StatusCode: http.StatusInternalServerError, Err: "HTTP 500"}, nil); err != nil {
		f.e.t.Fatal(err)
	}
	return id
}

// webhookMatrixCases: the webhook pages are expo-wide organizers' only; a
// coordinator and exhibitors are refused (403), a visitor signs in.
func webhookMatrixCases(e *testEnv, _ world) []matrixCase {
	f := &webhookFixture{e: e}
	ep := f.endpoint()
	pages := [roleCount]int{s303, s403, s403, s403, s200}
	writes := func(ok int) [roleCount]int { return [roleCount]int{s401, s403, s403, s403, ok} }
	fresh := func(action string) func(role) string {
		return func(role) string { return urls.OrganizerWebhook(f.endpoint().ID) + action }
	}
	path := func(p string) func(role) string { return func(role) string { return p } }
	return []matrixCase{
		{method: "GET", pattern: "/organizer/webhooks", path: path(urls.OrganizerWebhooks()), want: pages},
		{method: "GET", pattern: "/organizer/webhooks/new", path: path(urls.OrganizerWebhookNew()), want: pages},
		{method: "POST", pattern: "/organizer/webhooks", object: "empty form", path: path(urls.OrganizerWebhooks()), want: writes(s422)},
		{method: "POST", pattern: "/organizer/webhooks", object: "an endpoint (its secret shown once)", path: path(urls.OrganizerWebhooks()),
			form: webhookForm, want: writes(s200)},
		{method: "GET", pattern: "/organizer/webhooks/{endpoint}", path: path(urls.OrganizerWebhook(ep.ID)), want: pages},
		{method: "GET", pattern: "/organizer/webhooks/{endpoint}", object: "unknown endpoint", path: path(urls.OrganizerWebhook(987654321)),
			want: [roleCount]int{s303, s403, s403, s403, s404}},
		{method: "GET", pattern: "/organizer/webhooks/{endpoint}", object: "not a number", path: path("/organizer/webhooks/abc"),
			want: [roleCount]int{s303, s403, s403, s403, s404}},
		{method: "POST", pattern: "/organizer/webhooks/{endpoint}", object: "no events", path: fresh(""),
			form: url.Values{"url": {"https://partner.example.org/"}}, want: writes(s422)},
		{method: "POST", pattern: "/organizer/webhooks/{endpoint}", path: fresh(""), form: webhookForm, want: writes(s303)},
		{method: "POST", pattern: "/organizer/webhooks/{endpoint}/delete", path: fresh("/delete"), want: writes(s303)},
		{method: "POST", pattern: "/organizer/webhooks/{endpoint}/delete", object: "unknown endpoint",
			path: path(urls.OrganizerWebhookDelete(987654321)), want: writes(s404)},
		{method: "POST", pattern: "/organizer/webhooks/{endpoint}/test", path: fresh("/test"), want: writes(s303)},
		{method: "POST", pattern: "/organizer/webhooks/{endpoint}/deliveries/{delivery}/redeliver", path: func(role) string {
			ep := f.endpoint()
			return urls.OrganizerWebhookRedeliver(ep.ID, f.delivery(ep))
		}, want: writes(s303)},
		{method: "POST", pattern: "/organizer/webhooks/{endpoint}/deliveries/{delivery}/redeliver", object: "another endpoint's delivery",
			path: func(role) string { return urls.OrganizerWebhookRedeliver(f.endpoint().ID, f.delivery(ep)) }, want: writes(s404)},
	}
}

// webhookCSRFCases are the webhook forms posted from another site.
func webhookCSRFCases(e *testEnv, w world) []csrfCase {
	f := &webhookFixture{e: e}
	org := func(path func() string, form url.Values) func(t *testing.T) (*client, string, url.Values) {
		return func(t *testing.T) (*client, string, url.Values) { return e.signedIn(t, w.Organizer), path(), form }
	}
	return []csrfCase{
		{pattern: "/organizer/webhooks", want: s200, setup: org(urls.OrganizerWebhooks, webhookForm)},
		{pattern: "/organizer/webhooks/{endpoint}", want: s303, setup: org(func() string { return urls.OrganizerWebhook(f.endpoint().ID) }, webhookForm)},
		{pattern: "/organizer/webhooks/{endpoint}/delete", want: s303, setup: org(func() string { return urls.OrganizerWebhookDelete(f.endpoint().ID) }, nil)},
		{pattern: "/organizer/webhooks/{endpoint}/test", want: s303, setup: org(func() string { return urls.OrganizerWebhookTest(f.endpoint().ID) }, nil)},
		{pattern: "/organizer/webhooks/{endpoint}/deliveries/{delivery}/redeliver", want: s303, setup: org(func() string {
			ep := f.endpoint()
			return urls.OrganizerWebhookRedeliver(ep.ID, f.failed(ep))
		}, nil)},
	}
}

// TestWebhookPages goes through the pages as an organizer: a bad form
// comes back with each problem at its field and nothing written; a good
// one shows the secret once, the endpoint page never again; the test
// button queues a delivery the log shows.
func TestWebhookPages(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, Config{})
	w := e.world()
	c := e.signedIn(t, w.Organizer)
	count := func() int {
		var n int
		if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM webhook_endpoint`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, tc := range []struct {
		name    string
		form    url.Values
		field   string
		message string
	}{
		{"NotHTTP", url.Values{"url": {"file:///etc/passwd"}, "events": {"slot.booked"}}, "url", "Only http and https addresses"},
		{"BadURL", url.Values{"url": {"not a url"}, "events": {"slot.booked"}}, "url", "Enter a full address"},
		{"NoEvents", url.Values{"url": {"https://partner.example.org/"}}, "events", "Choose at least one event."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := c.post(urls.OrganizerWebhooks(), tc.form)
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tc.message) ||
				!strings.Contains(body, `id="`+tc.field+`-error"`) {
				t.Fatalf("%d, want 422 with %q at %s\n%s", resp.StatusCode, tc.message, tc.field, excerpt(body))
			}
			if tc.field == "url" && !strings.Contains(body, `value="`+tc.form.Get("url")+`"`) {
				t.Fatalf("what was typed is lost\n%s", excerpt(body))
			}
			if n := count(); n != 0 {
				t.Fatalf("%d endpoints written", n)
			}
		})
	}
	resp, body := c.post(urls.OrganizerWebhooks(), webhookForm)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "whsec_") || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("create: %d %q\n%s", resp.StatusCode, resp.Header.Get("Cache-Control"), excerpt(body))
	}
	list, err := e.store.WebhookEndpointList(context.Background())
	if err != nil || len(list) != 1 {
		t.Fatalf("%v %v", list, err)
	}
	ep := list[0]
	if !strings.Contains(body, ep.Secret) {
		t.Fatal("the page does not show the endpoint's secret")
	}
	_, page := c.get(urls.OrganizerWebhook(ep.ID))
	if strings.Contains(page, ep.Secret) || strings.Contains(page, "whsec_") {
		t.Fatal("the endpoint page shows the secret again")
	}
	resp, _ = c.post(urls.OrganizerWebhookTest(ep.ID), nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("test event: %d", resp.StatusCode)
	}
	_, page = c.get(urls.OrganizerWebhook(ep.ID))
	if !strings.Contains(page, "webhook.test") || !strings.Contains(page, "A test event was queued") {
		t.Fatalf("the log does not show the test event\n%s", excerpt(page))
	}
	_, listPage := c.get(urls.OrganizerWebhooks())
	if !strings.Contains(listPage, ep.URL) {
		t.Fatalf("the list does not show the endpoint\n%s", excerpt(listPage))
	}
}
