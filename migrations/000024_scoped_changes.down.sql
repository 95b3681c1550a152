BEGIN;

DROP INDEX exhibitor_id_country;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['exhibitor', 'exhibitor_sector', 'logo', 'participation']
    LOOP
        EXECUTE format('DROP TRIGGER public_change_insert ON %I', t);
        EXECUTE format('DROP TRIGGER public_change_update ON %I', t);
        EXECUTE format('DROP TRIGGER public_change_delete ON %I', t);
        EXECUTE format('DROP TRIGGER public_change_truncate ON %I', t);
        EXECUTE format('CREATE TRIGGER public_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change()', t);
    END LOOP;
END
$$;

DROP FUNCTION notify_participation_change();
DROP FUNCTION notify_exhibitor_part_change();
DROP FUNCTION notify_exhibitor_change();
DROP FUNCTION notify_companies(text, bigint[], bigint[]);

COMMIT;
