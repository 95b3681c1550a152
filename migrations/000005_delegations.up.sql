-- Delegations visiting an expo, their members, itineraries and meetings with exhibitors.
BEGIN;

CREATE TABLE delegation (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    expo_id           bigint NOT NULL REFERENCES expo ON DELETE CASCADE,
    name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    origin            text NOT NULL DEFAULT '' CHECK (length(origin) <= 200),
    kind              text NOT NULL CHECK (kind IN ('government', 'business', 'academic', 'media')),
    leader            text NOT NULL DEFAULT '' CHECK (length(leader) <= 200),
    home_time_zone    text NOT NULL CHECK (home_time_zone <> ''),
    -- The language of the shared itinerary.
    lang              text NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'zh', 'es')),
    arrives_at        timestamptz NOT NULL,
    departs_at        timestamptz NOT NULL,
    status            text NOT NULL DEFAULT 'planned'
                      CHECK (status IN ('planned', 'confirmed', 'arrived', 'cancelled')),
    notes             text NOT NULL DEFAULT '' CHECK (length(notes) <= 4000),
    -- The secret itinerary link: only a SHA-256 of the token is stored; NULL when revoked.
    share_token_hash  bytea UNIQUE CHECK (octet_length(share_token_hash) = 32),
    share_created_at  timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (departs_at >= arrives_at)
);
CREATE INDEX delegation_expo ON delegation (expo_id, status);

CREATE TABLE delegation_member (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delegation_id    bigint NOT NULL REFERENCES delegation ON DELETE CASCADE,
    family_name      text NOT NULL DEFAULT '' CHECK (length(family_name) <= 100),
    given_name       text NOT NULL DEFAULT '' CHECK (length(given_name) <= 100),
    name_order       text NOT NULL DEFAULT 'western' CHECK (name_order IN ('western', 'eastern')),
    title            text NOT NULL DEFAULT '' CHECK (length(title) <= 200),
    organisation     text NOT NULL DEFAULT '' CHECK (length(organisation) <= 200),
    email            text NOT NULL DEFAULT '' CHECK (length(email) <= 254),
    protocol_role    text NOT NULL DEFAULT 'member'
                     CHECK (protocol_role IN ('head', 'deputy', 'member', 'interpreter', 'staff')),
    letter_status    text NOT NULL DEFAULT 'not_needed'
                     CHECK (letter_status IN ('not_needed', 'requested', 'issued')),
    position         integer NOT NULL DEFAULT 0,
    -- Erasure on request blanks the personal fields and keeps the row, so history stays whole.
    erased_at        timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (erased_at IS NULL OR (family_name = '' AND given_name = '' AND email = '' AND title = ''))
);
CREATE INDEX delegation_member_delegation ON delegation_member (delegation_id, position);

CREATE TABLE meeting (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delegation_id  bigint NOT NULL REFERENCES delegation ON DELETE CASCADE,
    exhibitor_id   bigint NOT NULL REFERENCES exhibitor ON DELETE CASCADE,
    starts_at      timestamptz NOT NULL,
    ends_at        timestamptz NOT NULL,
    location       text NOT NULL DEFAULT '' CHECK (length(location) <= 200),
    topic          text NOT NULL DEFAULT '' CHECK (length(topic) <= 2000),
    status         text NOT NULL DEFAULT 'requested'
                   CHECK (status IN ('requested', 'accepted', 'declined', 'cancelled')),
    response_note  text NOT NULL DEFAULT '' CHECK (length(response_note) <= 2000),
    requested_by   bigint REFERENCES app_user ON DELETE SET NULL,
    responded_by   bigint REFERENCES app_user ON DELETE SET NULL,
    responded_at   timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);
CREATE INDEX meeting_delegation ON meeting (delegation_id, starts_at);
CREATE INDEX meeting_exhibitor ON meeting (exhibitor_id, status);

-- Visits, roadshow attendance and free items; meetings live in their own table and
-- are merged into the itinerary when it is read.
CREATE TABLE itinerary_item (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delegation_id  bigint NOT NULL REFERENCES delegation ON DELETE CASCADE,
    kind           text NOT NULL CHECK (kind IN ('visit', 'roadshow', 'other')),
    starts_at      timestamptz NOT NULL,
    ends_at        timestamptz NOT NULL,
    pavilion_id    bigint REFERENCES pavilion ON DELETE SET NULL,
    exhibitor_id   bigint REFERENCES exhibitor ON DELETE SET NULL,
    slot_id        bigint REFERENCES slot ON DELETE SET NULL,
    title          text NOT NULL DEFAULT '' CHECK (length(title) <= 200),
    location       text NOT NULL DEFAULT '' CHECK (length(location) <= 200),
    notes          text NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);
CREATE INDEX itinerary_item_delegation ON itinerary_item (delegation_id, starts_at);

COMMIT;
