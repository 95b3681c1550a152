-- Outgoing webhooks (A3): endpoints organizers register, the events the
-- write path records in the same transaction as the change (the outbox),
-- and one delivery per event and subscribed endpoint, which the workers of
-- every instance claim with FOR UPDATE SKIP LOCKED.
BEGIN;

-- The secret signs every delivery (HMAC-SHA256, Standard Webhooks) and so
-- has to be kept as it is; it is shown once, when it is made, and never
-- written to the audit log or the logs.
CREATE TABLE webhook_endpoint (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url          text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
    description  text NOT NULL DEFAULT '' CHECK (length(description) <= 200),
    secret       text NOT NULL CHECK (secret ~ '^whsec_[A-Za-z0-9+/]+={0,2}$'),
    events       text[] NOT NULL CHECK (cardinality(events) >= 1),
    disabled     boolean NOT NULL DEFAULT false,
    created_by   bigint REFERENCES app_user ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- body is the exact JSON every delivery of the event sends (and signs), so
-- that a retry or a redelivery is byte for byte the first try.
CREATE TABLE webhook_event (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id   text NOT NULL UNIQUE CHECK (message_id ~ '^msg_[A-Za-z0-9_-]{16,64}$'),
    type         text NOT NULL CHECK (type ~ '^[a-z_]+\.[a-z_]+$'),
    body         text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- status: 'pending' until a 2xx answer ('delivered') or until the retry
-- window ends ('failed'). A claim moves next_try_at forward by a lease.
CREATE TABLE webhook_delivery (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id           bigint NOT NULL REFERENCES webhook_event ON DELETE CASCADE,
    endpoint_id        bigint NOT NULL REFERENCES webhook_endpoint ON DELETE CASCADE,
    status             text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts           integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_try_at        timestamptz NOT NULL,
    -- The end of the retry window: a day after the delivery was queued (or redelivered).
    give_up_at         timestamptz NOT NULL,
    last_error         text NOT NULL DEFAULT '' CHECK (length(last_error) <= 1000),
    last_status_code   integer,
    last_response_ms   integer,
    last_attempt_at    timestamptz,
    delivered_at       timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_id, endpoint_id),
    CHECK ((status = 'delivered') = (delivered_at IS NOT NULL))
);
-- The workers' work: pending deliveries by when they are due.
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_try_at) WHERE status = 'pending';
-- The delivery log of one endpoint, newest first.
CREATE INDEX webhook_delivery_endpoint ON webhook_delivery (endpoint_id, created_at DESC, id DESC);

COMMIT;
