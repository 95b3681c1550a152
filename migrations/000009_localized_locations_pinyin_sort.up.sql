-- Stage locations in every language, and a pinyin sort key for Chinese readers.
BEGIN;

-- A stage's location ("Hall 3", "3号馆", "Pabellón 3") is content in three
-- languages, like its name; what was there is English.
ALTER TABLE stage DROP CONSTRAINT stage_location_check;
ALTER TABLE stage ALTER COLUMN location DROP DEFAULT;
ALTER TABLE stage ALTER COLUMN location TYPE jsonb
    USING CASE WHEN location = '' THEN '{}'::jsonb ELSE jsonb_build_object('en', location) END;
ALTER TABLE stage ALTER COLUMN location SET DEFAULT '{}';
ALTER TABLE stage ADD CONSTRAINT stage_location_check CHECK (localized_shape_ok(location));

-- sort_zh is the name a Chinese reader's directory sorts by, as pinyin with
-- tone numbers ("0bo2 chuan1 wu4 liu2"); names that do not start with a
-- Chinese character follow, prefixed "1". The readings come from the
-- company's own romanization where a character has several (泊 bó in
-- "Bochuan", pō elsewhere), which no collation knows; so the key is computed
-- in Go (postgres.zhSortKey) on every write of a name, and filled for rows
-- that lack one after migrating (postgres.MigrateUp).
ALTER TABLE exhibitor ADD COLUMN sort_zh text NOT NULL DEFAULT '' CHECK (length(sort_zh) <= 2000);
DROP INDEX exhibitor_sort_zh;
CREATE INDEX exhibitor_sort_zh ON exhibitor ((sort_zh COLLATE "en-x-icu"), id);

COMMIT;
