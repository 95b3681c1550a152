BEGIN;

ALTER TABLE delegation_member DROP CONSTRAINT delegation_member_erased;
ALTER TABLE delegation_member ADD CONSTRAINT delegation_member_check
    CHECK (erased_at IS NULL OR (family_name = '' AND given_name = '' AND email = '' AND title = ''));
ALTER TABLE delegation_member
    DROP CONSTRAINT delegation_member_letter_dates,
    DROP COLUMN letter_issued_on,
    DROP COLUMN letter_requested_on,
    DROP COLUMN passport_name,
    DROP COLUMN phone,
    DROP COLUMN romanized_given_name,
    DROP COLUMN romanized_family_name;

DROP TABLE delegation_sector;
ALTER TABLE delegation DROP COLUMN host_pavilion_id;

-- Back to one text: the delegation's own language first, then the fallback order of the pages.
ALTER TABLE delegation DROP CONSTRAINT delegation_name_check;
ALTER TABLE delegation ALTER COLUMN name TYPE text USING left(coalesce(nullif(name->>lang, ''), nullif(name->>'en', ''),
    nullif(name->>'es', ''), name->>'zh'), 200);
ALTER TABLE delegation ADD CONSTRAINT delegation_name_check CHECK (length(name) BETWEEN 1 AND 200);

COMMIT;
