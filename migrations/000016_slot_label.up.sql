-- A slot an organizer holds back from booking (blocked) may say why, in
-- each language: "Keynote", "主旨演讲", "Conferencia inaugural"; a lunch break.
BEGIN;
ALTER TABLE slot ADD COLUMN label jsonb NOT NULL DEFAULT '{}' CHECK (localized_shape_ok(label));
COMMIT;
