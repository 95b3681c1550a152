-- The shared itinerary's .ics (issue 11): a subscribed calendar takes a new
-- version of an event only when its SEQUENCE rises, so meetings and
-- itinerary items count their revisions as bookings do (migration 000023's
-- calendar_revise): a meeting whose time, place or status changes, an item
-- moved, retitled or relocated.
BEGIN;

ALTER TABLE meeting ADD COLUMN sequence integer NOT NULL DEFAULT 0 CHECK (sequence >= 0);
CREATE TRIGGER meeting_revise BEFORE UPDATE ON meeting
    FOR EACH ROW EXECUTE FUNCTION calendar_revise('starts_at', 'ends_at', 'location', 'topic', 'status');

ALTER TABLE itinerary_item
    ADD COLUMN sequence integer NOT NULL DEFAULT 0 CHECK (sequence >= 0),
    ADD COLUMN updated_at timestamptz;
UPDATE itinerary_item SET updated_at = created_at;
ALTER TABLE itinerary_item ALTER COLUMN updated_at SET NOT NULL, ALTER COLUMN updated_at SET DEFAULT now();
CREATE TRIGGER itinerary_item_revise BEFORE UPDATE ON itinerary_item
    FOR EACH ROW EXECUTE FUNCTION calendar_revise('kind', 'starts_at', 'ends_at', 'title', 'location', 'notes',
        'pavilion_id', 'exhibitor_id', 'slot_id');

COMMIT;
