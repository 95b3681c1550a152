BEGIN;

-- Every profile edit names its companies' cards again (000024).
CREATE OR REPLACE FUNCTION notify_exhibitor_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('expodesk_public', '');
    ELSE
        PERFORM notify_companies('exhibitor', ARRAY(SELECT id FROM new_rows), '{}');
        IF TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n.slug <> o.slug) THEN
            PERFORM pg_notify('expodesk_public', '');
        END IF;
    END IF;
    RETURN NULL;
END
$$;

-- notify_companies keeps 000036's body: it treats 'exhibitor' as 000024 did,
-- and nothing sends 'exhibitor-text' any more.

COMMIT;
