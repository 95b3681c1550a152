package server

import (
	"net/http"
	"net/url"

	"github.com/a-h/templ"

	"expodesk/internal/expodesk"
	"expodesk/internal/urls"
	"expodesk/web"
)

// The organizer's webhook pages (A3): endpoints registered, changed and
// removed, each with its delivery log, a test event and a manual
// redelivery. Expo-wide organizers only (the route rule and the service).

// The one-time messages of the webhook pages.
const (
	flashWebhookSaved       flashKey = "webhooks.saved"
	flashWebhookDeleted     flashKey = "webhooks.deleted"
	flashWebhookTestQueued  flashKey = "webhooks.test_queued"
	flashWebhookRedelivered flashKey = "webhooks.redelivered"
)

// webhookLogSize is how many of an endpoint's latest deliveries its page shows.
const webhookLogSize = 50

// webhookURLID reads a numeric URL parameter; anything else is not found.
func webhookURLID(r *http.Request, name string) (int64, error) {
	if id := urlID(r, name); id != 0 {
		return id, nil
	}
	return 0, expodesk.ErrNotFound
}

// readWebhook reads the endpoint form.
func readWebhook(f *form) expodesk.WebhookEndpointInput {
	allowed := make([]string, 0, len(expodesk.WebhookEventTypes))
	for _, ev := range expodesk.WebhookEventTypes {
		allowed = append(allowed, string(ev))
	}
	in := expodesk.WebhookEndpointInput{URL: f.text("url", expodesk.MaxWebhookURLLen, true),
		Description: f.text("description", 200, false), Disabled: f.boolean("disabled")}
	for _, ev := range f.choices("events", allowed) {
		in.Events = append(in.Events, expodesk.WebhookEventType(ev))
	}
	return in
}

func webhookValues(e expodesk.WebhookEndpoint) url.Values {
	v := url.Values{"url": {e.URL}, "description": {e.Description}}
	for _, ev := range e.Events {
		v.Add("events", string(ev))
	}
	if e.Disabled {
		v.Set("disabled", "1")
	}
	return v
}

func (s *Server) webhooks(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.WebhookEndpoints(r.Context(), s.caller(r))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := web.WebhooksView{Flash: s.popFlash(r)}
	for _, e := range list {
		v.Endpoints = append(v.Endpoints, web.WebhookItem{Endpoint: e.WebhookEndpoint, Pending: e.Pending, Failed: e.Failed})
	}
	s.render(w, r, http.StatusOK, web.WebhooksPage(web.Page{Title: web.T(r.Context(), "webhooks.title")}, v))
}

func (s *Server) webhookPage(r *http.Request, v web.WebhookFormView) templ.Component {
	title := web.T(r.Context(), "webhooks.new")
	if v.Endpoint != nil {
		title = web.T(r.Context(), "webhooks.endpoint")
	}
	return web.WebhookFormPage(web.Page{Title: title}, v)
}

func (s *Server) webhookNew(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, s.webhookPage(r, web.WebhookFormView{Form: web.FormState{Values: url.Values{}}}))
}

// webhookCreate registers an endpoint and shows its secret on the page it
// answers with (200, not a redirect): the secret is shown this once and
// never kept in a session or a flash.
func (s *Server) webhookCreate(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	in := readWebhook(f)
	var out expodesk.WebhookEndpoint
	if f.err() == nil {
		out, err = s.svc.CreateWebhookEndpoint(r.Context(), s.caller(r), in)
		if err == nil {
			s.render(w, r, http.StatusOK, s.webhookPage(r, web.WebhookFormView{Endpoint: &out, Secret: out.Secret,
				Form: web.FormState{Values: webhookValues(out)}}))
			return
		}
	}
	s.finish(w, r, submission{f: f, err: err,
		page: func(fs web.FormState) (templ.Component, error) {
			return s.webhookPage(r, web.WebhookFormView{Form: fs}), nil
		}})
}

// urlWebhook is the endpoint the URL names with its delivery log.
func (s *Server) urlWebhook(r *http.Request) (expodesk.WebhookEndpoint, []expodesk.WebhookDelivery, error) {
	id, err := webhookURLID(r, "endpoint")
	if err != nil {
		return expodesk.WebhookEndpoint{}, nil, err
	}
	return s.svc.WebhookEndpoint(r.Context(), s.caller(r), id, webhookLogSize)
}

func (s *Server) webhookEdit(w http.ResponseWriter, r *http.Request) {
	e, log, err := s.urlWebhook(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, s.webhookPage(r, web.WebhookFormView{Endpoint: &e, Deliveries: log,
		Form: web.FormState{Values: webhookValues(e)}, Flash: s.popFlash(r)}))
}

func (s *Server) webhookUpdate(w http.ResponseWriter, r *http.Request) {
	e, log, f, ok := loadedForm2(s, w, r, s.urlWebhook)
	if !ok {
		return
	}
	in := readWebhook(f)
	var err error
	if f.err() == nil {
		_, err = s.svc.UpdateWebhookEndpoint(r.Context(), s.caller(r), e.ID, in)
	}
	s.finish(w, r, submission{f: f, err: err, done: urls.OrganizerWebhook(e.ID), flash: flashWebhookSaved,
		page: func(fs web.FormState) (templ.Component, error) {
			return s.webhookPage(r, web.WebhookFormView{Endpoint: &e, Deliveries: log, Form: fs}), nil
		}})
}

// webhookAction runs one of the endpoint's buttons (delete, test) and goes
// where it says with its message.
func (s *Server) webhookAction(w http.ResponseWriter, r *http.Request, run func(id int64) error, done func(id int64) string, msg flashKey) {
	id, err := webhookURLID(r, "endpoint")
	if err == nil {
		err = run(id)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(r.Context(), msg)
	http.Redirect(w, r, done(id), http.StatusSeeOther)
}

func (s *Server) webhookDelete(w http.ResponseWriter, r *http.Request) {
	s.webhookAction(w, r, func(id int64) error { return s.svc.DeleteWebhookEndpoint(r.Context(), s.caller(r), id) },
		func(int64) string { return urls.OrganizerWebhooks() }, flashWebhookDeleted)
}

func (s *Server) webhookTest(w http.ResponseWriter, r *http.Request) {
	s.webhookAction(w, r, func(id int64) error { return s.svc.SendTestWebhook(r.Context(), s.caller(r), id) },
		urls.OrganizerWebhook, flashWebhookTestQueued)
}

func (s *Server) webhookRedeliver(w http.ResponseWriter, r *http.Request) {
	s.webhookAction(w, r, func(id int64) error {
		delivery, err := webhookURLID(r, "delivery")
		if err != nil {
			return err
		}
		return s.svc.RedeliverWebhook(r.Context(), s.caller(r), id, delivery)
	}, urls.OrganizerWebhook, flashWebhookRedelivered)
}
