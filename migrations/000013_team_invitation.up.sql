-- The invitations a company's team has sent, whether they created an account
-- or went to an address that already had one: the team page lists both
-- alike, so that it does not tell which addresses have accounts.
BEGIN;
CREATE TABLE team_invitation (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    exhibitor_id  bigint NOT NULL REFERENCES exhibitor ON DELETE CASCADE,
    email         text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    -- The account the invitation created; NULL when the address had one.
    user_id       bigint REFERENCES app_user ON DELETE CASCADE,
    invited_by    bigint REFERENCES app_user ON DELETE SET NULL,
    created_at    timestamptz NOT NULL
);
CREATE INDEX team_invitation_exhibitor ON team_invitation (exhibitor_id, created_at DESC);
COMMIT;
