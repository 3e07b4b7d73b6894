-- Manage Users at scale (issue 11): the roster is the list Manage Users shows — every member of
-- a workspace and the latest invitation of each address not (yet) a member — kept up to date by
-- triggers on the tables it comes from, with one sort key per column, so a page, every sort and
-- the count are read from indexes whatever the workspace's size.
--
-- roster_source says what the roster must hold; the triggers below re-derive the rows of one
-- (workspace, address) after every change that can touch them: members, invitations, and an
-- account's name, address, kind or last sign-in. The same definitions are in the PostgreSQL
-- migration; a test compares roster with roster_source after every kind of change.

CREATE VIEW roster_source AS
SELECT workspace_id, row_kind, row_id, email_canonical, account_id, name, email, account_kind,
    is_admin, invited_services_admin, support_contact, view_all_cases, state, expires_at,
    invited_on, last_sign_in,
    lower(name) AS name_key,
    -- The name's last word ("Bowen" of "Megan Bowen"): search matches the start of either.
    lower(regexp_replace(name, '^.* ', '')) AS last_key,
    lower(email) AS email_key,
    lower(substr(email, strpos(email, '@') + 1)) AS domain_key,
    -- Status sorts expired < invited < registered < revoked: a pending invitation sorts by its
    -- expiry, so the expired ones come first among them without a clock in the index.
    CASE state WHEN 'pending' THEN 'i' ELSE state END AS state_key,
    CASE state WHEN 'pending' THEN expires_at ELSE 0 END AS state_at,
    COALESCE(invited_on, 0) AS invited_key,
    COALESCE(last_sign_in, 0) AS signed_in_key
FROM (
    SELECT m.workspace_id, 'member' AS row_kind, m.id AS row_id, a.email_canonical,
        a.id AS account_id, a.display_name AS name, a.email, a.kind AS account_kind,
        m.is_admin, 0 AS invited_services_admin, m.support_contact, m.view_all_cases,
        'registered' AS state, CAST(NULL AS BIGINT) AS expires_at, m.invited_at AS invited_on,
        a.last_sign_in_at AS last_sign_in
    FROM memberships m JOIN accounts a ON a.id = m.account_id
    UNION ALL
    SELECT i.workspace_id, 'invitation', i.id, i.email_canonical, CAST(NULL AS BIGINT), i.name, i.email, '',
        CASE WHEN i.role = 'workspace_admin' THEN 1 ELSE 0 END,
        CASE WHEN i.role = 'services_admin' THEN 1 ELSE 0 END,
        i.support_contact, 0, i.status, i.expires_at, i.created_at, CAST(NULL AS BIGINT)
    FROM invitations i
    WHERE i.status <> 'accepted'
      AND NOT EXISTS (SELECT 1 FROM invitations j WHERE j.workspace_id = i.workspace_id
          AND j.email_canonical = i.email_canonical AND j.id > i.id)
      AND NOT EXISTS (SELECT 1 FROM memberships m2 JOIN accounts a2 ON a2.id = m2.account_id
          WHERE m2.workspace_id = i.workspace_id AND a2.email_canonical = i.email_canonical)
) AS source;

CREATE TABLE roster (
    workspace_id BIGINT NOT NULL,
    row_kind TEXT NOT NULL,
    row_id BIGINT NOT NULL,
    email_canonical TEXT NOT NULL,
    account_id BIGINT,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    account_kind TEXT NOT NULL,
    is_admin BIGINT NOT NULL,
    invited_services_admin BIGINT NOT NULL,
    support_contact BIGINT NOT NULL,
    view_all_cases BIGINT NOT NULL,
    state TEXT NOT NULL,
    expires_at BIGINT,
    invited_on BIGINT,
    last_sign_in BIGINT,
    name_key TEXT COLLATE "C" NOT NULL,
    last_key TEXT COLLATE "C" NOT NULL,
    email_key TEXT COLLATE "C" NOT NULL,
    domain_key TEXT COLLATE "C" NOT NULL,
    state_key TEXT COLLATE "C" NOT NULL,
    state_at BIGINT NOT NULL,
    invited_key BIGINT NOT NULL,
    signed_in_key BIGINT NOT NULL,
    PRIMARY KEY (row_kind, row_id)
);
CREATE INDEX roster_refresh ON roster (workspace_id, email_canonical);
CREATE INDEX roster_by_name ON roster (workspace_id, name_key, row_kind, row_id);
CREATE INDEX roster_by_last ON roster (workspace_id, last_key);
CREATE INDEX roster_by_email ON roster (workspace_id, email_key, row_kind, row_id);
CREATE INDEX roster_by_domain ON roster (workspace_id, domain_key);
CREATE INDEX roster_by_status ON roster (workspace_id, state_key, state_at, row_kind, row_id);
CREATE INDEX roster_by_invited ON roster (workspace_id, invited_key, row_kind, row_id);
CREATE INDEX roster_by_sign_in ON roster (workspace_id, signed_in_key, row_kind, row_id);

-- The number of rows per workspace, so the page's total is one read.
CREATE TABLE roster_counts (
    workspace_id BIGINT PRIMARY KEY,
    n BIGINT NOT NULL
);

CREATE FUNCTION roster_count() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO roster_counts (workspace_id, n) VALUES (NEW.workspace_id, 1)
            ON CONFLICT (workspace_id) DO UPDATE SET n = roster_counts.n + 1;
    ELSE
        UPDATE roster_counts SET n = n - 1 WHERE workspace_id = OLD.workspace_id;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER roster_count AFTER INSERT OR DELETE ON roster
    FOR EACH ROW EXECUTE FUNCTION roster_count();

-- Re-derive a set of (workspace, address) pairs: one statement-level call per changed table,
-- so a bulk insert of n members is planned once, not n times. The locks, taken in one order,
-- make two transactions that touch the same address take turns, so the second one's delete
-- sees the first one's rows.
CREATE FUNCTION roster_refresh_many(ws BIGINT[], addresses TEXT[]) RETURNS void AS $$
DECLARE
    pair RECORD;
BEGIN
    PERFORM pg_advisory_xact_lock(k.h) FROM (
        SELECT DISTINCT hashtextextended('roster:' || w || ':' || a, 0) AS h
        FROM unnest(ws, addresses) AS p(w, a) WHERE a IS NOT NULL ORDER BY 1
    ) k;
    DELETE FROM roster r USING unnest(ws, addresses) AS p(w, a)
        WHERE r.workspace_id = p.w AND r.email_canonical = p.a;
    -- One index lookup per pair: the planner flattens any set-based form of this into hash
    -- joins over every member (20 ms for one sign-in at 10,000 members).
    FOR pair IN SELECT DISTINCT w, a FROM unnest(ws, addresses) AS p(w, a) LOOP
        INSERT INTO roster SELECT * FROM roster_source
            WHERE workspace_id = pair.w AND email_canonical = pair.a;
    END LOOP;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION roster_refresh(ws BIGINT, address TEXT) RETURNS void AS $$
BEGIN
    PERFORM roster_refresh_many(ARRAY[ws], ARRAY[address]);
END $$ LANGUAGE plpgsql;

-- `changed` is the statement's new rows (insert, update) or old rows (delete).
CREATE FUNCTION roster_memberships() RETURNS trigger AS $$
DECLARE
    ws BIGINT[];
    addresses TEXT[];
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM roster WHERE row_kind = 'member' AND row_id IN (SELECT id FROM changed);
    END IF;
    SELECT array_agg(c.workspace_id), array_agg(a.email_canonical) INTO ws, addresses
        FROM changed c JOIN accounts a ON a.id = c.account_id;
    IF ws IS NOT NULL THEN
        PERFORM roster_refresh_many(ws, addresses);
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER roster_memberships_added AFTER INSERT ON memberships
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION roster_memberships();
CREATE TRIGGER roster_memberships_changed AFTER UPDATE ON memberships
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION roster_memberships();
CREATE TRIGGER roster_memberships_removed AFTER DELETE ON memberships
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION roster_memberships();

CREATE FUNCTION roster_invitations() RETURNS trigger AS $$
DECLARE
    ws BIGINT[];
    addresses TEXT[];
BEGIN
    SELECT array_agg(workspace_id), array_agg(email_canonical) INTO ws, addresses FROM changed;
    IF ws IS NOT NULL THEN
        PERFORM roster_refresh_many(ws, addresses);
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER roster_invitations_added AFTER INSERT ON invitations
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION roster_invitations();
CREATE TRIGGER roster_invitations_changed AFTER UPDATE ON invitations
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION roster_invitations();
CREATE TRIGGER roster_invitations_removed AFTER DELETE ON invitations
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION roster_invitations();

-- An account's new name or address shows in every workspace it is a member of; its old
-- address may uncover an invitation the membership was hiding.
CREATE FUNCTION roster_account() RETURNS trigger AS $$
DECLARE
    ws BIGINT;
BEGIN
    FOR ws IN SELECT workspace_id FROM memberships WHERE account_id = NEW.id LOOP
        PERFORM roster_refresh(ws, OLD.email_canonical);
        IF NEW.email_canonical <> OLD.email_canonical THEN
            PERFORM roster_refresh(ws, NEW.email_canonical);
        END IF;
    END LOOP;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER roster_account
    AFTER UPDATE OF display_name, email, email_canonical, kind, last_sign_in_at ON accounts
    FOR EACH ROW EXECUTE FUNCTION roster_account();

INSERT INTO roster SELECT * FROM roster_source;

-- The other lists that grow: each page sort is an index order, ties broken by id in the index
-- too, so a page reads its rows from the index instead of sorting the workspace's whole list.
CREATE INDEX cases_workspace_newest ON cases (workspace_id, opened_at, id);
CREATE INDEX cases_workspace_updated ON cases (workspace_id, updated_at, id);
CREATE INDEX audit_log_workspace_order ON audit_log (workspace_id, created_at, id);
CREATE INDEX audit_log_agreement_order ON audit_log (agreement_id, workspace_id, created_at, id);
-- Manage Users' support-contact count reads only the contacts, not every open invitation.
CREATE INDEX invitations_contacts ON invitations (workspace_id, support_contact, status, expires_at);
DROP INDEX cases_workspace_opened;
DROP INDEX audit_log_workspace;
