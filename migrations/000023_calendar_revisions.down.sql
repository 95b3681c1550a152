BEGIN;
DROP TRIGGER slot_revise ON slot;
DROP FUNCTION slot_revise();
DROP TRIGGER booking_revise ON booking;
DROP FUNCTION booking_revise();
ALTER TABLE slot DROP COLUMN sequence, DROP COLUMN updated_at;
ALTER TABLE booking DROP COLUMN sequence, DROP COLUMN updated_at;
COMMIT;
