-- The directory lists name matches before description matches (issue 10):
-- search_names is the folded names part of search (legal name and the three
-- names, as search starts), so that a row's "does every term occur in a
-- name" is one LIKE per term, in PostgreSQL as in the in-memory directory
-- (internal/directory), which loads it.
BEGIN;

ALTER TABLE exhibitor ADD COLUMN search_names text GENERATED ALWAYS AS (search_fold(
    legal_name || ' ' ||
    coalesce(name->>'en', '') || ' ' || coalesce(name->>'zh', '') || ' ' ||
    coalesce(name->>'es', ''))) STORED;

COMMIT;
