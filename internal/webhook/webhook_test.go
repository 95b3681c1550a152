package webhook

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"expodesk/internal/expodesk"
)

// receiver is an in-process partner: it verifies each delivery's
// signature with the secret, as the README tells partners to, and answers
// with the statuses it is given in turn (200 once they run out).
type receiver struct {
	t        *testing.T
	secret   string
	now      func() time.Time
	mu       sync.Mutex
	statuses []int
	got      []string // message ids verified
	bad      int      // deliveries whose signature did not verify
	delay    time.Duration
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if rc.delay > 0 {
		select {
		case <-time.After(rc.delay):
		case <-r.Context().Done():
			return
		}
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if err := Verify(rc.secret, r.Header, body, rc.now()); err != nil {
		rc.bad++
		http.Error(w, "bad signature", http.StatusBadRequest)
		return
	}
	rc.got = append(rc.got, r.Header.Get(HeaderID))
	status := http.StatusOK
	if len(rc.statuses) > 0 {
		status, rc.statuses = rc.statuses[0], rc.statuses[1:]
	}
	w.WriteHeader(status)
	io.WriteString(w, strings.Repeat("x", 100<<10)) // longer than what is read
}

// memOutbox is the worker's outbox in memory: deliveries due by next_try_at.
type memOutbox struct {
	mu   sync.Mutex
	rows []expodesk.WebhookDelivery
	log  []expodesk.WebhookAttempt
}

func (o *memOutbox) WebhookClaimDue(_ context.Context, limit int, now time.Time, lease time.Duration) ([]expodesk.WebhookDelivery, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []expodesk.WebhookDelivery
	for i := range o.rows {
		d := &o.rows[i]
		if d.Status == expodesk.DeliveryPending && !d.NextTryAt.After(now) && len(out) < limit {
			d.NextTryAt = now.Add(lease)
			out = append(out, *d)
		}
	}
	return out, nil
}

func (o *memOutbox) WebhookRecordAttempt(_ context.Context, id int64, a expodesk.WebhookAttempt, next *time.Time) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.log = append(o.log, a)
	for i := range o.rows {
		d := &o.rows[i]
		if d.ID != id {
			continue
		}
		d.Attempts++
		d.LastError = a.Err
		switch {
		case a.OK():
			d.Status = expodesk.DeliveryDelivered
		case next != nil:
			d.NextTryAt = *next
		default:
			d.Status = expodesk.DeliveryFailed
		}
	}
	return nil
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time           { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration)      { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func newClock() *clock                    { return &clock{t: time.Date(2027, 5, 11, 9, 0, 0, 0, time.UTC)} }
func exact(d time.Duration) time.Duration { return d }

var quiet = slog.New(slog.DiscardHandler)

func newSecret(t *testing.T) string {
	t.Helper()
	s, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func delivery(url, secret string, now time.Time) expodesk.WebhookDelivery {
	return expodesk.WebhookDelivery{ID: 1, Status: expodesk.DeliveryPending, NextTryAt: now,
		GiveUpAt: now.Add(expodesk.WebhookRetryWindow), MessageID: "msg_testtesttesttest01", EventType: expodesk.EventSlotBooked,
		Body: `{"type":"slot.booked","timestamp":"2027-05-11T09:00:00Z","data":{"booking_id":7}}`, URL: url, Secret: secret}
}

func TestSignVerify(t *testing.T) {
	secret := newSecret(t)
	if !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("secret %q does not start with whsec_", secret)
	}
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"type":"webhook.test"}`)
	sig, err := Sign(secret, "msg_1", now, body)
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	h.Set(HeaderID, "msg_1")
	h.Set(HeaderTimestamp, "1800000000")
	h.Set(HeaderSignature, "v1,bm90IGl0 "+sig) // a rotated-out signature beside the right one
	if err := Verify(secret, h, body, now.Add(time.Minute)); err != nil {
		t.Fatalf("a genuine delivery fails verification: %v", err)
	}
	// The Standard Webhooks specification's own example.
	spec := http.Header{}
	spec.Set(HeaderID, "msg_p5jXN8AQM9LWM0D4loKWxJek")
	spec.Set(HeaderTimestamp, "1614265330")
	spec.Set(HeaderSignature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
	if err := Verify("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", spec, []byte(`{"test": 2432232314}`), time.Unix(1614265330, 0)); err != nil {
		t.Fatalf("the specification's example does not verify: %v", err)
	}

	cases := []struct {
		name   string
		mutate func(h http.Header, body []byte) []byte
		now    time.Time
		want   error
	}{
		{"TamperedBody", func(_ http.Header, b []byte) []byte { return append([]byte{}, append(b, ' ')...) }, now, ErrSignature},
		{"OtherID", func(h http.Header, b []byte) []byte { h.Set(HeaderID, "msg_2"); return b }, now, ErrSignature},
		{"TamperedTimestamp", func(h http.Header, b []byte) []byte { h.Set(HeaderTimestamp, "1800000001"); return b }, now, ErrSignature},
		{"Replayed", func(_ http.Header, b []byte) []byte { return b }, now.Add(6 * time.Minute), ErrTimestamp},
		{"FromTheFuture", func(_ http.Header, b []byte) []byte { return b }, now.Add(-6 * time.Minute), ErrTimestamp},
		{"NoSignature", func(h http.Header, b []byte) []byte { h.Del(HeaderSignature); return b }, now, ErrMissingHeaders},
		{"OtherVersion", func(h http.Header, b []byte) []byte {
			h.Set(HeaderSignature, "v2,"+strings.TrimPrefix(sig, "v1,"))
			return b
		}, now, ErrSignature},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			h.Set(HeaderID, "msg_1")
			h.Set(HeaderTimestamp, "1800000000")
			h.Set(HeaderSignature, sig)
			b := tc.mutate(h, append([]byte{}, body...))
			if err := Verify(secret, h, b, tc.now); !errors.Is(err, tc.want) {
				t.Fatalf("Verify = %v, want %v", err, tc.want)
			}
		})
	}
	t.Run("OtherSecret", func(t *testing.T) {
		if err := Verify(newSecret(t), h, body, now); !errors.Is(err, ErrSignature) {
			t.Fatalf("Verify with another secret = %v", err)
		}
	})
}

func TestForbidden(t *testing.T) {
	for _, a := range []string{"127.0.0.1", "127.5.5.5", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
		"169.254.1.1", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1",
		"fd00:ec2::254", "ff02::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "::127.0.0.1",
		"64:ff9b::a00:1", "2002:7f00:1::1", "198.18.0.1"} {
		if !Forbidden(netip.MustParseAddr(a)) {
			t.Errorf("%s is allowed", a)
		}
	}
	for _, a := range []string{"93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"} {
		if Forbidden(netip.MustParseAddr(a)) {
			t.Errorf("%s is refused", a)
		}
	}
}

// fakeResolver answers every name with its addresses (a name that
// resolves to a private address, or to several).
type fakeResolver []netip.Addr

func (f fakeResolver) LookupNetIP(context.Context, string, string) ([]netip.Addr, error) {
	return f, nil
}

// TestClientRefuses sends to forbidden places through the real client,
// without AllowPrivate: each is refused before anything is sent, and the
// in-process receiver (on loopback) never hears of it.
func TestClientRefuses(t *testing.T) {
	rc := &receiver{t: t, secret: newSecret(t), now: time.Now}
	ts := httptest.NewServer(rc)
	defer ts.Close()
	port := ts.URL[strings.LastIndex(ts.URL, ":")+1:]
	cases := []struct {
		name, url string
		resolver  Resolver
	}{
		{"Loopback", "http://127.0.0.1:" + port + "/", nil},
		{"Metadata", "http://169.254.169.254/latest/meta-data/", nil},
		{"Private", "http://10.0.0.1/", nil},
		{"IPv6Loopback", "http://[::1]:" + port + "/", nil},
		{"IPv4MappedIPv6", "http://[::ffff:127.0.0.1]:" + port + "/", nil},
		{"Unspecified", "http://0.0.0.0:" + port + "/", nil},
		{"NameResolvingPrivate", "http://partner.example.org:" + port + "/", fakeResolver{netip.MustParseAddr("127.0.0.1")}},
		{"NameResolvingPublicAndPrivate", "http://partner.example.org:" + port + "/",
			fakeResolver{netip.MustParseAddr("93.184.216.34"), netip.MustParseAddr("192.168.0.10")}},
		{"NotHTTP", "file:///etc/passwd", nil},
		{"Gopher", "gopher://127.0.0.1:" + port + "/", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := NewWorker(&memOutbox{}, NewClient(ClientConfig{Timeout: 2 * time.Second, Resolver: tc.resolver}), quiet, time.Now)
			a := w.Send(context.Background(), delivery(tc.url, rc.secret, time.Now()))
			if a.OK() || !strings.HasPrefix(a.Err, "refused") {
				t.Fatalf("%s: attempt %+v, want refused", tc.url, a)
			}
		})
	}
	if len(rc.got)+rc.bad != 0 {
		t.Fatalf("the receiver was reached %d times", len(rc.got)+rc.bad)
	}

	t.Run("DialControlChecksTheConnectedAddress", func(t *testing.T) {
		// Whatever a name resolved to, the address dialled is checked again.
		ctl := control(func(ip netip.Addr) error {
			if Forbidden(ip) {
				return ErrForbiddenAddress
			}
			return nil
		})
		if err := ctl("tcp4", "127.0.0.1:80", nil); !errors.Is(err, ErrForbiddenAddress) {
			t.Fatalf("control(127.0.0.1) = %v", err)
		}
		if err := ctl("tcp6", "[::ffff:169.254.169.254]:80", nil); !errors.Is(err, ErrForbiddenAddress) {
			t.Fatalf("control(mapped metadata) = %v", err)
		}
		if err := ctl("tcp4", "93.184.216.34:443", nil); err != nil {
			t.Fatalf("control(public) = %v", err)
		}
	})

	t.Run("RedirectNotFollowed", func(t *testing.T) {
		// A receiver allowed (private addresses on, as in tests) that sends
		// the delivery on to the metadata address: the 3xx is the outcome.
		hits := 0
		target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits++ }))
		defer target.Close()
		redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target.URL+"/latest/meta-data/", http.StatusTemporaryRedirect)
		}))
		defer redirect.Close()
		w := NewWorker(&memOutbox{}, NewClient(ClientConfig{AllowPrivate: true}), quiet, time.Now)
		a := w.Send(context.Background(), delivery(redirect.URL, rc.secret, time.Now()))
		if a.OK() || a.StatusCode != http.StatusTemporaryRedirect || !strings.Contains(a.Err, "not followed") || hits != 0 {
			t.Fatalf("attempt %+v, target hit %d times", a, hits)
		}
	})
}

// TestWorkerRetries: a receiver that fails twice (503, 500) and then takes
// the event. Each failure is retried after its backoff on the worker's
// clock, which the test moves: nothing sleeps for real.
func TestWorkerRetries(t *testing.T) {
	clk := newClock()
	rc := &receiver{t: t, secret: newSecret(t), now: clk.Now, statuses: []int{503, 500}}
	ts := httptest.NewServer(rc)
	defer ts.Close()
	out := &memOutbox{rows: []expodesk.WebhookDelivery{delivery(ts.URL, rc.secret, clk.Now())}}
	w := NewWorker(out, NewClient(ClientConfig{AllowPrivate: true}), quiet, clk.Now)
	w.Jitter = exact
	ctx := context.Background()
	round := func() int {
		n, err := w.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if round() != 1 || out.rows[0].Attempts != 1 || !strings.HasPrefix(out.rows[0].LastError, "HTTP 503") {
		t.Fatalf("after the first try: %+v", out.rows[0])
	}
	if len(out.rows[0].LastError) > 300 {
		t.Fatalf("the error keeps %d bytes of the answer", len(out.rows[0].LastError))
	}
	if got := out.rows[0].NextTryAt.Sub(clk.Now()); got != 30*time.Second {
		t.Fatalf("first retry after %s, want 30s", got)
	}
	clk.Add(29 * time.Second)
	if round() != 0 {
		t.Fatal("retried before its backoff")
	}
	clk.Add(time.Second)
	if round() != 1 || out.rows[0].Attempts != 2 {
		t.Fatalf("after the second try: %+v", out.rows[0])
	}
	if got := out.rows[0].NextTryAt.Sub(clk.Now()); got != time.Minute {
		t.Fatalf("second retry after %s, want 1m (doubled)", got)
	}
	clk.Add(time.Minute)
	if round() != 1 || out.rows[0].Status != expodesk.DeliveryDelivered || out.rows[0].Attempts != 3 {
		t.Fatalf("after the third try: %+v", out.rows[0])
	}
	if len(rc.got) != 3 || rc.bad != 0 || rc.got[0] != rc.got[2] {
		t.Fatalf("receiver verified %v (%d bad): every try carries the same webhook-id", rc.got, rc.bad)
	}
}

func TestWorkerGivesUpAfterADay(t *testing.T) {
	clk := newClock()
	rc := &receiver{t: t, secret: newSecret(t), now: clk.Now, statuses: make([]int, 1000)}
	for i := range rc.statuses {
		rc.statuses[i] = 502
	}
	ts := httptest.NewServer(rc)
	defer ts.Close()
	out := &memOutbox{rows: []expodesk.WebhookDelivery{delivery(ts.URL, rc.secret, clk.Now())}}
	w := NewWorker(out, NewClient(ClientConfig{AllowPrivate: true}), quiet, clk.Now)
	w.Jitter = exact
	for i := 0; i < 100 && out.rows[0].Status == expodesk.DeliveryPending; i++ {
		if _, err := w.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		clk.t = out.rows[0].NextTryAt
	}
	d := out.rows[0]
	if d.Status != expodesk.DeliveryFailed || d.Attempts < 15 || d.Attempts > 25 {
		t.Fatalf("after a day: status %s after %d attempts", d.Status, d.Attempts)
	}
	if elapsed := clk.Now().Sub(time.Date(2027, 5, 11, 9, 0, 0, 0, time.UTC)); elapsed > 24*time.Hour {
		t.Fatalf("tried for %s", elapsed)
	}
}

func TestJitterSpreadsRetries(t *testing.T) {
	w := NewWorker(&memOutbox{}, nil, quiet, nil)
	seen := map[time.Duration]bool{}
	for range 50 {
		d := w.Jitter(time.Minute)
		if d < 30*time.Second || d > time.Minute {
			t.Fatalf("jitter of 1m gave %s", d)
		}
		seen[d] = true
	}
	if len(seen) < 10 {
		t.Fatalf("jitter gave only %d distinct delays", len(seen))
	}
}

// TestWorkerTimeout: a receiver slower than the timeout is a failed try
// with "timed out" and its time recorded, retried later.
func TestWorkerTimeout(t *testing.T) {
	clk := newClock()
	rc := &receiver{t: t, secret: newSecret(t), now: clk.Now, delay: 5 * time.Second}
	ts := httptest.NewServer(rc)
	defer ts.Close()
	out := &memOutbox{rows: []expodesk.WebhookDelivery{delivery(ts.URL, rc.secret, clk.Now())}}
	w := NewWorker(out, NewClient(ClientConfig{AllowPrivate: true, Timeout: 300 * time.Millisecond}), quiet, clk.Now)
	w.Timeout = 300 * time.Millisecond
	start := time.Now()
	if _, err := w.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("the round took %s", took)
	}
	d, a := out.rows[0], out.log[0]
	if d.Status != expodesk.DeliveryPending || d.Attempts != 1 || !strings.Contains(d.LastError, "timed out") {
		t.Fatalf("after a slow answer: %+v", d)
	}
	if a.Duration < 250*time.Millisecond || a.StatusCode != 0 {
		t.Fatalf("attempt %+v: the response time is not recorded", a)
	}
}
