-- Roadshow booking (E3): the rules an expo sets beyond window, quota and
-- cancellation deadline (the language titles must be in, the deadline for
-- a programme's texts), a pavilion's own rules, titles and abstracts in
-- several languages written at booking or later, the database's guarantee
-- that an exhibitor never holds two overlapping slots, and page-cache
-- notifications that name the company a booking concerns.
BEGIN;

-- localized_max_len holds when every language of t has at most n characters.
CREATE FUNCTION localized_max_len(t jsonb, n integer) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN coalesce(length(t->>'en'), 0) <= n AND coalesce(length(t->>'zh'), 0) <= n
       AND coalesce(length(t->>'es'), 0) <= n;

-- NULL: titles may be in any language; NULL deadline: texts may change
-- until the slot starts.
ALTER TABLE expo
    ADD COLUMN booking_title_lang text CHECK (booking_title_lang IN ('en', 'zh', 'es')),
    ADD COLUMN booking_texts_due_at timestamptz;

-- A pavilion that runs its own roadshow (the Wuxi Pavilion at IOTSWC) may
-- book its stages by rules of its own. The row holds the whole set, so a
-- rule is never half the pavilion's and half the expo's; the quota counts
-- the bookings on the stages the same rules govern.
CREATE TABLE pavilion_booking_rule (
    pavilion_id          bigint PRIMARY KEY,
    expo_id              bigint NOT NULL,
    opens_at             timestamptz,
    closes_at            timestamptz,
    slot_quota           integer NOT NULL CHECK (slot_quota BETWEEN 0 AND 1000),
    cancel_hours_before  integer NOT NULL CHECK (cancel_hours_before BETWEEN 0 AND 8760),
    title_lang           text CHECK (title_lang IN ('en', 'zh', 'es')),
    texts_due_at         timestamptz,
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CHECK (opens_at IS NULL OR closes_at IS NULL OR closes_at > opens_at),
    FOREIGN KEY (expo_id, pavilion_id) REFERENCES pavilion (expo_id, id) ON DELETE CASCADE
);

-- Titles and abstracts in each language; none yet is "to be announced".
-- title, abstract and lang stay as what a one-language reader sees (the
-- organizer's grid, exports), computed by the database in the fallback
-- order of the pages (English, Spanish, Chinese).
ALTER TABLE booking
    ADD COLUMN titles jsonb NOT NULL DEFAULT '{}'
        CHECK (localized_shape_ok(titles) AND localized_max_len(titles, 200)),
    ADD COLUMN abstracts jsonb NOT NULL DEFAULT '{}'
        CHECK (localized_shape_ok(abstracts) AND localized_max_len(abstracts, 4000));
UPDATE booking SET titles = jsonb_build_object(lang, title),
    abstracts = CASE WHEN abstract = '' THEN '{}'::jsonb ELSE jsonb_build_object(lang, abstract) END;
ALTER TABLE booking DROP COLUMN title, DROP COLUMN abstract, DROP COLUMN lang;
ALTER TABLE booking
    ADD COLUMN title text GENERATED ALWAYS AS (coalesce(nullif(titles->>'en', ''), nullif(titles->>'es', ''),
        nullif(titles->>'zh', ''), '')) STORED,
    ADD COLUMN abstract text GENERATED ALWAYS AS (coalesce(nullif(abstracts->>'en', ''), nullif(abstracts->>'es', ''),
        nullif(abstracts->>'zh', ''), '')) STORED,
    ADD COLUMN lang text GENERATED ALWAYS AS (CASE WHEN nullif(titles->>'en', '') IS NOT NULL THEN 'en'
        WHEN nullif(titles->>'es', '') IS NOT NULL THEN 'es' WHEN nullif(titles->>'zh', '') IS NOT NULL THEN 'zh'
        ELSE 'en' END) STORED;

-- during is the booked slot's time, kept by triggers, so that an exclusion
-- constraint can say what the service also checks: one company, one stage
-- at a time, whatever instance or path wrote the booking.
ALTER TABLE booking ADD COLUMN during tstzrange;
UPDATE booking b SET during = tstzrange(sl.starts_at, sl.ends_at) FROM slot sl WHERE sl.id = b.slot_id;
ALTER TABLE booking ALTER COLUMN during SET NOT NULL;

CREATE FUNCTION booking_set_during() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    NEW.during := (SELECT tstzrange(starts_at, ends_at) FROM slot WHERE id = NEW.slot_id);
    RETURN NEW;
END
$$;
CREATE TRIGGER booking_during BEFORE INSERT OR UPDATE OF slot_id ON booking
    FOR EACH ROW EXECUTE FUNCTION booking_set_during();

CREATE FUNCTION slot_moved_bookings() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE booking SET during = tstzrange(NEW.starts_at, NEW.ends_at) WHERE slot_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER slot_moved_bookings AFTER UPDATE OF starts_at, ends_at ON slot
    FOR EACH ROW EXECUTE FUNCTION slot_moved_bookings();

ALTER TABLE booking ADD CONSTRAINT booking_exhibitor_no_overlap
    EXCLUDE USING gist (exhibitor_id WITH =, during WITH &&) WHERE (status = 'active');

-- A booking changes the agenda, the figures that count slots and one
-- company's page, not the directory: its notification names the company
-- ("booking taihu-sensing") so that each instance drops those pages only.
-- Notifications with the same payload in one transaction arrive as one.
DROP TRIGGER public_change ON booking;
CREATE FUNCTION notify_booking_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    company text;
BEGIN
    IF TG_OP <> 'DELETE' THEN
        SELECT slug INTO company FROM exhibitor WHERE id = NEW.exhibitor_id;
        PERFORM pg_notify('expodesk_public', 'booking ' || coalesce(company, ''));
    END IF;
    IF TG_OP <> 'INSERT' THEN
        SELECT slug INTO company FROM exhibitor WHERE id = OLD.exhibitor_id;
        PERFORM pg_notify('expodesk_public', 'booking ' || coalesce(company, ''));
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER public_change AFTER INSERT OR UPDATE OR DELETE ON booking
    FOR EACH ROW EXECUTE FUNCTION notify_booking_change();
CREATE TRIGGER public_change_truncate AFTER TRUNCATE ON booking
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();

COMMIT;
