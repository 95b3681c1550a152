BEGIN;
DROP INDEX participation_contact_email;
ALTER TABLE participation
    DROP COLUMN contact_family_name,
    DROP COLUMN contact_given_name,
    DROP COLUMN contact_email,
    DROP COLUMN contact_lang,
    DROP COLUMN rejection_reason;
COMMIT;
