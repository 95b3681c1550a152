-- An exhibitor spreadsheet kept between its preview and its commit (O2), so
-- that the commit reads the very bytes the organizer saw previewed rather
-- than a file the browser sends again. Only a file whose preview had no
-- problem is kept; the commit deletes it, and the janitor deletes what was
-- never committed once it expires.
BEGIN;
CREATE TABLE csv_import (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uploaded_by  bigint NOT NULL REFERENCES app_user ON DELETE CASCADE,
    filename     text NOT NULL CHECK (length(filename) <= 200),
    data         bytea NOT NULL CHECK (octet_length(data) BETWEEN 1 AND 10485760),
    sha256       bytea NOT NULL CHECK (octet_length(sha256) = 32),
    row_count    integer NOT NULL CHECK (row_count > 0),
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL CHECK (expires_at > created_at)
);
CREATE INDEX csv_import_uploaded_by ON csv_import (uploaded_by);
CREATE INDEX csv_import_expires_at ON csv_import (expires_at);
COMMIT;
