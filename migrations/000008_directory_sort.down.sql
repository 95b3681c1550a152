BEGIN;
DROP INDEX IF EXISTS exhibitor_search_bigrams;
DROP FUNCTION IF EXISTS search_bigrams(text);
DROP INDEX IF EXISTS exhibitor_sort_es;
DROP INDEX IF EXISTS exhibitor_sort_zh;
DROP INDEX IF EXISTS exhibitor_sort_en;
COMMIT;
