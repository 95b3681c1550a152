BEGIN;
DROP TABLE team_invitation;
COMMIT;
