-- What registering a company compares it by, to show likely duplicates
-- before a second copy of a company is created (O2): its registration id,
-- its website's host, and its names reduced to their core.
BEGIN;

-- name_core is a company name as duplicates are compared: folded as
-- searches fold it (case, accents), punctuation made space, and the words
-- every company name shares dropped, so that 无锡太湖传感科技有限公司 and
-- 太湖传感, or "Nube Catalana S.L." and "NUBE CATALANA SL", compare equal,
-- while the thousands of 无锡…物联网科技有限公司 ("Wuxi … IoT Technology
-- Co., Ltd.") of Wuxi do not all look alike.
CREATE FUNCTION name_core(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN btrim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
        search_fold(t), '\.', '', 'g'),
        '[[:punct:][:space:]]+', ' ', 'g'),
        '(股份有限公司|有限责任公司|有限公司|分公司|集团|科技|技术|物联网|江苏省|江苏|无锡市|无锡)', ' ', 'g'),
        '\m(co|ltd|limited|inc|llc|plc|sl|slu|sa|sau|sll|gmbh|ag|srl|spa|bv|nv|corp|corporation|company|group|technology|technologies|iot|wuxi|jiangsu)\M', ' ', 'g'),
        ' +', ' ', 'g'));

-- website_host is a website's host as duplicates are compared: lower-case,
-- without scheme, userinfo, port, path or a leading "www." ("" for none).
CREATE FUNCTION website_host(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN coalesce(rtrim(lower(substring(t from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?(?:[Ww][Ww][Ww]\.)?([^/:?#]+)')), '.'), '');

-- One trigram index per name rather than one on their concatenation: a
-- similarity is measured against one name, not diluted by the others.
CREATE INDEX exhibitor_legal_name_core ON exhibitor USING gin (name_core(legal_name) gin_trgm_ops);
CREATE INDEX exhibitor_name_en_core ON exhibitor USING gin (name_core(name->>'en') gin_trgm_ops);
CREATE INDEX exhibitor_name_zh_core ON exhibitor USING gin (name_core(name->>'zh') gin_trgm_ops);
CREATE INDEX exhibitor_name_es_core ON exhibitor USING gin (name_core(name->>'es') gin_trgm_ops);
CREATE INDEX exhibitor_website_host ON exhibitor (website_host(website)) WHERE website <> '';
-- Registration ids compare in capitals, however an older row was typed.
CREATE INDEX exhibitor_registration_id_upper ON exhibitor (upper(registration_id)) WHERE registration_id <> '';

COMMIT;
