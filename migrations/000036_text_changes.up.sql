-- A profile edit that leaves every card as it was says so.
--
-- A directory card shows a company's slug, names and country (its sectors,
-- logo and booth have triggers of their own); its description, city,
-- website and contact fields appear only on its own page and in what a
-- search matches. Until now every profile edit notified
-- "exhibitor <companies> <expos>", which drops all the pages of those
-- expos, the plain directory listings included; while exhibitors polish
-- their descriptions in the booking window, that emptied the busiest
-- pages many times a second for nothing. Such an edit now notifies
--
--   "exhibitor-text <company slugs> <expo slugs>"
--
-- which drops the companies' own pages and only those directory pages of
-- the expos that show a search's results (internal/server/pagecache.go),
-- and tells each instance's in-memory directory that only search texts
-- changed. The expos named are those where the companies are approved:
-- agendas show a presenter's name only, so their bookings' expos are not.
BEGIN;

CREATE OR REPLACE FUNCTION notify_companies(kind text, ids bigint[], expo_ids bigint[]) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    found integer;
    companies text;
    expos text;
    payload text;
BEGIN
    ids := ARRAY(SELECT DISTINCT i FROM unnest(ids) AS i WHERE i IS NOT NULL);
    IF cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    IF cardinality(ids) > 100 THEN
        PERFORM pg_notify('expodesk_public', '');
        RETURN;
    END IF;
    SELECT count(*), string_agg(slug, ',' ORDER BY slug) INTO found, companies FROM exhibitor WHERE id = ANY (ids);
    IF found < cardinality(ids) THEN
        PERFORM pg_notify('expodesk_public', '');
        RETURN;
    END IF;
    SELECT string_agg(x.slug, ',' ORDER BY x.slug) INTO expos FROM expo x
    WHERE x.id = ANY (expo_ids)
       OR kind IN ('exhibitor', 'exhibitor-text') AND x.id IN (SELECT p.expo_id FROM participation p WHERE p.exhibitor_id = ANY (ids) AND p.status = 'approved')
       OR kind = 'exhibitor' AND x.id IN (SELECT st.expo_id FROM booking b JOIN slot sl ON sl.id = b.slot_id JOIN stage st ON st.id = sl.stage_id
                   WHERE b.exhibitor_id = ANY (ids));
    payload := kind || ' ' || companies || ' ' || coalesce(expos, '');
    IF octet_length(payload) > 7900 THEN
        payload := '';
    END IF;
    PERFORM pg_notify('expodesk_public', payload);
END
$$;

CREATE OR REPLACE FUNCTION notify_exhibitor_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('expodesk_public', '');
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM notify_companies('exhibitor', ARRAY(SELECT id FROM new_rows), '{}');
    ELSIF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
                  WHERE (n.slug, n.legal_name, n.name, n.country) IS DISTINCT FROM (o.slug, o.legal_name, o.name, o.country)) THEN
        PERFORM notify_companies('exhibitor', ARRAY(SELECT id FROM new_rows), '{}');
        -- A new slug leaves the page under the old one stale.
        IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n.slug <> o.slug) THEN
            PERFORM pg_notify('expodesk_public', '');
        END IF;
    ELSE
        PERFORM notify_companies('exhibitor-text', ARRAY(SELECT id FROM new_rows), '{}');
    END IF;
    RETURN NULL;
END
$$;

COMMIT;
