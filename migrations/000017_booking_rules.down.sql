BEGIN;
DROP TRIGGER public_change_truncate ON booking;
DROP TRIGGER public_change ON booking;
DROP FUNCTION notify_booking_change();
CREATE TRIGGER public_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON booking
    FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change();

ALTER TABLE booking DROP CONSTRAINT booking_exhibitor_no_overlap;
DROP TRIGGER slot_moved_bookings ON slot;
DROP FUNCTION slot_moved_bookings();
DROP TRIGGER booking_during ON booking;
DROP FUNCTION booking_set_during();
ALTER TABLE booking DROP COLUMN during;

-- Back to one language: the title a one-language reader saw; a booking
-- still to be announced gets a placeholder, as the old schema wants one.
ALTER TABLE booking RENAME COLUMN title TO title_shown;
ALTER TABLE booking RENAME COLUMN abstract TO abstract_shown;
ALTER TABLE booking RENAME COLUMN lang TO lang_shown;
ALTER TABLE booking
    ADD COLUMN title text,
    ADD COLUMN abstract text NOT NULL DEFAULT '' CHECK (length(abstract) <= 4000),
    ADD COLUMN lang text NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'zh', 'es'));
UPDATE booking SET title = CASE WHEN title_shown = '' THEN 'TBA' ELSE title_shown END,
    abstract = abstract_shown, lang = lang_shown;
ALTER TABLE booking ALTER COLUMN title SET NOT NULL,
    ADD CHECK (length(title) BETWEEN 1 AND 200);
ALTER TABLE booking DROP COLUMN title_shown, DROP COLUMN abstract_shown, DROP COLUMN lang_shown,
    DROP COLUMN titles, DROP COLUMN abstracts;

DROP TABLE pavilion_booking_rule;
ALTER TABLE expo DROP COLUMN booking_title_lang, DROP COLUMN booking_texts_due_at;
DROP FUNCTION localized_max_len(jsonb, integer);
COMMIT;
