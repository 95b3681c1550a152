package service

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/postgres"
	"expodesk/internal/webhook"
)

// Webhooks (A3). Events are derived in one place, publish, from the audit
// entry of the change: every operation that records one of the actions in
// eventSources queues the event in the same transaction, so no write path
// can record a change and forget to tell partners, and a change rolled back
// leaves no event behind.

// eventSource derives the event an audited change causes: its type and data,
// or ok false when this change causes none (a participation withdrawn, a
// meeting proposed another time).
type eventSource func(ctx context.Context, t *tx, action expodesk.AuditAction, id int64) (ev expodesk.WebhookEventType, data any, ok bool, err error)

// eventSources are the audit actions that may cause a webhook event. A
// booking moved by an organizer (booking.move) sends none: it is neither
// of the events partners chose.
var eventSources = map[expodesk.AuditAction]eventSource{
	expodesk.ActionParticipationStatus:    participationEvent,
	expodesk.ActionParticipationCreate:    participationEvent, // registered approved at once
	expodesk.ActionBookingCreate:          bookingEvent(expodesk.EventSlotBooked, ""),
	expodesk.ActionWaitlistPromote:        bookingEvent(expodesk.EventSlotBooked, ""),
	expodesk.ActionWaitlistAccept:         bookingEvent(expodesk.EventSlotBooked, ""),
	expodesk.ActionBookingCancel:          bookingEvent(expodesk.EventBookingCancelled, "exhibitor"),
	expodesk.ActionBookingOrganizerCancel: bookingEvent(expodesk.EventBookingCancelled, "organizer"),
	expodesk.ActionMeetingAnswer:          meetingEvent,
	expodesk.ActionMeetingProposal:        meetingEvent,
	expodesk.ActionDelegationStatus:       delegationEvent,
}

// eventTypesOf lists, per action, the types its source may give, so that
// publish reads nothing when no endpoint takes any of them.
var eventTypesOf = map[expodesk.AuditAction][]expodesk.WebhookEventType{
	expodesk.ActionParticipationStatus:    {expodesk.EventParticipationApproved},
	expodesk.ActionParticipationCreate:    {expodesk.EventParticipationApproved},
	expodesk.ActionBookingCreate:          {expodesk.EventSlotBooked},
	expodesk.ActionWaitlistPromote:        {expodesk.EventSlotBooked},
	expodesk.ActionWaitlistAccept:         {expodesk.EventSlotBooked},
	expodesk.ActionBookingCancel:          {expodesk.EventBookingCancelled},
	expodesk.ActionBookingOrganizerCancel: {expodesk.EventBookingCancelled},
	expodesk.ActionMeetingAnswer:          {expodesk.EventMeetingAccepted, expodesk.EventMeetingDeclined},
	expodesk.ActionMeetingProposal:        {expodesk.EventMeetingAccepted, expodesk.EventMeetingDeclined},
	expodesk.ActionDelegationStatus:       {expodesk.EventDelegationConfirmed},
}

func participationEvent(ctx context.Context, t *tx, _ expodesk.AuditAction, id int64) (expodesk.WebhookEventType, any, bool, error) {
	d, status, err := t.WebhookParticipationData(ctx, id)
	return expodesk.EventParticipationApproved, d, err == nil && status == expodesk.StatusApproved, err
}

func bookingEvent(ev expodesk.WebhookEventType, by string) eventSource {
	return func(ctx context.Context, t *tx, _ expodesk.AuditAction, id int64) (expodesk.WebhookEventType, any, bool, error) {
		d, err := t.WebhookBookingData(ctx, id)
		d.CancelledBy = by
		return ev, d, err == nil, err
	}
}

func meetingEvent(ctx context.Context, t *tx, _ expodesk.AuditAction, id int64) (expodesk.WebhookEventType, any, bool, error) {
	d, err := t.WebhookMeetingData(ctx, id)
	switch expodesk.MeetingStatus(d.Status) {
	case expodesk.MeetingAccepted:
		return expodesk.EventMeetingAccepted, d, err == nil, err
	case expodesk.MeetingDeclined:
		return expodesk.EventMeetingDeclined, d, err == nil, err
	}
	return "", nil, false, err
}

func delegationEvent(ctx context.Context, t *tx, _ expodesk.AuditAction, id int64) (expodesk.WebhookEventType, any, bool, error) {
	d, status, err := t.WebhookDelegationData(ctx, id)
	return expodesk.EventDelegationConfirmed, d, err == nil && status == expodesk.DelegationConfirmed, err
}

// envelope is the body of every webhook: its type, when it happened, and
// the event's data (one of the expodesk.Webhook*Data types).
type envelope struct {
	Type      expodesk.WebhookEventType `json:"type"`
	Timestamp time.Time                 `json:"timestamp"`
	Data      any                       `json:"data"`
}

// publish queues the webhook event the audited change causes, if any
// endpoint takes it, in the change's transaction (see eventSources).
func (t *tx) publish(ctx context.Context, action expodesk.AuditAction, objectID int64) error {
	src, ok := eventSources[action]
	if !ok || objectID == 0 {
		return nil
	}
	wanted := false
	for _, ev := range eventTypesOf[action] {
		sub, err := t.WebhookSubscribed(ctx, ev)
		if err != nil {
			return err
		}
		wanted = wanted || sub
	}
	if !wanted {
		return nil
	}
	ev, data, ok, err := src(ctx, t, action, objectID)
	if err != nil {
		return fmt.Errorf("webhook event of %s %d: %w", action, objectID, err)
	}
	if !ok {
		return nil
	}
	_, err = t.queueEvent(ctx, ev, data, 0)
	return err
}

// queueEvent writes one event to the outbox, for its subscribers or only
// for endpoint only, and returns how many deliveries it queued.
func (t *tx) queueEvent(ctx context.Context, ev expodesk.WebhookEventType, data any, only int64) (int, error) {
	body, err := json.Marshal(envelope{Type: ev, Timestamp: t.svc.now().UTC(), Data: data})
	if err != nil {
		return 0, err
	}
	id, err := newMessageID()
	if err != nil {
		return 0, err
	}
	return t.WebhookEventAdd(ctx, expodesk.WebhookEvent{MessageID: id, Type: ev, Body: string(body)}, only)
}

// newMessageID is a Standard Webhooks message id: "msg_" and 128 random bits.
func newMessageID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "msg_" + base64.RawURLEncoding.EncodeToString(b), nil
}

// webhookAudit is what the audit log records of an endpoint: never its secret.
func webhookAudit(e expodesk.WebhookEndpoint) map[string]any {
	return map[string]any{"url": e.URL, "description": e.Description, "events": e.Events, "disabled": e.Disabled}
}

// mayManageWebhooks refuses visitors, exhibitors and pavilion coordinators.
func (s *Service) mayManageWebhooks(ctx context.Context, c Caller, id int64) error {
	if c.Principal == nil {
		return expodesk.Errorf(expodesk.EUNAUTHORIZED, "error.unauthorized")
	}
	if !expodesk.CanManageWebhooks(c.Principal) {
		return s.refuse(ctx, c, "webhook_endpoint", id, expodesk.ErrForbidden)
	}
	return nil
}

// WebhookEndpoints lists the endpoints with their waiting and failed deliveries.
func (s *Service) WebhookEndpoints(ctx context.Context, c Caller) ([]postgres.WebhookEndpointSummary, error) {
	if err := s.mayManageWebhooks(ctx, c, 0); err != nil {
		return nil, err
	}
	return s.store.WebhookEndpointList(ctx)
}

// WebhookEndpoint returns endpoint id and its latest deliveries, newest first.
func (s *Service) WebhookEndpoint(ctx context.Context, c Caller, id int64, deliveries int) (expodesk.WebhookEndpoint, []expodesk.WebhookDelivery, error) {
	if err := s.mayManageWebhooks(ctx, c, id); err != nil {
		return expodesk.WebhookEndpoint{}, nil, err
	}
	e, err := s.store.WebhookEndpointGet(ctx, id, false)
	if err != nil {
		return e, nil, err
	}
	list, err := s.store.WebhookDeliveries(ctx, id, deliveries)
	return e, list, err
}

func cleanWebhookInput(in expodesk.WebhookEndpointInput) expodesk.WebhookEndpointInput {
	in.URL = strings.TrimSpace(in.URL)
	in.Description = strings.TrimSpace(in.Description)
	return in
}

// CreateWebhookEndpoint registers an endpoint with a new secret, which the
// returned endpoint holds: the caller shows it once.
func (s *Service) CreateWebhookEndpoint(ctx context.Context, c Caller, in expodesk.WebhookEndpointInput) (expodesk.WebhookEndpoint, error) {
	if err := s.mayManageWebhooks(ctx, c, 0); err != nil {
		return expodesk.WebhookEndpoint{}, err
	}
	in = cleanWebhookInput(in)
	if err := in.Validate(); err != nil {
		return expodesk.WebhookEndpoint{}, err
	}
	secret, err := webhook.NewSecret()
	if err != nil {
		return expodesk.WebhookEndpoint{}, err
	}
	var out expodesk.WebhookEndpoint
	err = s.write(ctx, c, func(t *tx) error {
		var err error
		if out, err = t.WebhookEndpointCreate(ctx, in, secret, &c.Principal.UserID); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionWebhookCreate, "webhook_endpoint", out.ID, scope{}, nil, webhookAudit(out))
	})
	return out, err
}

// UpdateWebhookEndpoint changes an endpoint's URL, description, events and
// whether it is disabled; the secret stays.
func (s *Service) UpdateWebhookEndpoint(ctx context.Context, c Caller, id int64, in expodesk.WebhookEndpointInput) (expodesk.WebhookEndpoint, error) {
	if err := s.mayManageWebhooks(ctx, c, id); err != nil {
		return expodesk.WebhookEndpoint{}, err
	}
	in = cleanWebhookInput(in)
	if err := in.Validate(); err != nil {
		return expodesk.WebhookEndpoint{}, err
	}
	var out expodesk.WebhookEndpoint
	err := s.write(ctx, c, func(t *tx) error {
		before, err := t.WebhookEndpointGet(ctx, id, true)
		if err != nil {
			return err
		}
		if out, err = t.WebhookEndpointUpdate(ctx, id, in); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionWebhookUpdate, "webhook_endpoint", id, scope{}, webhookAudit(before), webhookAudit(out))
	})
	return out, err
}

// DeleteWebhookEndpoint removes an endpoint and its delivery log.
func (s *Service) DeleteWebhookEndpoint(ctx context.Context, c Caller, id int64) error {
	if err := s.mayManageWebhooks(ctx, c, id); err != nil {
		return err
	}
	return s.write(ctx, c, func(t *tx) error {
		before, err := t.WebhookEndpointGet(ctx, id, true)
		if err != nil {
			return err
		}
		if err := t.WebhookEndpointDelete(ctx, id); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionWebhookDelete, "webhook_endpoint", id, scope{}, webhookAudit(before), nil)
	})
}

// SendTestWebhook queues a webhook.test event for endpoint id only, even
// when it is disabled (it is sent once it is enabled).
func (s *Service) SendTestWebhook(ctx context.Context, c Caller, id int64) error {
	if err := s.mayManageWebhooks(ctx, c, id); err != nil {
		return err
	}
	return s.write(ctx, c, func(t *tx) error {
		e, err := t.WebhookEndpointGet(ctx, id, true)
		if err != nil {
			return err
		}
		if _, err := t.queueEvent(ctx, expodesk.EventWebhookTest, expodesk.WebhookTestData{EndpointID: e.ID,
			Note: "A test event sent from expodesk's webhook page."}, e.ID); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionWebhookTest, "webhook_endpoint", id, scope{}, nil, nil)
	})
}

// RedeliverWebhook sends delivery of endpoint endpointID again, now, with a
// new day of retries; another endpoint's delivery is not found.
func (s *Service) RedeliverWebhook(ctx context.Context, c Caller, endpointID, delivery int64) error {
	if err := s.mayManageWebhooks(ctx, c, endpointID); err != nil {
		return err
	}
	return s.write(ctx, c, func(t *tx) error {
		d, err := t.WebhookDeliveryGet(ctx, endpointID, delivery)
		if errors.Is(err, expodesk.ErrNotFound) {
			return expodesk.ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := t.WebhookRedeliver(ctx, d.ID); err != nil {
			return err
		}
		return t.audit(ctx, expodesk.ActionWebhookRedeliver, "webhook_endpoint", endpointID, scope{},
			map[string]any{"delivery_id": d.ID, "status": d.Status, "attempts": d.Attempts}, map[string]any{"message_id": d.MessageID})
	})
}
