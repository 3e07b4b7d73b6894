-- Staff, agreements, workspaces, memberships, invitations and the mail outbox (issue 3).
-- Booleans are BIGINT 0/1 and timestamps Unix seconds, so one set of runtime-bound queries
-- runs on SQLite and PostgreSQL; dates of a term are ISO text (YYYY-MM-DD).

-- The provider's staff. A staff account is a work account of no customer organization.
CREATE TABLE staff (
    account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('operator', 'csam', 'ac')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE agreements (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    agreement_type TEXT NOT NULL CHECK (agreement_type IN ('premier', 'unified')),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'expired')),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    csam_account_id BIGINT REFERENCES accounts (id),
    ac_account_id BIGINT REFERENCES accounts (id),
    contact_limit BIGINT NOT NULL,
    activated_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX agreements_organization ON agreements (organization_id);
CREATE INDEX agreements_csam ON agreements (csam_account_id);
CREATE INDEX agreements_ac ON agreements (ac_account_id);

-- People the agreement names by address: its Services Administrators and support contacts.
-- They are invited to the Default Workspace when the agreement becomes active.
CREATE TABLE agreement_contacts (
    id INTEGER PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('services_admin', 'support_contact')),
    email TEXT NOT NULL,
    email_canonical TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (agreement_id, role, email_canonical)
);

-- Registered Services Administrators: they administer every workspace of the agreement.
CREATE TABLE agreement_admins (
    agreement_id BIGINT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (agreement_id, account_id)
);
CREATE INDEX agreement_admins_account ON agreement_admins (account_id);

CREATE TABLE workspaces (
    id INTEGER PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_canonical TEXT NOT NULL,
    is_default BIGINT NOT NULL DEFAULT 0,
    -- Premier workspaces accept personal accounts; Unified ones only when an administrator allows.
    allow_personal BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (agreement_id, name_canonical)
);

-- Benefits of an agreement (workspace_id NULL) or assigned to one workspace.
CREATE TABLE benefits (
    id INTEGER PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    workspace_id BIGINT REFERENCES workspaces (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('reactive_hours', 'proactive_credits', 'add_on')),
    name TEXT NOT NULL,
    allotment BIGINT NOT NULL CHECK (allotment >= 0),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX benefits_agreement ON benefits (agreement_id);
CREATE INDEX benefits_workspace ON benefits (workspace_id);

CREATE TABLE memberships (
    id INTEGER PRIMARY KEY,
    workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    is_admin BIGINT NOT NULL DEFAULT 0,
    support_contact BIGINT NOT NULL DEFAULT 0,
    invited_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (workspace_id, account_id)
);
CREATE INDEX memberships_account ON memberships (account_id);
CREATE INDEX memberships_workspace_contact ON memberships (workspace_id, support_contact);

CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    email_canonical TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL CHECK (role IN ('member', 'workspace_admin', 'services_admin')),
    support_contact BIGINT NOT NULL DEFAULT 0,
    -- SHA-256 of the token; the token itself exists only in the mail.
    token_hash TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'revoked')),
    expires_at BIGINT NOT NULL,
    invited_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    accepted_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    accepted_at BIGINT,
    revoked_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- One open invitation per address and workspace.
CREATE UNIQUE INDEX invitations_one_pending ON invitations (workspace_id, email_canonical)
    WHERE status = 'pending';
CREATE INDEX invitations_workspace ON invitations (workspace_id, status, created_at);
CREATE INDEX invitations_email ON invitations (email_canonical);

-- Mail waits here until the worker delivers it, so sending never blocks a request and a
-- message is written in the same transaction as the change it announces.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT,
    sent_at BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);

-- The workspace that opens after sign-in.
ALTER TABLE accounts ADD COLUMN last_workspace_id BIGINT REFERENCES workspaces (id) ON DELETE SET NULL;

-- The audit log gains the scopes its readers are allowed: a workspace and an agreement.
ALTER TABLE audit_log ADD COLUMN agreement_id BIGINT REFERENCES agreements (id) ON DELETE CASCADE;
ALTER TABLE audit_log ADD COLUMN workspace_id BIGINT REFERENCES workspaces (id) ON DELETE CASCADE;
ALTER TABLE audit_log ADD COLUMN detail TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_log_agreement ON audit_log (agreement_id, created_at);
CREATE INDEX audit_log_workspace ON audit_log (workspace_id, created_at);

-- Manage Users lists the latest invitation per address.
CREATE INDEX invitations_workspace_email ON invitations (workspace_id, email_canonical, id);

-- An uploaded bulk-invitation file between its dry run and its confirmation (at most 1 MiB).
CREATE TABLE bulk_imports (
    id INTEGER PRIMARY KEY,
    workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    committed_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX bulk_imports_workspace ON bulk_imports (workspace_id, account_id);
