package postgres

import (
	"context"
	"time"

	"expodesk/internal/expodesk"
)

// Webhooks (A3): endpoints, the outbox of events, and their deliveries.

const webhookEndpointColumns = `id, url, description, secret, events, disabled, created_at, updated_at`

type webhookEndpointRow struct {
	ID          int64
	URL         string
	Description string
	Secret      string
	Events      []string
	Disabled    bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (r webhookEndpointRow) endpoint() expodesk.WebhookEndpoint {
	e := expodesk.WebhookEndpoint{ID: r.ID, URL: r.URL, Description: r.Description, Secret: r.Secret,
		Disabled: r.Disabled, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	for _, ev := range r.Events {
		e.Events = append(e.Events, expodesk.WebhookEventType(ev))
	}
	return e
}

func eventNames(evs []expodesk.WebhookEventType) []string {
	out := make([]string, 0, len(evs))
	for _, ev := range evs {
		out = append(out, string(ev))
	}
	return out
}

func oneEndpoint(ctx context.Context, db Querier, what, sql string, args ...any) (expodesk.WebhookEndpoint, error) {
	r, err := one[webhookEndpointRow](ctx, db, what, sql, args...)
	return r.endpoint(), err
}

// WebhookEndpointCreate registers an endpoint with its secret.
func (s *Store) WebhookEndpointCreate(ctx context.Context, in expodesk.WebhookEndpointInput, secret string, by *int64) (expodesk.WebhookEndpoint, error) {
	now := s.now()
	return oneEndpoint(ctx, s.db, "create webhook endpoint",
		`INSERT INTO webhook_endpoint (url, description, secret, events, disabled, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING `+webhookEndpointColumns,
		in.URL, in.Description, secret, eventNames(in.Events), in.Disabled, by, now)
}

// WebhookEndpointUpdate replaces an endpoint's URL, description, events and
// whether it is disabled; its secret stays.
func (s *Store) WebhookEndpointUpdate(ctx context.Context, id int64, in expodesk.WebhookEndpointInput) (expodesk.WebhookEndpoint, error) {
	return oneEndpoint(ctx, s.db, "update webhook endpoint",
		`UPDATE webhook_endpoint SET url = $2, description = $3, events = $4, disabled = $5, updated_at = $6
		WHERE id = $1 RETURNING `+webhookEndpointColumns,
		id, in.URL, in.Description, eventNames(in.Events), in.Disabled, s.now())
}

// WebhookEndpointGet returns one endpoint (locked until the transaction ends when forUpdate).
func (s *Store) WebhookEndpointGet(ctx context.Context, id int64, forUpdate bool) (expodesk.WebhookEndpoint, error) {
	lock := ""
	if forUpdate {
		lock = " FOR UPDATE"
	}
	return oneEndpoint(ctx, s.db, "get webhook endpoint",
		`SELECT `+webhookEndpointColumns+` FROM webhook_endpoint WHERE id = $1`+lock, id)
}

// WebhookEndpointDelete removes an endpoint and its deliveries.
func (s *Store) WebhookEndpointDelete(ctx context.Context, id int64) error {
	tag, err := s.db.Exec(ctx, `DELETE FROM webhook_endpoint WHERE id = $1`, id)
	if err != nil {
		return translate(err, "delete webhook endpoint")
	}
	if tag.RowsAffected() == 0 {
		return expodesk.ErrNotFound
	}
	return nil
}

// WebhookEndpointSummary is an endpoint with its deliveries' counts, for the list page.
type WebhookEndpointSummary struct {
	expodesk.WebhookEndpoint
	Pending, Failed int
}

// WebhookEndpointList returns every endpoint, oldest first, with how many
// of its deliveries wait and how many failed.
func (s *Store) WebhookEndpointList(ctx context.Context) ([]WebhookEndpointSummary, error) {
	type row struct {
		webhookEndpointRow
		Pending, Failed int
	}
	rows, err := collect[row](ctx, s.db, "list webhook endpoints",
		`SELECT e.id, e.url, e.description, e.secret, e.events, e.disabled, e.created_at, e.updated_at,
			(SELECT count(*) FROM webhook_delivery d WHERE d.endpoint_id = e.id AND d.status = 'pending')::int AS pending,
			(SELECT count(*) FROM webhook_delivery d WHERE d.endpoint_id = e.id AND d.status = 'failed')::int AS failed
		FROM webhook_endpoint e ORDER BY e.created_at, e.id`)
	out := make([]WebhookEndpointSummary, 0, len(rows))
	for _, r := range rows {
		out = append(out, WebhookEndpointSummary{WebhookEndpoint: r.endpoint(), Pending: r.Pending, Failed: r.Failed})
	}
	return out, err
}

// WebhookSubscribed reports whether any enabled endpoint takes events of type t.
func (s *Store) WebhookSubscribed(ctx context.Context, t expodesk.WebhookEventType) (bool, error) {
	var ok bool
	err := s.db.QueryRow(ctx,
		`SELECT EXISTS (SELECT 1 FROM webhook_endpoint WHERE NOT disabled AND $1 = ANY (events))`, string(t)).Scan(&ok)
	return ok, translate(err, "check webhook subscriptions")
}

// WebhookEventAdd writes event ev to the outbox with one delivery, due now,
// for each enabled endpoint subscribed to its type, or only for endpoint
// only when it is not zero (the test event). Call it in the transaction of
// the change it tells of. It returns the number of deliveries queued.
func (s *Store) WebhookEventAdd(ctx context.Context, ev expodesk.WebhookEvent, only int64) (int, error) {
	now := s.now()
	var n int
	err := s.db.QueryRow(ctx,
		`WITH ev AS (
			INSERT INTO webhook_event (message_id, type, body, created_at) VALUES ($1, $2, $3, $4::timestamptz) RETURNING id
		), d AS (
			INSERT INTO webhook_delivery (event_id, endpoint_id, next_try_at, give_up_at, created_at)
			SELECT ev.id, e.id, $4::timestamptz, $4::timestamptz + $6 * interval '1 second', $4::timestamptz FROM ev, webhook_endpoint e
			WHERE CASE WHEN $5::bigint = 0 THEN NOT e.disabled AND $2::text = ANY (e.events) ELSE e.id = $5::bigint END
			RETURNING 1
		) SELECT count(*) FROM d`,
		ev.MessageID, string(ev.Type), ev.Body, now, only, expodesk.WebhookRetryWindow.Seconds()).Scan(&n)
	return n, translate(err, "add webhook event")
}

const webhookDeliveryColumns = `d.id, d.event_id, d.endpoint_id, d.status, d.attempts, d.next_try_at, d.give_up_at,
	d.last_error, d.last_status_code, d.last_response_ms, d.last_attempt_at, d.delivered_at, d.created_at,
	v.message_id, v.type AS event_type, v.body, e.url, e.secret`

const webhookDeliveryFrom = ` FROM webhook_delivery d JOIN webhook_event v ON v.id = d.event_id
	JOIN webhook_endpoint e ON e.id = d.endpoint_id`

// WebhookClaimDue claims up to limit pending deliveries due at now, oldest
// due first, by moving their next try to now+lease. Rows another worker is
// claiming are skipped (FOR UPDATE SKIP LOCKED), so two instances never
// claim one delivery in the same round; a worker that dies loses its claim
// when the lease ends. Deliveries of a disabled endpoint wait.
func (s *Store) WebhookClaimDue(ctx context.Context, limit int, now time.Time, lease time.Duration) ([]expodesk.WebhookDelivery, error) {
	if limit <= 0 {
		return nil, nil
	}
	return collect[expodesk.WebhookDelivery](ctx, s.db, "claim due webhook deliveries",
		`WITH due AS (
			SELECT d.id FROM webhook_delivery d JOIN webhook_endpoint e ON e.id = d.endpoint_id
			WHERE d.status = 'pending' AND d.next_try_at <= $1 AND NOT e.disabled
			ORDER BY d.next_try_at, d.id
			LIMIT $2
			FOR UPDATE OF d SKIP LOCKED
		), claimed AS (
			UPDATE webhook_delivery x SET next_try_at = $3 FROM due WHERE x.id = due.id RETURNING x.*
		)
		SELECT `+webhookDeliveryColumns+` FROM claimed d JOIN webhook_event v ON v.id = d.event_id
		JOIN webhook_endpoint e ON e.id = d.endpoint_id ORDER BY d.created_at, d.id`,
		now, limit, now.Add(lease))
}

// WebhookRecordAttempt records one try of delivery id: delivered when it was
// OK, else pending until next, or failed when next is nil. A delivery
// recorded delivered meanwhile stays so.
func (s *Store) WebhookRecordAttempt(ctx context.Context, id int64, a expodesk.WebhookAttempt, next *time.Time) error {
	var code *int
	if a.StatusCode != 0 {
		code = &a.StatusCode
	}
	ms := int(a.Duration.Milliseconds())
	status, nextTry := expodesk.DeliveryFailed, a.At
	switch {
	case a.OK():
		status = expodesk.DeliveryDelivered
	case next != nil:
		status, nextTry = expodesk.DeliveryPending, *next
	}
	_, err := s.db.Exec(ctx,
		`UPDATE webhook_delivery SET attempts = attempts + 1, status = $2::text, next_try_at = $3, last_error = $4,
			last_status_code = $5, last_response_ms = $6, last_attempt_at = $7::timestamptz,
			delivered_at = CASE WHEN $2::text = 'delivered' THEN $7::timestamptz END
		WHERE id = $1 AND status <> 'delivered'`,
		id, string(status), nextTry, cleanWebhookError(a.Err), code, ms, a.At)
	return translate(err, "record webhook attempt")
}

// cleanWebhookError fits an error text to the delivery log's column.
func cleanWebhookError(s string) string {
	s = cleanMailError(s)
	if len(s) > 1000 {
		s = s[:1000]
	}
	return s
}

// WebhookDeliveries returns an endpoint's latest deliveries, newest first.
func (s *Store) WebhookDeliveries(ctx context.Context, endpointID int64, limit int) ([]expodesk.WebhookDelivery, error) {
	return collect[expodesk.WebhookDelivery](ctx, s.db, "list webhook deliveries",
		`SELECT `+webhookDeliveryColumns+webhookDeliveryFrom+` WHERE d.endpoint_id = $1
		ORDER BY d.created_at DESC, d.id DESC LIMIT $2`, endpointID, limit)
}

// WebhookDeliveryGet returns one delivery of endpoint endpointID.
func (s *Store) WebhookDeliveryGet(ctx context.Context, endpointID, id int64) (expodesk.WebhookDelivery, error) {
	return one[expodesk.WebhookDelivery](ctx, s.db, "get webhook delivery",
		`SELECT `+webhookDeliveryColumns+webhookDeliveryFrom+` WHERE d.endpoint_id = $1 AND d.id = $2`, endpointID, id)
}

// WebhookRedeliver makes delivery id pending again, due now, with a new
// day's retry window; its attempts keep counting.
func (s *Store) WebhookRedeliver(ctx context.Context, id int64) error {
	now := s.now()
	_, err := s.db.Exec(ctx,
		`UPDATE webhook_delivery SET status = 'pending', delivered_at = NULL, next_try_at = $2::timestamptz,
			give_up_at = $2::timestamptz + $3 * interval '1 second' WHERE id = $1`, id, now, expodesk.WebhookRetryWindow.Seconds())
	return translate(err, "redeliver webhook")
}

// The data of the events, read in the transaction of the change.

type webhookNamed struct {
	ExpoSlug, ExhibitorSlug, Country, Website string
	ExpoName, ExhibitorName                   expodesk.Text
	PavilionSlug                              *string
	PavilionName                              *expodesk.Text
}

func (n webhookNamed) expo() expodesk.WebhookExpo {
	return expodesk.WebhookExpo{Slug: n.ExpoSlug, Name: n.ExpoName}
}

func (n webhookNamed) exhibitor() expodesk.WebhookExhibitor {
	return expodesk.WebhookExhibitor{Slug: n.ExhibitorSlug, Name: n.ExhibitorName, Country: n.Country, Website: n.Website}
}

func (n webhookNamed) pavilion() *expodesk.WebhookPavilion {
	if n.PavilionSlug == nil || n.PavilionName == nil {
		return nil
	}
	return &expodesk.WebhookPavilion{Slug: *n.PavilionSlug, Name: *n.PavilionName}
}

const webhookNamedColumns = `x.slug AS expo_slug, x.name AS expo_name, e.slug AS exhibitor_slug, e.name AS exhibitor_name,
	e.country, e.website, pv.slug AS pavilion_slug, pv.name AS pavilion_name`

// WebhookParticipationData is the data of participation.approved for
// participation id, with its status (the event is sent for an approved one only).
func (s *Store) WebhookParticipationData(ctx context.Context, id int64) (expodesk.WebhookParticipationData, expodesk.ParticipationStatus, error) {
	type row struct {
		webhookNamed
		ID            int64
		Booth, Status string
	}
	r, err := one[row](ctx, s.db, "read participation for webhook",
		`SELECT p.id, p.booth, p.status, `+webhookNamedColumns+` FROM participation p JOIN expo x ON x.id = p.expo_id
		JOIN exhibitor e ON e.id = p.exhibitor_id LEFT JOIN pavilion pv ON pv.id = p.pavilion_id WHERE p.id = $1`, id)
	return expodesk.WebhookParticipationData{ParticipationID: r.ID, Expo: r.expo(), Pavilion: r.pavilion(),
		Exhibitor: r.exhibitor(), Booth: r.Booth}, expodesk.ParticipationStatus(r.Status), err
}

// WebhookBookingData is the data of slot.booked and booking.cancelled for booking id.
func (s *Store) WebhookBookingData(ctx context.Context, id int64) (expodesk.WebhookBookingData, error) {
	type row struct {
		webhookNamed
		ID, SlotID        int64
		StartsAt, EndsAt  time.Time
		StageSlug         string
		StageName, Titles expodesk.Text
	}
	r, err := one[row](ctx, s.db, "read booking for webhook",
		`SELECT b.id, b.titles, sl.id AS slot_id, sl.starts_at, sl.ends_at, st.slug AS stage_slug, st.name AS stage_name, `+
			webhookNamedColumns+` FROM booking b JOIN slot sl ON sl.id = b.slot_id JOIN stage st ON st.id = sl.stage_id
		JOIN expo x ON x.id = st.expo_id JOIN exhibitor e ON e.id = b.exhibitor_id
		LEFT JOIN pavilion pv ON pv.id = st.pavilion_id WHERE b.id = $1`, id)
	out := expodesk.WebhookBookingData{BookingID: r.ID, Expo: r.expo(), Pavilion: r.pavilion(), Exhibitor: r.exhibitor(),
		Title: r.Titles}
	out.Slot.ID, out.Slot.StartsAt, out.Slot.EndsAt = r.SlotID, r.StartsAt, r.EndsAt
	out.Slot.Stage.Slug, out.Slot.Stage.Name = r.StageSlug, r.StageName
	return out, err
}

// delegationNameSQL reads a delegation's name as content in three
// languages, whether the column holds text in the delegation's language
// (before the delegations migration) or jsonb (after it).
const delegationNameSQL = `CASE WHEN jsonb_typeof(to_jsonb(d.name)) = 'object' THEN to_jsonb(d.name)
	ELSE jsonb_build_object(d.lang, d.name) END`

// WebhookMeetingData is the data of meeting.accepted and meeting.declined for meeting id.
func (s *Store) WebhookMeetingData(ctx context.Context, id int64) (expodesk.WebhookMeetingData, error) {
	type row struct {
		webhookNamed
		ID, DelegationID int64
		Status, Location string
		StartsAt, EndsAt time.Time
		DelegationName   expodesk.Text
	}
	r, err := one[row](ctx, s.db, "read meeting for webhook",
		`SELECT m.id, m.status, m.location, m.starts_at, m.ends_at, d.id AS delegation_id, `+delegationNameSQL+` AS delegation_name,
			x.slug AS expo_slug, x.name AS expo_name, e.slug AS exhibitor_slug, e.name AS exhibitor_name, e.country, e.website,
			NULL::text AS pavilion_slug, NULL::jsonb AS pavilion_name
		FROM meeting m JOIN delegation d ON d.id = m.delegation_id JOIN expo x ON x.id = d.expo_id
		JOIN exhibitor e ON e.id = m.exhibitor_id WHERE m.id = $1`, id)
	return expodesk.WebhookMeetingData{MeetingID: r.ID, Status: r.Status, Expo: r.expo(),
		Delegation: expodesk.WebhookDelegRef{ID: r.DelegationID, Name: r.DelegationName}, Exhibitor: r.exhibitor(),
		StartsAt: r.StartsAt, EndsAt: r.EndsAt, Location: r.Location}, err
}

// WebhookDelegationData is the data of delegation.confirmed for delegation id,
// with its status (the event is sent for a confirmed one only).
func (s *Store) WebhookDelegationData(ctx context.Context, id int64) (expodesk.WebhookDelegationData, expodesk.DelegationStatus, error) {
	type row struct {
		ID                   int64
		ExpoSlug             string
		ExpoName, Name       expodesk.Text
		Origin, Kind, Status string
		ArrivesAt, DepartsAt time.Time
	}
	r, err := one[row](ctx, s.db, "read delegation for webhook",
		`SELECT d.id, x.slug AS expo_slug, x.name AS expo_name, `+delegationNameSQL+` AS name, d.origin, d.kind, d.status,
			d.arrives_at, d.departs_at FROM delegation d JOIN expo x ON x.id = d.expo_id WHERE d.id = $1`, id)
	return expodesk.WebhookDelegationData{DelegationID: r.ID, Expo: expodesk.WebhookExpo{Slug: r.ExpoSlug, Name: r.ExpoName},
			Name: r.Name, Origin: r.Origin, Kind: r.Kind, ArrivesAt: r.ArrivesAt, DepartsAt: r.DepartsAt},
		expodesk.DelegationStatus(r.Status), err
}
