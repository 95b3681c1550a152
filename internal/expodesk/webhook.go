package expodesk

import (
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// WebhookEventType names what a webhook event tells a partner's system.
type WebhookEventType string

// The events partners subscribe to (A3), and the test event an organizer
// sends to one endpoint from its page.
const (
	EventParticipationApproved WebhookEventType = "participation.approved"
	EventSlotBooked            WebhookEventType = "slot.booked"
	EventBookingCancelled      WebhookEventType = "booking.cancelled"
	EventMeetingAccepted       WebhookEventType = "meeting.accepted"
	EventMeetingDeclined       WebhookEventType = "meeting.declined"
	EventDelegationConfirmed   WebhookEventType = "delegation.confirmed"
	EventWebhookTest           WebhookEventType = "webhook.test"
)

// WebhookEventTypes are the events an endpoint may choose, in the order the form lists them.
var WebhookEventTypes = []WebhookEventType{EventParticipationApproved, EventSlotBooked, EventBookingCancelled,
	EventMeetingAccepted, EventMeetingDeclined, EventDelegationConfirmed}

// Audit actions of webhook endpoints. Their entries never hold the secret.
const (
	ActionWebhookCreate    AuditAction = "webhook.create"
	ActionWebhookUpdate    AuditAction = "webhook.update"
	ActionWebhookDelete    AuditAction = "webhook.delete"
	ActionWebhookTest      AuditAction = "webhook.test"
	ActionWebhookRedeliver AuditAction = "webhook.redeliver"
)

// WebhookEndpoint is a partner's URL that receives the events it chose,
// signed with its secret.
type WebhookEndpoint struct {
	ID          int64
	URL         string
	Description string
	// Secret is "whsec_" + base64 of the signing key; shown once, never audited.
	Secret    string
	Events    []WebhookEventType
	Disabled  bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// WebhookEndpointInput is what the endpoint form sets.
type WebhookEndpointInput struct {
	URL         string
	Description string
	Events      []WebhookEventType
	Disabled    bool
}

// MaxWebhookURLLen bounds an endpoint's URL (the schema's check).
const MaxWebhookURLLen = 2000

// Validate checks an endpoint's input: an absolute http(s) URL with a host
// and no user name or password in it, at least one known event. Whether the
// host is one deliveries may reach is decided at delivery time, when it is
// resolved (a name may resolve elsewhere later).
func (in WebhookEndpointInput) Validate() error {
	p := Problems{}
	switch u, err := url.Parse(in.URL); {
	case in.URL == "":
		p.Add("url", "validation.required", nil)
	case len(in.URL) > MaxWebhookURLLen:
		p.Add("url", "validation.too_long", map[string]any{"Max": MaxWebhookURLLen})
	case err == nil && u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https":
		p.Add("url", "webhooks.url_scheme", nil)
	case err != nil || u.Host == "" || u.Hostname() == "" || u.Opaque != "" || u.Scheme == "":
		p.Add("url", "webhooks.url_invalid", nil)
	case u.User != nil:
		p.Add("url", "webhooks.url_userinfo", nil)
	case strings.ContainsAny(in.URL, " \t\r\n"):
		p.Add("url", "webhooks.url_invalid", nil)
	}
	if utf8.RuneCountInString(in.Description) > 200 {
		p.Add("description", "validation.too_long", map[string]any{"Max": 200})
	}
	if len(in.Events) == 0 {
		p.Add("events", "webhooks.events_required", nil)
	}
	for _, ev := range in.Events {
		if !slices.Contains(WebhookEventTypes, ev) {
			p.Add("events", "validation.choice", nil)
		}
	}
	return p.Err()
}

// Subscribes reports whether the endpoint receives events of type t.
func (e WebhookEndpoint) Subscribes(t WebhookEventType) bool {
	return !e.Disabled && slices.Contains(e.Events, t)
}

// CanManageWebhooks reports whether p may register, change and remove
// webhook endpoints and read their deliveries: expo-wide organizers only,
// since an endpoint receives events of every pavilion.
func CanManageWebhooks(p *Principal) bool { return p.IsExpoOrganizer() }

// WebhookEvent is one event in the outbox: its Standard Webhooks message id
// (the webhook-id header, the same on every try) and the exact body sent.
type WebhookEvent struct {
	ID        int64
	MessageID string
	Type      WebhookEventType
	Body      string
	CreatedAt time.Time
}

// WebhookDeliveryStatus is where one event's delivery to one endpoint stands.
type WebhookDeliveryStatus string

// Delivery statuses: pending until answered with a 2xx, or failed after the retry window.
const (
	DeliveryPending   WebhookDeliveryStatus = "pending"
	DeliveryDelivered WebhookDeliveryStatus = "delivered"
	DeliveryFailed    WebhookDeliveryStatus = "failed"
)

// WebhookRetryWindow is how long a delivery is retried before it is marked failed.
const WebhookRetryWindow = 24 * time.Hour

// WebhookDelivery is one event's delivery to one endpoint, with the outcome
// of its last try, as the delivery log shows it and the worker sends it.
type WebhookDelivery struct {
	ID             int64
	EventID        int64
	EndpointID     int64
	Status         WebhookDeliveryStatus
	Attempts       int
	NextTryAt      time.Time
	GiveUpAt       time.Time
	LastError      string
	LastStatusCode *int
	LastResponseMS *int
	LastAttemptAt  *time.Time
	DeliveredAt    *time.Time
	CreatedAt      time.Time
	// Of the event and the endpoint, for sending.
	MessageID string
	EventType WebhookEventType
	Body      string
	URL       string
	Secret    string
}

// WebhookAttempt is the outcome of one try of a delivery.
type WebhookAttempt struct {
	At time.Time
	// StatusCode is the receiver's answer (0: none, the request failed).
	StatusCode int
	Duration   time.Duration
	// Err says why the try failed ("" for a 2xx); shown in the delivery log.
	Err string
}

// OK reports whether the receiver took the event.
func (a WebhookAttempt) OK() bool { return a.Err == "" && a.StatusCode >= 200 && a.StatusCode < 300 }
