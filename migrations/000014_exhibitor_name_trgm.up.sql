-- Trigram indexes on each of a company's names, folded as searches fold
-- them, so that registering a company can look for near-identical names in
-- any language (pg_trgm's % operator) without reading every exhibitor.
-- One index per name rather than one on their concatenation: a similarity
-- is measured against one name, not diluted by the others.
BEGIN;
CREATE INDEX exhibitor_legal_name_trgm ON exhibitor USING gin (search_fold(legal_name) gin_trgm_ops);
CREATE INDEX exhibitor_name_en_trgm ON exhibitor USING gin (search_fold(name->>'en') gin_trgm_ops);
CREATE INDEX exhibitor_name_zh_trgm ON exhibitor USING gin (search_fold(name->>'zh') gin_trgm_ops);
CREATE INDEX exhibitor_name_es_trgm ON exhibitor USING gin (search_fold(name->>'es') gin_trgm_ops);
COMMIT;
