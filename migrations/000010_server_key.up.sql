-- server_key holds secrets the server generates for itself, once, so that
-- every instance sharing this database signs and checks with the same key
-- (the device cookies of sign-in throttling) without a key in the config.
BEGIN;

CREATE TABLE server_key (
    name       text PRIMARY KEY CHECK (name ~ '^[a-z0-9_]+$'),
    secret     bytea NOT NULL CHECK (length(secret) >= 32),
    created_at timestamptz NOT NULL DEFAULT now()
);

COMMIT;
