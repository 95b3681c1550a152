BEGIN;
DROP INDEX booking_offers_due;
-- Offers and lapsed offers were never bookings.
DELETE FROM booking WHERE status IN ('offered', 'lapsed');
DROP INDEX booking_one_active_per_slot;
CREATE UNIQUE INDEX booking_one_active_per_slot ON booking (slot_id) WHERE status = 'active';
ALTER TABLE booking DROP CONSTRAINT booking_offer_until, DROP COLUMN offered_until;
ALTER TABLE booking DROP CONSTRAINT booking_status_check;
ALTER TABLE booking ADD CONSTRAINT booking_status_check CHECK (status IN ('active', 'cancelled'));

DROP INDEX waitlist_entry_line;
ALTER TABLE waitlist_entry
    ADD COLUMN title text,
    ADD COLUMN abstract text NOT NULL DEFAULT '' CHECK (length(abstract) <= 4000);
UPDATE waitlist_entry SET title = coalesce(nullif(titles->>'en', ''), nullif(titles->>'es', ''), nullif(titles->>'zh', ''), 'TBA'),
    abstract = coalesce(nullif(abstracts->>'en', ''), nullif(abstracts->>'es', ''), nullif(abstracts->>'zh', ''), '');
ALTER TABLE waitlist_entry ALTER COLUMN title SET NOT NULL,
    ADD CHECK (length(title) BETWEEN 1 AND 200);
ALTER TABLE waitlist_entry DROP COLUMN titles, DROP COLUMN abstracts, DROP COLUMN created_by;

ALTER TABLE pavilion_booking_rule DROP COLUMN waitlist_offer_hours;
ALTER TABLE expo DROP COLUMN waitlist_offer_hours;
COMMIT;
