-- Wrong TOTP codes in a row: past a limit only a recovery code works, so
-- that a stolen password cannot be followed by guessing codes for ever.
BEGIN;
ALTER TABLE app_user ADD COLUMN totp_failures integer NOT NULL DEFAULT 0 CHECK (totp_failures >= 0);
COMMIT;
