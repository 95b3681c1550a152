BEGIN;

CREATE OR REPLACE FUNCTION search_bigrams(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN ARRAY(SELECT DISTINCT substr(t, i, 2) FROM generate_series(1, length(t) - 1) AS i
                 WHERE substr(t, i, 2) !~ '\s');
REINDEX INDEX exhibitor_search_bigrams;

COMMIT;
