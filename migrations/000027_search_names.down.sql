BEGIN;
ALTER TABLE exhibitor DROP COLUMN search_names;
COMMIT;
