-- Organizers archive an expo that is over rather than delete it: its
-- exhibitors, agenda and audit trail stay, and it leaves the public home page.
BEGIN;
ALTER TABLE expo ADD COLUMN archived_at timestamptz;
COMMIT;
