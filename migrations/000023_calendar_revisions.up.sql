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

-- calendar_revise counts a revision when one of the columns the trigger names
-- changed; an UPDATE that writes what was there already is none.
CREATE FUNCTION calendar_revise() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    col text;
    new_row jsonb := to_jsonb(NEW);
    old_row jsonb := to_jsonb(OLD);
BEGIN
    FOREACH col IN ARRAY TG_ARGV LOOP
        IF new_row -> col IS DISTINCT FROM old_row -> col THEN
            NEW.sequence := OLD.sequence + 1;
            NEW.updated_at := greatest(now(), OLD.updated_at);
            RETURN NEW;
        END IF;
    END LOOP;
    RETURN NEW;
END
$$;

-- A booking's during changes when it moves to another slot (booking_during,
-- which runs first: BEFORE triggers fire in name order) and when its slot's
-- time is edited (slot_moved_bookings).
CREATE TRIGGER booking_revise BEFORE UPDATE ON booking
    FOR EACH ROW EXECUTE FUNCTION calendar_revise('slot_id', 'during', 'status', 'titles', 'abstracts');
CREATE TRIGGER slot_revise BEFORE UPDATE ON slot
    FOR EACH ROW EXECUTE FUNCTION calendar_revise('starts_at', 'ends_at', 'blocked', 'label');

COMMIT;
