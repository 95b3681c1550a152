-- The directory lists exhibitors by name in the reader's language, with the
-- fallback order of expodesk.Text.In, in that language's collation (Chinese
-- by pinyin). These expression indexes match the ORDER BY the store writes
-- (postgres.sortName), so page 1 of a large pavilion walks the index instead
-- of sorting every exhibitor.
BEGIN;

CREATE INDEX exhibitor_sort_en ON exhibitor
    ((coalesce(nullif(name->>'en', ''), nullif(name->>'es', ''), nullif(name->>'zh', ''), legal_name) COLLATE "en-x-icu"), id);
CREATE INDEX exhibitor_sort_zh ON exhibitor
    ((coalesce(nullif(name->>'zh', ''), nullif(name->>'en', ''), nullif(name->>'es', ''), legal_name) COLLATE "zh-x-icu"), id);
CREATE INDEX exhibitor_sort_es ON exhibitor
    ((coalesce(nullif(name->>'es', ''), nullif(name->>'en', ''), nullif(name->>'zh', ''), legal_name) COLLATE "es-x-icu"), id);

COMMIT;
