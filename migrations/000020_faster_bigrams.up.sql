-- search_bigrams gives the same pieces as before (two characters, no
-- space in them) by splitting the text into words once and each word
-- into characters once, rather than matching a regular expression and
-- taking substr (which walks a Chinese text from its start) at every
-- position: about three times faster on 10,000 company texts, and
-- indexing them is most of what an import of 10,000 companies spends
-- (docs/benchmarks.md). The index is rebuilt with it.
BEGIN;

CREATE OR REPLACE FUNCTION search_bigrams(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN ARRAY(SELECT DISTINCT b FROM (
                     SELECT c || lead(c) OVER (PARTITION BY w ORDER BY i) AS b
                     FROM regexp_split_to_table(t, '\s+') WITH ORDINALITY AS s(word, w),
                          unnest(string_to_array(word, NULL)) WITH ORDINALITY AS u(c, i)) AS pairs
                 WHERE b IS NOT NULL);
REINDEX INDEX exhibitor_search_bigrams;

COMMIT;
