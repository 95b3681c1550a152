-- Stages, roadshow slots, bookings and waitlists.
BEGIN;

CREATE TABLE stage (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    expo_id      bigint NOT NULL REFERENCES expo ON DELETE CASCADE,
    -- NULL for an expo-wide stage.
    pavilion_id  bigint,
    slug         text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
    name         jsonb NOT NULL CHECK (localized_ok(name)),
    location     text NOT NULL DEFAULT '' CHECK (length(location) <= 120),
    position     integer NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (expo_id, slug),
    FOREIGN KEY (expo_id, pavilion_id) REFERENCES pavilion (expo_id, id) ON DELETE RESTRICT
);
CREATE INDEX stage_pavilion ON stage (pavilion_id) WHERE pavilion_id IS NOT NULL;

CREATE TABLE slot (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stage_id    bigint NOT NULL REFERENCES stage ON DELETE CASCADE,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    -- An organizer may hold a slot back from booking (a break, a keynote).
    blocked     boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at AND ends_at - starts_at <= interval '12 hours'),
    -- A stage never has two overlapping slots.
    CONSTRAINT slot_no_overlap EXCLUDE USING gist (stage_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
);
CREATE INDEX slot_starts ON slot (starts_at);

CREATE TABLE booking (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slot_id       bigint NOT NULL REFERENCES slot ON DELETE CASCADE,
    exhibitor_id  bigint NOT NULL REFERENCES exhibitor ON DELETE CASCADE,
    title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    abstract      text NOT NULL DEFAULT '' CHECK (length(abstract) <= 4000),
    -- The language the exhibitor wrote the title and abstract in.
    lang          text NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'zh', 'es')),
    status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
    created_by    bigint REFERENCES app_user ON DELETE SET NULL,
    cancelled_by  bigint REFERENCES app_user ON DELETE SET NULL,
    cancelled_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
);
-- A slot is booked by at most one exhibitor at a time.
CREATE UNIQUE INDEX booking_one_active_per_slot ON booking (slot_id) WHERE status = 'active';
CREATE INDEX booking_exhibitor ON booking (exhibitor_id, status);

CREATE TABLE waitlist_entry (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slot_id       bigint NOT NULL REFERENCES slot ON DELETE CASCADE,
    exhibitor_id  bigint NOT NULL REFERENCES exhibitor ON DELETE CASCADE,
    title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    abstract      text NOT NULL DEFAULT '' CHECK (length(abstract) <= 4000),
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (slot_id, exhibitor_id)
);
CREATE INDEX waitlist_entry_exhibitor ON waitlist_entry (exhibitor_id);

COMMIT;
