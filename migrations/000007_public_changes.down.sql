BEGIN;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['expo', 'expo_sister', 'pavilion', 'sector', 'exhibitor', 'exhibitor_sector',
                             'logo', 'participation', 'stage', 'slot', 'booking']
    LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS public_change ON %I', t);
    END LOOP;
END
$$;

DROP FUNCTION IF EXISTS notify_public_change();

COMMIT;
