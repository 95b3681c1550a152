BEGIN;
DROP TRIGGER slot_revise ON slot;
DROP TRIGGER booking_revise ON booking;
DROP FUNCTION calendar_revise();
ALTER TABLE slot DROP COLUMN sequence, DROP COLUMN updated_at;
ALTER TABLE booking DROP COLUMN sequence, DROP COLUMN updated_at;
COMMIT;
