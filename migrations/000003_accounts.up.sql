-- People who sign in, their single-use tokens, sessions and throttling counters.
BEGIN;

CREATE TABLE app_user (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email              text NOT NULL CHECK (length(email) BETWEEN 3 AND 254 AND email ~ '^[^@\s]+@[^@\s]+$'),
    family_name        text NOT NULL DEFAULT '' CHECK (length(family_name) <= 100),
    given_name         text NOT NULL DEFAULT '' CHECK (length(given_name) <= 100),
    -- 'eastern' shows the family name first (王伟, Wang Wei); 'western' the given name (Marc Tarragó).
    name_order         text NOT NULL DEFAULT 'western' CHECK (name_order IN ('western', 'eastern')),
    lang               text NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'zh', 'es')),
    role               text NOT NULL CHECK (role IN ('organizer', 'exhibitor')),
    -- An organizer with a pavilion is that pavilion's coordinator (O6); without one, expo-wide.
    pavilion_id        bigint REFERENCES pavilion ON DELETE RESTRICT,
    exhibitor_id       bigint REFERENCES exhibitor ON DELETE CASCADE,
    -- NULL until an invitation is accepted.
    password_hash      text,
    password_changed_at timestamptz,
    -- Bumped on every password or privilege change; sessions carrying an older value are refused.
    session_version    integer NOT NULL DEFAULT 1,
    totp_secret        text,
    totp_enabled_at    timestamptz,
    totp_last_step     bigint,
    disabled_at        timestamptz,
    last_sign_in_at    timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CHECK ((role = 'organizer' AND exhibitor_id IS NULL)
        OR (role = 'exhibitor' AND exhibitor_id IS NOT NULL AND pavilion_id IS NULL))
);
CREATE UNIQUE INDEX app_user_email ON app_user (lower(email));
CREATE INDEX app_user_exhibitor ON app_user (exhibitor_id) WHERE exhibitor_id IS NOT NULL;

CREATE TABLE recovery_code (
    user_id    bigint NOT NULL REFERENCES app_user ON DELETE CASCADE,
    code_hash  bytea NOT NULL,
    used_at    timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

-- Invitation and password-reset tokens: only a SHA-256 of the random token is stored.
CREATE TABLE user_token (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('invitation', 'password_reset')),
    token_hash  bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    user_id     bigint NOT NULL REFERENCES app_user ON DELETE CASCADE,
    created_by  bigint REFERENCES app_user ON DELETE SET NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (expires_at > created_at)
);
CREATE INDEX user_token_user ON user_token (user_id, kind);

-- The table alexedwards/scs pgxstore expects.
CREATE TABLE sessions (
    token   text PRIMARY KEY,
    data    bytea NOT NULL,
    expiry  timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- Fixed-window counters for throttling, shared by every instance.
CREATE TABLE rate_counter (
    key           text NOT NULL,
    window_start  timestamptz NOT NULL,
    hits          integer NOT NULL DEFAULT 0,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_counter_window ON rate_counter (window_start);

COMMIT;
