-- Exhibitors (one identity across expos), their sectors and logos, and their
-- participation in each expo.
BEGIN;

CREATE TABLE exhibitor (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug             text NOT NULL UNIQUE
                     CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
    legal_name       text NOT NULL CHECK (length(legal_name) BETWEEN 1 AND 200),
    name             jsonb NOT NULL CHECK (localized_ok(name)),
    description      jsonb NOT NULL DEFAULT '{}' CHECK (localized_shape_ok(description)),
    country          text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    city             text NOT NULL DEFAULT '' CHECK (length(city) <= 100),
    website          text NOT NULL DEFAULT '' CHECK (website = '' OR website ~ '^https?://'),
    email            text NOT NULL DEFAULT '' CHECK (length(email) <= 254),
    phone            text NOT NULL DEFAULT '' CHECK (length(phone) <= 40),
    -- A Chinese Unified Social Credit Code or a Spanish NIF/CIF; checked by the application.
    registration_id  text NOT NULL DEFAULT '' CHECK (length(registration_id) <= 32),
    -- Everything a visitor can search, folded once on write.
    search           text GENERATED ALWAYS AS (search_fold(
                         legal_name || ' ' ||
                         coalesce(name->>'en', '') || ' ' || coalesce(name->>'zh', '') || ' ' ||
                         coalesce(name->>'es', '') || ' ' ||
                         coalesce(description->>'en', '') || ' ' || coalesce(description->>'zh', '') || ' ' ||
                         coalesce(description->>'es', ''))) STORED,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX exhibitor_search_trgm ON exhibitor USING gin (search gin_trgm_ops);
CREATE UNIQUE INDEX exhibitor_registration_id ON exhibitor (registration_id) WHERE registration_id <> '';

CREATE TABLE exhibitor_sector (
    exhibitor_id  bigint NOT NULL REFERENCES exhibitor ON DELETE CASCADE,
    sector_code   text NOT NULL REFERENCES sector ON UPDATE CASCADE,
    PRIMARY KEY (exhibitor_id, sector_code)
);
CREATE INDEX exhibitor_sector_code ON exhibitor_sector (sector_code, exhibitor_id);

-- Logos are re-encoded on upload and kept in PostgreSQL so that every instance serves them.
CREATE TABLE logo (
    exhibitor_id  bigint PRIMARY KEY REFERENCES exhibitor ON DELETE CASCADE,
    content_type  text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg')),
    data          bytea NOT NULL CHECK (octet_length(data) BETWEEN 1 AND 2097152),
    width         integer NOT NULL CHECK (width BETWEEN 1 AND 4096),
    height        integer NOT NULL CHECK (height BETWEEN 1 AND 4096),
    etag          text NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE participation (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    expo_id              bigint NOT NULL REFERENCES expo ON DELETE CASCADE,
    exhibitor_id         bigint NOT NULL REFERENCES exhibitor ON DELETE CASCADE,
    pavilion_id          bigint,
    booth                text NOT NULL DEFAULT '' CHECK (length(booth) <= 20),
    status               text NOT NULL
                         CHECK (status IN ('invited', 'applied', 'approved', 'rejected', 'withdrawn')),
    -- What the applicant wrote with a public application (E5).
    application_note     text NOT NULL DEFAULT '' CHECK (length(application_note) <= 4000),
    -- The profile as it was when approved, for the organizer's field-by-field diff (E5).
    profile_at_approval  jsonb,
    decided_at           timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    UNIQUE (expo_id, exhibitor_id),
    FOREIGN KEY (expo_id, pavilion_id) REFERENCES pavilion (expo_id, id) ON DELETE RESTRICT
);
CREATE INDEX participation_exhibitor ON participation (exhibitor_id);
CREATE INDEX participation_expo_status ON participation (expo_id, status, pavilion_id);
CREATE INDEX participation_pavilion ON participation (pavilion_id, status) WHERE pavilion_id IS NOT NULL;
-- Two approved exhibitors never share a booth in one expo.
CREATE UNIQUE INDEX participation_booth ON participation (expo_id, booth)
    WHERE booth <> '' AND status = 'approved';

COMMIT;
