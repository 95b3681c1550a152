-- Expos, sister links, pavilions and the sector list: the public skeleton of a fair.
BEGIN;

CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- search_fold lower-cases and strips accents so that "energia" finds "Energía".
-- unaccent() is only STABLE; pinning the dictionary makes this wrapper safe to
-- mark IMMUTABLE and use in generated columns and indexes.
CREATE FUNCTION search_fold(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN lower(public.unaccent('public.unaccent'::regdictionary, t));

-- localized_ok holds for a {"en","zh","es"} object of strings with at least one non-empty value.
CREATE FUNCTION localized_ok(t jsonb) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN jsonb_typeof(t) = 'object'
       AND (t - 'en' - 'zh' - 'es') = '{}'::jsonb
       AND coalesce(t->>'en', '') || coalesce(t->>'zh', '') || coalesce(t->>'es', '') <> '';

-- localized_shape_ok is localized_ok without the non-empty requirement (optional fields).
CREATE FUNCTION localized_shape_ok(t jsonb) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN jsonb_typeof(t) = 'object' AND (t - 'en' - 'zh' - 'es') = '{}'::jsonb;

CREATE TABLE expo (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug                 text NOT NULL UNIQUE
                         CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
    name                 jsonb NOT NULL CHECK (localized_ok(name)),
    city                 jsonb NOT NULL CHECK (localized_ok(city)),
    country              text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    venue                jsonb NOT NULL DEFAULT '{}' CHECK (localized_shape_ok(venue)),
    time_zone            text NOT NULL CHECK (time_zone <> ''),
    first_day            date NOT NULL,
    last_day             date NOT NULL,
    website              text NOT NULL DEFAULT '' CHECK (website = '' OR website ~ '^https?://'),
    -- Roadshow booking rules, set by organizers per expo.
    booking_opens_at     timestamptz,
    booking_closes_at    timestamptz,
    slot_quota           integer NOT NULL DEFAULT 2 CHECK (slot_quota BETWEEN 0 AND 1000),
    cancel_hours_before  integer NOT NULL DEFAULT 48 CHECK (cancel_hours_before BETWEEN 0 AND 8760),
    -- The public call for exhibitor applications (E5).
    applications_open_at  timestamptz,
    applications_close_at timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CHECK (last_day >= first_day AND last_day - first_day <= 60),
    CHECK (booking_closes_at IS NULL OR booking_opens_at IS NULL OR booking_closes_at > booking_opens_at),
    CHECK (applications_close_at IS NULL OR applications_open_at IS NULL
           OR applications_close_at > applications_open_at)
);

-- A sister link is symmetric; it is stored once, lower id first.
CREATE TABLE expo_sister (
    expo_id    bigint NOT NULL REFERENCES expo ON DELETE CASCADE,
    sister_id  bigint NOT NULL REFERENCES expo ON DELETE CASCADE,
    PRIMARY KEY (expo_id, sister_id),
    CHECK (expo_id < sister_id)
);
CREATE INDEX expo_sister_sister ON expo_sister (sister_id);

CREATE TABLE pavilion (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    expo_id      bigint NOT NULL REFERENCES expo ON DELETE CASCADE,
    slug         text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
    name         jsonb NOT NULL CHECK (localized_ok(name)),
    host         jsonb NOT NULL DEFAULT '{}' CHECK (localized_shape_ok(host)),
    hall         text NOT NULL DEFAULT '' CHECK (length(hall) <= 80),
    description  jsonb NOT NULL DEFAULT '{}' CHECK (localized_shape_ok(description)),
    position     integer NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (expo_id, slug),
    -- Target of composite foreign keys that keep a pavilion inside its own expo.
    UNIQUE (expo_id, id)
);

-- The sector list is fixed by migrations and extensible by later ones.
CREATE TABLE sector (
    code      text PRIMARY KEY CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name      jsonb NOT NULL CHECK (localized_ok(name)),
    position  integer NOT NULL DEFAULT 0
);

INSERT INTO sector (code, position, name) VALUES
    ('sensors',              10, '{"en":"Sensors","zh":"传感器","es":"Sensores"}'),
    ('cloud',                20, '{"en":"Cloud computing","zh":"云计算","es":"Computación en la nube"}'),
    ('industrial-internet',  30, '{"en":"Industrial internet","zh":"工业互联网","es":"Internet industrial"}'),
    ('internet-of-vehicles', 40, '{"en":"Internet of vehicles","zh":"车联网","es":"Internet de los vehículos"}'),
    ('smart-city',           50, '{"en":"Smart city","zh":"智慧城市","es":"Ciudad inteligente"}'),
    ('smart-home',           60, '{"en":"Smart home","zh":"智能家居","es":"Hogar inteligente"}'),
    ('ai',                   70, '{"en":"Artificial intelligence","zh":"人工智能","es":"Inteligencia artificial"}'),
    ('integrated-circuits',  80, '{"en":"Integrated circuits","zh":"集成电路","es":"Circuitos integrados"}'),
    ('energy',               90, '{"en":"Energy","zh":"能源","es":"Energía"}'),
    ('security',            100, '{"en":"Security","zh":"安全","es":"Seguridad"}'),
    ('connectivity',        110, '{"en":"Connectivity and 5G","zh":"通信与5G","es":"Conectividad y 5G"}'),
    ('healthcare',          120, '{"en":"Healthcare","zh":"智慧医疗","es":"Salud"}'),
    ('logistics',           130, '{"en":"Logistics","zh":"智慧物流","es":"Logística"}'),
    ('agriculture',         140, '{"en":"Agriculture","zh":"智慧农业","es":"Agricultura"}');

COMMIT;
