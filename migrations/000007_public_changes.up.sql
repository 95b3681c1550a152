-- Each server instance caches public pages in memory. These triggers tell
-- every instance, through LISTEN/NOTIFY, that public data changed. PostgreSQL
-- delivers a notification only after its transaction commits, so an
-- instance never marks a cached page fresh before the change is visible,
-- and several notifications of one transaction arrive as one.
BEGIN;

CREATE FUNCTION notify_public_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('expodesk_public', '');
    RETURN NULL;
END
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['expo', 'expo_sister', 'pavilion', 'sector', 'exhibitor', 'exhibitor_sector',
                             'logo', 'participation', 'stage', 'slot', 'booking']
    LOOP
        EXECUTE format('CREATE TRIGGER public_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change()', t);
    END LOOP;
END
$$;

COMMIT;
