-- Indexes for the directory's hot queries at thousands of exhibitors.
BEGIN;

-- The directory lists exhibitors by name in the reader's language, with the
-- fallback order of expodesk.Text.In, in that language's collation (Chinese
-- by pinyin). These expression indexes match the ORDER BY the store writes
-- (postgres.sortName), so page 1 of a large pavilion walks the index instead
-- of sorting every exhibitor.
CREATE INDEX exhibitor_sort_en ON exhibitor
    ((coalesce(nullif(name->>'en', ''), nullif(name->>'es', ''), nullif(name->>'zh', ''), legal_name) COLLATE "en-x-icu"), id);
CREATE INDEX exhibitor_sort_zh ON exhibitor
    ((coalesce(nullif(name->>'zh', ''), nullif(name->>'en', ''), nullif(name->>'es', ''), legal_name) COLLATE "zh-x-icu"), id);
CREATE INDEX exhibitor_sort_es ON exhibitor
    ((coalesce(nullif(name->>'es', ''), nullif(name->>'en', ''), nullif(name->>'zh', ''), legal_name) COLLATE "es-x-icu"), id);

-- search_bigrams lists the two-character pieces of a folded text that hold
-- no space. A two-character search term (无锡, 网关, ai, 5g) has no trigram
-- for pg_trgm to use; this lets its GIN index find the rows instead.
CREATE FUNCTION search_bigrams(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN ARRAY(SELECT DISTINCT substr(t, i, 2) FROM generate_series(1, length(t) - 1) AS i
                 WHERE substr(t, i, 2) !~ '\s');
CREATE INDEX exhibitor_search_bigrams ON exhibitor USING gin (search_bigrams(search));

COMMIT;
