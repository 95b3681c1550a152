BEGIN;
DROP INDEX exhibitor_legal_name_trgm;
DROP INDEX exhibitor_name_en_trgm;
DROP INDEX exhibitor_name_zh_trgm;
DROP INDEX exhibitor_name_es_trgm;
COMMIT;
