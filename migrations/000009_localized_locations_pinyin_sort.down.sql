BEGIN;

DROP INDEX IF EXISTS exhibitor_sort_zh;
ALTER TABLE exhibitor DROP COLUMN IF EXISTS sort_zh;
CREATE INDEX exhibitor_sort_zh ON exhibitor
    ((coalesce(nullif(name->>'zh', ''), nullif(name->>'en', ''), nullif(name->>'es', ''), legal_name) COLLATE "zh-x-icu"), id);

-- Back to one text per location: English, else whichever language there is.
ALTER TABLE stage DROP CONSTRAINT stage_location_check;
ALTER TABLE stage ALTER COLUMN location DROP DEFAULT;
ALTER TABLE stage ALTER COLUMN location TYPE text
    USING left(coalesce(nullif(location->>'en', ''), nullif(location->>'es', ''), nullif(location->>'zh', ''), ''), 120);
ALTER TABLE stage ALTER COLUMN location SET DEFAULT '';
ALTER TABLE stage ADD CONSTRAINT stage_location_check CHECK (length(location) <= 120);

COMMIT;
