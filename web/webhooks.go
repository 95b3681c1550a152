package web

import (
	"strconv"

	"expodesk/internal/expodesk"
)

// WebhooksView is the list of webhook endpoints.
type WebhooksView struct {
	Endpoints []WebhookItem
	Flash     string
}

// WebhookItem is an endpoint with how many of its deliveries wait and failed.
type WebhookItem struct {
	Endpoint        expodesk.WebhookEndpoint
	Pending, Failed int
}

// WebhookFormView is the form of a new endpoint or of one registered, with
// its delivery log; Secret is set once, on the page right after creation.
type WebhookFormView struct {
	Endpoint   *expodesk.WebhookEndpoint
	Form       FormState
	Deliveries []expodesk.WebhookDelivery
	Secret     string
	Flash      string
}

// webhookEventKey is the catalog key of an event type's name.
func webhookEventKey(t expodesk.WebhookEventType) string { return "webhooks.event." + string(t) }

// webhookEventTypes are the events the form offers.
func webhookEventTypes() []expodesk.WebhookEventType { return expodesk.WebhookEventTypes }

// deliveryStatusKey is the catalog key of a delivery's status.
func deliveryStatusKey(s expodesk.WebhookDeliveryStatus) string {
	return "webhooks.status." + string(s)
}

func optInt(p *int) string {
	if p == nil {
		return "–"
	}
	return strconv.Itoa(*p)
}
