BEGIN;
DROP TRIGGER itinerary_item_revise ON itinerary_item;
ALTER TABLE itinerary_item DROP COLUMN sequence, DROP COLUMN updated_at;
DROP TRIGGER meeting_revise ON meeting;
ALTER TABLE meeting DROP COLUMN sequence;
COMMIT;
