-- Calendar feeds (V4): a subscribed calendar recognises an event by its UID
-- (the booking's id) and takes a new version of it only when its SEQUENCE
-- rises. sequence counts the revisions a calendar must notice and
-- updated_at (LAST-MODIFIED) says when the last one was made; triggers keep
-- both, so that every path that moves, retimes, cancels or retitles a
-- booking (the service, a slot's trigger, a hand-written UPDATE) counts.
-- A blocked slot with a label ("Keynote") is an event of the expo's feed
-- too, revised the same way.
BEGIN;

ALTER TABLE booking
    ADD COLUMN sequence integer NOT NULL DEFAULT 0 CHECK (sequence >= 0),
    ADD COLUMN updated_at timestamptz;
-- A booking cancelled before the counter existed has had one revision.
UPDATE booking SET updated_at = coalesce(cancelled_at, created_at),
    sequence = CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END;
ALTER TABLE booking ALTER COLUMN updated_at SET NOT NULL, ALTER COLUMN updated_at SET DEFAULT now();

ALTER TABLE slot
    ADD COLUMN sequence integer NOT NULL DEFAULT 0 CHECK (sequence >= 0),
    ADD COLUMN updated_at timestamptz;
UPDATE slot SET updated_at = created_at;
ALTER TABLE slot ALTER COLUMN updated_at SET NOT NULL, ALTER COLUMN updated_at SET DEFAULT now();

-- during changes when the booking moves to another slot (booking_during,
-- which runs first: BEFORE triggers fire in name order) and when its slot's
-- time is edited (slot_moved_bookings); an UPDATE that writes what was
-- there already is no revision.
CREATE FUNCTION booking_revise() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.slot_id <> OLD.slot_id OR NEW.during <> OLD.during OR NEW.status <> OLD.status
       OR NEW.titles <> OLD.titles OR NEW.abstracts <> OLD.abstracts THEN
        NEW.sequence := OLD.sequence + 1;
        NEW.updated_at := greatest(now(), OLD.updated_at);
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER booking_revise BEFORE UPDATE ON booking
    FOR EACH ROW EXECUTE FUNCTION booking_revise();

CREATE FUNCTION slot_revise() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.starts_at <> OLD.starts_at OR NEW.ends_at <> OLD.ends_at OR NEW.blocked <> OLD.blocked
       OR NEW.label <> OLD.label THEN
        NEW.sequence := OLD.sequence + 1;
        NEW.updated_at := greatest(now(), OLD.updated_at);
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER slot_revise BEFORE UPDATE ON slot
    FOR EACH ROW EXECUTE FUNCTION slot_revise();

COMMIT;
