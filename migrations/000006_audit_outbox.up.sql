-- The audit log and the outgoing mail outbox.
BEGIN;

CREATE TABLE audit_entry (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT now(),
    actor_id      bigint REFERENCES app_user ON DELETE SET NULL,
    -- The actor's email at the time, kept when the account is gone.
    actor_label   text NOT NULL DEFAULT '',
    action        text NOT NULL CHECK (action ~ '^[a-z_]+\.[a-z_]+$'),
    object_type   text NOT NULL DEFAULT '',
    object_id     text NOT NULL DEFAULT '',
    -- Scope, so that a pavilion coordinator sees their own part of the log.
    expo_id       bigint REFERENCES expo ON DELETE SET NULL,
    pavilion_id   bigint REFERENCES pavilion ON DELETE SET NULL,
    exhibitor_id  bigint REFERENCES exhibitor ON DELETE SET NULL,
    before        jsonb,
    after         jsonb,
    client_ip     text NOT NULL DEFAULT '',
    request_id    text NOT NULL DEFAULT ''
);
CREATE INDEX audit_entry_at ON audit_entry (at DESC);
CREATE INDEX audit_entry_actor ON audit_entry (actor_id, at DESC);
CREATE INDEX audit_entry_object ON audit_entry (object_type, object_id);

-- Mail is written here in the transaction that causes it and sent by a worker.
CREATE TABLE mail_message (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    to_addr      text NOT NULL CHECK (length(to_addr) BETWEEN 3 AND 254),
    lang         text NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'zh', 'es')),
    subject      text NOT NULL CHECK (length(subject) <= 300),
    body_text    text NOT NULL,
    kind         text NOT NULL DEFAULT '',
    expo_id      bigint REFERENCES expo ON DELETE SET NULL,
    pavilion_id  bigint REFERENCES pavilion ON DELETE SET NULL,
    attempts     integer NOT NULL DEFAULT 0,
    next_try_at  timestamptz NOT NULL DEFAULT now(),
    last_error   text NOT NULL DEFAULT '',
    sent_at      timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mail_message_pending ON mail_message (next_try_at) WHERE sent_at IS NULL;

COMMIT;
