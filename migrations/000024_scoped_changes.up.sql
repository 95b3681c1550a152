-- Scoped change notifications for company profiles and participations, and
-- an index that answers "which countries exhibit here" without the heap.
--
-- Until now a change to a company's profile (its row, its sectors, its
-- logo) or to a participation told every instance "anything changed" and
-- emptied its whole page cache. Now the notification names what a visitor
-- could see changing:
--
--   "exhibitor <company slugs> <expo slugs>"      a profile, its sectors or logo
--   "participation <company slugs> <expo slugs>"  a participation
--
-- each list comma-separated (slugs hold neither commas nor spaces), the
-- expos being those where the company is approved or has a booking (a
-- profile: its card, its slots' names) or those of the participation rows
-- before and after the change, whatever their status (the company's other
-- expos show nothing of it; its own page is named by the company). An instance then drops those companies' pages and
-- those expos' pages only (internal/server/pagecache.go). Triggers are per
-- statement, reading the statement's rows from transition tables, so that
-- a statement notifies once however many rows it writes; one touching more
-- than 100 companies (an import, a backfill), one whose payload would pass
-- pg_notify's 8,000 bytes, a deletion of a company and a TRUNCATE still say
-- "anything changed" (an empty payload). PostgreSQL delivers notifications
-- after commit and folds equal payloads of one transaction into one, so a
-- profile save (row, then sectors deleted and inserted) arrives once.
BEGIN;

-- notify_companies sends one scoped notification of kind for the companies
-- ids and the expos expo_ids, adding for a profile ('exhibitor') the expos
-- where the companies are approved or booked (every page that shows them);
-- an empty payload when it cannot name them all or the payload would be too
-- long.
CREATE FUNCTION notify_companies(kind text, ids bigint[], expo_ids bigint[]) RETURNS void
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
        -- A company deleted in this statement or before it: its pages cannot
        -- be named any more.
        PERFORM pg_notify('expodesk_public', '');
        RETURN;
    END IF;
    SELECT string_agg(x.slug, ',' ORDER BY x.slug) INTO expos FROM expo x
    WHERE x.id = ANY (expo_ids)
       OR kind = 'exhibitor' AND x.id IN (SELECT p.expo_id FROM participation p WHERE p.exhibitor_id = ANY (ids) AND p.status = 'approved')
       OR kind = 'exhibitor' AND x.id IN (SELECT st.expo_id FROM booking b JOIN slot sl ON sl.id = b.slot_id JOIN stage st ON st.id = sl.stage_id
                   WHERE b.exhibitor_id = ANY (ids));
    payload := kind || ' ' || companies || ' ' || coalesce(expos, '');
    IF octet_length(payload) > 7900 THEN
        payload := '';
    END IF;
    PERFORM pg_notify('expodesk_public', payload);
END
$$;

-- A company's own row: its old and new slugs are both named by id (the
-- slug of the row as it now is); a deletion empties everything.
CREATE FUNCTION notify_exhibitor_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('expodesk_public', '');
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM notify_companies('exhibitor', ARRAY(SELECT id FROM new_rows), '{}');
    ELSE
        PERFORM notify_companies('exhibitor', ARRAY(SELECT id FROM new_rows), '{}');
        -- A new slug leaves the page under the old one stale.
        IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n.slug <> o.slug) THEN
            PERFORM pg_notify('expodesk_public', '');
        END IF;
    END IF;
    RETURN NULL;
END
$$;

-- A company's sectors or logo (rows with exhibitor_id).
CREATE FUNCTION notify_exhibitor_part_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM notify_companies('exhibitor', ARRAY(SELECT exhibitor_id FROM new_rows), '{}');
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM notify_companies('exhibitor',
            ARRAY(SELECT exhibitor_id FROM new_rows UNION SELECT exhibitor_id FROM old_rows), '{}');
    ELSE
        PERFORM notify_companies('exhibitor', ARRAY(SELECT exhibitor_id FROM old_rows), '{}');
    END IF;
    RETURN NULL;
END
$$;

-- A participation: its company and the expos of its rows before and after.
CREATE FUNCTION notify_participation_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM notify_companies('participation', ARRAY(SELECT exhibitor_id FROM new_rows),
            ARRAY(SELECT expo_id FROM new_rows));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM notify_companies('participation',
            ARRAY(SELECT exhibitor_id FROM new_rows UNION SELECT exhibitor_id FROM old_rows),
            ARRAY(SELECT expo_id FROM new_rows UNION SELECT expo_id FROM old_rows));
    ELSE
        PERFORM notify_companies('participation', ARRAY(SELECT exhibitor_id FROM old_rows),
            ARRAY(SELECT expo_id FROM old_rows));
    END IF;
    RETURN NULL;
END
$$;

DO $$
DECLARE
    t text;
    fn text;
BEGIN
    FOREACH t IN ARRAY ARRAY['exhibitor', 'exhibitor_sector', 'logo', 'participation']
    LOOP
        fn := CASE t WHEN 'exhibitor' THEN 'notify_exhibitor_change' WHEN 'participation' THEN 'notify_participation_change'
                     ELSE 'notify_exhibitor_part_change' END;
        EXECUTE format('DROP TRIGGER public_change ON %I', t);
        -- A trigger with transition tables fires on one event only.
        EXECUTE format('CREATE TRIGGER public_change_insert AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION %I()', t, fn);
        EXECUTE format('CREATE TRIGGER public_change_update AFTER UPDATE ON %I
                        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION %I()', t, fn);
        EXECUTE format('CREATE TRIGGER public_change_delete AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION %I()', t, fn);
        EXECUTE format('CREATE TRIGGER public_change_truncate AFTER TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change()', t);
    END LOOP;
END
$$;

-- The directory's country filter and an expo's country figure join every
-- approved participation to its company's country. Read from the heap,
-- that is every page of exhibitor (descriptions in three languages): 7 ms
-- of the 10 ms of a directory miss on 10,000 companies. From this index
-- (id and country only, some 40 pages) it is an index-only scan: 1-3 ms.
CREATE INDEX exhibitor_id_country ON exhibitor (id) INCLUDE (country);

COMMIT;
