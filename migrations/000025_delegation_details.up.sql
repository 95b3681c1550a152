-- Delegations in three languages with their host pavilion and sectors of
-- interest; members with the details of the consulate workflow (phone, name
-- as on the passport, letter dates) and a romanised name.
BEGIN;

-- The name is content in three languages like an expo's. What was there is
-- taken to be in the delegation's own language (the one its shared
-- itinerary is read in), since that is who it was written for.
ALTER TABLE delegation DROP CONSTRAINT delegation_name_check;
ALTER TABLE delegation ALTER COLUMN name TYPE jsonb USING jsonb_build_object(lang, name);
ALTER TABLE delegation ADD CONSTRAINT delegation_name_check CHECK (
    localized_ok(name)
    AND length(coalesce(name->>'en', '')) <= 200
    AND length(coalesce(name->>'zh', '')) <= 200
    AND length(coalesce(name->>'es', '')) <= 200);

-- A visit hosted by a pavilion (the Wuxi Pavilion receiving Wuxi's
-- government) is managed by that pavilion's coordinator as well; NULL is a
-- visit to the whole expo, for expo-wide organizers only. The service checks
-- that the pavilion is one of the delegation's expo.
ALTER TABLE delegation ADD COLUMN host_pavilion_id bigint REFERENCES pavilion ON DELETE SET NULL;
CREATE INDEX delegation_host_pavilion ON delegation (host_pavilion_id) WHERE host_pavilion_id IS NOT NULL;

-- Sectors of interest, from the exhibitors' sector list.
CREATE TABLE delegation_sector (
    delegation_id  bigint NOT NULL REFERENCES delegation ON DELETE CASCADE,
    sector_code    text NOT NULL REFERENCES sector ON UPDATE CASCADE,
    PRIMARY KEY (delegation_id, sector_code)
);
CREATE INDEX delegation_sector_code ON delegation_sector (sector_code);

-- The romanised name is how the name reads in Latin letters (pinyin for a
-- Chinese member: 欧阳 晓明 → Ouyang Xiaoming), derived when the member is
-- entered and corrected by the organizer where the reading differs.
-- position is the protocol order (1 = first in line).
ALTER TABLE delegation_member
    ADD COLUMN romanized_family_name text NOT NULL DEFAULT '' CHECK (length(romanized_family_name) <= 100),
    ADD COLUMN romanized_given_name  text NOT NULL DEFAULT '' CHECK (length(romanized_given_name) <= 100),
    ADD COLUMN phone                 text NOT NULL DEFAULT '' CHECK (length(phone) <= 40),
    ADD COLUMN passport_name         text NOT NULL DEFAULT '' CHECK (length(passport_name) <= 200),
    ADD COLUMN letter_requested_on   date,
    ADD COLUMN letter_issued_on      date,
    ADD CONSTRAINT delegation_member_letter_dates
        CHECK (letter_issued_on IS NULL OR letter_requested_on IS NULL OR letter_issued_on >= letter_requested_on);

-- Erasure blanks every personal field, the new ones included.
ALTER TABLE delegation_member DROP CONSTRAINT delegation_member_check;
ALTER TABLE delegation_member ADD CONSTRAINT delegation_member_erased CHECK (erased_at IS NULL OR (
    family_name = '' AND given_name = '' AND email = '' AND title = '' AND phone = ''
    AND passport_name = '' AND romanized_family_name = '' AND romanized_given_name = ''));

COMMIT;
