-- Waitlists of booked roadshow slots (issue 9, item 4). A company waits in
-- line for a slot another company holds; when the slot is freed it goes,
-- in the transaction that frees it, to the first in line who can take it:
-- booked at once, or offered for some hours when the rules say so. An offer
-- is a booking with status 'offered', so that the index that keeps one
-- booking per slot also keeps anybody else from booking an offered slot.
BEGIN;

-- 0: the first in line gets the slot at once; n: it is offered for n hours.
ALTER TABLE expo ADD COLUMN waitlist_offer_hours integer NOT NULL DEFAULT 0
    CHECK (waitlist_offer_hours BETWEEN 0 AND 720);
ALTER TABLE pavilion_booking_rule ADD COLUMN waitlist_offer_hours integer NOT NULL DEFAULT 0
    CHECK (waitlist_offer_hours BETWEEN 0 AND 720);

-- An entry may carry the title and abstract the booking gets, in any of
-- the languages, or none (to be announced), as a booking does.
ALTER TABLE waitlist_entry
    ADD COLUMN titles jsonb NOT NULL DEFAULT '{}'
        CHECK (localized_shape_ok(titles) AND localized_max_len(titles, 200)),
    ADD COLUMN abstracts jsonb NOT NULL DEFAULT '{}'
        CHECK (localized_shape_ok(abstracts) AND localized_max_len(abstracts, 4000)),
    ADD COLUMN created_by bigint REFERENCES app_user ON DELETE SET NULL;
UPDATE waitlist_entry SET titles = jsonb_build_object('en', title),
    abstracts = CASE WHEN abstract = '' THEN '{}'::jsonb ELSE jsonb_build_object('en', abstract) END;
ALTER TABLE waitlist_entry DROP COLUMN title, DROP COLUMN abstract;
-- The line of a slot, in the order it is served.
CREATE INDEX waitlist_entry_line ON waitlist_entry (slot_id, created_at, id);

-- 'offered': held for the first in line until offered_until; 'lapsed': an
-- offer declined or let expire (never a booking, so not 'cancelled').
ALTER TABLE booking DROP CONSTRAINT booking_status_check;
ALTER TABLE booking ADD CONSTRAINT booking_status_check
    CHECK (status IN ('active', 'cancelled', 'offered', 'lapsed'));
ALTER TABLE booking ADD COLUMN offered_until timestamptz,
    ADD CONSTRAINT booking_offer_until CHECK (status <> 'offered' OR offered_until IS NOT NULL);
DROP INDEX booking_one_active_per_slot;
CREATE UNIQUE INDEX booking_one_active_per_slot ON booking (slot_id) WHERE status IN ('active', 'offered');
-- The sweeper's work: offers by the time they expire.
CREATE INDEX booking_offers_due ON booking (offered_until) WHERE status = 'offered';

COMMIT;
