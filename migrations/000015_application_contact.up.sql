-- A public application (E5) names the person to invite once it is approved,
-- and the language to write to them in; a rejection keeps its reason, which
-- the applicant is told. One address applies once per expo: a second
-- application with it is answered politely and recorded nowhere else.
BEGIN;
ALTER TABLE participation
    ADD COLUMN contact_family_name text NOT NULL DEFAULT '' CHECK (length(contact_family_name) <= 100),
    ADD COLUMN contact_given_name  text NOT NULL DEFAULT '' CHECK (length(contact_given_name) <= 100),
    ADD COLUMN contact_email       text NOT NULL DEFAULT '' CHECK (length(contact_email) <= 254),
    ADD COLUMN contact_lang        text NOT NULL DEFAULT 'en' CHECK (contact_lang IN ('en', 'zh', 'es')),
    ADD COLUMN rejection_reason    text NOT NULL DEFAULT '' CHECK (length(rejection_reason) <= 1000);
CREATE UNIQUE INDEX participation_contact_email ON participation (expo_id, lower(contact_email))
    WHERE contact_email <> '';
COMMIT;
