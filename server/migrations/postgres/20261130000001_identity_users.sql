-- The Identity page (issue 14): the organization's information, and Manage Users of the
-- organization read from indexes so a page, every sort and a prefix search stay fast at 10,000
-- work accounts. The sort keys are generated columns, so every path that writes an account
-- (sign-up, invitations, the profile, this page) keeps them right without code of its own.

ALTER TABLE organizations ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN technical_contact TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN language TEXT NOT NULL DEFAULT 'en';

-- Keys compare bytewise (SQLite's BINARY; PostgreSQL's "C"), as db::prefix_range expects.
ALTER TABLE accounts ADD COLUMN name_key TEXT COLLATE "C" GENERATED ALWAYS AS (lower(display_name)) STORED;
ALTER TABLE accounts ADD COLUMN email_key TEXT COLLATE "C" GENERATED ALWAYS AS (email_canonical) STORED;
-- Active, Disabled, or Waiting for password: an account added by an administrator holds an
-- unusable hash starting with '!' until its person sets a password from the mailed link.
ALTER TABLE accounts ADD COLUMN status_key TEXT COLLATE "C" GENERATED ALWAYS AS (
    CASE WHEN disabled_at IS NOT NULL THEN 'disabled'
         WHEN substr(password_hash, 1, 1) = '!' THEN 'waiting'
         ELSE 'active' END) STORED;

CREATE INDEX accounts_org_by_name ON accounts (organization_id, name_key, id);
CREATE INDEX accounts_org_by_email ON accounts (organization_id, email_key, id);
CREATE INDEX accounts_org_by_status ON accounts (organization_id, status_key, name_key, id);
CREATE INDEX accounts_org_by_created ON accounts (organization_id, created_at, id);
