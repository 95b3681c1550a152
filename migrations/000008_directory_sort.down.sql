BEGIN;
DROP INDEX IF EXISTS exhibitor_sort_es;
DROP INDEX IF EXISTS exhibitor_sort_zh;
DROP INDEX IF EXISTS exhibitor_sort_en;
COMMIT;
