BEGIN;

DROP INDEX IF EXISTS itinerary_item_slot;
DROP TABLE IF EXISTS meeting_attendee;

-- A pending proposal goes back to a plain request; the new kinds of free items to 'other'.
UPDATE meeting SET status = 'requested' WHERE status = 'proposed';
ALTER TABLE meeting DROP CONSTRAINT meeting_proposal,
    DROP COLUMN proposed_starts_at,
    DROP COLUMN proposed_ends_at,
    DROP COLUMN updated_at;
ALTER TABLE meeting DROP CONSTRAINT meeting_status_check;
ALTER TABLE meeting ADD CONSTRAINT meeting_status_check
    CHECK (status IN ('requested', 'accepted', 'declined', 'cancelled'));

UPDATE itinerary_item SET kind = 'other' WHERE kind IN ('transfer', 'meal', 'ceremony');
ALTER TABLE itinerary_item DROP CONSTRAINT itinerary_item_kind_check;
ALTER TABLE itinerary_item ADD CONSTRAINT itinerary_item_kind_check
    CHECK (kind IN ('visit', 'roadshow', 'other'));

COMMIT;
