-- Itineraries and meetings (issue 11, part B): free items of several kinds,
-- an exhibitor's counter-proposal of a meeting's time, who of a delegation
-- attends a meeting, and the index the shared itinerary link is looked up by.
BEGIN;

-- Free items say what they are (a transfer, a meal, a ceremony), so that the
-- itinerary can label them in the reader's language; 'other' stays for the rest.
ALTER TABLE itinerary_item DROP CONSTRAINT itinerary_item_kind_check;
ALTER TABLE itinerary_item ADD CONSTRAINT itinerary_item_kind_check
    CHECK (kind IN ('visit', 'roadshow', 'transfer', 'meal', 'ceremony', 'other'));

-- An exhibitor may answer a request with another time: the meeting is then
-- 'proposed' until the organizer takes the proposal (it becomes the
-- meeting's time, accepted) or turns it down (back to requested).
ALTER TABLE meeting DROP CONSTRAINT meeting_status_check;
ALTER TABLE meeting ADD CONSTRAINT meeting_status_check
    CHECK (status IN ('requested', 'proposed', 'accepted', 'declined', 'cancelled'));
ALTER TABLE meeting
    ADD COLUMN proposed_starts_at timestamptz,
    ADD COLUMN proposed_ends_at   timestamptz,
    ADD CONSTRAINT meeting_proposal CHECK (
        (proposed_starts_at IS NULL) = (proposed_ends_at IS NULL)
        AND (proposed_ends_at IS NULL OR proposed_ends_at > proposed_starts_at)
        AND (status <> 'proposed' OR proposed_starts_at IS NOT NULL)),
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- The members of the delegation who attend a meeting: the exhibitor sees
-- their names and titles, and nothing else of the delegation's members.
CREATE TABLE meeting_attendee (
    meeting_id  bigint NOT NULL REFERENCES meeting ON DELETE CASCADE,
    member_id   bigint NOT NULL REFERENCES delegation_member ON DELETE CASCADE,
    PRIMARY KEY (meeting_id, member_id)
);
CREATE INDEX meeting_attendee_member ON meeting_attendee (member_id);

-- Stage presentations are compared with meetings by exhibitor and time.
CREATE INDEX itinerary_item_slot ON itinerary_item (slot_id) WHERE slot_id IS NOT NULL;

COMMIT;
