BEGIN;
ALTER TABLE app_user DROP COLUMN totp_failures;
COMMIT;
